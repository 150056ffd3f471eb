package node

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Autoheal timing (ekka): a node reports the inconsistent database to the
// leader 3 s after it sees it, and the leader waits 15 s before healing.
const (
	autohealReport = 3 * time.Second
	autohealWait   = 15 * time.Second
)

// scheduleAutoheal arranges an autoheal when running nodes that reach each
// other have a database link a partition cut.
func (n *Network) scheduleAutoheal() {
	if n.healTimer != nil || len(n.inconsistent()) == 0 {
		return
	}

	n.healTimer = n.clock.AfterFunc(autohealReport+autohealWait, func() {
		n.healTimer = nil
		n.autoheal()
	})
}

// inconsistent returns the running nodes at either end of a cut link that
// could stand again, sorted.
func (n *Network) inconsistent() []string {
	var names []string
	for p := range n.broken {
		if n.isUp(p.a) && n.isUp(p.b) && n.reachable(p.a, p.b) {
			names = append(names, p.a, p.b)
		}
	}
	slices.Sort(names)

	return slices.Compact(names)
}

// autoheal heals a partitioned cluster as ekka does (§4.5): the leader,
// its oldest member, gathers every member's view; the view with the most
// running nodes wins (on a tie, the one holding the leader), and the nodes
// outside it restart, which reconnects them. It gives up, logging why, when
// a member is down or the views fall into more than two groups.
func (n *Network) autoheal() {
	involved := n.inconsistent()
	if len(involved) == 0 {
		return
	}

	leader := n.oldest(involved)
	if !leader.cfg.Autoheal {
		leader.log.Info("autoheal is off: the partition stays until a node restarts")
		return
	}

	views, err := n.gatherViews(leader)
	if err != nil {
		leader.log.Error(err.Error())
		return
	}
	n.healMinority(leader, views)
}

// oldest returns the node among names whose membership started first.
func (n *Network) oldest(names []string) *Node {
	var best *Node
	for _, name := range names {
		nd := n.nodes[name]
		if best == nil || nd.guid.before(best.guid) {
			best = nd
		}
	}

	return best
}

// gatherViews returns the running nodes as each member of the leader's
// cluster sees them, keyed by member.
func (n *Network) gatherViews(leader *Node) (map[string][]string, error) {
	views := make(map[string][]string)
	var bad []string
	for _, m := range leader.members {
		nd := n.nodes[m]
		if nd == nil || nd.state != stateRunning || !n.reachable(leader.cfg.Name, m) {
			bad = append(bad, m)
			continue
		}
		s, _ := nd.Status()
		views[m] = s.Running
	}

	if len(bad) > 0 {
		return nil, fmt.Errorf("autoheal: bad nodes found: %v", bad)
	}

	return views, nil
}

// healMinority restarts the nodes outside the winning view.
func (n *Network) healMinority(leader *Node, views map[string][]string) {
	groups := make(map[string][]string)
	for _, running := range views {
		groups[strings.Join(running, ",")] = running
	}
	if len(groups) > 2 {
		leader.log.Error("autoheal: more than two views of the cluster; not healing",
			"views", len(groups))
		return
	}

	winner := winningView(groups, leader.cfg.Name)
	coordinator := n.oldest(winner)
	for _, m := range leader.members {
		if slices.Contains(winner, m) {
			continue
		}
		coordinator.log.Info("autoheal: restarting a node of the minority", "target", m)
		n.nodes[m].healReboot()
	}
}

// winningView returns the view with the most running nodes, the one that
// holds the leader on a tie.
func winningView(groups map[string][]string, leader string) []string {
	var best []string
	for _, key := range slices.Sorted(maps.Keys(groups)) {
		v := groups[key]
		switch {
		case best == nil, len(v) > len(best):
			best = v
		case len(v) == len(best) && slices.Contains(v, leader):
			best = v
		}
	}

	return best
}

// healReboot restarts the node with its data, as autoheal's coordinator
// makes a minority node do.
func (nd *Node) healReboot() {
	_ = nd.Stop()
	_ = nd.Start(StartOptions{})
}
