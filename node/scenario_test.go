package node_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/node"
)

// The scenarios of emqx-cluster.md §6: what EMQX did in public reports,
// reproduced for the profiles each names, with the fixed or control case
// where the report has one.

var allProfiles = []node.Profile{node.EMQX3, node.EMQX4, node.EMQX5}

// statusText returns `cluster status` for the lists in profile p's form.
// Status.Text and MapText are checked against erl in status_golden_test.go.
func statusText(p node.Profile, running, stopped []string) string {
	s := node.Status{Running: running, Stopped: stopped}
	if p == node.EMQX3 {
		return s.Text()
	}

	return s.MapText()
}

// R1 (emqx/emqx#1515): cluster.dns.name is a load balancer's name, whose A
// records are the balancer's addresses, and cluster.dns.app differs
// between the nodes. Every name discovered is dead, so nothing is joined
// and each node shows itself alone, retrying every 5 s. Fixed: the name
// lists the nodes and both use one app.
func TestR1LoadBalancerNameAndMismatchedApp(t *testing.T) {
	z := startZone(t, "lab.test", aRecords("mqtt-lb", "10.0.9.1", "10.0.9.2")+
		aRecords("mqtt", "10.0.1.10", "10.0.1.11"))
	const nodeA, nodeB = "emq2@10.0.1.10", "emq2@10.0.1.11"

	tests := []struct {
		name        string
		profile     node.Profile
		dnsName     string
		appB        string
		wantStatus  string
		wantLooping []string
		wantLog     []string // on node B
	}{
		{name: "actual/emqx3", profile: node.EMQX3, dnsName: "mqtt-lb.lab.test", appB: "emq",
			wantStatus:  "Cluster status: [{running_nodes,['emq2@10.0.1.10']}]\n",
			wantLooping: []string{nodeA, nodeB},
			wantLog: []string{`nodes="[emq@10.0.9.1 emq@10.0.9.2]"`,
				"Bad Nodes found when autocluster: ['emq@10.0.9.1','emq@10.0.9.2']"}},
		{name: "actual/emqx4", profile: node.EMQX4, dnsName: "mqtt-lb.lab.test", appB: "emq",
			wantStatus:  "Cluster status: #{running_nodes => ['emq2@10.0.1.10'],stopped_nodes => []}\n",
			wantLooping: []string{nodeA, nodeB},
			wantLog: []string{`nodes="[emq@10.0.9.1 emq@10.0.9.2]"`,
				"discovered nodes outside cluster: ['emq@10.0.9.1','emq@10.0.9.2']"}},
		{name: "fixed/emqx3", profile: node.EMQX3, dnsName: "mqtt.lab.test", appB: "emq2",
			wantStatus: "Cluster status: [{running_nodes,['emq2@10.0.1.10','emq2@10.0.1.11']}]\n",
			wantLog:    []string{`nodes="[emq2@10.0.1.10 emq2@10.0.1.11]"`}},
		{name: "fixed/emqx4", profile: node.EMQX4, dnsName: "mqtt.lab.test", appB: "emq2",
			wantStatus: "Cluster status: #{running_nodes => ['emq2@10.0.1.10','emq2@10.0.1.11'],\n" +
				"                  stopped_nodes => []}\n",
			wantLog: []string{`nodes="[emq2@10.0.1.10 emq2@10.0.1.11]"`}},
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newCluster(t, z.addr(), 1)
			for _, n := range []struct{ name, app string }{{nodeA, "emq2"}, {nodeB, tc.appB}} {
				cfg := c.config(n.name)
				cfg.Profile, cfg.DNSName, cfg.DNSApp = tc.profile, tc.dnsName, n.app
				cfg.Autoclean = 0
				c.add(cfg)
			}
			c.start(nodeA, nodeB)
			c.clock.RunFor(time.Minute)

			assert.Equal(t, tc.wantStatus, c.status(nodeA))
			assert.Equal(t, tc.wantLooping, c.looping())
			for _, want := range tc.wantLog {
				assert.NotEmpty(t, c.logLines("node="+nodeB, want), want)
			}
		})
	}
}

