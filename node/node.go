package node

import (
	"errors"
	"log/slog"
	"math/rand/v2"
	"slices"
	"time"
)

// Errors of node operations.
var (
	ErrStopped = errors.New("node: not running")
	ErrRunning = errors.New("node: already running")
)

// Node is one simulated EMQX node. Its state is what EMQX keeps: whether it
// runs, its member list (mnesia's db_nodes, kept on disk across restarts)
// and when its membership last started, which decides who is oldest.
type Node struct {
	cfg Config
	net *Network
	rnd *rand.Rand
	log *slog.Logger

	state   state
	members []string // db_nodes: every member of its cluster, itself too; sorted
	guid    guid
	epoch   uint64 // counts starts and stops; a timer of an earlier one does nothing
	loop    *loop  // the autocluster loop while it runs

	discoveryOff bool      // 5.x: `cluster leave` turned discovery off until a restart
	stoppedAt    time.Time // when it last stopped
	laterPeers   []string  // members still up when it stopped: one must be, for it to boot
}

// state is where a node is in its life.
type state uint8

const (
	stateStopped state = iota
	stateWaiting       // booted, waiting for tables from a peer that stopped after it
	stateRunning
)

var stateNames = [...]string{stateStopped: "stopped", stateWaiting: "waiting",
	stateRunning: "running"}

// Name returns the node's name (node.name).
func (nd *Node) Name() string { return nd.cfg.Name }

// Config returns the node's settings.
func (nd *Node) Config() Config { return nd.cfg }

// Running reports whether the node is up and serving.
func (nd *Node) Running() bool { return nd.state == stateRunning }

// State returns "running", "stopped" or "waiting" (booted, but waiting for
// a peer that stopped after it, as mnesia does).
func (nd *Node) State() string { return stateNames[nd.state] }

// Members returns the node's member list, kept on disk: every node of its
// cluster, stopped ones too, itself included.
func (nd *Node) Members() []string { return slices.Clone(nd.members) }

// StartOptions change how a node boots.
type StartOptions struct {
	// Wipe starts the node without its data, as a container without a
	// volume: it forgets its cluster and boots alone.
	Wipe bool
}

// Start boots the node. A node that has been a member of a cluster comes
// back into it from its stored member list, without a join; with DNS
// discovery it then runs the autocluster loop. A node that was not the
// last of its cluster to stop waits until a member that stopped after it
// is up, as mnesia waits for its tables (§5).
func (nd *Node) Start(opt StartOptions) error {
	if nd.state != stateStopped {
		return ErrRunning
	}

	if opt.Wipe {
		nd.members, nd.laterPeers = []string{nd.cfg.Name}, nil
	}
	nd.epoch++
	nd.discoveryOff = false
	nd.state = stateWaiting
	nd.log.Info("node starting", "members", nd.members, "wiped", opt.Wipe)
	nd.tryBoot()

	return nil
}

// tryBoot finishes booting if the tables can be loaded: the node stopped
// last, or a member that was up after it is up now.
func (nd *Node) tryBoot() {
	if nd.state != stateWaiting {
		return
	}

	if len(nd.laterPeers) > 0 && !slices.ContainsFunc(nd.laterPeers, nd.net.isUp) {
		nd.log.Warn("still waiting for table(s) from a node that stopped after this one",
			"nodes", nd.laterPeers)
		return
	}

	nd.state = stateRunning
	nd.laterPeers = nil
	nd.guid = nd.net.newGUID()
	nd.net.rejoined(nd)
	nd.log.Info("node started", "members", nd.members)
	nd.startAutoclean()
	nd.startAutocluster()
	nd.net.nodeUp(nd)
}

// Stop shuts the node down cleanly: the others see it stopped at once.
// Its member list stays on disk for the next Start.
func (nd *Node) Stop() error {
	if nd.state == stateStopped {
		return ErrStopped
	}

	nd.laterPeers = nd.connectedPeers()
	nd.state = stateStopped
	nd.stoppedAt = nd.net.clock.Now()
	nd.epoch++
	nd.loop = nil
	nd.log.Info("node stopped")

	return nil
}

// connectedPeers returns the members this node is connected to.
func (nd *Node) connectedPeers() []string {
	var peers []string
	for _, m := range nd.members {
		if m != nd.cfg.Name && nd.connected(m) {
			peers = append(peers, m)
		}
	}

	return peers
}

// Status is a node's view of its cluster, as `cluster status` reports it.
type Status struct {
	Running []string // members up and connected to this node, sorted
	Stopped []string // the other members, sorted
}

// Status returns the node's view of its cluster. A member counts as running
// when it runs, this node can reach it, both list each other, and no
// partition has split them since either last started.
func (nd *Node) Status() (Status, error) {
	if nd.state != stateRunning {
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
	if peer == nil || peer.state != stateRunning || !nd.net.linked(nd.cfg.Name, m) {
		return false
	}

	return isMember(peer.members, nd.cfg.Name) && isMember(nd.members, m)
}

// isMember reports whether name is in members, a sorted list.
func isMember(members []string, name string) bool {
	_, found := slices.BinarySearch(members, name)
	return found
}

// inCluster reports whether the node has other members (ekka's
// is_node_in_cluster).
func (nd *Node) inCluster() bool { return len(nd.members) > 1 }

// after runs f once d has passed, unless the node has stopped or started
// again meanwhile.
func (nd *Node) after(d time.Duration, f func()) Timer {
	epoch := nd.epoch

	return nd.net.clock.AfterFunc(d, func() {
		if nd.epoch == epoch && nd.state == stateRunning {
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

// removeMember drops name from the node's member list.
func (nd *Node) removeMember(name string) {
	if i, found := slices.BinarySearch(nd.members, name); found {
		nd.members = slices.Delete(nd.members, i, i+1)
	}
}
