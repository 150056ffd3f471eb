package dnsserver_test

import (
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/internal/dnstest"
)

// withEDNS adds an OPT record to m, advertising 4096 bytes, with DO as do.
func withEDNS(m *dns.Msg, do bool) *dns.Msg {
	return m.SetEdns0(4096, do)
}

// withRD sets m's RD bit to rd.
func withRD(m *dns.Msg, rd bool) *dns.Msg {
	m.RecursionDesired = rd
	return m
}

// withClass sets the class of m's question.
func withClass(m *dns.Msg, class uint16) *dns.Msg {
	m.Question[0].Qclass = class
	return m
}

// twoQuestions returns a query with two questions, which no server answers
// (RFC 9619).
func twoQuestions() *dns.Msg {
	m := query("cluster.emqx-cluster.org.", dns.TypeA)
	m.Question = append(m.Question, dns.Question{
		Name: "ns1.emqx-cluster.org.", Qtype: dns.TypeA, Qclass: dns.ClassINET,
	})

	return m
}

// withoutOPT returns rrs less any OPT record.
func withoutOPT(rrs []dns.RR) []dns.RR {
	var out []dns.RR
	for _, rr := range rrs {
		if rr.Header().Rrtype != dns.TypeOPT {
			out = append(out, rr)
		}
	}

	return out
}

type queryCase struct {
	name  string
	req   *dns.Msg
	rcode int
	aa    bool
	// noEcho: the reply has no question section, as miekg/dns's server
	// rejects such queries before they are unpacked.
	noEcho bool
	answer []string
	ns     []string
	extra  []string // without the OPT record
}

var queryCases = []queryCase{
	{
		name:   "cluster A",
		req:    query("cluster.emqx-cluster.org.", dns.TypeA),
		rcode:  dns.RcodeSuccess,
		aa:     true,
		answer: []string{dnstest.SeedCluster1, dnstest.SeedCluster2},
		ns:     []string{dnstest.SeedNS},
		extra:  []string{dnstest.SeedNS1A},
	},
	{
		name:   "cluster A, RD clear, EDNS",
		req:    withEDNS(withRD(query("cluster.emqx-cluster.org.", dns.TypeA), false), false),
		rcode:  dns.RcodeSuccess,
		aa:     true,
		answer: []string{dnstest.SeedCluster1, dnstest.SeedCluster2},
		ns:     []string{dnstest.SeedNS},
		extra:  []string{dnstest.SeedNS1A},
	},
	{
		name:   "cluster A, EDNS with DO",
		req:    withEDNS(query("cluster.emqx-cluster.org.", dns.TypeA), true),
		rcode:  dns.RcodeSuccess,
		aa:     true,
		answer: []string{dnstest.SeedCluster1, dnstest.SeedCluster2},
		ns:     []string{dnstest.SeedNS},
		extra:  []string{dnstest.SeedNS1A},
	},
	{
		name:  "cluster A in mixed case",
		req:   query("ClUsTeR.EMQX-cluster.ORG.", dns.TypeA),
		rcode: dns.RcodeSuccess,
		aa:    true,
		answer: []string{
			// The owner echoes the question's case, as BIND and NSD do.
			"ClUsTeR.EMQX-cluster.ORG. 604800 IN A 192.168.1.162",
			"ClUsTeR.EMQX-cluster.ORG. 604800 IN A 192.168.1.165",
		},
		ns:    []string{dnstest.SeedNS},
		extra: []string{dnstest.SeedNS1A},
	},
	{
		name:   "ns1 A is not repeated in additional",
		req:    query("ns1.emqx-cluster.org.", dns.TypeA),
		rcode:  dns.RcodeSuccess,
		aa:     true,
		answer: []string{dnstest.SeedNS1A},
		ns:     []string{dnstest.SeedNS},
	},
	{
		name:   "apex NS",
		req:    query("emqx-cluster.org.", dns.TypeNS),
		rcode:  dns.RcodeSuccess,
		aa:     true,
		answer: []string{dnstest.SeedNS},
		extra:  []string{dnstest.SeedNS1A},
	},
	{
		name:  "nonexistent is NXDOMAIN",
		req:   query("nonexistent.emqx-cluster.org.", dns.TypeA),
		rcode: dns.RcodeNameError,
		aa:    true,
		ns:    []string{dnstest.SeedNegSOA},
	},
	{
		name:  "nonexistent with EDNS and DO",
		req:   withEDNS(query("nonexistent.emqx-cluster.org.", dns.TypeA), true),
		rcode: dns.RcodeNameError,
		aa:    true,
		ns:    []string{dnstest.SeedNegSOA},
	},
	{
		name:  "cluster AAAA is NODATA",
		req:   query("cluster.emqx-cluster.org.", dns.TypeAAAA),
		rcode: dns.RcodeSuccess,
		aa:    true,
		ns:    []string{dnstest.SeedNegSOA},
	},
	{
		name:  "a name outside the zones is REFUSED",
		req:   query("example.com.", dns.TypeA),
		rcode: dns.RcodeRefused,
	},
	{
		name:  "REFUSED keeps the OPT record",
		req:   withEDNS(query("example.com.", dns.TypeA), true),
		rcode: dns.RcodeRefused,
	},
	{
		name:  "class CH is REFUSED",
		req:   withClass(query("cluster.emqx-cluster.org.", dns.TypeA), dns.ClassCHAOS),
		rcode: dns.RcodeRefused,
	},
	{
		name:  "version.bind CH TXT is REFUSED",
		req:   withClass(query("version.bind.", dns.TypeTXT), dns.ClassCHAOS),
		rcode: dns.RcodeRefused,
	},
	{
		name:  "AXFR is REFUSED",
		req:   query("emqx-cluster.org.", dns.TypeAXFR),
		rcode: dns.RcodeRefused,
	},
	{
		name:  "IXFR is REFUSED",
		req:   query("emqx-cluster.org.", dns.TypeIXFR),
		rcode: dns.RcodeRefused,
	},
	{
		name:  "NOTIFY is NOTIMP",
		req:   new(dns.Msg).SetNotify("emqx-cluster.org."),
		rcode: dns.RcodeNotImplemented,
	},
	{
		name:  "NOTIMP keeps the OPT record",
		req:   withEDNS(new(dns.Msg).SetNotify("emqx-cluster.org."), true),
		rcode: dns.RcodeNotImplemented,
	},
	{
		name:  "UPDATE is NOTIMP",
		req:   new(dns.Msg).SetUpdate("emqx-cluster.org."),
		rcode: dns.RcodeNotImplemented,
	},
	{
		// Only the first question is echoed (RFC 9619 §3 asks for none or
		// the one there is).
		name:  "two questions are FORMERR",
		req:   twoQuestions(),
		rcode: dns.RcodeFormatError,
	},
}

