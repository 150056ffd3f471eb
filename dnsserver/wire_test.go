package dnsserver_test

import (
	"encoding/binary"
	"io"
	"math/rand/v2"
	"net"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawExchange sends the packed query wire to addr over network and returns
// the reply as read: one datagram over UDP, one length-prefixed message over
// TCP (RFC 1035 §4.2.2).
func rawExchange(tb testing.TB, network, addr string, wire []byte) []byte {
	tb.Helper()

	conn, err := net.Dial(network, addr)
	require.NoError(tb, err)
	defer conn.Close()
	require.NoError(tb, conn.SetDeadline(time.Now().Add(ioTimeout)))

	if network == "udp" {
		_, err = conn.Write(wire)
		require.NoError(tb, err)
		buf := make([]byte, 64<<10)
		n, err := conn.Read(buf)
		require.NoError(tb, err)
		return buf[:n]
	}

	_, err = conn.Write(binary.BigEndian.AppendUint16(nil, uint16(len(wire))))
	require.NoError(tb, err)
	_, err = conn.Write(wire)
	require.NoError(tb, err)
	var size uint16
	require.NoError(tb, binary.Read(conn, binary.BigEndian, &size))
	reply := make([]byte, size)
	_, err = io.ReadFull(conn, reply)
	require.NoError(tb, err)

	return reply
}

// pack packs m, failing tb when it does not pack.
func pack(tb testing.TB, m *dns.Msg) []byte {
	tb.Helper()

	wire, err := m.Pack()
	require.NoError(tb, err)

	return wire
}

func TestQuestionEchoedByteForByte(t *testing.T) {
	srv := startServer(t, seedZone())
	req := query("ClUsTeR.EMQX-cluster.ORG.", dns.TypeA)
	wire := pack(t, req)
	const header = 12 // the question follows the header; the query has nothing after it

	for _, network := range []string{"udp", "tcp"} {
		t.Run(network, func(t *testing.T) {
			reply := rawExchange(t, network, srv.Addr(), wire)

			require.Greater(t, len(reply), len(wire))
			assert.Equal(t, wire[:2], reply[:2], "ID")
			assert.Equal(t, wire[4:6], reply[4:6], "QDCOUNT")
			assert.Equal(t, wire[header:], reply[header:len(wire)], "question")
		})
	}
}

// TestMalformedPackets sends packets that do not unpack; each may get a
// FORMERR or nothing, and the server must go on answering.
func TestMalformedPackets(t *testing.T) {
	valid := pack(t, query("cluster.emqx-cluster.org.", dns.TypeA))
	rnd := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 64)
	for i := range random {
		random[i] = byte(rnd.UintN(256))
	}

	tests := []struct {
		name   string
		packet []byte
	}{
		{name: "random bytes", packet: random},
		{name: "one byte", packet: []byte{0x42}},
		{name: "truncated header", packet: valid[:7]},
		{name: "header only, one question announced", packet: valid[:12]},
		{name: "question cut in its name", packet: valid[:20]},
		{name: "question without type and class", packet: valid[:len(valid)-4]},
		{
			name: "name that points at itself",
			packet: append(append([]byte(nil), valid[:12]...),
				0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01),
		},
		{
			name:   "extended label type 0x40",
			packet: append(append([]byte(nil), valid[:12]...), 0x40, 'a', 0, 0, 1, 0, 1),
		},
		{
			name:   "header only, nine additional records announced",
			packet: append(append([]byte(nil), valid[:11]...), 0x09),
		},
	}
	srv := startServer(t, seedZone())
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			conn, err := net.Dial("udp", srv.Addr())
			require.NoError(t, err)
			defer conn.Close()
			require.NoError(t, conn.SetDeadline(time.Now().Add(ioTimeout)))

			_, err = conn.Write(tc.packet)
			require.NoError(t, err)
			next := query("cluster.emqx-cluster.org.", dns.TypeA)
			_, err = conn.Write(pack(t, next))
			require.NoError(t, err)

			resp := readReply(t, conn, next.Id)
			assert.Equal(t, dns.RcodeSuccess, resp.Rcode)
			assert.Len(t, resp.Answer, 2)
		})
	}
}

// readReply reads datagrams from conn until the reply with ID id, skipping
// replies to other packets such as a FORMERR.
func readReply(tb testing.TB, conn net.Conn, id uint16) *dns.Msg {
	tb.Helper()

	buf := make([]byte, 64<<10)
	for {
		n, err := conn.Read(buf)
		require.NoError(tb, err)

		m := new(dns.Msg)
		if m.Unpack(buf[:n]) == nil && m.Id == id {
			return m
		}
	}
}
