package node

import (
	"time"
)

// startAutoclean checks every quarter of cluster.autoclean for members
// down longer than it, as ekka's node monitor does (§4.4).
func (nd *Node) startAutoclean() {
	expiry := nd.cfg.Autoclean
	if expiry <= 0 {
		return
	}

	var tick func()
	tick = func() {
		nd.autoclean(expiry)
		nd.after(expiry/4, tick)
	}
	nd.after(expiry/4, tick)
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
