package node_test

import (
	"fmt"
	"net"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/node"
)

// dialLog records every address a resolver's sockets are dialed to.
type dialLog struct {
	mu    sync.Mutex
	addrs []string
}

func (d *dialLog) dialer() *net.Dialer {
	return &net.Dialer{Control: func(network, address string, _ syscall.RawConn) error {
		d.mu.Lock()
		defer d.mu.Unlock()
		d.addrs = append(d.addrs, network+" "+address)
		return nil
	}}
}

func (d *dialLog) list() []string {
	d.mu.Lock()
	defer d.mu.Unlock()

	return append([]string(nil), d.addrs...)
}

// Nodes talk to each other in process: the only sockets a node opens are
// its DNS queries, all to the lab's server, never to an address the zone
// names.
func TestNodesNeverDialZoneAddresses(t *testing.T) {
	addr := startDNS(t, seedZone, "emqx-cluster.org")
	dials := new(dialLog)

	c := newCluster(t, addr, 3)
	for _, name := range []string{node162, node165, node170} {
		cfg := c.config(name)
		cfg.Resolver.Dialer = dials.dialer()
		_, err := c.net.NewNode(cfg)
		require.NoError(t, err)
	}
	c.start(node162, node165, node170)
	require.True(t, c.settle())
	c.stop(node165)
	c.start(node165)
	require.True(t, c.settle())

	got := dials.list()
	require.NotEmpty(t, got)
	for _, d := range got {
		assert.Equal(t, "udp4 "+addr, d)
	}
	assert.Equal(t, 3, strings.Count(c.status(node170), "emqx@"), c.status(node170))
}

// The resolver refuses any nameserver off loopback, in its configuration
// and again when a socket is dialed.
func TestResolverLoopbackOnly(t *testing.T) {
	r := node.Resolver{Nameservers: []string{"192.168.1.162:53"}, Retries: 1}
	rrs, _, err := r.Lookup("cluster.emqx-cluster.org", dns.TypeA)
	require.ErrorIs(t, err, node.ErrNotLoopback)
	assert.Empty(t, rrs)

	c := newCluster(t, "127.0.0.1:1", 1)
	cfg := c.config(node162)
	cfg.Resolver.Nameservers = []string{"192.168.1.162:53"}
	_, err = c.net.NewNode(cfg)
	require.ErrorIs(t, err, node.ErrNotLoopback)
	require.ErrorIs(t, err, node.ErrConfig)
}

// Thirty A records do not fit 512 bytes: the UDP reply is truncated and
// the resolver asks again over TCP, as Erlang's inet_res does.
func TestResolverRetriesTruncatedOverTCP(t *testing.T) {
	var recs strings.Builder
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&recs, "cluster IN A 10.0.0.%d\n", i)
	}
	addr := startDNS(t, writeZone(t, "emqx-cluster.org", recs.String()), "emqx-cluster.org")
	dials := new(dialLog)

	r := node.Resolver{Nameservers: []string{addr}, Dialer: dials.dialer()}
	rrs, spent, err := r.Lookup("cluster.emqx-cluster.org", dns.TypeA)
	require.NoError(t, err)
	assert.Len(t, rrs, 30)
	assert.Zero(t, spent)
	assert.Equal(t, []string{"udp4 " + addr, "tcp4 " + addr}, dials.list())
}

// Every failure is an empty answer; the error says which.
func TestResolverFailuresAreEmpty(t *testing.T) {
	addr := startDNS(t, seedZone, "emqx-cluster.org")
	tests := []struct {
		name  string
		qname string
		qtype uint16
		err   string
	}{
		{name: "nxdomain", qname: "nonexistent.emqx-cluster.org", qtype: dns.TypeA,
			err: "NXDOMAIN"},
		{name: "nodata", qname: "cluster.emqx-cluster.org", qtype: dns.TypeAAAA},
		{name: "refused", qname: "example.com", qtype: dns.TypeA, err: "REFUSED"},
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := node.Resolver{Nameservers: []string{addr}}
			rrs, _, err := r.Lookup(tc.qname, tc.qtype)
			assert.Empty(t, rrs)
			if tc.err == "" {
				assert.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, tc.err)
			}
		})
	}
}

// A nameserver that never answers costs inet_res's whole schedule: three
// tries waiting 666, 1333 and 2666 ms, spent on the caller's clock.
func TestResolverSilentServerCost(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { pc.Close() })

	r := node.Resolver{Nameservers: []string{pc.LocalAddr().String()},
		ReplyWait: 20 * time.Millisecond}
	rrs, spent, err := r.Lookup("cluster.emqx-cluster.org", dns.TypeA)
	assert.Empty(t, rrs)
	assert.Error(t, err)
	assert.Equal(t, time.Duration(666_666_666+1_333_333_333+2_666_666_666), spent)
}