func TestQuery(t *testing.T) {
	srv := startServer(t, seedZone())

	for _, network := range []string{"udp", "tcp"} {
		t.Run(network, func(t *testing.T) {
			for _, tc := range queryCases {
				t.Run(tc.name, func(t *testing.T) {
					resp := exchange(t, network, srv.Addr(), tc.req.Copy())
					checkReply(t, tc, resp)
				})
			}
		})
	}
}

// checkReply checks resp, the reply to tc.req, against tc.
func checkReply(tb testing.TB, tc queryCase, resp *dns.Msg) {
	tb.Helper()
	req := tc.req

	assert.Equal(tb, req.Id, resp.Id, "ID")
	assert.True(tb, resp.Response, "QR")
	assert.Equal(tb, req.Opcode, resp.Opcode, "opcode")
	assert.Equal(tb, dns.RcodeToString[tc.rcode], dns.RcodeToString[resp.Rcode], "rcode")
	assert.Equal(tb, tc.aa, resp.Authoritative, "AA")
	assert.False(tb, resp.RecursionAvailable, "RA")
	assert.Equal(tb, req.RecursionDesired, resp.RecursionDesired, "RD")
	assert.False(tb, resp.Truncated, "TC")
	if tc.noEcho {
		assert.Empty(tb, resp.Question, "question")
	} else {
		assert.Equal(tb, req.Question[:min(1, len(req.Question))], resp.Question, "question")
	}

	dnstest.AssertRRs(tb, tc.answer, resp.Answer, "answer")
	dnstest.AssertRRs(tb, tc.ns, resp.Ns, "authority")
	dnstest.AssertRRs(tb, tc.extra, withoutOPT(resp.Extra), "additional")
	checkOPT(tb, req, resp)
}

// checkOPT checks that resp has an OPT record iff req had one (RFC 6891
// §6.1.1), with req's DO bit.
func checkOPT(tb testing.TB, req, resp *dns.Msg) {
	tb.Helper()

	want, got := req.IsEdns0(), resp.IsEdns0()
	if want == nil {
		assert.Nil(tb, got, "OPT in the reply to a query without EDNS")
		return
	}

	require.NotNil(tb, got, "no OPT in the reply to a query with EDNS")
	assert.Equal(tb, want.Do(), got.Do(), "DO")
	assert.Equal(tb, uint8(0), got.Version(), "EDNS version")
	assert.Equal(tb, uint16(1232), got.UDPSize(), "UDP payload size")
	assert.Equal(tb, dns.TypeOPT, resp.Extra[len(resp.Extra)-1].Header().Rrtype,
		"OPT is the last additional record")
}
