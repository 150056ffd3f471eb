package node_test

import (
	"cmp"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/node"
)

// Each profile's rule for ending the autocluster loop (emqx-cluster.md §3,
// step 7): 3.x once in a cluster; 4.4 once in a cluster with no dead
// discovered node; 5.x once its own name is in DNS and the round had
// nothing left to do.
func TestLoopStopRules(t *testing.T) {
	one, two, three := "emqx@10.0.0.1", "emqx@10.0.0.2", "emqx@10.0.0.3"
	tests := []struct {
		name        string
		profile     node.Profile
		zone        string   // records of cluster.emqx-cluster.org
		start       []string // nodes booted, in order
		wantLooping []string // after ten minutes
		wantLog     []string // substrings of one line logged by logOn
		logOn       string   // the first node booted unless set
	}{
		{name: "emqx3/lone-node-loops-forever", profile: node.EMQX3,
			zone: aRecords("cluster", "10.0.0.1"), start: []string{one},
			wantLooping: []string{one}},
		{name: "emqx3/empty-answer-loops-forever", profile: node.EMQX3,
			start: []string{one}, wantLooping: []string{one}},
		{name: "emqx3/clustered-stops", profile: node.EMQX3,
			zone: aRecords("cluster", "10.0.0.1", "10.0.0.2"), start: []string{one, two}},
		{name: "emqx3/dead-node-ignored-once-clustered", profile: node.EMQX3,
			zone:  aRecords("cluster", "10.0.0.1", "10.0.0.2", "10.0.0.3"),
			start: []string{one, two},
			wantLog: []string{"level=ERROR",
				"Bad Nodes found when autocluster: ['emqx@10.0.0.3']"}},
		{name: "emqx4/singleton-loops-forever", profile: node.EMQX4,
			zone: aRecords("cluster", "10.0.0.1"), start: []string{one},
			wantLooping: []string{one},
			wantLog: []string{"level=WARN",
				`msg="discovery did not succeed; retrying in 5000 ms"`}},
		{name: "emqx4/dead-listed-node-loops-forever", profile: node.EMQX4,
			zone:  aRecords("cluster", "10.0.0.1", "10.0.0.2", "10.0.0.3"),
			start: []string{one, two}, wantLooping: []string{one, two},
			wantLog: []string{"level=WARN",
				"discovered nodes outside cluster: ['emqx@10.0.0.3']"}},
		{name: "emqx4/nxdomain-loops-forever", profile: node.EMQX4,
			start: []string{one}, wantLooping: []string{one},
			wantLog: []string{"level=DEBUG", "discovery found nothing", "NXDOMAIN"}},
		{name: "emqx4/clustered-stops", profile: node.EMQX4,
			zone: aRecords("cluster", "10.0.0.1", "10.0.0.2"), start: []string{one, two}},
		{name: "emqx5/registered-singleton-stops", profile: node.EMQX5,
			zone: aRecords("cluster", "10.0.0.1"), start: []string{one},
			wantLog: []string{`msg="autocluster finished"`, "rounds=1"}},
		{name: "emqx5/registered-pair-stops", profile: node.EMQX5,
			zone: aRecords("cluster", "10.0.0.1", "10.0.0.2"), start: []string{one, two}},
		{name: "emqx5/empty-answer-retries", profile: node.EMQX5,
			zone: "cluster IN AAAA fd00::1\n", start: []string{one}, wantLooping: []string{one},
			wantLog: []string{`msg="discovered nodes"`, "nodes=[]"}},
		{name: "emqx5/nxdomain-retries", profile: node.EMQX5,
			start: []string{one}, wantLooping: []string{one}},
		{name: "emqx5/unregistered-joins-then-loops-forever", profile: node.EMQX5,
			zone:  aRecords("cluster", "10.0.0.2", "10.0.0.3"),
			start: []string{two, three, one}, wantLooping: []string{one}, logOn: one,
			wantLog: []string{"level=DEBUG",
				`msg="join result: {error,{already_in_cluster,'emqx@10.0.0.2'}}"`}},
		{name: "emqx5/dead-listed-node-retries", profile: node.EMQX5,
			zone:  aRecords("cluster", "10.0.0.1", "10.0.0.2", "10.0.0.3"),
			start: []string{one, two}, wantLooping: []string{one, two},
			wantLog: []string{"level=INFO",
				"discovered nodes are not responding: ['emqx@10.0.0.3']"}},
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			z := startZone(t, "emqx-cluster.org", tc.zone)
			c := newCluster(t, z.addr(), 8)
			c.profile = tc.profile
			c.add(c.config(three))
			c.start(tc.start...)
			c.clock.RunFor(10 * time.Minute)

			assert.Equal(t, tc.wantLooping, c.looping())
			if len(tc.wantLog) > 0 {
				on := cmp.Or(tc.logOn, tc.start[0])
				assert.NotEmpty(t, c.logLines(append(tc.wantLog, "node="+on)...))
			}
			if len(tc.wantLooping) > 0 {
				// a round takes 5 s plus a delay of up to 3 s: at least 75 in ten
				// minutes, asked with some slack
				rounds := c.logLines(`msg="discovery did not succeed`, "node="+tc.wantLooping[0])
				assert.GreaterOrEqual(t, len(rounds), 60)
			}
		})
	}
}

