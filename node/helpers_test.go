package node_test

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
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
	dnsName string       // cluster.dns.name of those nodes; the seed document's unless set
	dnsType string       // their record type; A unless set
}

func newCluster(tb testing.TB, dnsAddr string, seed uint64) *cluster {
	clock := node.NewVirtualClock(node.Epoch)
	logs := new(bytes.Buffer)
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{
		Level:       slog.LevelDebug, // ekka's "join result" is a debug line
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
	cfg.DNSName = cmp.Or(c.dnsName, "cluster.emqx-cluster.org")
	cfg.DNSType = cmp.Or(c.dnsType, node.RecordA)
	cfg.DNSApp = "emqx"
	cfg.Resolver = node.Resolver{Nameservers: []string{c.dns}}

	return cfg
}

// add creates a stopped node with the settings cfg.
func (c *cluster) add(cfg node.Config) *node.Node {
	c.tb.Helper()

	nd, err := c.net.NewNode(cfg)
	require.NoError(c.tb, err)

	return nd
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

// looping returns the names of the nodes whose autocluster loop runs.
func (c *cluster) looping() []string {
	var names []string
	for _, nd := range c.net.Nodes() {
		if nd.Looping() {
			names = append(names, nd.Name())
		}
	}

	return names
}

// logLines returns the log lines that contain every one of substrs.
func (c *cluster) logLines(substrs ...string) []string {
	var lines []string
	for _, line := range strings.Split(c.logs.String(), "\n") {
		if containsAll(line, substrs) {
			lines = append(lines, line)
		}
	}

	return lines
}

func containsAll(s string, substrs []string) bool {
	for _, sub := range substrs {
		if !strings.Contains(s, sub) {
			return false
		}
	}

	return true
}

// logTimes returns the virtual times stamped on the log lines that contain
// every one of substrs.
func (c *cluster) logTimes(substrs ...string) []time.Duration {
	c.tb.Helper()

	var times []time.Duration
	for _, line := range c.logLines(substrs...) {
		stamp, _, _ := strings.Cut(strings.TrimPrefix(line, "time="), " ")
		d, err := time.ParseDuration(stamp)
		require.NoError(c.tb, err, line)
		times = append(times, d)
	}

	return times
}

// zoneServer is a DNS server whose one zone a test rewrites as it goes.
type zoneServer struct {
	tb     testing.TB
	srv    *dnsserver.Server
	origin string
	path   string
}

// startZone serves a zone for origin holding text (see writeZone) on a
// free loopback port, without a file watcher: set changes it at once.
func startZone(tb testing.TB, origin, text string) *zoneServer {
	tb.Helper()

	path := writeZone(tb, origin, text)
	srv, err := dnsserver.New(dnsserver.Config{
		Addr:           "127.0.0.1:0",
		Zones:          []dnsserver.ZoneConfig{{Origin: origin, File: path}},
		ReloadInterval: -1,
	})
	require.NoError(tb, err)
	require.NoError(tb, srv.Start())
	tb.Cleanup(func() { _ = srv.Shutdown(context.Background()) })

	return &zoneServer{tb: tb, srv: srv, origin: origin, path: path}
}

// startTrioZone serves cluster.emqx-cluster.org listing 10.0.0.1–3.
func startTrioZone(tb testing.TB) *zoneServer {
	tb.Helper()
	trio := aRecords("cluster", "10.0.0.1", "10.0.0.2", "10.0.0.3")
	return startZone(tb, "emqx-cluster.org", trio)
}

// addr returns the server's address.
func (z *zoneServer) addr() string { return z.srv.Addr() }

// set replaces the zone's records with text and reloads it.
func (z *zoneServer) set(text string) {
	z.tb.Helper()

	fresh := writeZone(z.tb, z.origin, text)
	data, err := os.ReadFile(fresh)
	require.NoError(z.tb, err)
	require.NoError(z.tb, os.WriteFile(z.path, data, 0o644))
	require.NoError(z.tb, z.srv.ReloadZone(z.origin))
}

// aRecords returns A records of owner for the addresses.
func aRecords(owner string, addrs ...string) string {
	var b strings.Builder
	for _, a := range addrs {
		fmt.Fprintf(&b, "%s IN A %s\n", owner, a)
	}

	return b.String()
}

// ipNames returns "emqx@<addr>" for each address.
func ipNames(addrs ...string) []string {
	names := make([]string, len(addrs))
	for i, a := range addrs {
		names[i] = "emqx@" + a
	}

	return names
}
