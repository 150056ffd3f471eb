package node

import (
	"fmt"
	"slices"
	"time"

	"github.com/miekg/dns"
)

// Timing of ekka's autocluster loop.
const (
	retryInterval = 5 * time.Second // between rounds that did not finish
	maxJitter     = 3000            // ms: DNS has no lock, so each round sleeps 1..3000 ms
)

// loop is one run of the autocluster loop; a stopped node drops it.
type loop struct {
	round int
}

// Looping reports whether the node's autocluster loop is still running.
func (nd *Node) Looping() bool { return nd.loop != nil }

// startAutocluster starts the loop at boot when discovery is by DNS.
func (nd *Node) startAutocluster() {
	if nd.cfg.Discovery != DiscoveryDNS || nd.loop != nil {
		return
	}

	nd.loop = &loop{}
	nd.runRound()
}

func (nd *Node) stopAutocluster() { nd.loop = nil }

// runRound starts one round: the emqx application is up as soon as the node
// is, so the round goes straight to the random delay that stands in for a
// lock (§3 step 2).
func (nd *Node) runRound() {
	nd.loop.round++
	jitter := time.Duration(1+nd.rnd.IntN(maxJitter)) * time.Millisecond
	nd.after(jitter, nd.discoverAndJoin)
}

// discoverAndJoin asks DNS for the cluster's nodes and joins the oldest
// one that answers, then decides whether to go on.
func (nd *Node) discoverAndJoin() {
	names, spent := nd.discover()
	nd.after(spent, func() {
		nd.maybeJoin(names)
		nd.maybeRunAgain()
	})
}

// discover returns the node names DNS lists for the cluster, sorted and
// without duplicates, and the time the lookup took.
func (nd *Node) discover() ([]string, time.Duration) {
	rrs, spent, err := nd.cfg.Resolver.Lookup(nd.cfg.DNSName, dns.TypeA)
	if err != nil {
		nd.log.Info("discovery failed", "name", nd.cfg.DNSName, "err", err)
	}

	var names []string
	for _, rr := range rrs {
		if addr, ok := addrText(rr); ok {
			names = append(names, nd.cfg.DNSApp+"@"+addr)
		}
	}
	slices.Sort(names)
	names = slices.Compact(names)
	nd.log.Info("discovered nodes", "name", nd.cfg.DNSName, "nodes", names)

	return names, spent
}

// maybeJoin joins the oldest live node among names unless the node is
// already clustered (EMQX 3.x: a clustered node never joins another).
func (nd *Node) maybeJoin(names []string) {
	if nd.inCluster() {
		nd.log.Info("already in a cluster; ignoring", "members", nd.members)
		return
	}

	alive, dead := nd.splitAlive(names)
	if len(dead) > 0 {
		nd.log.Info("discovered nodes are not responding", "nodes", dead)
	}

	oldest := nd.oldest(alive)
	switch oldest {
	case "":
		nd.log.Info("no discovered node is running; nothing to join")
		return
	case nd.cfg.Name:
		nd.log.Info("this node is the oldest discovered; waiting for the others to join")
		return
	}

	if err := nd.Join(oldest); err != nil {
		nd.log.Warn("join failed", "target", oldest, "err", err)
	}
}

// splitAlive separates the names that answer a ping from those that do not.
func (nd *Node) splitAlive(names []string) (alive, dead []string) {
	for _, name := range names {
		if nd.net.ping(nd, name) {
			alive = append(alive, name)
		} else {
			dead = append(dead, name)
		}
	}

	return alive, dead
}

// oldest returns the name among names whose membership started first, or
// "" when there is none.
func (nd *Node) oldest(names []string) string {
	var best *Node
	for _, name := range names {
		peer := nd.net.nodes[name]
		if peer != nil && peer.running && (best == nil || peer.guid.before(best.guid)) {
			best = peer
		}
	}
	if best == nil {
		return ""
	}

	return best.cfg.Name
}

// maybeRunAgain ends the loop once the node is in a cluster (EMQX 3.x's
// rule) and otherwise schedules the next round.
func (nd *Node) maybeRunAgain() {
	if nd.inCluster() {
		nd.log.Info("autocluster finished", "rounds", nd.loop.round)
		nd.loop = nil
		return
	}

	nd.log.Info(fmt.Sprintf("discovery did not succeed; retrying in %d ms",
		retryInterval.Milliseconds()))
	nd.after(retryInterval, nd.runRound)
}
