package node

import (
	"fmt"
	"slices"
)

// Reasons a join fails, as ekka names them.
const (
	reasonAlreadyInCluster = "already_in_cluster"
	reasonNodeDown         = "node_down"
)

// JoinError is a failed join, printed by the CLI as Erlang's
// {Reason,'Node'} tuple.
type JoinError struct {
	Reason string // already_in_cluster or node_down
	Node   string
}

// Error implements error.
func (e *JoinError) Error() string {
	return fmt.Sprintf("node: join %s: %s", e.Node, e.Reason)
}

// ErrIgnore is returned when a node is asked to join itself; EMQX answers
// "Ignore.".
var ErrIgnore = fmt.Errorf("node: ignore")

// Join makes the node a member of target's cluster, as `cluster join` and
// the autocluster loop do (ekka_cluster:join): the node's own data is
// wiped, it takes target's member list, and every member of that cluster
// records it. Its membership restarts, so it becomes the youngest member.
func (nd *Node) Join(target string) error {
	switch {
	case !nd.running:
		return ErrStopped
	case target == nd.cfg.Name:
		return ErrIgnore
	case slices.Contains(nd.members, target):
		return &JoinError{Reason: reasonAlreadyInCluster, Node: target}
	case !nd.net.ping(nd, target):
		return &JoinError{Reason: reasonNodeDown, Node: target}
	}

	cluster := slices.Clone(nd.net.nodes[target].members)
	for _, m := range cluster {
		if member := nd.net.nodes[m]; member != nil {
			member.addMember(nd.cfg.Name)
		}
	}
	nd.members = append(cluster, nd.cfg.Name)
	slices.Sort(nd.members)
	nd.guid = nd.net.newGUID()
	nd.log.Info("joined the cluster", "target", target, "members", nd.members)

	return nil
}
