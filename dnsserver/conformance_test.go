package dnsserver_test

import (
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/dnsserver"
	"dnslab/internal/dnstest"
)

// conformanceCase is one query and the whole reply expected for it.
type conformanceCase struct {
	name   string
	qname  string
	qtype  uint16
	rcode  int
	aa     bool
	answer []string
	ns     []string
	extra  []string
}

// exampleZone serves testdata/db.example.org: a delegation with glue,
// wildcards, CNAME chains, MX, SRV, TXT and a DNAME.
func exampleZone() dnsserver.ZoneConfig {
	return dnsserver.ZoneConfig{Origin: "example.org", File: dnstest.Testdata("db.example.org")}
}

// lookupCases are the answers of RFC 1034 §4.3.2 and its refinements for
// testdata/db.example.org. Checked against BIND 9.18 (Debian bind9,
// +norecurse, minimal-responses off for authoritative queries) and NSD
// 4.6 serving the same file: both gave these records, order aside, except
// where a case says otherwise.
var lookupCases = []conformanceCase{
	{
		name: "CNAME into a delegation ends with a referral", qname: "todeleg.example.org.", qtype: dns.TypeA,
		rcode: dns.RcodeSuccess, aa: true,
		answer: []string{
			"todeleg.example.org. 3600 IN CNAME www.child.example.org.",
		},
		ns: []string{
			"child.example.org. 3600 IN NS ns1.child.example.org.",
			"child.example.org. 3600 IN NS ns.example.net.",
		},
		extra: []string{
			"ns1.child.example.org. 3600 IN A 192.0.2.53",
		},
	},
	{
		name: "MX target below a cut gets no address", qname: "mxdeleg.example.org.", qtype: dns.TypeMX,
		rcode: dns.RcodeSuccess, aa: true,
		answer: []string{
			"mxdeleg.example.org. 3600 IN MX 10 ns1.child.example.org.",
		},
		ns: []string{
			"example.org. 3600 IN NS ns1.example.org.",
			"example.org. 3600 IN NS ns2.example.org.",
		},
		extra: []string{
			"ns1.example.org. 3600 IN A 192.0.2.1",
			"ns2.example.org. 3600 IN A 192.0.2.2",
			"ns2.example.org. 3600 IN AAAA 2001:db8::2",
		},
	},
	{
		name: "exact match", qname: "www.example.org.", qtype: dns.TypeA,
		rcode: dns.RcodeSuccess, aa: true,
		answer: []string{
			"www.example.org. 3600 IN A 192.0.2.80",
		},
		ns: []string{
			"example.org. 3600 IN NS ns2.example.org.",
			"example.org. 3600 IN NS ns1.example.org.",
		},
		extra: []string{
			"ns1.example.org. 3600 IN A 192.0.2.1",
			"ns2.example.org. 3600 IN A 192.0.2.2",
			"ns2.example.org. 3600 IN AAAA 2001:db8::2",
		},
	},
	{
		name: "exact match, second type", qname: "www.example.org.", qtype: dns.TypeAAAA,
		rcode: dns.RcodeSuccess, aa: true,
		answer: []string{
			"www.example.org. 3600 IN AAAA 2001:db8::80",
		},
		ns: []string{
			"example.org. 3600 IN NS ns2.example.org.",
			"example.org. 3600 IN NS ns1.example.org.",
		},
		extra: []string{
			"ns1.example.org. 3600 IN A 192.0.2.1",
			"ns2.example.org. 3600 IN A 192.0.2.2",
			"ns2.example.org. 3600 IN AAAA 2001:db8::2",
		},
	},
	{
		name: "name error", qname: "nothing.example.org.", qtype: dns.TypeA,
		rcode: dns.RcodeNameError, aa: true,
		ns: []string{
			"example.org. 300 IN SOA ns1.example.org. hostmaster.example.org. 2026120301 7200 900 1209600 300",
		},
	},
	{
		name: "no data", qname: "www.example.org.", qtype: dns.TypeMX,
		rcode: dns.RcodeSuccess, aa: true,
		ns: []string{
			"example.org. 300 IN SOA ns1.example.org. hostmaster.example.org. 2026120301 7200 900 1209600 300",
		},
	},
	{
		name: "empty non-terminal is no data", qname: "b.c.example.org.", qtype: dns.TypeA,
		rcode: dns.RcodeSuccess, aa: true,
		ns: []string{
			"example.org. 300 IN SOA ns1.example.org. hostmaster.example.org. 2026120301 7200 900 1209600 300",
		},
	},
	{
		name: "CNAME followed", qname: "alias.example.org.", qtype: dns.TypeA,
		rcode: dns.RcodeSuccess, aa: true,
		answer: []string{
			"alias.example.org. 3600 IN CNAME www.example.org.",
			"www.example.org. 3600 IN A 192.0.2.80",
		},
		ns: []string{
			"example.org. 3600 IN NS ns1.example.org.",
			"example.org. 3600 IN NS ns2.example.org.",
		},
		extra: []string{
			"ns1.example.org. 3600 IN A 192.0.2.1",
			"ns2.example.org. 3600 IN A 192.0.2.2",
			"ns2.example.org. 3600 IN AAAA 2001:db8::2",
		},
	},
	{
		name: "CNAME chain inside the zone", qname: "chain.example.org.", qtype: dns.TypeA,
		rcode: dns.RcodeSuccess, aa: true,
		answer: []string{
			"chain.example.org. 3600 IN CNAME alias.example.org.",
			"alias.example.org. 3600 IN CNAME www.example.org.",
			"www.example.org. 3600 IN A 192.0.2.80",
		},
		ns: []string{
			"example.org. 3600 IN NS ns2.example.org.",
			"example.org. 3600 IN NS ns1.example.org.",
		},
		extra: []string{
			"ns1.example.org. 3600 IN A 192.0.2.1",
			"ns2.example.org. 3600 IN A 192.0.2.2",
			"ns2.example.org. 3600 IN AAAA 2001:db8::2",
		},
	},
	{
		name: "CNAME query returns the CNAME unfollowed", qname: "chain.example.org.", qtype: dns.TypeCNAME,
		rcode: dns.RcodeSuccess, aa: true,
		answer: []string{
			"chain.example.org. 3600 IN CNAME alias.example.org.",
		},
		ns: []string{
			"example.org. 3600 IN NS ns1.example.org.",
			"example.org. 3600 IN NS ns2.example.org.",
		},
		extra: []string{
			"ns1.example.org. 3600 IN A 192.0.2.1",
			"ns2.example.org. 3600 IN A 192.0.2.2",
			"ns2.example.org. 3600 IN AAAA 2001:db8::2",
		},
	},
	{
		name: "chain leaving the zone ends with what it has", qname: "outside.example.org.", qtype: dns.TypeA,
		rcode: dns.RcodeSuccess, aa: true,
		answer: []string{
			"outside.example.org. 3600 IN CNAME www.example.net.",
		},
	},
	{
		// NSD's answer; BIND 9.18 gives SERVFAIL ("max. restarts reached").
		name: "CNAME loop is cut, no record repeated", qname: "loop1.example.org.",
		qtype: dns.TypeA, rcode: dns.RcodeSuccess, aa: true,
		answer: []string{
			"loop1.example.org. 3600 IN CNAME loop2.example.org.",
			"loop2.example.org. 3600 IN CNAME loop1.example.org.",
		},
	},
	{
		name: "dangling chain ends in name error", qname: "dangling.example.org.", qtype: dns.TypeA,
		rcode: dns.RcodeNameError, aa: true,
		answer: []string{
			"dangling.example.org. 3600 IN CNAME nothing.example.org.",
		},
		ns: []string{
			"example.org. 300 IN SOA ns1.example.org. hostmaster.example.org. 2026120301 7200 900 1209600 300",
		},
	},
	{
		name: "chain ending in no data", qname: "alias.example.org.", qtype: dns.TypeMX,
		rcode: dns.RcodeSuccess, aa: true,
		answer: []string{
			"alias.example.org. 3600 IN CNAME www.example.org.",
		},
		ns: []string{
			"example.org. 300 IN SOA ns1.example.org. hostmaster.example.org. 2026120301 7200 900 1209600 300",
		},
	},
	{
		name: "referral at the cut", qname: "child.example.org.", qtype: dns.TypeA,
		rcode: dns.RcodeSuccess, aa: false,
		ns: []string{
			"child.example.org. 3600 IN NS ns1.child.example.org.",
			"child.example.org. 3600 IN NS ns.example.net.",
		},
		extra: []string{
			"ns1.child.example.org. 3600 IN A 192.0.2.53",
		},
	},
	{
		name: "referral below the cut", qname: "x.child.example.org.", qtype: dns.TypeA,
		rcode: dns.RcodeSuccess, aa: false,
		ns: []string{
			"child.example.org. 3600 IN NS ns1.child.example.org.",
			"child.example.org. 3600 IN NS ns.example.net.",
		},
		extra: []string{
			"ns1.child.example.org. 3600 IN A 192.0.2.53",
		},
	},
	{
		name: "NS at the cut is a referral", qname: "child.example.org.", qtype: dns.TypeNS,
		rcode: dns.RcodeSuccess, aa: false,
		ns: []string{
			"child.example.org. 3600 IN NS ns.example.net.",
			"child.example.org. 3600 IN NS ns1.child.example.org.",
		},
		extra: []string{
			"ns1.child.example.org. 3600 IN A 192.0.2.53",
		},
	},
	{
		name: "DS is answered by the parent side", qname: "child.example.org.", qtype: dns.TypeDS,
		rcode: dns.RcodeSuccess, aa: true,
		answer: []string{
			"child.example.org. 3600 IN DS 12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF01234567 89ABCDEF",
		},
	},
	{
		name: "glue is not authoritative data", qname: "ns1.child.example.org.", qtype: dns.TypeA,
		rcode: dns.RcodeSuccess, aa: false,
		ns: []string{
			"child.example.org. 3600 IN NS ns1.child.example.org.",
			"child.example.org. 3600 IN NS ns.example.net.",
		},
		extra: []string{
			"ns1.child.example.org. 3600 IN A 192.0.2.53",
		},
	},
	{
		name: "wildcard synthesizes the query name", qname: "x.wild.example.org.", qtype: dns.TypeA,
		rcode: dns.RcodeSuccess, aa: true,
		answer: []string{
			"x.wild.example.org. 3600 IN A 192.0.2.99",
		},
		ns: []string{
			"example.org. 3600 IN NS ns2.example.org.",
			"example.org. 3600 IN NS ns1.example.org.",
		},
		extra: []string{
			"ns1.example.org. 3600 IN A 192.0.2.1",
			"ns2.example.org. 3600 IN A 192.0.2.2",
			"ns2.example.org. 3600 IN AAAA 2001:db8::2",
		},
	},
	{
		name: "wildcard MX with additional addresses", qname: "x.wild.example.org.", qtype: dns.TypeMX,
		rcode: dns.RcodeSuccess, aa: true,
		answer: []string{
			"x.wild.example.org. 3600 IN MX 10 mail.example.org.",
		},
		ns: []string{
			"example.org. 3600 IN NS ns1.example.org.",
			"example.org. 3600 IN NS ns2.example.org.",
		},
		extra: []string{
			"mail.example.org. 3600 IN A 192.0.2.25",
			"ns1.example.org. 3600 IN A 192.0.2.1",
			"ns2.example.org. 3600 IN A 192.0.2.2",
			"ns2.example.org. 3600 IN AAAA 2001:db8::2",
		},
	},
	{
		name: "wildcard covers deeper names", qname: "x.y.wild.example.org.", qtype: dns.TypeTXT,
		rcode: dns.RcodeSuccess, aa: true,
		answer: []string{
			"x.y.wild.example.org. 3600 IN TXT \"wildcard\"",
		},
		ns: []string{
			"example.org. 3600 IN NS ns2.example.org.",
			"example.org. 3600 IN NS ns1.example.org.",
		},
		extra: []string{
			"ns1.example.org. 3600 IN A 192.0.2.1",
			"ns2.example.org. 3600 IN A 192.0.2.2",
			"ns2.example.org. 3600 IN AAAA 2001:db8::2",
		},
	},
	{
		name: "wildcard without the type is no data", qname: "x.wild.example.org.", qtype: dns.TypeAAAA,
		rcode: dns.RcodeSuccess, aa: true,
		ns: []string{
			"example.org. 300 IN SOA ns1.example.org. hostmaster.example.org. 2026120301 7200 900 1209600 300",
		},
	},
	{
		name: "existing name is never wildcard-matched", qname: "sub.wild.example.org.", qtype: dns.TypeA,
		rcode: dns.RcodeSuccess, aa: true,
		ns: []string{
			"example.org. 300 IN SOA ns1.example.org. hostmaster.example.org. 2026120301 7200 900 1209600 300",
		},
	},
	{
		name: "only the closest encloser's wildcard applies", qname: "y.sub.wild.example.org.", qtype: dns.TypeA,
		rcode: dns.RcodeNameError, aa: true,
		ns: []string{
			"example.org. 300 IN SOA ns1.example.org. hostmaster.example.org. 2026120301 7200 900 1209600 300",
		},
	},
	{
		name: "wildcard parent is an empty non-terminal", qname: "wild.example.org.", qtype: dns.TypeA,
		rcode: dns.RcodeSuccess, aa: true,
		ns: []string{
			"example.org. 300 IN SOA ns1.example.org. hostmaster.example.org. 2026120301 7200 900 1209600 300",
		},
	},
	{
		name: "DNAME at its owner", qname: "old.example.org.", qtype: dns.TypeDNAME,
		rcode: dns.RcodeSuccess, aa: true,
		answer: []string{
			"old.example.org. 3600 IN DNAME example.net.",
		},
		ns: []string{
			"example.org. 3600 IN NS ns1.example.org.",
			"example.org. 3600 IN NS ns2.example.org.",
		},
		extra: []string{
			"ns1.example.org. 3600 IN A 192.0.2.1",
			"ns2.example.org. 3600 IN A 192.0.2.2",
			"ns2.example.org. 3600 IN AAAA 2001:db8::2",
		},
	},
	{
		name: "DNAME substitution synthesizes a CNAME", qname: "x.old.example.org.", qtype: dns.TypeA,
		rcode: dns.RcodeSuccess, aa: true,
		answer: []string{
			"old.example.org. 3600 IN DNAME example.net.",
			"x.old.example.org. 3600 IN CNAME x.example.net.",
		},
	},
	{
		name: "DNAME owner itself is not redirected", qname: "old.example.org.", qtype: dns.TypeA,
		rcode: dns.RcodeSuccess, aa: true,
		ns: []string{
			"example.org. 300 IN SOA ns1.example.org. hostmaster.example.org. 2026120301 7200 900 1209600 300",
		},
	},
	{
		name: "MX target address in additional", qname: "example.org.", qtype: dns.TypeMX,
		rcode: dns.RcodeSuccess, aa: true,
		answer: []string{
			"example.org. 3600 IN MX 10 mail.example.org.",
		},
		ns: []string{
			"example.org. 3600 IN NS ns1.example.org.",
			"example.org. 3600 IN NS ns2.example.org.",
		},
		extra: []string{
			"mail.example.org. 3600 IN A 192.0.2.25",
			"ns1.example.org. 3600 IN A 192.0.2.1",
			"ns2.example.org. 3600 IN A 192.0.2.2",
			"ns2.example.org. 3600 IN AAAA 2001:db8::2",
		},
	},
	{
		name: "SRV target address in additional", qname: "_mqtt._tcp.example.org.", qtype: dns.TypeSRV,
		rcode: dns.RcodeSuccess, aa: true,
		answer: []string{
			"_mqtt._tcp.example.org. 3600 IN SRV 0 10 1883 www.example.org.",
		},
		ns: []string{
			"example.org. 3600 IN NS ns2.example.org.",
			"example.org. 3600 IN NS ns1.example.org.",
		},
		extra: []string{
			"www.example.org. 3600 IN A 192.0.2.80",
			"ns1.example.org. 3600 IN A 192.0.2.1",
			"ns2.example.org. 3600 IN A 192.0.2.2",
			"www.example.org. 3600 IN AAAA 2001:db8::80",
			"ns2.example.org. 3600 IN AAAA 2001:db8::2",
		},
	},
	{
		name: "TXT with two strings", qname: "txt.example.org.", qtype: dns.TypeTXT,
		rcode: dns.RcodeSuccess, aa: true,
		answer: []string{
			"txt.example.org. 3600 IN TXT \"first string\" \"second string\"",
		},
		ns: []string{
			"example.org. 3600 IN NS ns1.example.org.",
			"example.org. 3600 IN NS ns2.example.org.",
		},
		extra: []string{
			"ns1.example.org. 3600 IN A 192.0.2.1",
			"ns2.example.org. 3600 IN A 192.0.2.2",
			"ns2.example.org. 3600 IN AAAA 2001:db8::2",
		},
	},
	{
		name: "apex NS is not repeated in authority", qname: "example.org.", qtype: dns.TypeNS,
		rcode: dns.RcodeSuccess, aa: true,
		answer: []string{
			"example.org. 3600 IN NS ns1.example.org.",
			"example.org. 3600 IN NS ns2.example.org.",
		},
		extra: []string{
			"ns1.example.org. 3600 IN A 192.0.2.1",
			"ns2.example.org. 3600 IN A 192.0.2.2",
			"ns2.example.org. 3600 IN AAAA 2001:db8::2",
		},
	},
	{
		name: "apex SOA", qname: "example.org.", qtype: dns.TypeSOA,
		rcode: dns.RcodeSuccess, aa: true,
		answer: []string{
			"example.org. 3600 IN SOA ns1.example.org. hostmaster.example.org. 2026120301 7200 900 1209600 300",
		},
		ns: []string{
			"example.org. 3600 IN NS ns2.example.org.",
			"example.org. 3600 IN NS ns1.example.org.",
		},
		extra: []string{
			"ns1.example.org. 3600 IN A 192.0.2.1",
			"ns2.example.org. 3600 IN A 192.0.2.2",
			"ns2.example.org. 3600 IN AAAA 2001:db8::2",
		},
	},
	{
		// BIND's answer; NSD gives one RRset over UDP (RFC 8482 §4.2).
		name: "ANY gives whole RRsets", qname: "www.example.org.", qtype: dns.TypeANY,
		rcode: dns.RcodeSuccess, aa: true,
		answer: []string{
			"www.example.org. 3600 IN A 192.0.2.80",
			"www.example.org. 3600 IN AAAA 2001:db8::80",
		},
		ns: []string{
			"example.org. 3600 IN NS ns1.example.org.",
			"example.org. 3600 IN NS ns2.example.org.",
		},
	},
	{
		// BIND's answer; NSD gives one RRset over UDP (RFC 8482 §4.2).
		name: "ANY at the apex", qname: "example.org.", qtype: dns.TypeANY,
		rcode: dns.RcodeSuccess, aa: true,
		answer: []string{
			"example.org. 3600 IN SOA ns1.example.org. hostmaster.example.org. 2026120301 7200 900 1209600 300",
			"example.org. 3600 IN NS ns2.example.org.",
			"example.org. 3600 IN NS ns1.example.org.",
			"example.org. 3600 IN MX 10 mail.example.org.",
			"example.org. 3600 IN TXT \"v=spf1 mx -all\"",
		},
	},
}

