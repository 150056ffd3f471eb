package node

import (
	"errors"
	"fmt"
	"slices"
)

// Reasons a cluster operation fails, as ekka and mria name them.
const (
	reasonAlreadyInCluster = "already_in_cluster"
	reasonNodeDown         = "node_down"
	reasonNotInCluster     = "node_not_in_cluster"
	reasonSingleton        = "singleton"
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

// Errors of cluster operations that EMQX prints as a bare reason.
var (
	ErrIgnore       = errors.New("node: ignore") // EMQX answers "Ignore."
	ErrNotInCluster = errors.New("node: " + reasonNotInCluster)
	ErrSingleton    = errors.New("node: " + reasonSingleton)
)

// Join makes the node a member of target's cluster, as `cluster join` and
// the autocluster loop do (ekka_cluster:join): the node's own data is
// wiped, it takes target's member list, and every member of that cluster
// records it. Its membership restarts, so it becomes the youngest member.
func (nd *Node) Join(target string) error {
	switch {
	case nd.state != stateRunning:
		return ErrStopped
	case target == nd.cfg.Name:
		return ErrIgnore
	case nd.cfg.Discovery == DiscoverySingleton:
		return ErrSingleton
	case isMember(nd.members, target):
		return &JoinError{Reason: reasonAlreadyInCluster, Node: target}
	case !nd.net.ping(nd, target) || !nd.net.isUp(target):
		return &JoinError{Reason: reasonNodeDown, Node: target}
	}

	cluster := slices.Clone(nd.net.nodes[target].members)
	for _, m := range cluster {
		if member := nd.net.nodes[m]; member != nil {
			member.addMember(nd.cfg.Name)
		}
	}
	nd.members = cluster
	nd.addMember(nd.cfg.Name) // NB: a wiped node may be on the list still
	nd.guid = nd.net.newGUID()
	nd.log.Info("joined the cluster", "target", target, "members", nd.members)

	return nil
}

// joinResult returns a join's result as ekka's loop logs it.
func joinResult(err error) string {
	var je *JoinError
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &je):
		return fmt.Sprintf("{error,{%s,'%s'}}", je.Reason, je.Node)
	}

	return fmt.Sprintf("{error,%v}", err)
}

// Leave takes the node out of its cluster, as `cluster leave` does: a
// running peer deletes it from the cluster, the node wipes its own list and
// restarts its applications alone. In 3.x and 4.x that restart runs the
// autocluster loop again, so with DNS discovery the node soon comes back;
// in 5.x discovery is turned off first, even when the leave then fails
// (Leave reports whether it was on).
func (nd *Node) Leave() (disabled bool, err error) {
	if nd.state != stateRunning {
		return false, ErrStopped
	}

	// NB: emqx_mgmt_cli (5.6.1+) disables autocluster before it calls
	// mria:leave, whatever that returns.
	if nd.cfg.Profile == EMQX5 && nd.cfg.Discovery == DiscoveryDNS && !nd.discoveryOff {
		nd.discoveryOff, disabled = true, true
	}

	peers := nd.connectedPeers()
	if len(peers) == 0 {
		return disabled, ErrNotInCluster
	}
	nd.leaveCluster(peers, true)

	return disabled, nil
}

// leaveCluster removes the node from the members peers and restarts its
// applications as a cluster of one; rerun says whether that restart runs
// the autocluster loop.
func (nd *Node) leaveCluster(peers []string, rerun bool) {
	for _, p := range peers {
		nd.net.nodes[p].removeMember(nd.cfg.Name)
	}
	nd.members = []string{nd.cfg.Name}
	nd.guid = nd.net.newGUID()
	nd.loop = nil
	nd.log.Info("left the cluster")
	if rerun {
		nd.startAutocluster()
	}
}

// ForceLeave removes target from the node's cluster, as `cluster
// force-leave` does. A running target is made to leave: in 4.x it reboots
// and, with DNS discovery, comes back; in 5.x it leaves as with Leave,
// discovery untouched. A stopped target is deleted from every running
// member's list, so it vanishes from stopped_nodes.
func (nd *Node) ForceLeave(target string) error {
	switch {
	case nd.state != stateRunning:
		return ErrStopped
	case target == nd.cfg.Name:
		return ErrIgnore
	case !isMember(nd.members, target):
		return ErrNotInCluster
	}

	peer := nd.net.nodes[target]
	if peer != nil && nd.connected(target) {
		// NB: 4.x reboots the target, which runs its loop again; 5.x has it
		// leave by RPC, which does not.
		peer.leaveCluster(peer.connectedPeers(), nd.cfg.Profile != EMQX5)
		return nil
	}

	nd.forget(target)
	nd.log.Info("removed a node from the cluster", "target", target)

	return nil
}

// EnableDiscovery turns DNS discovery back on after Leave (5.x `cluster
// discovery enable`) and runs the autocluster loop.
func (nd *Node) EnableDiscovery() error {
	if nd.state != stateRunning {
		return ErrStopped
	}

	nd.discoveryOff = false
	nd.startAutocluster()

	return nil
}