// R2 (emqx/emqx#2942): blue and green groups with different cluster.name
// share one DNS name during a replacement. DNS discovery never looks at
// cluster.name, so the new nodes join the oldest old node: one cluster of
// four. Control: another cookie keeps the groups apart.
func TestR2ClusterNamesDoNotSeparate(t *testing.T) {
	old, fresh := ipNames("10.0.0.1", "10.0.0.2"), ipNames("10.0.0.3", "10.0.0.4")
	all := append(append([]string{}, old...), fresh...)

	tests := []struct {
		name      string
		profile   node.Profile
		newCookie string
		wantOld   []string // running on the old nodes
		wantNew   []string // running on the new nodes
	}{
		{name: "actual/emqx3", profile: node.EMQX3, wantOld: all, wantNew: all},
		{name: "actual/emqx4", profile: node.EMQX4, wantOld: all, wantNew: all},
		{name: "actual/emqx5", profile: node.EMQX5, wantOld: all, wantNew: all},
		{name: "control/emqx4", profile: node.EMQX4, newCookie: "green", wantOld: old,
			wantNew: fresh},
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			z := startZone(t, "emqx-cluster.org", aRecords("cluster", "10.0.0.1", "10.0.0.2"))
			c := newCluster(t, z.addr(), 2)
			c.profile = tc.profile
			addFromConf(t, c, old, "cluster.name = grp001\n")
			conf := "cluster.name = grp002\n"
			if tc.newCookie != "" {
				conf += "node.cookie = " + tc.newCookie + "\n"
			}
			addFromConf(t, c, fresh, conf)

			c.start(old...)
			require.True(t, c.settle())
			z.set(aRecords("cluster", "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"))
			c.start(fresh...)
			c.clock.RunFor(time.Minute)

			assert.Equal(t, statusText(tc.profile, tc.wantOld, nil), c.status(old[0]))
			assert.Equal(t, statusText(tc.profile, tc.wantNew, nil), c.status(fresh[1]))
			if tc.newCookie == "" {
				for _, name := range fresh {
					assert.Len(t, c.logLines("joined the cluster", "node="+name,
						"target=emqx@10.0.0.1"), 1)
				}
			}
		})
	}
}

// addFromConf adds nodes whose settings are the cluster's plus conf, read
// as emqx.conf lines.
func addFromConf(t testing.TB, c *cluster, names []string, conf string) {
	t.Helper()

	for _, name := range names {
		cfg := c.config(name)
		warnings, err := cfg.ParseConf(strings.NewReader(conf), "emqx.conf")
		require.NoError(t, err)
		require.Empty(t, warnings)
		c.add(cfg)
	}
}

