package node

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"unicode/utf8"
)

// EMQX's defaults for the settings a node has (etc/emqx.conf).
const (
	DefaultName   = "emqx@127.0.0.1"
	DefaultCookie = "emqxsecretcookie"
)

// Discovery strategies (cluster.discovery).
const (
	DiscoveryManual = "manual"
	DiscoveryDNS    = "dns"
)

// ErrConfig is wrapped by every configuration error.
var ErrConfig = errors.New("node: bad configuration")

// Config is a node's settings, named after the emqx.conf keys they mirror.
type Config struct {
	// Name is node.name, "<name>@<host>"; with DNS A discovery the host is
	// the node's own address as DNS publishes it. Default DefaultName.
	Name string

	// Cookie is node.cookie; nodes with different cookies cannot talk.
	// Default DefaultCookie.
	Cookie string

	// Discovery is cluster.discovery: DiscoveryDNS runs the autocluster
	// loop at boot, DiscoveryManual (the default) does not.
	Discovery string

	// DNSName is cluster.dns.name, the name whose A records list the nodes.
	DNSName string

	// DNSApp is cluster.dns.app, the name part given to every address found.
	DNSApp string

	// Resolver is how the node asks DNS; its nameservers must be loopback.
	Resolver Resolver
}

// DefaultConfig returns EMQX's defaults: a node named DefaultName with
// manual discovery and the default cookie.
func DefaultConfig() Config {
	return Config{Name: DefaultName, Cookie: DefaultCookie, Discovery: DiscoveryManual}
}

// withDefaults returns c with empty fields set to their defaults.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.Name == "" {
		c.Name = d.Name
	}
	if c.Cookie == "" {
		c.Cookie = d.Cookie
	}
	if c.Discovery == "" {
		c.Discovery = d.Discovery
	}

	return c
}

// validate reports the first setting that a node cannot run with.
func (c Config) validate() error {
	if err := validName(c.Name); err != nil {
		return err
	}

	switch c.Discovery {
	case DiscoveryManual:
		return nil
	case DiscoveryDNS:
		return c.validateDNS()
	}

	return fmt.Errorf("%w: cluster.discovery %q is not one of manual, dns", ErrConfig, c.Discovery)
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
		return fmt.Errorf("%w: cluster.dns.name is required with cluster.discovery = dns",
			ErrConfig)
	}
	if c.DNSApp == "" {
		return fmt.Errorf("%w: cluster.dns.app is required with cluster.discovery = dns",
			ErrConfig)
	}

	return c.Resolver.validate()
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
