package dnsserver_test

import (
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/dnsserver"
	"dnslab/internal/dnstest"
)

// The EDNS rules of RFC 6891, over UDP and TCP. Checked against BIND 9.18
// and NSD 4.6 with dig (+edns=1, +ednsopt), which answered alike.
func TestEDNS(t *testing.T) {
	srv := startServer(t, exampleZone())
	www := func() *dns.Msg { return new(dns.Msg).SetQuestion("www.example.org.", dns.TypeA) }

	tests := []struct {
		name   string
		req    func() *dns.Msg
		rcode  int
		answer int
		opt    bool
	}{
		{name: "version 1 gets BADVERS", rcode: dns.RcodeBadVers, opt: true,
			req: func() *dns.Msg {
				m := www().SetEdns0(1232, false)
				m.IsEdns0().SetVersion(1)
				return m
			}},
		{name: "unknown option is ignored", rcode: dns.RcodeSuccess, answer: 1, opt: true,
			req: func() *dns.Msg {
				m := www().SetEdns0(1232, false)
				o := m.IsEdns0()
				o.Option = append(o.Option, &dns.EDNS0_LOCAL{Code: 65001, Data: []byte{1, 2}})
				return m
			}},
		{name: "two OPT records are FORMERR", rcode: dns.RcodeFormatError,
			req: func() *dns.Msg {
				m := www().SetEdns0(1232, false)
				m.Extra = append(m.Extra, m.Extra[0])
				return m
			}},
		{name: "query type OPT is FORMERR", rcode: dns.RcodeFormatError, opt: true,
			req: func() *dns.Msg {
				return new(dns.Msg).SetQuestion("www.example.org.", dns.TypeOPT).
					SetEdns0(1232, false)
			}},
		{name: "OPT in the answer section is FORMERR", rcode: dns.RcodeFormatError,
			req: func() *dns.Msg {
				m := www().SetEdns0(1232, false)
				m.Answer, m.Extra = m.Extra, nil
				return m
			}},
	}

	for _, network := range []string{"udp", "tcp"} {
		for _, tc := range tests {
			t.Run(network+"/"+tc.name, func(t *testing.T) {
				resp := exchange(t, network, srv.Addr(), tc.req())
				assert.Equal(t, dns.RcodeToString[tc.rcode], dns.RcodeToString[resp.Rcode])
				assert.Len(t, resp.Answer, tc.answer)

				opt := resp.IsEdns0()
				require.Equal(t, tc.opt, opt != nil, "OPT in the reply")
				if opt != nil {
					assert.Empty(t, opt.Option, "options echoed")
					assert.Equal(t, uint8(0), opt.Version())
					assert.Equal(t, uint16(1232), opt.UDPSize())
				}
			})
		}
	}
}

// CHAOS-class version queries are answered only when configured. BIND and
// NSD answer version.bind by default; dnslab keeps quiet unless told.
func TestChaos(t *testing.T) {
	quiet := startServer(t, exampleZone())
	srv, err := dnsserver.New(dnsserver.Config{Addr: "127.0.0.1:0",
		Zones: []dnsserver.ZoneConfig{exampleZone()}, Chaos: "dnslab-1.0"})
	require.NoError(t, err)
	require.NoError(t, srv.Start())
	t.Cleanup(func() { srv.Shutdown(t.Context()) })

	q := func(name string, t uint16) *dns.Msg {
		m := new(dns.Msg).SetQuestion(name, t)
		m.Question[0].Qclass = dns.ClassCHAOS
		return m
	}

	resp := exchange(t, "udp", quiet.Addr(), q("version.bind.", dns.TypeTXT))
	assert.Equal(t, dns.RcodeRefused, resp.Rcode)

	resp = exchange(t, "udp", srv.Addr(), q("version.bind.", dns.TypeTXT))
	assert.Equal(t, dns.RcodeSuccess, resp.Rcode)
	assert.True(t, resp.Authoritative)
	dnstest.AssertRRs(t, []string{`version.bind. 0 CH TXT "dnslab-1.0"`}, resp.Answer)

	resp = exchange(t, "tcp", srv.Addr(), q("VERSION.server.", dns.TypeTXT))
	dnstest.AssertRRs(t, []string{`VERSION.server. 0 CH TXT "dnslab-1.0"`}, resp.Answer)

	resp = exchange(t, "udp", srv.Addr(), q("authors.bind.", dns.TypeTXT))
	assert.Equal(t, dns.RcodeRefused, resp.Rcode)
}

// With Minimal set, positive answers carry no authority and additional
// data; referrals keep their glue and negative answers their SOA. Checked
// against BIND 9.18 with minimal-responses yes.
func TestMinimal(t *testing.T) {
	srv, err := dnsserver.New(dnsserver.Config{Addr: "127.0.0.1:0",
		Zones: []dnsserver.ZoneConfig{exampleZone()}, Minimal: true})
	require.NoError(t, err)
	require.NoError(t, srv.Start())
	t.Cleanup(func() { srv.Shutdown(t.Context()) })

	tests := []conformanceCase{
		{name: "positive", qname: "www.example.org.", qtype: dns.TypeA,
			rcode: dns.RcodeSuccess, aa: true,
			answer: []string{"www.example.org. 3600 IN A 192.0.2.80"}},
		{name: "MX without addresses", qname: "example.org.", qtype: dns.TypeMX,
			rcode: dns.RcodeSuccess, aa: true,
			answer: []string{"example.org. 3600 IN MX 10 mail.example.org."}},
		{name: "referral keeps glue", qname: "x.child.example.org.", qtype: dns.TypeA,
			rcode: dns.RcodeSuccess,
			ns: []string{"child.example.org. 3600 IN NS ns1.child.example.org.",
				"child.example.org. 3600 IN NS ns.example.net."},
			extra: []string{"ns1.child.example.org. 3600 IN A 192.0.2.53"}},
		{name: "negative keeps the SOA", qname: "nothing.example.org.", qtype: dns.TypeA,
			rcode: dns.RcodeNameError, aa: true,
			ns: []string{"example.org. 300 IN SOA ns1.example.org. hostmaster.example.org. " +
				"2026120301 7200 900 1209600 300"}},
	}

	runConformance(t, srv.Addr(), tests)
}
