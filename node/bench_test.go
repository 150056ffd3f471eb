package node_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/node"
)

// BenchmarkAutoclean24h runs a 5.x scenario across a day of virtual time
// (autoclean24h); one op is the whole scenario.
func BenchmarkAutoclean24h(b *testing.B) {
	addr := startTrioZone(b).addr()
	for b.Loop() {
		autoclean24h(b, addr)
	}
}

// The day-long 5.x scenario of BenchmarkAutoclean24h, as a test: the
// stopped node is autocleaned a day later and not before. Its wall time is
// the benchmark's to report.
func TestAutoclean24h(t *testing.T) {
	autoclean24h(t, startTrioZone(t).addr())
}

// autoclean24h has three 5.x nodes cluster through the DNS server at addr;
// one stops, and autoclean removes it everywhere a day later, not before.
func autoclean24h(tb testing.TB, addr string) {
	names := ipNames("10.0.0.1", "10.0.0.2", "10.0.0.3")
	c := newCluster(tb, addr, 1)
	c.profile = node.EMQX5
	c.start(names...)
	require.True(tb, c.settle())
	c.stop(names[2])

	c.clock.RunFor(24*time.Hour - time.Second)
	require.Equal(tb, statusText(node.EMQX5, names[:2], names[2:]), c.status(names[0]))
	c.clock.RunFor(6*time.Hour + 2*time.Second)
	require.Equal(tb, statusText(node.EMQX5, names[:2], nil), c.status(names[0]))
}

// The same seed gives byte-identical logs, stamped with virtual time, for
// a run through discovery, a partition and autoheal, a leave, a wiped
// restart and autoclean; another seed gives other delays.
func TestSameSeedSameLogs(t *testing.T) {
	z := startTrioZone(t)
	names := ipNames("10.0.0.1", "10.0.0.2", "10.0.0.3")

	run := func(p node.Profile, seed uint64) string {
		c := newCluster(t, z.addr(), seed)
		c.profile = p
		c.start(names...)
		c.settle()
		require.NoError(t, c.net.Partition(names[:2], names[2:]))
		c.clock.RunFor(time.Minute)
		c.net.Heal()
		c.clock.RunFor(time.Minute)
		c.node(names[1]).CLI("cluster", "leave")
		c.clock.RunFor(time.Minute)
		c.stop(names[2])
		require.NoError(t, c.node(names[2]).Start(node.StartOptions{Wipe: true}))
		c.settle()
		c.stop(names[2])
		c.clock.RunFor(31 * time.Hour) // 5.x: 24h, checked every 6h

		return c.logs.String()
	}

	for _, p := range allProfiles {
		t.Run(p.String(), func(t *testing.T) {
			first := run(p, 42)
			require.Contains(t, first, "autoheal: restarting a node of the minority")
			require.Contains(t, first, "autoclean: removing a node down for too long")
			assert.Equal(t, first, run(p, 42))
			assert.NotEqual(t, first, run(p, 43), "the seed must change the delays")
		})
	}
}
