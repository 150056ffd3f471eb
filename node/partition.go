package node

import (
	"fmt"
	"slices"
)

// Partition splits the network in two: the nodes of a can no longer reach
// those of b, nor either reach the nodes named in neither. Database links
// between running nodes that it cuts stay cut after Heal, until autoheal
// or a restart mends them, as mnesia's do.
func (n *Network) Partition(a, b []string) error {
	if err := n.known(append(slices.Clone(a), b...)); err != nil {
		return err
	}

	before := n.links()
	clear(n.side)
	for _, name := range a {
		n.side[name] = 1
	}
	for _, name := range b {
		n.side[name] = 2
	}
	n.cutLinks(before)
	n.log.Info("network partitioned", "component", "net", "side_a", a, "side_b", b)

	return nil
}

// Heal ends the partition. Nodes on both sides that kept running now see
// an inconsistent database: with autoheal, the minority restarts (§4.5).
func (n *Network) Heal() {
	clear(n.side)
	n.log.Info("network healed", "component", "net")
	n.scheduleAutoheal()
}

// Block closes the distribution port of the node called name: no node can
// reach it, and it reaches none.
func (n *Network) Block(name string) error {
	if err := n.known([]string{name}); err != nil {
		return err
	}

	before := n.links()
	n.blocked[name] = true
	n.cutLinks(before)
	n.log.Info("distribution port closed", "component", "net", "node", name)

	return nil
}

// Unblock opens the distribution port of the node called name again.
func (n *Network) Unblock(name string) error {
	if err := n.known([]string{name}); err != nil {
		return err
	}

	delete(n.blocked, name)
	n.log.Info("distribution port opened", "component", "net", "node", name)
	n.scheduleAutoheal()

	return nil
}

// known returns an error naming the first of names the network lacks.
func (n *Network) known(names []string) error {
	for _, name := range names {
		if n.nodes[name] == nil {
			return fmt.Errorf("node: no such node: %s", name)
		}
	}

	return nil
}

// links returns the database links that stand between running nodes.
func (n *Network) links() []pair {
	var links []pair
	for _, a := range n.Nodes() {
		for _, m := range a.connectedPeers() {
			if a.cfg.Name < m && a.state == stateRunning {
				links = append(links, pairOf(a.cfg.Name, m))
			}
		}
	}

	return links
}

// cutLinks records as broken the links of before that nodes can no longer
// keep.
func (n *Network) cutLinks(before []pair) {
	now := n.clock.Now()
	for _, p := range before {
		if !n.reachable(p.a, p.b) {
			n.broken[p] = now
		}
	}
}
