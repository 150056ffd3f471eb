package lab

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/miekg/dns"

	"dnslab/dnsserver"
	"dnslab/node"
)

// Defaults of a lab: the zone of EMQX's "Auto-cluster by DNS" guide.
const (
	DefaultZoneFile = "testdata/db.emqx-cluster.org"
	DefaultOrigin   = "emqx-cluster.org."
	DefaultApp      = "emqx"
)

// SettleLimit is how much lab time a command may let pass while it waits
// for new nodes to join or their autocluster loops to finish.
const SettleLimit = time.Minute

// settleRound is the longest round of an autocluster loop: the retry
// interval and the largest random delay.
const settleRound = 8 * time.Second

// replyWait is how long, in real time, a node's resolver waits for the
// lab's server before counting a try as timed out on the lab's clock.
const replyWait = 250 * time.Millisecond

// Config describes a lab.
type Config struct {
	// ZoneFile is the master file served; default DefaultZoneFile. Zone
	// edits made in the lab change this file.
	ZoneFile string

	// Origin is the zone's name; default DefaultOrigin.
	Origin string

	// DNSAddr is where the lab's DNS server listens, on loopback; default
	// dnsserver.DefaultAddr. Port 0 picks a free port.
	DNSAddr string

	// ClusterName is cluster.dns.name of every node; default "cluster."
	// followed by Origin.
	ClusterName string

	// App is cluster.dns.app of every node; default DefaultApp.
	App string

	// Profile is the EMQX release new nodes behave as; default EMQX3.
	Profile node.Profile

	// Seed seeds the nodes' random choices; the same seed gives the same run.
	Seed uint64

	// Logger receives what the server and the nodes do; nil discards it.
	// Records carry the lab's virtual time.
	Logger *slog.Logger

	// Output receives announcements that no command asked for, such as a
	// zone file edited by hand being reloaded; nil discards them.
	Output io.Writer

	// NoBoot starts no node: nodes are started by hand, for zones whose
	// cluster name does not list the nodes' own addresses.
	NoBoot bool

	// NoWatch leaves the zone file unwatched: it is read again only after
	// the lab's own edits and `zone reload`. Scenarios run so, to be
	// replayed exactly.
	NoWatch bool
}

func (c Config) withDefaults() Config {
	c.ZoneFile = or(c.ZoneFile, DefaultZoneFile)
	c.Origin = dns.Fqdn(or(c.Origin, DefaultOrigin))
	c.DNSAddr = or(c.DNSAddr, dnsserver.DefaultAddr)
	c.ClusterName = or(c.ClusterName, "cluster."+c.Origin)
	c.App = or(c.App, DefaultApp)
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.Output == nil {
		c.Output = io.Discard
	}

	return c
}

func or(s, def string) string {
	if s == "" {
		return def
	}

	return s
}

// Lab is a DNS server and the simulated EMQX nodes that discover each
// other through it. Its methods are safe for concurrent use; they run one
// at a time.
type Lab struct {
	cfg    Config
	log    *slog.Logger
	server *dnsserver.Server
	faults *dnsserver.Faults
	cache  *cache
	dir    string // resolv.conf files of the nodes
	out    *syncWriter
	logOn  atomic.Bool // log on|off

	mu       sync.Mutex // guards the simulation and the fields below
	clock    *node.VirtualClock
	net      *node.Network
	profile  node.Profile
	cacheOn  bool
	faultEnd node.Timer // ends a fault set "for" a while

	annMu    sync.Mutex // guards reloaded and served; not mu, which a zone edit holds
	reloaded announced  // the lab's last own zone edit
	served   uint32     // the serial last served, for the warning about edits

	cleanup []func() // run by Close
}

// Start starts the lab's DNS server on the zone, boots one node for each A
// record of the cluster name and waits until they have clustered.
func Start(cfg Config) (*Lab, error) {
	cfg = cfg.withDefaults()
	if err := checkLoopback(cfg.DNSAddr); err != nil {
		return nil, err
	}

	l, err := newLab(cfg)
	if err != nil {
		return nil, err
	}
	if err := l.bootCluster(); err != nil {
		l.Close()
		return nil, err
	}

	return l, nil
}

// newLab starts the server, the cache and the network of a lab.
func newLab(cfg Config) (*Lab, error) {
	clock := node.NewVirtualClock(node.Epoch)
	l := &Lab{cfg: cfg, clock: clock, faults: new(dnsserver.Faults),
		out: &syncWriter{w: cfg.Output}, profile: cfg.Profile}
	l.logOn.Store(true)
	log := virtualTime(cfg.Logger, clock, &l.logOn)
	l.log = log.With("component", "lab")

	dir, err := os.MkdirTemp("", "dnslab-resolv-")
	if err != nil {
		return nil, err
	}
	l.dir = dir

	if err := l.startServer(log); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	l.net = node.NewNetwork(node.NetworkConfig{Clock: clock, Seed: cfg.Seed, Logger: log})

	return l, nil
}

// startServer starts the lab's DNS server and the cache in front of it.
func (l *Lab) startServer(log *slog.Logger) error {
	cfg := dnsserver.Config{
		Addr:     l.cfg.DNSAddr,
		Zones:    []dnsserver.ZoneConfig{{Origin: l.cfg.Origin, File: l.cfg.ZoneFile}},
		Logger:   log,
		Faults:   l.faults,
		OnReload: l.announceReload,
	}
	if l.cfg.NoWatch {
		cfg.ReloadInterval = -1
	}

	srv, err := dnsserver.New(cfg)
	if err != nil {
		return err
	}
	if err := srv.Start(); err != nil {
		return err
	}
	l.server = srv

	l.cache, err = startCache(srv.Addr(), l.clock)
	if err != nil {
		_ = srv.Shutdown(context.Background())
	}

	return err
}

