package dnsserver_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/dnsserver"
	"dnslab/internal/dnstest"
)

// bigZone writes a zone whose name big.example.org. has n A records and
// returns its config.
func bigZone(tb testing.TB, n int) dnsserver.ZoneConfig {
	tb.Helper()

	var b strings.Builder
	b.WriteString("$TTL 3600\n" +
		"@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n" +
		"@ IN NS ns1\n" +
		"ns1 IN A 192.0.2.1\n")
	for i := range n {
		fmt.Fprintf(&b, "big IN A 198.51.100.%d\n", i+1)
	}
	path := dnstest.WriteFile(tb, "db.example.org", b.String())

	return dnsserver.ZoneConfig{Origin: "example.org.", File: path}
}

func TestTruncation(t *testing.T) {
	const records = 40 // 40 A records take more than 512 bytes
	srv := startServer(t, bigZone(t, records))
	plain := query("big.example.org.", dns.TypeA)

	tests := []struct {
		name      string
		network   string
		req       *dns.Msg
		wantTC    bool
		wantWhole bool // all records in the answer, and authority and additional
	}{
		{name: "UDP without EDNS", network: "udp", req: plain, wantTC: true},
		{name: "TCP without EDNS", network: "tcp", req: plain, wantWhole: true},
		{
			name: "UDP with EDNS 4096", network: "udp",
			req: withEDNS(plain.Copy(), false), wantWhole: true,
		},
		{
			name: "UDP with EDNS 512", network: "udp",
			req: plain.Copy().SetEdns0(512, false), wantTC: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wire := rawExchange(t, tc.network, srv.Addr(), pack(t, tc.req))
			resp := new(dns.Msg)
			require.NoError(t, resp.Unpack(wire))

			assert.Equal(t, tc.wantTC, resp.Truncated, "TC")
			assert.Equal(t, dns.RcodeSuccess, resp.Rcode)
			assert.Equal(t, tc.req.Question, resp.Question)
			if tc.network == "udp" {
				assert.LessOrEqual(t, len(wire), udpLimit(tc.req))
			}
			if tc.wantWhole {
				assert.Len(t, resp.Answer, records)
				assert.Len(t, resp.Ns, 1)
				assert.Len(t, withoutOPT(resp.Extra), 1)
			} else {
				assert.Less(t, len(resp.Answer), records)
			}
			checkOPT(t, tc.req, resp)
		})
	}
}

// udpLimit returns the largest UDP reply req may get: 512 bytes without
// EDNS (RFC 1035 §4.2.1), else what it advertises, at most 1232.
func udpLimit(req *dns.Msg) int {
	opt := req.IsEdns0()
	if opt == nil {
		return dns.MinMsgSize
	}

	return min(max(int(opt.UDPSize()), dns.MinMsgSize), 1232)
}
