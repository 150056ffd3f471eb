package node

import (
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"maps"
	"math/rand/v2"
	"slices"
	"time"
)

// Network is the in-process network the simulated nodes share: it holds
// every node by name and carries their messages (ping, membership, join)
// as plain calls, with partitions and closed distribution ports as the lab
// sets them. No message between nodes ever touches a socket.
//
// A Network and its nodes are not safe for concurrent use: one goroutine
// (or one lock) drives them, with the Clock.
type Network struct {
	clock Clock
	seed  uint64
	log   *slog.Logger
	nodes map[string]*Node
	seq   uint64 // orders membership starts that share a clock reading

	side    map[string]int     // partition side of each node named in one; 0 elsewhere
	blocked map[string]bool    // nodes whose distribution port is closed
	broken  map[pair]time.Time // database links a partition cut, and when

	healTimer Timer // the pending autoheal, if any
}

// pair names two nodes, in order.
type pair struct{ a, b string }

func pairOf(a, b string) pair {
	if a > b {
		a, b = b, a
	}

	return pair{a, b}
}

// NetworkConfig configures a Network.
type NetworkConfig struct {
	// Clock drives every node's timers; nil means a new VirtualClock
	// standing at Epoch.
	Clock Clock

	// Seed seeds each node's random source (mixed with the node's name,
	// so adding a node does not change the others' choices).
	Seed uint64

	// Logger receives the nodes' logs; nil discards them.
	Logger *slog.Logger
}

// NewNetwork returns an empty network.
func NewNetwork(cfg NetworkConfig) *Network {
	if cfg.Clock == nil {
		cfg.Clock = NewVirtualClock(Epoch)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}

	return &Network{clock: cfg.Clock, seed: cfg.Seed, log: cfg.Logger,
		nodes: make(map[string]*Node), side: make(map[string]int),
		blocked: make(map[string]bool), broken: make(map[pair]time.Time)}
}

// SetSeed changes the seed of the nodes added from now on.
func (n *Network) SetSeed(seed uint64) { n.seed = seed }

// Clock returns the network's clock.
func (n *Network) Clock() Clock { return n.clock }

// NewNode adds a stopped node with the given settings; Start boots it.
func (n *Network) NewNode(cfg Config) (*Node, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if _, dup := n.nodes[cfg.Name]; dup {
		return nil, fmt.Errorf("%w: node %s already exists", ErrConfig, cfg.Name)
	}

	nd := &Node{
		cfg:     cfg,
		net:     n,
		rnd:     rand.New(rand.NewPCG(n.seed, nameHash(cfg.Name))),
		log:     n.log.With("component", "node", "node", cfg.Name),
		members: []string{cfg.Name},
	}
	n.nodes[cfg.Name] = nd

	return nd, nil
}

// Node returns the node called name, or nil.
func (n *Network) Node(name string) *Node { return n.nodes[name] }

// Nodes returns every node, sorted by name.
func (n *Network) Nodes() []*Node {
	nodes := make([]*Node, 0, len(n.nodes))
	for _, name := range slices.Sorted(maps.Keys(n.nodes)) {
		nodes = append(nodes, n.nodes[name])
	}

	return nodes
}

// reachable reports whether a and b can open a distribution connection:
// neither port is closed and no partition lies between them.
func (n *Network) reachable(a, b string) bool {
	return a == b || (!n.blocked[a] && !n.blocked[b] && n.side[a] == n.side[b])
}

// linked reports whether the database link between a and b stands: they
// can reach each other and no partition has cut it since either restarted.
func (n *Network) linked(a, b string) bool {
	_, cut := n.broken[pairOf(a, b)]
	return !cut && n.reachable(a, b)
}

// ping reports whether from can reach the node called to, as Erlang's
// net_adm:ping does: the node exists, runs, can be reached and shares
// from's cookie.
func (n *Network) ping(from *Node, to string) bool {
	peer := n.nodes[to]
	if peer == nil || peer.state == stateStopped || !n.reachable(from.cfg.Name, to) {
		return false
	}

	return peer == from || peer.cfg.Cookie == from.cfg.Cookie
}

// isUp reports whether the node called name is running.
func (n *Network) isUp(name string) bool {
	nd := n.nodes[name]
	return nd != nil && nd.state == stateRunning
}

// rejoined forgets the links a partition cut for nd, which has restarted:
// its database connects afresh.
func (n *Network) rejoined(nd *Node) {
	for p := range n.broken {
		if p.a == nd.cfg.Name || p.b == nd.cfg.Name {
			delete(n.broken, p)
		}
	}
}

// nodeUp lets the nodes waiting for their tables try again, now that up
// has started.
func (n *Network) nodeUp(up *Node) {
	for _, nd := range n.Nodes() {
		if nd != up && nd.state == stateWaiting {
			nd.tryBoot()
		}
	}
}

// newGUID returns a membership start that sorts after every earlier one.
func (n *Network) newGUID() guid {
	n.seq++
	return guid{at: n.clock.Now(), seq: n.seq}
}

// guid stands for the identifier ekka gives a node's membership when it
// starts: timestamp first, so the smallest belongs to the oldest member.
type guid struct {
	at  time.Time
	seq uint64
}

func (g guid) before(o guid) bool {
	if !g.at.Equal(o.at) {
		return g.at.Before(o.at)
	}

	return g.seq < o.seq
}

func nameHash(name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))

	return h.Sum64()
}

// Looping reports whether any node's autocluster loop runs.
func (n *Network) Looping() bool {
	for _, nd := range n.nodes {
		if nd.loop != nil {
			return true
		}
	}

	return false
}

// Converged reports whether every running node sees the same cluster and
// no node waits to boot. When the running nodes share one member list and
// no partition or closed port stands, they do; otherwise their views are
// compared one by one.
func (n *Network) Converged() bool {
	var ref []string
	for _, nd := range n.nodes {
		switch {
		case nd.state == stateWaiting:
			return false
		case nd.state != stateRunning:
		case ref == nil:
			ref = nd.members
		case !slices.Equal(ref, nd.members):
			return false
		}
	}

	if len(n.broken) == 0 && len(n.blocked) == 0 && len(n.side) == 0 {
		return true
	}

	return n.sameViews()
}

// sameViews reports whether every running node reports the same status.
func (n *Network) sameViews() bool {
	var ref *Status
	for _, nd := range n.nodes {
		s, err := nd.Status()
		switch {
		case err != nil:
		case ref == nil:
			ref = &s
		case !slices.Equal(ref.Running, s.Running) || !slices.Equal(ref.Stopped, s.Stopped):
			return false
		}
	}

	return true
}