// A listed node that disappears from DNS ends a 5.x loop that waited for
// it; one that comes up ends a 4.4 loop.
func TestLoopEndsWhenDeadNodeGoes(t *testing.T) {
	names := ipNames("10.0.0.1", "10.0.0.2", "10.0.0.3")
	tests := []struct {
		name    string
		profile node.Profile
		end     func(c *cluster, z *zoneServer)
	}{
		{name: "emqx5/removed-from-dns", profile: node.EMQX5, end: func(_ *cluster, z *zoneServer) {
			z.set(aRecords("cluster", "10.0.0.1", "10.0.0.2"))
		}},
		{name: "emqx4/started", profile: node.EMQX4, end: func(c *cluster, _ *zoneServer) {
			c.start(names[2])
		}},
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			z := startTrioZone(t)
			c := newCluster(t, z.addr(), 9)
			c.profile = tc.profile
			c.add(c.config(names[2]))
			c.start(names[:2]...)
			c.clock.RunFor(time.Minute)
			require.Equal(t, names[:2], c.looping())

			tc.end(c, z)
			assert.True(t, c.settle())
		})
	}
}

// 5.x asks DNS twice a round, the second time to learn whether the node is
// registered; 3.x and 4.x once.
func TestQueriesPerRound(t *testing.T) {
	z := startZone(t, "emqx-cluster.org", aRecords("cluster", "10.0.0.1"))
	tests := []struct {
		profile node.Profile
		want    int // UDP queries in the first round
	}{
		{profile: node.EMQX3, want: 1},
		{profile: node.EMQX4, want: 1},
		{profile: node.EMQX5, want: 2},
	}

	for _, tc := range tests {
		t.Run(tc.profile.String(), func(t *testing.T) {
			dials := new(dialLog)
			c := newCluster(t, z.addr(), 10)
			c.profile = tc.profile
			cfg := c.config("emqx@10.0.0.1")
			cfg.Resolver.Dialer = dials.dialer()
			c.add(cfg)
			c.start(cfg.Name)

			firstRound := func() bool {
				return len(c.logLines("autocluster finished")) > 0 ||
					len(c.logLines("discovery did not succeed")) > 0
			}
			require.True(t, c.clock.RunUntil(firstRound, 10*time.Second))
			assert.Len(t, dials.list(), tc.want)
		})
	}
}

