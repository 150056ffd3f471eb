package node

import (
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"

	"github.com/miekg/dns"
)

// ReadResolvConf returns the nameservers of a resolv.conf-format file, as
// Erlang's resolver reads them for EMQX: only the nameserver lines count
// (no search list, no options). A nameserver may carry a port, as
// "127.0.0.1:1053" or "[::1]:1053", like the port of an inetrc's
// {nameserver, IP, Port}; without one it is 53. Each must be a loopback
// address: simulated nodes ask only the lab's server.
func ReadResolvConf(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()

	return parseResolvConf(f, path)
}

func parseResolvConf(r io.Reader, path string) ([]string, error) {
	cc, err := dns.ClientConfigFromReader(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}

	var servers []string
	for _, s := range cc.Servers {
		addr, err := nameserver(s)
		if err != nil {
			return nil, fmt.Errorf("%s: nameserver %s: %w", path, s, err)
		}
		servers = append(servers, addr)
	}

	return servers, nil
}

// nameserver returns a nameserver as host:port, 53 by default.
func nameserver(s string) (string, error) {
	if a, err := netip.ParseAddr(s); err == nil {
		s = net.JoinHostPort(a.String(), "53")
	}
	if !isLoopback(s) {
		return "", ErrNotLoopback
	}

	return s, nil
}
