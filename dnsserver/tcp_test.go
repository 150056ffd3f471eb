package dnsserver_test

import (
	"net"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/dnsserver"
)

// A TCP connection carries several queries sent at once, each answered
// (RFC 7766 §6.2.1), and the server closes it once it has been idle.
func TestTCPPipelining(t *testing.T) {
	srv, err := dnsserver.New(dnsserver.Config{Addr: "127.0.0.1:0", ReloadInterval: -1,
		Zones: []dnsserver.ZoneConfig{seedZone()}, TCPIdleTimeout: 300 * time.Millisecond})
	require.NoError(t, err)
	require.NoError(t, srv.Start())
	t.Cleanup(func() { srv.Shutdown(t.Context()) })

	conn, err := dns.Dial("tcp", srv.Addr())
	require.NoError(t, err)
	defer conn.Close()

	names := []string{"cluster.emqx-cluster.org.", "ns1.emqx-cluster.org.",
		"nothing.emqx-cluster.org.", "emqx-cluster.org."}
	for i, name := range names {
		q := query(name, dns.TypeA)
		q.Id = uint16(100 + i)
		require.NoError(t, conn.WriteMsg(q))
	}

	got := map[uint16]int{}
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(ioTimeout)))
	for range names {
		reply, err := conn.ReadMsg()
		require.NoError(t, err)
		got[reply.Id] = reply.Rcode
	}
	assert.Equal(t, map[uint16]int{100: dns.RcodeSuccess, 101: dns.RcodeSuccess,
		102: dns.RcodeNameError, 103: dns.RcodeSuccess}, got)

	// Idle now: the server closes the connection after its idle timeout.
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(ioTimeout)))
	_, err = conn.ReadMsg()
	var ne net.Error
	assert.Error(t, err)
	assert.False(t, asTimeout(err, &ne), "the server, not the deadline, ends the connection")
}

func asTimeout(err error, ne *net.Error) bool {
	if e, ok := err.(net.Error); ok {
		*ne = e
		return e.Timeout()
	}

	return false
}