// The CLI texts of emqx-cluster.md §4.3 for each profile: join, leave and
// force-leave with every outcome, each success followed by the status.
// Nodes 1–3 are listed in DNS and clustered; node 4 is not listed and
// has manual discovery; node 5 is stopped.
func TestClusterCommandTexts(t *testing.T) {
	z := startTrioZone(t)
	n := ipNames("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5")

	for _, p := range allProfiles {
		t.Run(p.String(), func(t *testing.T) {
			c := newCluster(t, z.addr(), 11)
			c.profile = p
			c.start(n[:3]...)
			require.True(t, c.settle())
			for _, name := range n[3:] {
				cfg := c.config(name)
				cfg.Discovery = node.DiscoveryManual
				c.add(cfg)
			}
			c.start(n[3])

			status := func(running ...string) string { return statusText(p, running, nil) }
			steps := []struct {
				name  string
				on    string
				setup func()
				cmd   []string
				want  string
			}{
				{name: "join/self", on: n[3], cmd: []string{"join", n[3]}, want: "Ignore.\n"},
				{name: "join/stopped", on: n[3], cmd: []string{"join", n[4]},
					want: "Failed to join the cluster: {node_down,'emqx@10.0.0.5'}\n"},
				{name: "join/success", on: n[3], cmd: []string{"join", n[0]},
					want: "Join the cluster successfully.\n" + status(n[:4]...)},
				{name: "join/already", on: n[3], cmd: []string{"join", n[1]},
					want: "Failed to join the cluster: {already_in_cluster,'emqx@10.0.0.2'}\n"},
				{name: "leave/success", on: n[3], cmd: []string{"leave"},
					want: "Leave the cluster successfully.\n" + status(n[3])},
				{name: "leave/alone", on: n[3], cmd: []string{"leave"},
					want: "Failed to leave the cluster: node_not_in_cluster\n"},
				{name: "force-leave/self", on: n[0], cmd: []string{"force-leave", n[0]},
					want: "Ignore.\n"},
				{name: "force-leave/not-member", on: n[0], cmd: []string{"force-leave", n[3]},
					want: "Failed to remove the node from cluster: node_not_in_cluster\n"},
				{name: "force-leave/stopped", on: n[0], setup: func() { c.stop(n[2]) },
					cmd:  []string{"force-leave", n[2]},
					want: "Remove the node from cluster successfully.\n" + status(n[:2]...)},
				{name: "force-leave/running", on: n[0], cmd: []string{"force-leave", n[1]},
					want: "Remove the node from cluster successfully.\n" + status(n[0])},
			}
			for _, st := range steps {
				t.Run(st.name, func(t *testing.T) {
					if st.setup != nil {
						st.setup()
					}
					args := append([]string{"cluster"}, st.cmd...)
					assert.Equal(t, st.want, c.node(st.on).CLI(args...))
				})
			}

			assert.Equal(t, status(n[1]), c.status(n[1]), "the target leaves alone")
			assert.Equal(t, n[:3], c.node(n[2]).Members(), "a stopped target keeps its list")
		})
	}
}

// A running target of force-leave is made to leave: 3.x and 4.x reboot it,
// which runs its loop again, so DNS brings it back; 5.x has it leave by
// RPC and it stays out.
func TestForceLeaveRunningTarget(t *testing.T) {
	z := startZone(t, "emqx-cluster.org", aRecords("cluster", "10.0.0.1", "10.0.0.2"))
	names := ipNames("10.0.0.1", "10.0.0.2")
	tests := []struct {
		profile  node.Profile
		wantBack bool
	}{
		{profile: node.EMQX3, wantBack: true},
		{profile: node.EMQX4, wantBack: true},
		{profile: node.EMQX5},
	}

	for _, tc := range tests {
		t.Run(tc.profile.String(), func(t *testing.T) {
			c := newCluster(t, z.addr(), 12)
			c.profile = tc.profile
			c.start(names...)
			require.True(t, c.settle())

			c.node(names[0]).CLI("cluster", "force-leave", names[1])
			c.clock.RunFor(time.Minute)

			want := statusText(tc.profile, names[:1], nil)
			if tc.wantBack {
				want = statusText(tc.profile, names, nil)
			}
			assert.Equal(t, want, c.status(names[0]))
		})
	}
}

// 5.x: `cluster leave` turns discovery off before it tries to leave, so a
// node alone prints the notice and then the failure; a second leave finds
// discovery already off.
func TestLeaveAloneDisablesDiscovery(t *testing.T) {
	z := startZone(t, "emqx-cluster.org", aRecords("cluster", "10.0.0.1"))
	c := newCluster(t, z.addr(), 13)
	c.profile = node.EMQX5
	c.start("emqx@10.0.0.1")
	require.True(t, c.settle())

	nd := c.node("emqx@10.0.0.1")
	want := "Automatic cluster discovery is disabled on this node: 'emqx@10.0.0.1' to avoid " +
		"re-joining the same cluster again, if the node is not stopped soon. To enable it run: " +
		"'emqx ctl cluster discovery enable' or restart the node.\n" +
		"Failed to leave the cluster: node_not_in_cluster\n"
	assert.Equal(t, want, nd.CLI("cluster", "leave"))
	assert.Equal(t, "Failed to leave the cluster: node_not_in_cluster\n",
		nd.CLI("cluster", "leave"))
	assert.Equal(t, "Automatic cluster discovery enabled.\n",
		nd.CLI("cluster", "discovery", "enable"))
	assert.True(t, nd.Looping())
}

