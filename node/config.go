package node

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// EMQX's defaults for the settings a node has (etc/emqx.conf).
const (
	DefaultName   = "emqx@127.0.0.1"
	DefaultCookie = "emqxsecretcookie"
)

// Discovery strategies (cluster.discovery in 4.x, cluster.discovery_strategy
// in 5.x). dnslab simulates dns; manual runs no loop; singleton (5.8) runs
// none and refuses every join.
const (
	DiscoveryManual    = "manual"
	DiscoveryDNS       = "dns"
	DiscoverySingleton = "singleton"
)

// Record types discovery asks for (cluster.dns.type, cluster.dns.record_type).
const (
	RecordA    = "a"
	RecordAAAA = "aaaa"
	RecordSRV  = "srv"
)

// ErrConfig is wrapped by every configuration error.
var ErrConfig = errors.New("node: bad configuration")

// Config is a node's settings, named after the emqx.conf keys they mirror.
type Config struct {
	// Profile is the EMQX release the node behaves as; default EMQX3.
	Profile Profile

	// Name is node.name, "<name>@<host>"; with DNS A discovery the host is
	// the node's own address as DNS publishes it. Default DefaultName.
	Name string

	// Cookie is node.cookie; nodes with different cookies cannot talk.
	// Default DefaultCookie.
	Cookie string

	// Discovery is cluster.discovery (4.x) or cluster.discovery_strategy
	// (5.x): DiscoveryDNS runs the autocluster loop at boot,
	// DiscoveryManual (the default) does not.
	Discovery string

	// DNSName is cluster.dns.name, the name whose records list the nodes.
	DNSName string

	// DNSApp is cluster.dns.app (3.x, 4.x), the name part given to every
	// address found. 5.x has no such key: it uses the part of Name before
	// the '@', and so does dnslab when DNSApp is empty.
	DNSApp string

	// DNSType is cluster.dns.type (4.x) or cluster.dns.record_type (5.x):
	// RecordA (the default), RecordAAAA (5.x) or RecordSRV (4.x, 5.x).
	DNSType string

	// Autoclean is cluster.autoclean: a member stopped for longer is
	// removed from the cluster. Zero turns it off. DefaultConfig gives the
	// profile's shipped value: 5m in 3.x and 4.x, 24h in 5.x.
	Autoclean time.Duration

	// Autoheal is cluster.autoheal: after a partition the minority side
	// restarts and rejoins. DefaultConfig turns it on, as EMQX ships.
	Autoheal bool

	// Resolver is how the node asks DNS; its nameservers must be loopback.
	Resolver Resolver
}

// DefaultConfig returns EMQX's defaults for profile p: a node named
// DefaultName with manual discovery, the default cookie, A records and the
// shipped autoclean and autoheal.
func DefaultConfig(p Profile) Config {
	return Config{Profile: p, Name: DefaultName, Cookie: DefaultCookie,
		Discovery: DiscoveryManual, DNSType: RecordA,
		Autoclean: p.defaultAutoclean(), Autoheal: true}
}

// withDefaults returns c with empty fields set to their defaults.
func (c Config) withDefaults() Config {
	d := DefaultConfig(c.Profile)
	c.Name = or(c.Name, d.Name)
	c.Cookie = or(c.Cookie, d.Cookie)
	c.Discovery = or(c.Discovery, d.Discovery)
	c.DNSType = or(c.DNSType, d.DNSType)

	return c
}

func or(s, def string) string {
	if s == "" {
		return def
	}

	return s
}

// prefix returns the name part given to the addresses discovery finds:
// cluster.dns.app, or the node's own name part (5.x).
func (c Config) prefix() string {
	if c.DNSApp != "" && c.Profile != EMQX5 {
		return c.DNSApp
	}

	name, _, _ := strings.Cut(c.Name, "@")

	return name
}

// validate reports the first setting that a node cannot run with.
func (c Config) validate() error {
	if err := validName(c.Name); err != nil {
		return err
	}

	switch c.Discovery {
	case DiscoveryManual, DiscoverySingleton:
		return nil
	case DiscoveryDNS:
		return c.validateDNS()
	}

	return fmt.Errorf("%w: cluster discovery %q is not simulated (manual, dns, singleton)",
		ErrConfig, c.Discovery)
}

// maxAtom is the longest atom Erlang accepts, in characters.
const maxAtom = 255

// validName checks a node name as Erlang's distribution would: a name and a
// host, neither empty, joined by one '@', within an atom's length.
func validName(name string) error {
	n, h, ok := strings.Cut(name, "@")
	if !ok || n == "" || h == "" || strings.Contains(h, "@") {
		return fmt.Errorf("%w: node.name %q is not <name>@<host>", ErrConfig, name)
	}
	if utf8.RuneCountInString(name) > maxAtom {
		return fmt.Errorf("%w: node.name is longer than %d characters", ErrConfig, maxAtom)
	}

	return nil
}

func (c Config) validateDNS() error {
	if c.DNSName == "" {
		return fmt.Errorf("%w: cluster.dns.name is required with DNS discovery", ErrConfig)
	}
	if c.DNSApp == "" && c.Profile != EMQX5 {
		return fmt.Errorf("%w: cluster.dns.app is required with DNS discovery", ErrConfig)
	}
	if err := c.validateType(); err != nil {
		return err
	}

	return c.Resolver.validate()
}

// validateType checks the record type against the profile and, in 5.x,
// the node name against the record type, as EMQX 5.6+ does at boot.
func (c Config) validateType() error {
	types := c.Profile.recordTypes()
	if !slices.Contains(types, c.DNSType) {
		return fmt.Errorf("%w: %s: %q is not one of %s", ErrConfig, c.typeKey(), c.DNSType,
			strings.Join(types, ", "))
	}
	if c.Profile != EMQX5 || c.DNSType == RecordSRV {
		return nil
	}

	return checkNameFamily(c.Name, c.DNSType)
}

// typeKey returns the name of the record type key in the profile.
func (c Config) typeKey() string {
	if c.Profile == EMQX5 {
		return "cluster.dns.record_type"
	}

	return "cluster.dns.type"
}

// checkNameFamily is EMQX 5.6+'s boot check: with A or AAAA discovery the
// node's host must be an IP address of that family.
func checkNameFamily(name, recordType string) error {
	addr, err := netip.ParseAddr(host(name))
	if err != nil {
		return fmt.Errorf("%w: Node name must be of name@IP format for DNS cluster discovery "+
			"strategy with '%s' record type.", ErrConfig, recordType)
	}

	family, want := "ipv4", RecordA
	if addr.Is6() {
		family, want = "ipv6", RecordAAAA
	}
	if want != recordType {
		return fmt.Errorf("%w: Node name address %s is incompatible with DNS record type %s",
			ErrConfig, family, recordType)
	}

	return nil
}

// host returns the part of a node name after the '@'.
func host(name string) string {
	_, h, _ := strings.Cut(name, "@")
	return h
}

// isLoopback reports whether hostport names a loopback address.
func isLoopback(hostport string) bool {
	ap, err := netip.ParseAddrPort(hostport)
	return err == nil && ap.Addr().Unmap().IsLoopback()
}
