package dnsserver

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testdata returns the path of a file in the module's testdata/.
func testdata(name string) string {
	_, here, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(here), "..", "testdata", name)
}

// fastCases are queries of every kind of answer, for both paths.
func fastCases() []*dns.Msg {
	names := []string{
		"www.example.org.", "WWW.Example.ORG.", "nothing.example.org.", "b.c.example.org.",
		"chain.example.org.", "outside.example.org.", "dangling.example.org.",
		"loop1.example.org.", "child.example.org.", "x.child.example.org.",
		"x.wild.example.org.", "sub.wild.example.org.", "x.old.example.org.",
		"example.org.", "_mqtt._tcp.example.org.", "txt.example.org.",
		"cluster.emqx-cluster.org.", "ClUsTeR.EMQX-cluster.ORG.", "example.com.",
		"todeleg.example.org.", "mxdeleg.example.org.",
	}
	types := []uint16{dns.TypeA, dns.TypeAAAA, dns.TypeMX, dns.TypeNS, dns.TypeSOA,
		dns.TypeDS, dns.TypeANY, dns.TypeTXT, dns.TypeSRV, dns.TypeCNAME}

	var qs []*dns.Msg
	for _, name := range names {
		for _, t := range types {
			q := new(dns.Msg).SetQuestion(name, t)
			qs = append(qs, q, q.Copy().SetEdns0(4096, true), q.Copy().SetEdns0(512, false))
			norec := q.Copy()
			norec.RecursionDesired, norec.CheckingDisabled = false, true
			qs = append(qs, norec)
		}
	}

	return qs
}

// The fast path gives the same replies as Answer, over UDP and TCP.
func TestFastPathMatchesAnswer(t *testing.T) {
	srv, err := New(Config{Addr: "127.0.0.1:0", Zones: []ZoneConfig{
		{Origin: "example.org", File: testdata("db.example.org")},
		{Origin: "emqx-cluster.org", File: testdata("db.emqx-cluster.org")},
	}})
	require.NoError(t, err)

	for _, udp := range []bool{true, false} {
		for _, q := range fastCases() {
			name := q.Question[0].Name + "/" + dns.TypeToString[q.Question[0].Qtype]
			t.Run(name, func(t *testing.T) {
				packed, err := q.Pack()
				require.NoError(t, err)

				fast, ok := srv.fastReply(nil, packed, udp)
				want := srv.Answer(q, udp)
				if !ok {
					assert.Equal(t, dns.RcodeRefused, want.Rcode, "only REFUSED goes slow")
					return
				}
				got := new(dns.Msg)
				require.NoError(t, got.Unpack(fast))
				assertSameReply(t, want, got)
			})
		}
	}
}

// assertSameReply compares two replies: header, and sections in order,
// names compared without case.
func assertSameReply(tb testing.TB, want, got *dns.Msg) {
	tb.Helper()

	assert.Equal(tb, want.MsgHdr, got.MsgHdr)
	assert.Equal(tb, want.Question, got.Question)
	for _, s := range [][2][]dns.RR{{want.Answer, got.Answer}, {want.Ns, got.Ns},
		{want.Extra, got.Extra}} {
		assert.Equal(tb, texts(s[0]), texts(s[1]))
	}
}

func texts(rrs []dns.RR) []string {
	out := make([]string, 0, len(rrs))
	for _, rr := range rrs {
		out = append(out, strings.ToLower(rr.String()))
	}

	return out
}

// Queries of unusual shapes are left to the general path.
func TestParseQueryDeclines(t *testing.T) {
	base := new(dns.Msg).SetQuestion("www.example.org.", dns.TypeA)
	tests := []struct {
		name string
		msg  func() []byte
	}{
		{name: "response", msg: func() []byte { m := base.Copy(); m.Response = true; return pack(m) }},
		{name: "notify", msg: func() []byte { return pack(new(dns.Msg).SetNotify("example.org.")) }},
		{name: "chaos", msg: func() []byte {
			m := base.Copy()
			m.Question[0].Qclass = dns.ClassCHAOS
			return pack(m)
		}},
		{name: "axfr", msg: func() []byte { return pack(new(dns.Msg).SetAxfr("example.org.")) }},
		{name: "edns version 1", msg: func() []byte {
			m := base.Copy().SetEdns0(1232, false)
			m.IsEdns0().SetVersion(1)
			return pack(m)
		}},
		{name: "trailing bytes", msg: func() []byte { return append(pack(base), 0) }},
		{name: "cut short", msg: func() []byte { p := pack(base); return p[:len(p)-1] }},
		{name: "an answer record", msg: func() []byte {
			m := base.Copy()
			m.Answer = []dns.RR{&dns.A{Hdr: dns.RR_Header{Name: "a.", Rrtype: dns.TypeA,
				Class: dns.ClassINET}}}
			return pack(m)
		}},
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, ok := parseQuery(tc.msg())
			assert.False(t, ok)
		})
	}

	_, ok := parseQuery(pack(base.Copy().SetEdns0(1232, true)))
	assert.True(t, ok, "the usual shape")
}

func pack(m *dns.Msg) []byte {
	p, err := m.Pack()
	if err != nil {
		panic(err)
	}

	return p
}

// BenchmarkFastReply answers the seed's query for the cluster name on the
// fast path, as the UDP readers do.
func BenchmarkFastReply(b *testing.B) {
	srv, err := New(Config{Addr: "127.0.0.1:0", Zones: []ZoneConfig{
		{Origin: "emqx-cluster.org", File: testdata("db.emqx-cluster.org")},
	}})
	require.NoError(b, err)

	query := pack(new(dns.Msg).SetQuestion("cluster.emqx-cluster.org.", dns.TypeA).
		SetEdns0(1232, false))
	buf := make([]byte, 0, replyBuffer)
	b.ReportAllocs()

	for b.Loop() {
		reply, ok := srv.fastReply(buf, query, true)
		if !ok || len(reply) != 119 {
			b.Fatalf("reply of %d octets, ok %v", len(reply), ok)
		}
	}
}
