package dnsserver_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/dnsserver"
	"dnslab/internal/dnstest"
)

// ioTimeout bounds each exchange so that a server that never answers fails
// the test instead of hanging it; no test depends on its length.
const ioTimeout = 5 * time.Second

// seedZone serves the seed zone.
func seedZone() dnsserver.ZoneConfig {
	return dnsserver.ZoneConfig{Origin: "emqx-cluster.org", File: dnstest.SeedFile()}
}

// newServer builds a server for zones on 127.0.0.1:0 without starting it.
func newServer(tb testing.TB, zones ...dnsserver.ZoneConfig) *dnsserver.Server {
	tb.Helper()

	srv, err := dnsserver.New(dnsserver.Config{Addr: "127.0.0.1:0", Zones: zones})
	require.NoError(tb, err)

	return srv
}

// startServer starts a server for zones on 127.0.0.1:0 and shuts it down
// when tb ends.
func startServer(tb testing.TB, zones ...dnsserver.ZoneConfig) *dnsserver.Server {
	tb.Helper()

	srv := newServer(tb, zones...)
	require.NoError(tb, srv.Start())
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
		defer cancel()
		assert.NoError(tb, srv.Shutdown(ctx))
	})

	return srv
}

// exchange sends req to addr over network ("udp" or "tcp") and returns the
// reply.
func exchange(tb testing.TB, network, addr string, req *dns.Msg) *dns.Msg {
	tb.Helper()

	c := &dns.Client{Net: network, Timeout: ioTimeout}
	resp, _, err := c.Exchange(req, addr)
	require.NoError(tb, err)

	return resp
}

// query returns a query for qname and qtype with RD set and no EDNS.
func query(qname string, qtype uint16) *dns.Msg {
	return new(dns.Msg).SetQuestion(qname, qtype)
}

func TestNewWithoutZones(t *testing.T) {
	srv, err := dnsserver.New(dnsserver.Config{Addr: "127.0.0.1:0"})

	assert.Nil(t, srv)
	assert.ErrorIs(t, err, dnsserver.ErrNoZones)
}

func TestNewBadZone(t *testing.T) {
	path := dnstest.WriteFile(t, "db.example.org", "$TTL 60\n@ IN SOA . . 1 2 3 4 5\n")

	srv, err := dnsserver.New(dnsserver.Config{
		Addr:  "127.0.0.1:0",
		Zones: []dnsserver.ZoneConfig{{Origin: "example.org.", File: path}},
	})

	assert.Nil(t, srv)
	assert.ErrorContains(t, err, path+": no NS records")
}

func TestStartTwiceFails(t *testing.T) {
	srv := startServer(t, seedZone())

	assert.Error(t, srv.Start())
}

func TestShutdownIsIdempotent(t *testing.T) {
	srv := newServer(t, seedZone())
	require.NoError(t, srv.Start())
	addr := srv.Addr()

	assert.NoError(t, srv.Shutdown(context.Background()))
	assert.NoError(t, srv.Shutdown(context.Background()))
	assert.Error(t, srv.Start(), "a stopped server does not start again")

	// The listener is closed: nothing accepts on the port any more.
	conn, err := net.Dial("tcp", addr)
	if err == nil {
		conn.Close()
	}
	assert.Error(t, err)
}

func TestShutdownBeforeStart(t *testing.T) {
	srv := newServer(t, seedZone())

	assert.NoError(t, srv.Shutdown(context.Background()))
	assert.Error(t, srv.Start())
	assert.Empty(t, srv.Addr())
}

func TestAddrReportsThePickedPort(t *testing.T) {
	srv := startServer(t, seedZone())

	host, port, err := net.SplitHostPort(srv.Addr())
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1", host)
	assert.NotEqual(t, "0", port)

	for _, network := range []string{"udp", "tcp"} {
		resp := exchange(t, network, srv.Addr(), query("cluster.emqx-cluster.org.", dns.TypeA))
		assert.Equal(t, dns.RcodeSuccess, resp.Rcode, network)
	}
}