// R3 (emqx/emqx#1170): DNS is only asked at boot. In 5.x two singletons
// that stopped looping never merge when both records appear, until one
// restarts and joins the older. A looping 3.x or 4.4 singleton joins the
// other node as soon as DNS publishes it. Control: with both records
// published before node 2 boots, node 2 joins node 1 in every profile.
func TestR3DNSOnlyAskedAtBoot(t *testing.T) {
	one, two := "emqx@10.0.0.1", "emqx@10.0.0.2"
	both := []string{one, two}

	t.Run("actual/emqx5", func(t *testing.T) {
		z := startZone(t, "emqx-cluster.org", aRecords("cluster", "10.0.0.1"))
		c := newCluster(t, z.addr(), 3)
		c.profile = node.EMQX5
		c.start(one)
		c.clock.RunFor(time.Minute)
		require.Empty(t, c.looping(), "a registered 5.x singleton stops")

		z.set(aRecords("cluster", "10.0.0.2"))
		c.start(two)
		c.clock.RunFor(time.Minute)
		require.Empty(t, c.looping())

		z.set(aRecords("cluster", "10.0.0.1", "10.0.0.2"))
		c.clock.RunFor(time.Hour)
		assert.Equal(t, statusText(node.EMQX5, []string{one}, nil), c.status(one))
		assert.Equal(t, statusText(node.EMQX5, []string{two}, nil), c.status(two))

		c.stop(two)
		c.start(two)
		require.True(t, c.settle())
		assert.Equal(t, statusText(node.EMQX5, both, nil), c.status(one))
		assert.Len(t, c.logLines("joined the cluster", "node="+two, "target="+one), 1)
	})

	for _, p := range []node.Profile{node.EMQX3, node.EMQX4} {
		t.Run("actual/"+p.String(), func(t *testing.T) {
			z := startZone(t, "emqx-cluster.org", aRecords("cluster", "10.0.0.1"))
			c := newCluster(t, z.addr(), 3)
			c.profile = p
			c.start(one)
			c.clock.RunFor(time.Minute)
			require.Equal(t, []string{one}, c.looping(), "a singleton keeps looping")

			z.set(aRecords("cluster", "10.0.0.2"))
			c.start(two)
			joined := func() bool { return c.status(one) == statusText(p, both, nil) }
			require.True(t, c.clock.RunUntil(joined, 8*time.Second), c.status(one))
			assert.Len(t, c.logLines("joined the cluster", "node="+one, "target="+two), 1)

			z.set(aRecords("cluster", "10.0.0.1", "10.0.0.2"))
			require.True(t, c.settle())
			assert.Equal(t, statusText(p, both, nil), c.status(two))
		})
	}

	for _, p := range allProfiles {
		t.Run("control/"+p.String(), func(t *testing.T) {
			z := startZone(t, "emqx-cluster.org", aRecords("cluster", "10.0.0.1"))
			c := newCluster(t, z.addr(), 3)
			c.profile = p
			c.start(one)
			c.clock.RunFor(time.Minute)

			z.set(aRecords("cluster", "10.0.0.1", "10.0.0.2"))
			c.start(two)
			require.True(t, c.settle())
			assert.Equal(t, statusText(p, both, nil), c.status(one))
			assert.Len(t, c.logLines("joined the cluster", "node="+two, "target="+one), 1)
			assert.Empty(t, c.logLines("joined the cluster", "node="+one))
		})
	}
}

// R4 (emqx/emqx#12448): the platform publishes only AAAA records and the
// nodes ask for A. The answer is empty, so two singletons retry forever
// (4.x has no boot check). 5.8 refuses an IPv6 node name with record type
// a at boot; with aaaa the nodes cluster.
func TestR4WrongRecordType(t *testing.T) {
	z := startZone(t, "emqx-cluster.org",
		"cluster IN AAAA fd00:a::2\ncluster IN AAAA fd00:b::2\n")
	nodeA, nodeB := "emqx@fd00:a::2", "emqx@fd00:b::2"

	newR4 := func(t *testing.T, p node.Profile, recordType string) *cluster {
		c := newCluster(t, z.addr(), 4)
		c.profile, c.dnsType = p, recordType
		addFromConf(t, c, []string{nodeA, nodeB}, "cluster.proto_dist = inet6_tcp\n")
		c.start(nodeA, nodeB)
		c.clock.RunFor(time.Minute)
		return c
	}

	t.Run("actual/emqx4", func(t *testing.T) {
		c := newR4(t, node.EMQX4, node.RecordA)
		assert.Equal(t, []string{nodeA, nodeB}, c.looping())
		assert.Equal(t, statusText(node.EMQX4, []string{nodeA}, nil), c.status(nodeA))
		assert.Equal(t, statusText(node.EMQX4, []string{nodeB}, nil), c.status(nodeB))
		assert.NotEmpty(t, c.logLines("node="+nodeA, `msg="discovered nodes"`, "nodes=[]"))
		assert.Empty(t, c.logLines("joined the cluster"))
	})

	t.Run("actual/emqx5.5", func(t *testing.T) {
		t.Skip("node: no 5.5 profile; EMQX5 is 5.8, which refuses this node name at boot")
	})

	t.Run("boot-check/emqx5", func(t *testing.T) {
		c := newCluster(t, z.addr(), 4)
		c.profile = node.EMQX5
		_, err := c.net.NewNode(c.config(nodeA))
		require.ErrorIs(t, err, node.ErrConfig)
		assert.ErrorContains(t, err, "Node name address ipv6 is incompatible with DNS record type a")
	})

	t.Run("fixed/emqx5", func(t *testing.T) {
		c := newR4(t, node.EMQX5, node.RecordAAAA)
		assert.Empty(t, c.looping())
		want := "Cluster status: #{running_nodes => ['emqx@fd00:a::2','emqx@fd00:b::2'],\n" +
			"                  stopped_nodes => []}\n"
		assert.Equal(t, want, c.status(nodeA))
		assert.Equal(t, want, c.status(nodeB))
	})
}