// bootCluster starts a node for every address the cluster name has.
func (l *Lab) bootCluster() error {
	z := l.server.Zone(l.cfg.Origin)
	l.log.Info("serving zone", "zone", z.Origin(), "serial", z.Serial(), "addr", l.Addr())
	l.serialRaised(z.Serial())

	if l.cfg.NoBoot {
		return nil
	}

	names, err := l.clusterNodes()
	if len(names) == 0 {
		l.log.Warn("the cluster name has no A records: no node booted",
			"name", l.cfg.ClusterName, "err", err)
	}

	l.mu.Lock()
	defer l.mu.Unlock()

	for _, name := range names {
		if err := l.startNode(name, nil, node.StartOptions{}); err != nil {
			return err
		}
	}
	l.settle(SettleLimit)

	return nil
}

// clusterNodes asks the lab's server for the cluster name, as a node would,
// and returns the node names it lists.
func (l *Lab) clusterNodes() ([]string, error) {
	r := node.Resolver{Nameservers: []string{l.Addr()}}
	rrs, _, err := r.Lookup(l.cfg.ClusterName, dns.TypeA)

	var names []string
	for _, rr := range rrs {
		names = append(names, l.cfg.App+"@"+rr.(*dns.A).A.String())
	}
	slices.Sort(names)

	return slices.Compact(names), err
}

// Addr returns the address of the lab's DNS server.
func (l *Lab) Addr() string { return l.server.Addr() }

// Close stops the DNS server and the cache. It is safe to call more than
// once.
func (l *Lab) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	err := errors.Join(l.server.Shutdown(ctx), l.cache.stop(ctx))
	os.RemoveAll(l.dir)
	for _, f := range l.cleanup {
		f()
	}
	l.cleanup = nil

	return err
}

// nodeConfig returns the settings of a lab node called name: the lab's
// profile and DNS settings, then the emqx.conf settings given.
func (l *Lab) nodeConfig(name string, settings []string) (node.Config, error) {
	cfg := node.DefaultConfig(l.profile)
	cfg.Name = name
	cfg.Discovery = node.DiscoveryDNS
	cfg.DNSName = l.cfg.ClusterName
	cfg.DNSApp = l.cfg.App
	cfg.Resolver = node.Resolver{ConfFile: l.resolvConf(name), ReplyWait: replyWait}

	for _, kv := range settings {
		key, value, ok := strings.Cut(kv, "=")
		switch {
		case !ok:
			return cfg, fmt.Errorf("%q is not KEY=VALUE", kv)
		case key == "node.name":
			return cfg, fmt.Errorf("node.name is the NODE given to start")
		}
		known, err := cfg.Set(key, value)
		if err != nil {
			return cfg, err
		}
		if !known {
			return cfg, fmt.Errorf("unknown key %s for %s", key, l.profile)
		}
	}

	return cfg, l.writeResolvConf(name)
}

// startNode boots the node called name, creating it on first use with the
// given emqx.conf settings.
func (l *Lab) startNode(name string, settings []string, opt node.StartOptions) error {
	nd := l.net.Node(name)
	if nd == nil {
		cfg, err := l.nodeConfig(name, settings)
		if err != nil {
			return err
		}
		if nd, err = l.net.NewNode(cfg); err != nil {
			return err
		}
	} else if len(settings) > 0 {
		return fmt.Errorf("%s exists: its settings cannot change", name)
	}

	return nd.Start(opt)
}

// settle runs lab time until no autocluster loop runs, or the nodes have
// agreed on their cluster for a whole round of the loop (some loops never
// end: a 4.x node whose DNS lists a dead node), for at most limit, and
// reports whether they did.
func (l *Lab) settle(limit time.Duration) bool {
	var since time.Time
	done := func() bool {
		switch {
		case l.idle():
			return true
		case !l.converged():
			since = time.Time{}
		case since.IsZero():
			since = l.clock.Now()
		}
		return !since.IsZero() && l.clock.Now().Sub(since) >= settleRound
	}
	if l.clock.RunUntil(done, limit) {
		return true
	}
	l.log.Info("nodes still discovering; lab time moves on only with commands",
		"waited", limit)

	return false
}

// idle reports whether no autocluster loop runs.
func (l *Lab) idle() bool { return !l.net.Looping() }

// converged reports whether every running node sees the same cluster and
// no node waits to boot.
func (l *Lab) converged() bool { return l.net.Converged() }

// checkLoopback reports an error unless addr is an IP address on loopback:
// the lab never serves beyond this machine.
func checkLoopback(addr string) error {
	ap, err := netip.ParseAddrPort(addr)
	if err != nil || !ap.Addr().Unmap().IsLoopback() {
		return fmt.Errorf("lab: DNS address %q is not a loopback IP address and port "+
			"(e.g. 127.0.0.1:1053)", addr)
	}

	return nil
}

// ErrNoNode is returned for a node name the lab does not know.
var ErrNoNode = errors.New("lab: no such node")

// lookupNode returns the node called name.
func (l *Lab) lookupNode(name string) (*node.Node, error) {
	nd := l.net.Node(name)
	if nd == nil {
		return nil, fmt.Errorf("%w: %s", ErrNoNode, name)
	}

	return nd, nil
}

// syncWriter serializes writes from commands and from announcements.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

// swap makes s write to w from now on.
func (s *syncWriter) swap(w io.Writer) {
	s.mu.Lock()
	defer s.mu.Unlock()

	s.w = w
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	return s.w.Write(p)
}
