package node

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"

	"dnslab/node/erlterm"
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

// outcome is how a round of the loop went (§3 step 6).
type outcome uint8

const (
	outcomeIgnore outcome = iota // nothing to do
	outcomeOK                    // joined
	outcomeError                 // a discovered node is dead, or (5.x) the join failed
)

// Looping reports whether the node's autocluster loop is still running.
func (nd *Node) Looping() bool { return nd.loop != nil }

// startAutocluster starts the loop at boot when discovery is by DNS.
func (nd *Node) startAutocluster() {
	if nd.cfg.Discovery != DiscoveryDNS || nd.loop != nil || nd.discoveryOff {
		return
	}

	nd.loop = &loop{}
	nd.runRound()
}

// runRound starts one round: the emqx application is up as soon as the node
// is, so the round goes straight to the random delay that stands in for a
// lock (§3 step 2).
func (nd *Node) runRound() {
	l := nd.loop
	l.round++
	jitter := time.Duration(1+nd.rnd.IntN(maxJitter)) * time.Millisecond
	nd.after(jitter, func() {
		if nd.loop == l {
			nd.discoverAndJoin(l)
		}
	})
}

// discoverAndJoin asks DNS for the cluster's nodes and joins the oldest one
// that answers, then decides whether to go on.
func (nd *Node) discoverAndJoin(l *loop) {
	names, spent := nd.discover()
	nd.after(spent, func() {
		if nd.loop != l {
			return
		}

		result, dead := nd.maybeJoin(names)
		nd.decide(l, result, dead)
	})
}

// discover returns the node names DNS lists for the cluster, sorted and
// without duplicates, and the time the lookup took (§2).
func (nd *Node) discover() ([]string, time.Duration) {
	qtype := map[string]uint16{RecordA: dns.TypeA, RecordAAAA: dns.TypeAAAA,
		RecordSRV: dns.TypeSRV}[nd.cfg.DNSType]
	rrs, spent, err := nd.cfg.Resolver.Lookup(nd.cfg.DNSName, qtype)
	if err != nil {
		nd.log.Debug("discovery found nothing", "name", nd.cfg.DNSName, "err", err)
	}

	var names []string
	for _, rr := range rrs {
		if host, ok := hostOf(rr); ok {
			names = append(names, nd.cfg.prefix()+"@"+host)
		}
	}
	slices.Sort(names)
	names = slices.Compact(names)
	nd.log.Info("discovered nodes", "name", nd.cfg.DNSName, "type", nd.cfg.DNSType,
		"nodes", names)

	return names, spent
}

// hostOf returns the host part a discovered record gives: an address in
// canonical text, or an SRV target as received, without its final dot.
func hostOf(rr dns.RR) (string, bool) {
	if srv, ok := rr.(*dns.SRV); ok {
		return strings.TrimSuffix(srv.Target, "."), srv.Target != "."
	}

	return addrText(rr)
}

// maybeJoin joins the oldest live node among names when the profile says
// so, and returns the round's outcome and the nodes that did not answer.
func (nd *Node) maybeJoin(names []string) (outcome, []string) {
	alive, dead := nd.splitAlive(names)
	if len(dead) > 0 {
		nd.logDead(dead)
	}

	result := nd.joinOldest(alive)
	if len(dead) > 0 && nd.cfg.Profile != EMQX3 {
		result = outcomeError
	}

	return result, dead
}

// joinOldest joins the oldest of alive unless the profile's rule says the
// node has nothing to do (§3 step 4).
func (nd *Node) joinOldest(alive []string) outcome {
	switch {
	case nd.cfg.Profile == EMQX3 && nd.inCluster():
		nd.log.Info("already in a cluster; ignoring", "members", nd.members)
		return outcomeIgnore
	case nd.cfg.Profile != EMQX3 && slices.Equal(alive, nd.members):
		nd.log.Info("all discovered nodes already in cluster; ignoring")
		return outcomeIgnore
	case len(alive) == 0:
		return outcomeIgnore
	}

	oldest := nd.oldest(alive)
	switch oldest {
	case "":
		nd.log.Info("no discovered node is running; nothing to join")
		return outcomeIgnore
	case nd.cfg.Name:
		nd.log.Info("this node is the oldest discovered; waiting for the others to join")
		return outcomeIgnore
	}

	return nd.loopJoin(oldest)
}

// loopJoin joins target for the loop and returns the outcome.
func (nd *Node) loopJoin(target string) outcome {
	err := nd.Join(target)
	nd.log.Debug(fmt.Sprintf("join result: %v", joinResult(err)))

	var je *JoinError
	switch {
	case err == nil:
		return outcomeOK
	case errors.As(err, &je) && je.Reason == reasonAlreadyInCluster:
		return outcomeIgnore // 5.x: nothing to do
	case nd.cfg.Profile == EMQX5:
		return outcomeError
	}

	return outcomeIgnore
}

// logDead reports discovered nodes that do not answer, in the profile's
// words, the names as ekka's ~p prints them on one line: ['emqx@10.0.0.3'].
func (nd *Node) logDead(dead []string) {
	names := erlterm.FormatWidth(erlterm.AtomList(dead...), 0, 0)
	switch nd.cfg.Profile {
	case EMQX3:
		nd.log.Error("Bad Nodes found when autocluster: " + names)
	case EMQX4:
		nd.log.Warn("discovered nodes outside cluster: " + names)
	default:
		nd.log.Info("discovered nodes are not responding: " + names)
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
// "" when there is none: the candidates' membership records, fetched by
// RPC (§3 step 5).
func (nd *Node) oldest(names []string) string {
	var best *Node
	for _, name := range names {
		peer := nd.net.nodes[name]
		up := peer != nil && peer.state == stateRunning
		if up && (best == nil || peer.guid.before(best.guid)) {
			best = peer
		}
	}
	if best == nil {
		return ""
	}

	return best.cfg.Name
}

// decide ends the loop by the profile's rule or schedules the next round
// (§3 step 7).
func (nd *Node) decide(l *loop, result outcome, dead []string) {
	if nd.cfg.Profile != EMQX5 {
		nd.decideNow(l, nd.done(result, dead, false))
		return
	}

	// NB: 5.x asks DNS again to learn whether this node is registered.
	names, spent := nd.discover()
	nd.after(spent, func() {
		if nd.loop == l {
			nd.decideNow(l, nd.done(result, dead, slices.Contains(names, nd.cfg.Name)))
		}
	})
}

// done reports whether the loop may stop after a round.
func (nd *Node) done(result outcome, dead []string, registered bool) bool {
	switch nd.cfg.Profile {
	case EMQX3:
		return nd.inCluster()
	case EMQX4:
		return nd.inCluster() && len(dead) == 0
	}

	return registered && (result == outcomeIgnore || result == outcomeOK && nd.inCluster())
}

// decideNow ends the loop or schedules the next round.
func (nd *Node) decideNow(l *loop, done bool) {
	if done {
		nd.log.Info("autocluster finished", "rounds", l.round)
		nd.loop = nil
		return
	}

	nd.log.Warn(fmt.Sprintf("discovery did not succeed; retrying in %d ms",
		retryInterval.Milliseconds()))
	nd.after(retryInterval, func() {
		if nd.loop == l {
			nd.runRound()
		}
	})
}