// R5 (emqx/emqx#3211): `cluster leave` restarts the emqx application,
// which runs autocluster again, and DNS still lists the node: in 3.x and
// 4.x it is back a few seconds later. 5.6.1+ turns discovery off first, so
// the node stays alone until `cluster discovery enable` or a restart.
func TestR5LeaveUndoneByDiscovery(t *testing.T) {
	names := ipNames("10.0.0.1", "10.0.0.2", "10.0.0.3")
	one, three := names[0], names[2]
	z := startTrioZone(t)

	formed := func(t *testing.T, p node.Profile) *cluster {
		c := newCluster(t, z.addr(), 5)
		c.profile = p
		c.start(names...)
		require.True(t, c.settle())
		require.Equal(t, statusText(p, names, nil), c.status(one))
		return c
	}

	for _, p := range []node.Profile{node.EMQX3, node.EMQX4} {
		t.Run("actual/"+p.String(), func(t *testing.T) {
			c := formed(t, p)
			want := "Leave the cluster successfully.\n" + statusText(p, []string{three}, nil)
			assert.Equal(t, want, c.node(three).CLI("cluster", "leave"))
			assert.Equal(t, statusText(p, names[:2], nil), c.status(one))

			back := func() bool { return c.status(one) == statusText(p, names, nil) }
			assert.True(t, c.clock.RunUntil(back, 8*time.Second), c.status(one))
		})
	}

	notice := "Automatic cluster discovery is disabled on this node: 'emqx@10.0.0.3' to avoid " +
		"re-joining the same cluster again, if the node is not stopped soon. To enable it run: " +
		"'emqx ctl cluster discovery enable' or restart the node.\n"
	tests := []struct {
		name  string
		again func(c *cluster) // what brings the node back
	}{
		{name: "discovery-enable", again: func(c *cluster) {
			assert.Equal(t, "Automatic cluster discovery enabled.\n",
				c.node(three).CLI("cluster", "discovery", "enable"))
		}},
		{name: "restart", again: func(c *cluster) { c.stop(three); c.start(three) }},
	}
	for _, tc := range tests {
		t.Run("actual/emqx5/"+tc.name, func(t *testing.T) {
			c := formed(t, node.EMQX5)
			want := notice + "Leave the cluster successfully.\n" +
				statusText(node.EMQX5, []string{three}, nil)
			assert.Equal(t, want, c.node(three).CLI("cluster", "leave"))

			c.clock.RunFor(time.Hour)
			assert.Empty(t, c.looping())
			assert.Equal(t, statusText(node.EMQX5, []string{three}, nil), c.status(three))
			assert.Equal(t, statusText(node.EMQX5, names[:2], nil), c.status(one))

			tc.again(c)
			require.True(t, c.settle())
			assert.Equal(t, statusText(node.EMQX5, names, nil), c.status(one))
		})
	}
}