// Node names from A, AAAA and SRV answers (§2.3): addresses in Erlang's
// canonical text, SRV targets as received without the final dot, port,
// priority and weight ignored, duplicates dropped.
func TestDiscoveredNames(t *testing.T) {
	// 5 ports of 3 pods, priorities and weights all different
	var srv15 string
	for _, pod := range []string{"emqx-0", "emqx-1", "emqx-2"} {
		for _, rdata := range []string{"0 33 1883", "10 50 8883", "0 100 8083", "5 0 8084",
			"1 1 18083"} {
			srv15 += "emqx-headless.ns.svc IN SRV " + rdata + " " + pod +
				".emqx-headless.ns.svc.cluster.local.\n"
		}
	}

	tests := []struct {
		name    string
		profile node.Profile
		origin  string
		zone    string
		qname   string
		qtype   string
		self    string
		want    string // the nodes= attribute of "discovered nodes"
	}{
		{name: "a", profile: node.EMQX3, origin: "emqx-cluster.org",
			zone: aRecords("cluster", "10.0.0.5", "10.0.0.1", "10.0.0.5"), qtype: node.RecordA,
			self: "emqx@10.0.0.1", want: `"[emqx@10.0.0.1 emqx@10.0.0.5]"`},
		{name: "aaaa-canonical", profile: node.EMQX5, origin: "emqx-cluster.org",
			zone: "cluster IN AAAA 2001:0db8:0000:0000:0001:0000:0000:0001\n" +
				"cluster IN AAAA FD00:0001:0000:0001:0000:0001:0000:0001\n" +
				"cluster IN AAAA ::ffff:10.0.0.1\n" +
				"cluster IN AAAA 2001:db8:0:0:0:0:2:1\n",
			qtype: node.RecordAAAA, self: "emqx@2001:db8::1:0:0:1",
			want: `"[emqx@2001:db8::1:0:0:1 emqx@2001:db8::2:1 emqx@::ffff:10.0.0.1 ` +
				`emqx@fd00:1:0:1:0:1:0:1]"`},
		{name: "srv-15-records-3-names/emqx4", profile: node.EMQX4, origin: "cluster.local",
			zone: srv15, qname: "emqx-headless.ns.svc.cluster.local", qtype: node.RecordSRV,
			self: pods[0], want: `"[` + pods[0] + " " + pods[1] + " " + pods[2] + `]"`},
		{name: "srv-15-records-3-names/emqx5", profile: node.EMQX5, origin: "cluster.local",
			zone: srv15, qname: "emqx-headless.ns.svc.cluster.local", qtype: node.RecordSRV,
			self: pods[0], want: `"[` + pods[0] + " " + pods[1] + " " + pods[2] + `]"`},
		{name: "srv-target-case-kept", profile: node.EMQX4, origin: "cluster.local",
			zone: "emqx-headless.ns.svc IN SRV 0 0 1883 EMQX-0.Emqx-Headless.ns.svc.cluster.local.\n" +
				"emqx-headless.ns.svc IN SRV 0 0 1883 emqx-0.emqx-headless.ns.svc.cluster.local.\n",
			qname: "emqx-headless.ns.svc.cluster.local", qtype: node.RecordSRV, self: pods[0],
			want: `"[emqx@EMQX-0.Emqx-Headless.ns.svc.cluster.local ` + pods[0] + `]"`},
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			z := startZone(t, tc.origin, tc.zone)
			c := newCluster(t, z.addr(), 14)
			c.profile, c.dnsName, c.dnsType = tc.profile, tc.qname, tc.qtype
			c.start(tc.self)
			c.clock.RunFor(4 * time.Second)

			got := c.logLines(`msg="discovered nodes"`)
			require.NotEmpty(t, got)
			assert.Equal(t, tc.want, nodesAttr(got[0]))
		})
	}
}

// Nodes named by their canonical IPv6 text cluster through AAAA records
// written in any form.
func TestAAAACluster(t *testing.T) {
	z := startZone(t, "emqx-cluster.org", "cluster IN AAAA 2001:0db8:0:0:1:0:0:1\n"+
		"cluster IN AAAA fd00:0001:0:1:0:1:0:1\n")
	c := newCluster(t, z.addr(), 15)
	c.profile, c.dnsType = node.EMQX5, node.RecordAAAA
	names := []string{"emqx@2001:db8::1:0:0:1", "emqx@fd00:1:0:1:0:1:0:1"}
	c.start(names...)
	require.True(t, c.settle())

	want := "Cluster status: #{running_nodes =>\n" +
		"                      ['emqx@2001:db8::1:0:0:1','emqx@fd00:1:0:1:0:1:0:1'],\n" +
		"                  stopped_nodes => []}\n"
	assert.Equal(t, want, c.status(names[1]))
}

