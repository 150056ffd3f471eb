package node_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"dnslab/dnsserver"
	"dnslab/node"
)

// seedZone is the zone of EMQX's "Auto-cluster by DNS" guide.
const seedZone = "../testdata/db.emqx-cluster.org"

// startDNS serves the zone file on a free loopback port for the test's
// lifetime and returns its address.
func startDNS(tb testing.TB, file, origin string) string {
	tb.Helper()

	srv, err := dnsserver.New(dnsserver.Config{
		Addr:  "127.0.0.1:0",
		Zones: []dnsserver.ZoneConfig{{Origin: origin, File: file}},
	})
	require.NoError(tb, err)
	require.NoError(tb, srv.Start())
	tb.Cleanup(func() { _ = srv.Shutdown(context.Background()) })

	return srv.Addr()
}

// writeZone writes a zone for origin holding text after a standard SOA and
// NS, and returns its path.
func writeZone(tb testing.TB, origin, text string) string {
	tb.Helper()

	head := "$TTL 300\n@ IN SOA ns1 root 1 3600 1800 604800 60\n@ IN NS ns1\nns1 IN A 127.0.0.1\n"
	path := filepath.Join(tb.TempDir(), "db."+origin)
	require.NoError(tb, os.WriteFile(path, []byte(head+text), 0o644))

	return path
}

// cluster is a network of lab nodes that discover each other through one
// DNS server, on a virtual clock.
type cluster struct {
	tb    testing.TB
	clock *node.VirtualClock
	net   *node.Network
	dns   string
	logs  *bytes.Buffer

	profile node.Profile // of the nodes config makes; EMQX3 unless set
}

func newCluster(tb testing.TB, dnsAddr string, seed uint64) *cluster {
	clock := node.NewVirtualClock(node.Epoch)
	logs := new(bytes.Buffer)
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{
		ReplaceAttr: virtualTime(clock),
	}))
	net := node.NewNetwork(node.NetworkConfig{Clock: clock, Seed: seed, Logger: log})

	return &cluster{tb: tb, clock: clock, net: net, dns: dnsAddr, logs: logs}
}

// virtualTime stamps log records with the time elapsed on clock.
func virtualTime(clock *node.VirtualClock) func([]string, slog.Attr) slog.Attr {
	return func(groups []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey && len(groups) == 0 {
			return slog.Duration(slog.TimeKey, clock.Now().Sub(node.Epoch))
		}

		return a
	}
}

// config returns the settings of the seed document's nodes for name.
func (c *cluster) config(name string) node.Config {
	cfg := node.DefaultConfig(c.profile)
	cfg.Name = name
	cfg.Discovery = node.DiscoveryDNS
	cfg.DNSName = "cluster.emqx-cluster.org"
	cfg.DNSApp = "emqx"
	cfg.Resolver = node.Resolver{Nameservers: []string{c.dns}}

	return cfg
}

// start creates (on first use) and boots the nodes.
func (c *cluster) start(names ...string) {
	c.tb.Helper()

	for _, name := range names {
		nd := c.net.Node(name)
		if nd == nil {
			var err error
			nd, err = c.net.NewNode(c.config(name))
			require.NoError(c.tb, err)
		}
		require.NoError(c.tb, nd.Start(node.StartOptions{}))
	}
}

func (c *cluster) stop(name string) {
	c.tb.Helper()
	require.NoError(c.tb, c.node(name).Stop())
}

func (c *cluster) node(name string) *node.Node {
	c.tb.Helper()

	nd := c.net.Node(name)
	require.NotNil(c.tb, nd, name)

	return nd
}

// settle runs the clock until no autocluster loop runs, for at most a
// minute of virtual time, and reports whether the loops all ended.
func (c *cluster) settle() bool {
	idle := func() bool {
		for _, nd := range c.net.Nodes() {
			if nd.Looping() {
				return false
			}
		}
		return true
	}

	return c.clock.RunUntil(idle, time.Minute)
}

// status returns `cluster status` as printed on the node.
func (c *cluster) status(name string) string {
	return c.node(name).CLI("cluster", "status")
}

// countLines returns how many lines of text contain substr.
func countLines(text, substr string) int {
	n := 0
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, substr) {
			n++
		}
	}

	return n
}