// srvZone is a k8s headless service for pods 0–2 in namespace ns: an SRV
// record per pod and the pods' A records, as published for pods not yet
// ready too.
const srvZone = "" +
	"emqx-headless.ns.svc IN SRV 0 33 1883 emqx-0.emqx-headless.ns.svc.cluster.local.\n" +
	"emqx-headless.ns.svc IN SRV 0 33 1883 emqx-1.emqx-headless.ns.svc.cluster.local.\n" +
	"emqx-headless.ns.svc IN SRV 0 33 1883 emqx-2.emqx-headless.ns.svc.cluster.local.\n" +
	"emqx-0.emqx-headless.ns.svc IN A 10.0.0.1\n" +
	"emqx-1.emqx-headless.ns.svc IN A 10.0.0.2\n" +
	"emqx-2.emqx-headless.ns.svc IN A 10.0.0.3\n"

// pods are the node names of srvZone's pods.
var pods = []string{
	"emqx@emqx-0.emqx-headless.ns.svc.cluster.local",
	"emqx@emqx-1.emqx-headless.ns.svc.cluster.local",
	"emqx@emqx-2.emqx-headless.ns.svc.cluster.local",
}

// newSRVCluster returns a cluster whose nodes discover srvZone's pods.
func newSRVCluster(t testing.TB, addr string, p node.Profile) *cluster {
	c := newCluster(t, addr, 6)
	c.profile, c.dnsName, c.dnsType = p, "emqx-headless.ns.svc.cluster.local", node.RecordSRV
	return c
}

// R6 (emqx/emqx#8418, #9662, emqx-operator#327): a name in the discovery
// answer never answers ping. Pods 0 and 1 cluster but keep looping every
// 5 s, 4.4 warning "discovered nodes outside cluster", 5.x logging "not
// responding" at info; starting pod 2 ends every loop. Variants: pod 2's
// port is blocked; pod 2 joined and was killed, so it is listed stopped.
func TestR6OneListedNodeDown(t *testing.T) {
	addr := startZone(t, "cluster.local", srvZone).addr()
	pod2 := "['emqx@emqx-2.emqx-headless.ns.svc.cluster.local']"
	running := "Cluster status: #{running_nodes =>\n" +
		"                      ['emqx@emqx-0.emqx-headless.ns.svc.cluster.local',\n" +
		"                       'emqx@emqx-1.emqx-headless.ns.svc.cluster.local'],\n"
	tests := []struct {
		profile node.Profile
		deadLog string
	}{
		{profile: node.EMQX4, deadLog: "level=WARN msg=\"discovered nodes outside cluster: " + pod2},
		{profile: node.EMQX5, deadLog: "level=INFO msg=\"discovered nodes are not responding: " + pod2},
	}

	for _, tc := range tests {
		t.Run("actual/"+tc.profile.String(), func(t *testing.T) {
			c := newSRVCluster(t, addr, tc.profile)
			c.add(c.config(pods[2]))
			c.start(pods[0], pods[1])
			c.clock.RunFor(time.Minute)

			assert.Equal(t, pods[:2], c.looping())
			assert.Equal(t, running+"                  stopped_nodes => []}\n", c.status(pods[0]))
			for _, pod := range pods[:2] {
				assert.GreaterOrEqual(t, len(c.logLines("node="+pod, tc.deadLog)), 7)
				assert.GreaterOrEqual(t, len(c.logLines("node="+pod,
					`msg="discovery did not succeed; retrying in 5000 ms"`)), 7)
			}

			c.start(pods[2])
			require.True(t, c.settle())
			assert.Equal(t, statusText(tc.profile, pods, nil), c.status(pods[0]))
		})

		t.Run("port-blocked/"+tc.profile.String(), func(t *testing.T) {
			c := newSRVCluster(t, addr, tc.profile)
			c.add(c.config(pods[2]))
			require.NoError(t, c.net.Block(pods[2]))
			c.start(pods...)
			c.clock.RunFor(time.Minute)

			assert.Equal(t, pods, c.looping())
			assert.Equal(t, running+"                  stopped_nodes => []}\n", c.status(pods[0]))
			assert.NotEmpty(t, c.logLines("node="+pods[0], tc.deadLog))

			require.NoError(t, c.net.Unblock(pods[2]))
			require.True(t, c.settle())
			assert.Equal(t, statusText(tc.profile, pods, nil), c.status(pods[2]))
		})

		t.Run("killed/"+tc.profile.String(), func(t *testing.T) {
			c := newSRVCluster(t, addr, tc.profile)
			c.start(pods...)
			require.True(t, c.settle())
			c.stop(pods[2])

			want := running + "                  stopped_nodes =>\n" +
				"                      ['emqx@emqx-2.emqx-headless.ns.svc.cluster.local']}\n"
			assert.Equal(t, want, c.status(pods[0]))
			assert.Equal(t, want, c.status(pods[1]))

			c.stop(pods[0])
			c.start(pods[0])
			c.clock.RunFor(time.Minute)
			assert.Equal(t, pods[:1], c.looping(), "a restarted pod loops while pod 2 is down")
			assert.Equal(t, want, c.status(pods[0]))
		})
	}
}

