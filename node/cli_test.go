package node_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cluster join prints EMQX's own texts for each outcome.
func TestClusterJoinTexts(t *testing.T) {
	addr := startDNS(t, writeZone(t, "emqx-cluster.org", ""), "emqx-cluster.org")
	c := newCluster(t, addr, 1)
	c.start(node162, node165, node170)
	c.stop(node170)

	tests := []struct {
		name   string
		target string
		want   string
	}{
		{name: "self", target: node162, want: "Ignore.\n"},
		{name: "stopped", target: node170,
			want: "Failed to join the cluster: {node_down,'emqx@192.168.1.170'}\n"},
		{name: "unknown", target: "emqx@10.9.9.9",
			want: "Failed to join the cluster: {node_down,'emqx@10.9.9.9'}\n"},
		{name: "success", target: node165,
			want: "Join the cluster successfully.\n" +
				"Cluster status: [{running_nodes,['emqx@192.168.1.162','emqx@192.168.1.165']}]\n"},
		{name: "again", target: node165,
			want: "Failed to join the cluster: {already_in_cluster,'emqx@192.168.1.165'}\n"},
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, c.node(node162).CLI("cluster", "join", tc.target))
		})
	}
}

// Anything else prints emqx_ctl's usage of the cluster command.
func TestClusterUsage(t *testing.T) {
	c := newCluster(t, "127.0.0.1:1", 1)
	c.start(node162)

	want := "cluster join <Node>                             # Join the cluster\n" +
		"cluster leave                                   # Leave the cluster\n" +
		"cluster force-leave <Node>                      # Force the node leave from cluster\n" +
		"cluster status                                  # Cluster status\n"
	assert.Equal(t, want, c.node(node162).CLI("cluster"))
	assert.Equal(t, want, c.node(node162).CLI("cluster", "bogus"))
}

// EMQX 3.x retries every 5 s until the node is in a cluster: a node alone
// in DNS keeps asking, and joins as soon as a peer appears.
func TestLoneNodeKeepsLooping(t *testing.T) {
	addr := startDNS(t, writeZone(t, "emqx-cluster.org", "cluster IN A 10.0.0.1\n"),
		"emqx-cluster.org")
	c := newCluster(t, addr, 5)
	c.start("emqx@10.0.0.1")

	require.False(t, c.settle(), "a lone 3.x node must keep looping")
	assert.True(t, c.node("emqx@10.0.0.1").Looping())
	assert.GreaterOrEqual(t, countLines(c.logs.String(), "discovered nodes"), 10)

	c.start("emqx@10.0.0.2")
	c.clock.RunFor(10 * time.Second)
	assert.False(t, c.node("emqx@10.0.0.1").Looping())
	assert.Equal(t,
		"Cluster status: [{running_nodes,['emqx@10.0.0.1','emqx@10.0.0.2']}]\n",
		c.status("emqx@10.0.0.1"))
}
