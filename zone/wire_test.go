package zone_test

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/internal/dnstest"
	"dnslab/zone"
)

// wireReply answers q with AppendAnswer, as the server's fast path does,
// and unpacks the reply.
func wireReply(tb testing.TB, z *zone.Zone, q *dns.Msg, limit int) (*dns.Msg, zone.Kind) {
	tb.Helper()

	packed, err := q.Pack()
	require.NoError(tb, err)
	qlen := len(packed) - 12 - 4
	msg := append([]byte(nil), packed...)

	msg, c, kind, truncated := z.AppendAnswer(msg, qlen, q.Question[0].Qtype, limit, zone.Options{})
	binary.BigEndian.PutUint16(msg[6:], c.Answer)
	binary.BigEndian.PutUint16(msg[8:], c.Ns)
	binary.BigEndian.PutUint16(msg[10:], c.Extra)
	if truncated {
		msg[2] |= 0x02
	}

	reply := new(dns.Msg)
	require.NoError(tb, reply.Unpack(msg), "reply must unpack")
	require.LessOrEqual(tb, len(msg), limit)

	return reply, kind
}

// lower returns the records as text in lower case, in order.
func lower(rrs []dns.RR) []string {
	out := make([]string, 0, len(rrs))
	for _, rr := range rrs {
		out = append(out, strings.ToLower(rr.String()))
	}

	return out
}

// The wire answer holds the same records as Lookup, in the same order, for
// every kind of answer.
func TestAppendAnswerMatchesLookup(t *testing.T) {
	z, err := zone.Load(dnstest.Testdata("db.example.org"), "example.org")
	require.NoError(t, err)

	queries := []struct {
		qname string
		qtype uint16
	}{
		{"www.example.org.", dns.TypeA}, {"WWW.Example.ORG.", dns.TypeAAAA},
		{"nothing.example.org.", dns.TypeA}, {"www.example.org.", dns.TypeMX},
		{"b.c.example.org.", dns.TypeA}, {"chain.example.org.", dns.TypeA},
		{"outside.example.org.", dns.TypeA}, {"dangling.example.org.", dns.TypeA},
		{"loop1.example.org.", dns.TypeA}, {"child.example.org.", dns.TypeA},
		{"x.child.example.org.", dns.TypeA}, {"child.example.org.", dns.TypeDS},
		{"x.wild.example.org.", dns.TypeMX}, {"sub.wild.example.org.", dns.TypeA},
		{"x.old.example.org.", dns.TypeA}, {"old.example.org.", dns.TypeDNAME},
		{"example.org.", dns.TypeSOA}, {"example.org.", dns.TypeNS},
		{"example.org.", dns.TypeMX}, {"_mqtt._tcp.example.org.", dns.TypeSRV},
		{"txt.example.org.", dns.TypeTXT}, {"example.org.", dns.TypeANY},
	}

	for _, q := range queries {
		t.Run(q.qname+"/"+dns.TypeToString[q.qtype], func(t *testing.T) {
			want := z.Lookup(q.qname, q.qtype)
			reply, kind := wireReply(t, z, new(dns.Msg).SetQuestion(q.qname, q.qtype), 65535)

			assert.Equal(t, want.Kind, kind)
			assert.Equal(t, lower(want.Answer), lower(reply.Answer), "answer")
			assert.Equal(t, lower(want.Ns), lower(reply.Ns), "authority")
			assert.Equal(t, lower(want.Extra), lower(reply.Extra), "additional")
		})
	}
}

// Names are compressed against the question: the seed's answer to the
// cluster name takes 119 octets with EDNS, as BIND's reply in EMQX's guide.
func TestAppendAnswerCompresses(t *testing.T) {
	z, err := zone.Load(dnstest.SeedFile(), "emqx-cluster.org")
	require.NoError(t, err)

	q := new(dns.Msg).SetQuestion("cluster.emqx-cluster.org.", dns.TypeA)
	packed, err := q.Pack()
	require.NoError(t, err)

	msg, c, kind, truncated := z.AppendAnswer(packed, len(packed)-16, dns.TypeA, 512, zone.Options{})
	assert.Equal(t, zone.Success, kind)
	assert.False(t, truncated)
	assert.Equal(t, zone.Counts{Answer: 2, Ns: 1, Extra: 1}, c)
	assert.Equal(t, 119-11, len(msg), "119 octets less the OPT record")
}

// Whole RRsets are left out when the limit is reached, at every limit:
// what is written is a prefix of the full answer, RRsets never split; a
// cut in the answer asks for TC, a cut in authority or additional does not.
func TestAppendAnswerTruncates(t *testing.T) {
	z, err := zone.Load(dnstest.Testdata("db.example.org"), "example.org")
	require.NoError(t, err)
	q := new(dns.Msg).SetQuestion("www.example.org.", dns.TypeANY)

	full, _ := wireReply(t, z, q, 65535)
	packed, err := full.Pack()
	require.NoError(t, err)
	require.Len(t, full.Answer, 2)
	require.Len(t, full.Ns, 2)

	for limit := len(packed); limit >= 12+len("www.example.org.")+1+4; limit-- {
		reply, _ := wireReply(t, z, q, limit)
		assert.Equal(t, lower(full.Answer[:len(reply.Answer)]), lower(reply.Answer))
		assert.Equal(t, lower(full.Ns[:len(reply.Ns)]), lower(reply.Ns))
		assert.NotEqual(t, 1, len(reply.Ns), "the NS RRset is split at limit %d", limit)
		assert.Equal(t, len(reply.Answer) < len(full.Answer), reply.Truncated,
			"TC at limit %d", limit)
		if len(reply.Answer) < len(full.Answer) {
			assert.Empty(t, reply.Ns, "authority after a cut answer at limit %d", limit)
		}
	}
}