// R7 (emqx/emqx#10638): node 3 is recreated with a new address and wiped
// data, and DNS follows. It is a new node name: the old one stays in
// stopped_nodes until autoclean (5m, 5.x 24h), and while DNS still lists
// it the new node's loop retries forever.
func TestR7StaleAddressNamedMembers(t *testing.T) {
	names := ipNames("10.0.0.1", "10.0.0.2", "10.0.0.3")
	one, old, fresh := names[0], names[2], "emqx@10.0.0.13"
	after := ipNames("10.0.0.1", "10.0.0.13", "10.0.0.2")

	tests := []struct {
		profile node.Profile
		expiry  time.Duration
		deadLog string
	}{
		{profile: node.EMQX3, expiry: 5 * time.Minute},
		{profile: node.EMQX4, expiry: 5 * time.Minute,
			deadLog: "discovered nodes outside cluster: ['emqx@10.0.0.3']"},
		{profile: node.EMQX5, expiry: 24 * time.Hour,
			deadLog: "discovered nodes are not responding: ['emqx@10.0.0.3']"},
	}

	for _, tc := range tests {
		recreate := func(t *testing.T, keepOld bool) *cluster {
			z := startTrioZone(t)
			c := newCluster(t, z.addr(), 7)
			c.profile = tc.profile
			c.start(names...)
			require.True(t, c.settle())

			c.stop(old)
			if keepOld {
				z.set(aRecords("cluster", "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.13"))
			} else {
				z.set(aRecords("cluster", "10.0.0.1", "10.0.0.2", "10.0.0.13"))
			}
			c.start(fresh)
			c.clock.RunFor(time.Minute)
			return c
		}

		t.Run("actual/"+tc.profile.String(), func(t *testing.T) {
			c := recreate(t, false)
			stoppedAt := c.clock.Now().Add(-time.Minute)
			want := statusText(tc.profile, after, []string{old})
			assert.Equal(t, want, c.status(one))
			assert.Equal(t, want, c.status(fresh))
			assert.Empty(t, c.looping())

			c.clock.RunFor(stoppedAt.Add(tc.expiry - time.Second).Sub(c.clock.Now()))
			assert.Equal(t, want, c.status(one), "removed before autoclean's expiry")

			c.clock.RunFor(tc.expiry/4 + time.Second)
			want = statusText(tc.profile, after, nil)
			for _, name := range after {
				assert.Equal(t, want, c.status(name), name)
			}
		})

		if tc.deadLog == "" {
			continue // 3.x stops once in a cluster, dead or not
		}
		t.Run("still-in-dns/"+tc.profile.String(), func(t *testing.T) {
			c := recreate(t, true)
			assert.Equal(t, statusText(tc.profile, after, []string{old}), c.status(one))
			assert.Equal(t, []string{fresh}, c.looping())

			c.clock.RunFor(10 * time.Minute)
			assert.Equal(t, []string{fresh}, c.looping())
			assert.GreaterOrEqual(t, len(c.logLines("node="+fresh, tc.deadLog)), 70)
		})
	}
}