// Thirty A records do not fit a 512-byte UDP reply: the node asks again
// over TCP and finds them all.
func TestThirtyRecordsOverTCP(t *testing.T) {
	var addrs []string
	for i := 1; i <= 30; i++ {
		addrs = append(addrs, "10.0.0."+strconv.Itoa(i))
	}
	z := startZone(t, "emqx-cluster.org", aRecords("cluster", addrs...))
	dials := new(dialLog)

	c := newCluster(t, z.addr(), 16)
	c.profile = node.EMQX4
	cfg := c.config("emqx@10.0.0.1")
	cfg.Resolver.Dialer = dials.dialer()
	c.add(cfg)
	c.start(cfg.Name)
	discovered := func() bool { return len(c.logLines(`msg="discovered nodes"`)) > 0 }
	require.True(t, c.clock.RunUntil(discovered, 4*time.Second))

	assert.Equal(t, []string{"udp4 " + z.addr(), "tcp4 " + z.addr()}, dials.list())
	found := strings.Fields(strings.Trim(nodesAttr(c.logLines(`msg="discovered nodes"`)[0]), `"[]`))
	assert.Len(t, found, 30)
	assert.Subset(t, found, ipNames(addrs...))
}

// nodesAttr returns the value of the nodes attribute that ends a
// "discovered nodes" log line.
func nodesAttr(line string) string {
	_, v, _ := strings.Cut(line, " nodes=")
	return v
}

// A nameserver that reads queries and never answers costs each lookup
// inet_res's whole schedule, 666 + 1333 + 2666 ms, on the virtual clock:
// once a round in 4.x, twice in 5.x. Each try asks every nameserver in
// turn, so a live second one answers after the first try's 666 ms.
func TestSilentNameserver(t *testing.T) {
	silent, silent2 := silentServer(t), silentServer(t)
	live := startZone(t, "emqx-cluster.org", aRecords("cluster", "10.0.0.1")).addr()
	const lookup = (666_666_666 + 1_333_333_333 + 2_666_666_666) * time.Nanosecond

	tests := []struct {
		name        string
		profile     node.Profile
		nameservers []string
		want        time.Duration // from "discovered nodes" to the round's decision
		wantNodes   string
	}{
		{name: "emqx4", profile: node.EMQX4, nameservers: []string{silent}, want: lookup,
			wantNodes: "nodes=[]"},
		{name: "emqx5", profile: node.EMQX5, nameservers: []string{silent}, want: 2 * lookup,
			wantNodes: "nodes=[]"},
		{name: "emqx4/two-silent", profile: node.EMQX4, nameservers: []string{silent, silent2},
			want: 2 * lookup, wantNodes: "nodes=[]"},
		{name: "emqx4/silent-then-live", profile: node.EMQX4,
			nameservers: []string{silent, live}, want: 666_666_666 * time.Nanosecond,
			wantNodes: "nodes=[emqx@10.0.0.1]"},
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newCluster(t, live, 17)
			c.profile = tc.profile
			cfg := c.config("emqx@10.0.0.2")
			cfg.Resolver = node.Resolver{Nameservers: tc.nameservers,
				ReplyWait: 5 * time.Millisecond}
			c.add(cfg)
			c.start(cfg.Name)
			c.clock.RunFor(20 * time.Second)

			found := c.logTimes(`msg="discovered nodes"`)
			decided := c.logTimes(`msg="discovery did not succeed`)
			require.NotEmpty(t, decided)
			assert.Equal(t, tc.want, decided[0]-found[0])
			assert.NotEmpty(t, c.logLines(`msg="discovered nodes"`, tc.wantNodes))
		})
	}
}

// silentServer returns the address of a UDP socket on loopback that reads
// every query and answers none.
func silentServer(t testing.TB) string {
	t.Helper()

	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 512)
		for {
			if _, _, err := pc.ReadFrom(buf); err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() { pc.Close(); <-done })

	return pc.LocalAddr().String()
}