// The lookup cases over UDP and TCP, with RD clear as a resolver asks an
// authoritative server.
func TestConformanceLookup(t *testing.T) {
	srv := startServer(t, exampleZone())

	runConformance(t, srv.Addr(), lookupCases)
}

// runConformance asks each case over UDP and TCP, RD clear as a resolver
// asks an authoritative server, and checks the replies.
func runConformance(t *testing.T, addr string, cases []conformanceCase) {
	t.Helper()

	for _, network := range []string{"udp", "tcp"} {
		for _, tc := range cases {
			t.Run(network+"/"+tc.name, func(t *testing.T) {
				req := query(tc.qname, tc.qtype)
				req.RecursionDesired = false
				checkConformance(t, tc, exchange(t, network, addr, req))
			})
		}
	}
}

// checkConformance compares a reply with the case, sections order-free.
func checkConformance(tb testing.TB, tc conformanceCase, resp *dns.Msg) {
	tb.Helper()

	require.Equal(tb, dns.RcodeToString[tc.rcode], dns.RcodeToString[resp.Rcode], "rcode")
	assert.Equal(tb, tc.aa, resp.Authoritative, "aa")
	assert.False(tb, resp.RecursionAvailable, "ra")
	assert.False(tb, resp.Truncated, "tc")
	dnstest.AssertRRs(tb, tc.answer, resp.Answer, "answer")
	dnstest.AssertRRs(tb, tc.ns, resp.Ns, "authority")
	dnstest.AssertRRs(tb, tc.extra, resp.Extra, "additional")
}

