package node

import (
	"time"
)

// mriaHeartbeat is how often 5.x's mria checks for members to autoclean.
const mriaHeartbeat = 3 * time.Second

// startAutoclean checks for members down longer than cluster.autoclean:
// every quarter of it in 3.x and 4.x, as ekka's node monitor does, and on
// each heartbeat of mria's in 5.x (§4.4).
func (nd *Node) startAutoclean() {
	expiry := nd.cfg.Autoclean
	if expiry <= 0 {
		return
	}

	period := expiry / 4
	if nd.cfg.Profile == EMQX5 {
		period = min(period, mriaHeartbeat)
	}

	var tick func()
	tick = func() {
		nd.autoclean(expiry)
		nd.after(period, tick)
	}
	nd.after(period, tick)
}

// autoclean removes from the cluster the members down for longer than
// expiry.
func (nd *Node) autoclean(expiry time.Duration) {
	now := nd.net.clock.Now()
	for _, m := range nd.Members() {
		if m == nd.cfg.Name || nd.connected(m) {
			continue
		}

		since, ok := nd.downSince(m)
		if ok && now.Sub(since) >= expiry {
			nd.log.Info("autoclean: removing a node down for too long", "target", m,
				"down_for", now.Sub(since))
			nd.forget(m)
		}
	}
}

// downSince returns when member m went down as this node sees it: when it
// stopped, or when a partition cut it off.
func (nd *Node) downSince(m string) (time.Time, bool) {
	peer := nd.net.nodes[m]
	switch {
	case peer == nil:
		return time.Time{}, false
	case peer.state != stateRunning:
		return peer.stoppedAt, !peer.stoppedAt.IsZero()
	}

	// NB: a member its peers can reach again is up, for ekka's node
	// monitor, though a partition has left the databases split.
	if nd.net.reachable(nd.cfg.Name, m) {
		return time.Time{}, false
	}
	at, cut := nd.net.broken[pairOf(nd.cfg.Name, m)]

	return at, cut
}

// forget removes m from the cluster: from this node's member list and
// from those of the members it is connected to.
func (nd *Node) forget(m string) {
	for _, p := range nd.connectedPeers() {
		if peer := nd.net.nodes[p]; p != m {
			peer.removeMember(m)
		}
	}
	nd.removeMember(m)
}
