package dnsserver_test

import (
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzAnswer checks that any bytes that unpack into a message are answered
// without a panic, with a reply that packs and fits the transport.
func FuzzAnswer(f *testing.F) {
	for _, tc := range queryCases {
		f.Add(pack(f, tc.req))
	}

	srv := newServer(f, seedZone())
	f.Fuzz(func(t *testing.T, wire []byte) {
		req := new(dns.Msg)
		if req.Unpack(wire) != nil {
			return
		}

		for _, udp := range []bool{true, false} {
			resp := srv.Answer(req, udp)

			out, err := resp.Pack()
			require.NoError(t, err, "udp=%v, reply:\n%s", udp, resp)
			assert.Equal(t, req.Id, resp.Id)
			assert.True(t, resp.Response)
			if udp {
				assert.LessOrEqual(t, len(out), udpLimit(req), "reply:\n%s", resp)
			}
		}
	})
}
