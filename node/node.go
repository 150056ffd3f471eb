package node

import (
	"errors"
	"log/slog"
	"math/rand/v2"
	"slices"
	"time"
)

// ErrStopped is returned for what only a running node can do.
var ErrStopped = errors.New("node: not running")

// Node is one simulated EMQX node. Its state is what EMQX keeps: whether it
// runs, its member list (mnesia's db_nodes, kept on disk across restarts)
// and when its membership last started, which decides who is oldest.
type Node struct {
	cfg Config
	net *Network
	rnd *rand.Rand
	log *slog.Logger

	running bool
	members []string // db_nodes: every member of its cluster, itself too; sorted
	guid    guid
	loop    *loop // the autocluster loop while it runs
}

// Name returns the node's name (node.name).
func (nd *Node) Name() string { return nd.cfg.Name }

// Config returns the node's settings.
func (nd *Node) Config() Config { return nd.cfg }

// Running reports whether the node is up.
func (nd *Node) Running() bool { return nd.running }

// Start boots the node. A node that has been a member of a cluster comes
// back into it from its stored member list, without a join; with DNS
// discovery it then runs the autocluster loop.
func (nd *Node) Start() error {
	if nd.running {
		return errors.New("node: already running")
	}

	nd.running = true
	nd.guid = nd.net.newGUID()
	nd.log.Info("node started", "members", nd.members)
	nd.startAutocluster()

	return nil
}

// Stop shuts the node down cleanly: the others see it stopped at once.
// Its member list stays on disk for the next Start.
func (nd *Node) Stop() error {
	if !nd.running {
		return ErrStopped
	}

	nd.running = false
	nd.stopAutocluster()
	nd.log.Info("node stopped")

	return nil
}

// Status is a node's view of its cluster, as `cluster status` reports it.
type Status struct {
	Running []string // members up and connected to this node, sorted
	Stopped []string // the other members, sorted
}

// Status returns the node's view of its cluster. A member counts as running
// when it runs, this node can reach it and it lists this node too.
func (nd *Node) Status() (Status, error) {
	if !nd.running {
		return Status{}, ErrStopped
	}

	var s Status
	for _, m := range nd.members {
		if nd.connected(m) {
			s.Running = append(s.Running, m)
		} else {
			s.Stopped = append(s.Stopped, m)
		}
	}

	return s, nil
}

// connected reports whether the node's database is connected to member m.
func (nd *Node) connected(m string) bool {
	if m == nd.cfg.Name {
		return true
	}

	peer := nd.net.nodes[m]

	return nd.net.ping(nd, m) && slices.Contains(peer.members, nd.cfg.Name)
}

// inCluster reports whether the node has other members (ekka's
// is_node_in_cluster).
func (nd *Node) inCluster() bool { return len(nd.members) > 1 }

// after runs f once d has passed, unless the node has stopped meanwhile or
// its loop has been replaced.
func (nd *Node) after(d time.Duration, f func()) Timer {
	l := nd.loop

	return nd.net.clock.AfterFunc(d, func() {
		if nd.running && nd.loop == l {
			f()
		}
	})
}

// addMember records name in the node's member list.
func (nd *Node) addMember(name string) {
	i, found := slices.BinarySearch(nd.members, name)
	if !found {
		nd.members = slices.Insert(nd.members, i, name)
	}
}
