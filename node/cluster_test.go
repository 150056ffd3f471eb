package node_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	node162 = "emqx@192.168.1.162"
	node165 = "emqx@192.168.1.165"
	node170 = "emqx@192.168.1.170"
)

// The seed document's walk-through: both nodes of the zone boot, find each
// other through DNS and cluster; one stops and the other lists it stopped.
func TestSeedWalkThrough(t *testing.T) {
	c := newCluster(t, startDNS(t, seedZone, "emqx-cluster.org"), 1)
	c.start(node162, node165)
	require.True(t, c.settle(), "autocluster loops still running")

	healthy := "Cluster status: [{running_nodes,['emqx@192.168.1.162','emqx@192.168.1.165']}]\n"
	assert.Equal(t, healthy, c.status(node162))
	assert.Equal(t, healthy, c.status(node165))

	c.stop(node162)
	want := "Cluster status: [{running_nodes,['emqx@192.168.1.165']},\n" +
		"                 {stopped_nodes,['emqx@192.168.1.162']}]\n"
	assert.Equal(t, want, c.status(node165))
	assert.Equal(t, "Node 'emqx@192.168.1.162' not responding to pings.\n", c.status(node162))
}

// Whatever the seed, every node joins the oldest: the one booted first.
func TestJoinsOldestNode(t *testing.T) {
	addr := startDNS(t, seedZone, "emqx-cluster.org")
	for seed := range uint64(20) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			c := newCluster(t, addr, seed)
			c.start(node165, node162)
			require.True(t, c.settle())

			assert.Contains(t, c.logs.String(),
				"msg=\"joined the cluster\" component=node node=emqx@192.168.1.162 "+
					"target=emqx@192.168.1.165")
			assert.NotContains(t, c.logs.String(), "node=emqx@192.168.1.165 target=")
		})
	}
}

// A node whose address is not in DNS still finds the cluster through the
// name and joins it; a restarted member comes back without a join.
func TestStartAndRestart(t *testing.T) {
	c := newCluster(t, startDNS(t, seedZone, "emqx-cluster.org"), 7)
	c.start(node162, node165)
	require.True(t, c.settle())

	c.stop(node162)
	c.start(node170)
	require.True(t, c.settle())
	want := "Cluster status: [{running_nodes,['emqx@192.168.1.165','emqx@192.168.1.170']},\n" +
		"                 {stopped_nodes,['emqx@192.168.1.162']}]\n"
	assert.Equal(t, want, c.status(node170))

	joins := strings.Count(c.logs.String(), "joined the cluster")
	c.start(node162)
	require.True(t, c.settle())
	want = "Cluster status: [{running_nodes,['emqx@192.168.1.162','emqx@192.168.1.165',\n" +
		"                                 'emqx@192.168.1.170']}]\n"
	assert.Equal(t, want, c.status(node162))
	assert.Equal(t, want, c.status(node170))
	assert.Equal(t, joins, strings.Count(c.logs.String(), "joined the cluster"),
		"a restarted member must not join again")
}

// The same seed gives the same run, log line for log line.
func TestDeterministic(t *testing.T) {
	addr := startDNS(t, seedZone, "emqx-cluster.org")
	run := func(seed uint64) string {
		c := newCluster(t, addr, seed)
		c.start(node162, node165)
		c.settle()
		c.stop(node162)
		c.start(node170, node162)
		c.settle()

		return c.logs.String()
	}

	first := run(42)
	assert.Equal(t, first, run(42))
	assert.NotEqual(t, first, run(43), "the seed must change the delays")
}

// Thirty nodes in one A RRset (a reply over 512 bytes, found through the
// TCP retry) form one cluster; with five stopped, the status wraps as
// Erlang's ~p lays it out (testdata/status-30-nodes.txt was printed by erl).
func TestThirtyNodes(t *testing.T) {
	var recs strings.Builder
	var names []string
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&recs, "cluster IN A 10.0.0.%d\n", i)
		names = append(names, fmt.Sprintf("emqx@10.0.0.%d", i))
	}
	addr := startDNS(t, writeZone(t, "emqx-cluster.org", recs.String()), "emqx-cluster.org")

	c := newCluster(t, addr, 11)
	c.start(names...)
	require.True(t, c.settle())
	for _, name := range names {
		require.Equal(t, c.status(names[0]), c.status(name), name)
	}
	require.Equal(t, 30, strings.Count(c.status(names[0]), "emqx@"))

	for _, i := range []int{3, 7, 11, 19, 25} {
		c.stop(fmt.Sprintf("emqx@10.0.0.%d", i))
	}

	want, err := os.ReadFile("testdata/status-30-nodes.txt")
	require.NoError(t, err)
	assert.Equal(t, string(want), c.status("emqx@10.0.0.1"))
	assert.Equal(t, string(want), c.status("emqx@10.0.0.30"))
}