// A parent and its child served together: each name is answered from the
// most specific zone, but DS at the child's apex from the parent. Checked
// against BIND 9.18 serving both zones (+norecurse).
func TestConformanceParentAndChild(t *testing.T) {
	child := dnsserver.ZoneConfig{Origin: "child.example.org",
		File: dnstest.Testdata("db.child.example.org")}
	srv := startServer(t, exampleZone(), child)

	childNS := []string{"child.example.org. 3600 IN NS ns1.child.example.org.",
		"child.example.org. 3600 IN NS ns.example.net."}
	glue := []string{"ns1.child.example.org. 3600 IN A 192.0.2.53"}
	tests := []conformanceCase{
		{name: "name in the child", qname: "www.child.example.org.", qtype: dns.TypeA,
			rcode: dns.RcodeSuccess, aa: true,
			answer: []string{"www.child.example.org. 3600 IN A 192.0.2.54"}, ns: childNS,
			extra: glue},
		{name: "NS at the child's apex", qname: "child.example.org.", qtype: dns.TypeNS,
			rcode: dns.RcodeSuccess, aa: true, answer: childNS, extra: glue},
		{name: "DS from the parent", qname: "child.example.org.", qtype: dns.TypeDS,
			rcode: dns.RcodeSuccess, aa: true,
			answer: []string{"child.example.org. 3600 IN DS 12345 13 2 " +
				"0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"}},
		{name: "name error in the child", qname: "x.child.example.org.", qtype: dns.TypeA,
			rcode: dns.RcodeNameError, aa: true,
			ns: []string{"child.example.org. 300 IN SOA ns1.child.example.org. " +
				"hostmaster.child.example.org. 2026120301 7200 900 1209600 300"}},
	}

	runConformance(t, srv.Addr(), tests)
}
