package node_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/node"
)

// Membership after the join (emqx-cluster.md §4, §5): autoclean, partitions
// and autoheal, restarts with data, wiped and waiting for a later peer. A
// restart with a new address is R7 (scenario_test.go).

var trio = ipNames("10.0.0.1", "10.0.0.2", "10.0.0.3")

// formTrio returns a cluster of trio in profile p, formed through DNS.
func formTrio(t testing.TB, p node.Profile, configure func(*node.Config)) *cluster {
	t.Helper()

	z := startTrioZone(t)
	c := newCluster(t, z.addr(), 21)
	c.profile = p
	for _, name := range trio {
		cfg := c.config(name)
		if configure != nil {
			configure(&cfg)
		}
		c.add(cfg)
	}
	c.start(trio...)
	require.True(t, c.settle())
	require.Equal(t, statusText(p, trio, nil), c.status(trio[0]))

	return c
}

// A stopped member is removed from every view once it has been down for
// the profile's cluster.autoclean (5m, 5.x 24h), not before (§4.4).
func TestAutoclean(t *testing.T) {
	tests := []struct {
		profile node.Profile
		expiry  time.Duration
	}{
		{profile: node.EMQX3, expiry: 5 * time.Minute},
		{profile: node.EMQX4, expiry: 5 * time.Minute},
		{profile: node.EMQX5, expiry: 24 * time.Hour},
	}

	for _, tc := range tests {
		t.Run(tc.profile.String(), func(t *testing.T) {
			c := formTrio(t, tc.profile, nil)
			require.Equal(t, tc.expiry, c.node(trio[0]).Config().Autoclean)
			c.stop(trio[2])

			c.clock.RunFor(tc.expiry - time.Second)
			want := statusText(tc.profile, trio[:2], trio[2:])
			assert.Equal(t, want, c.status(trio[0]))
			assert.Equal(t, want, c.status(trio[1]))

			// the check runs every expiry/4
			c.clock.RunFor(tc.expiry/4 + time.Second)
			want = statusText(tc.profile, trio[:2], nil)
			assert.Equal(t, want, c.status(trio[0]))
			assert.Equal(t, want, c.status(trio[1]))
			assert.Equal(t, trio[:2], c.node(trio[1]).Members())
			assert.NotEmpty(t, c.logLines("autoclean: removing a node down for too long",
				"target="+trio[2]))
		})
	}
}

// A partition gives each side its own view; once it heals, autoheal
// restarts the minority and every view agrees again. With autoheal off
// the views stay split (§4.5).
func TestPartitionAndAutoheal(t *testing.T) {
	tests := []struct {
		name     string
		profile  node.Profile
		autoheal bool
	}{
		{name: "emqx3", profile: node.EMQX3, autoheal: true},
		{name: "emqx4", profile: node.EMQX4, autoheal: true},
		{name: "emqx5", profile: node.EMQX5, autoheal: true},
		{name: "emqx4/autoheal-off", profile: node.EMQX4},
		{name: "emqx5/autoheal-off", profile: node.EMQX5},
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := formTrio(t, tc.profile, func(cfg *node.Config) { cfg.Autoheal = tc.autoheal })
			majority := statusText(tc.profile, trio[:2], trio[2:])
			minority := statusText(tc.profile, trio[2:], trio[:2])

			require.NoError(t, c.net.Partition(trio[:2], trio[2:]))
			c.clock.RunFor(time.Minute)
			assert.Equal(t, majority, c.status(trio[0]))
			assert.Equal(t, majority, c.status(trio[1]))
			assert.Equal(t, minority, c.status(trio[2]))

			c.net.Heal()
			c.clock.RunFor(time.Minute)
			if !tc.autoheal {
				assert.Equal(t, majority, c.status(trio[0]))
				assert.Equal(t, minority, c.status(trio[2]))
				assert.Empty(t, c.logLines("autoheal: restarting"))
				return
			}

			for _, name := range trio {
				assert.Equal(t, statusText(tc.profile, trio, nil), c.status(name), name)
			}
			assert.Len(t, c.logLines("autoheal: restarting a node of the minority"), 1)
			assert.Len(t, c.logLines("target="+trio[2], "autoheal: restarting"), 1)
		})
	}
}

// A node partitioned for longer than autoclean is removed by the majority
// and removes the others itself; autoheal does not bring it back (§4.5).
func TestPartitionLongerThanAutoclean(t *testing.T) {
	c := formTrio(t, node.EMQX4, nil)
	require.NoError(t, c.net.Partition(trio[:2], trio[2:]))
	c.clock.RunFor(7 * time.Minute)
	c.net.Heal()
	c.clock.RunFor(time.Minute)

	assert.Equal(t, statusText(node.EMQX4, trio[:2], nil), c.status(trio[0]))
	assert.Equal(t, statusText(node.EMQX4, trio[2:], nil), c.status(trio[2]))
	assert.Empty(t, c.logLines("autoheal: restarting"))
}

// Restarts (§5): with its data a member comes back without a join; wiped,
// its peers list it stopped until its loop joins again through DNS.
func TestRestart(t *testing.T) {
	for _, p := range allProfiles {
		t.Run("with-data/"+p.String(), func(t *testing.T) {
			c := formTrio(t, p, nil)
			joins := len(c.logLines("joined the cluster"))
			c.stop(trio[1])
			c.start(trio[1])

			for _, name := range trio {
				assert.Equal(t, statusText(p, trio, nil), c.status(name), name)
			}
			require.True(t, c.settle())
			assert.Len(t, c.logLines("joined the cluster"), joins, "a restart is no join")
		})

		t.Run("wiped/"+p.String(), func(t *testing.T) {
			c := formTrio(t, p, nil)
			c.stop(trio[2])
			require.NoError(t, c.node(trio[2]).Start(node.StartOptions{Wipe: true}))

			assert.Equal(t, statusText(p, trio[:2], trio[2:]), c.status(trio[0]))
			assert.Equal(t, statusText(p, trio[2:], nil), c.status(trio[2]))
			assert.Equal(t, trio[2:], c.node(trio[2]).Members())

			require.True(t, c.settle())
			for _, name := range trio {
				assert.Equal(t, statusText(p, trio, nil), c.status(name), name)
				assert.Equal(t, trio, c.node(name).Members(), name)
			}
			assert.Len(t, c.logLines("joined the cluster", "node="+trio[2]), 2)
		})
	}
}

// A node that was not the last of its cluster to stop waits at boot until
// a member that stopped after it is up, as mnesia waits for its tables.
func TestBootWaitsForLaterPeer(t *testing.T) {
	for _, p := range allProfiles {
		t.Run(p.String(), func(t *testing.T) {
			c := formTrio(t, p, nil)
			for _, name := range trio {
				c.stop(name)
			}

			c.start(trio[0])
			c.clock.RunFor(time.Minute)
			assert.Equal(t, "waiting", c.node(trio[0]).State())
			assert.Equal(t, "Node 'emqx@10.0.0.1' not responding to pings.\n", c.status(trio[0]))
			assert.NotEmpty(t, c.logLines("node="+trio[0], "still waiting for table(s)"))

			c.start(trio[1])
			assert.Equal(t, "waiting", c.node(trio[1]).State(), "node 3 stopped after it too")

			c.start(trio[2])
			for _, name := range trio {
				assert.Equal(t, "running", c.node(name).State(), name)
			}
			require.True(t, c.settle())
			assert.Equal(t, statusText(p, trio, nil), c.status(trio[0]))
		})
	}
}
