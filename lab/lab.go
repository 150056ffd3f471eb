package lab

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"slices"
	"sync"
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
// for the nodes' autocluster loops to finish.
const SettleLimit = time.Minute

// Config describes a lab.
type Config struct {
	// ZoneFile is the master file served; default DefaultZoneFile.
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

	// Seed seeds the nodes' random choices; the same seed gives the same run.
	Seed uint64

	// Logger receives what the server and the nodes do; nil discards it.
	// Node lines carry the lab's virtual time.
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.ZoneFile == "" {
		c.ZoneFile = DefaultZoneFile
	}
	if c.Origin == "" {
		c.Origin = DefaultOrigin
	}
	c.Origin = dns.Fqdn(c.Origin)
	if c.DNSAddr == "" {
		c.DNSAddr = dnsserver.DefaultAddr
	}
	if c.ClusterName == "" {
		c.ClusterName = "cluster." + c.Origin
	}
	if c.App == "" {
		c.App = DefaultApp
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}

	return c
}

// Lab is a DNS server and the simulated EMQX nodes that discover each
// other through it. Its methods are safe for concurrent use; they run one
// at a time.
type Lab struct {
	cfg    Config
	log    *slog.Logger
	server *dnsserver.Server

	mu    sync.Mutex // guards the simulation: clock, network and nodes
	clock *node.VirtualClock
	net   *node.Network
}

// Start starts the lab's DNS server on the zone, boots one node for each A
// record of the cluster name and waits until their autocluster loops are
// done.
func Start(cfg Config) (*Lab, error) {
	cfg = cfg.withDefaults()
	if err := checkLoopback(cfg.DNSAddr); err != nil {
		return nil, err
	}

	clock := node.NewVirtualClock(node.Epoch)
	log := virtualTime(cfg.Logger, clock)
	l := &Lab{cfg: cfg, log: log.With("component", "lab"), clock: clock}

	srv, err := dnsserver.New(dnsserver.Config{
		Addr:   cfg.DNSAddr,
		Zones:  []dnsserver.ZoneConfig{{Origin: cfg.Origin, File: cfg.ZoneFile}},
		Logger: log,
	})
	if err != nil {
		return nil, err
	}
	if err := srv.Start(); err != nil {
		return nil, err
	}
	l.server = srv
	l.net = node.NewNetwork(node.NetworkConfig{Clock: clock, Seed: cfg.Seed, Logger: log})

	if err := l.bootCluster(); err != nil {
		l.Close()
		return nil, err
	}

	return l, nil
}

// bootCluster starts a node for every address the cluster name has.
func (l *Lab) bootCluster() error {
	z := l.server.Zone(l.cfg.Origin)
	l.log.Info("serving zone", "zone", z.Origin(), "serial", z.Serial(), "addr", l.Addr())

	names, err := l.clusterNodes()
	if len(names) == 0 {
		l.log.Warn("the cluster name has no A records: no node booted",
			"name", l.cfg.ClusterName, "err", err)
	}

	l.mu.Lock()
	defer l.mu.Unlock()

	for _, name := range names {
		if err := l.startNode(name); err != nil {
			return err
		}
	}
	l.settle()

	return nil
}

// clusterNodes asks the lab's server for the cluster name, as a node would,
// and returns the node names it lists.
func (l *Lab) clusterNodes() ([]string, error) {
	r := l.resolver()
	rrs, _, err := r.Lookup(l.cfg.ClusterName, dns.TypeA)

	var names []string
	for _, rr := range rrs {
		names = append(names, l.cfg.App+"@"+rr.(*dns.A).A.String())
	}
	slices.Sort(names)

	return slices.Compact(names), err
}

func (l *Lab) resolver() node.Resolver {
	return node.Resolver{Nameservers: []string{l.Addr()}}
}

// Addr returns the address of the lab's DNS server.
func (l *Lab) Addr() string { return l.server.Addr() }

// Close stops the DNS server. It is safe to call more than once.
func (l *Lab) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	return l.server.Shutdown(ctx)
}

// nodeConfig returns the settings of a lab node called name.
func (l *Lab) nodeConfig(name string) node.Config {
	cfg := node.DefaultConfig(node.EMQX3)
	cfg.Name = name
	cfg.Discovery = node.DiscoveryDNS
	cfg.DNSName = l.cfg.ClusterName
	cfg.DNSApp = l.cfg.App
	cfg.Resolver = l.resolver()

	return cfg
}

// startNode boots the node called name, creating it on first use.
func (l *Lab) startNode(name string) error {
	nd := l.net.Node(name)
	if nd == nil {
		var err error
		if nd, err = l.net.NewNode(l.nodeConfig(name)); err != nil {
			return err
		}
	}

	return nd.Start(node.StartOptions{})
}

// settle runs lab time until no node's autocluster loop is running, for
// at most SettleLimit, and reports whether the loops all finished.
func (l *Lab) settle() bool {
	idle := func() bool {
		return !slices.ContainsFunc(l.net.Nodes(), (*node.Node).Looping)
	}

	if l.clock.RunUntil(idle, SettleLimit) {
		return true
	}
	l.log.Info("discovery loops still running; lab time moves on only with commands",
		"waited", SettleLimit)

	return false
}

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
