package zone_test

import (
	"strings"
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/internal/dnstest"
	"dnslab/zone"
)

// apex is the head of the small example.org zones below: lines 1 to 4.
const apex = "$TTL 3600\n" +
	"@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n" +
	"@ IN NS ns1\n" +
	"ns1 IN A 192.0.2.1\n"

// apexRecords are the records of apex.
var apexRecords = []string{
	"example.org. 3600 IN SOA ns1.example.org. hostmaster.example.org. 1 7200 3600 1209600 300",
	"example.org. 3600 IN NS ns1.example.org.",
	"ns1.example.org. 3600 IN A 192.0.2.1",
}

func TestParseOutOfZone(t *testing.T) {
	const text = apex +
		"www.example.com. IN A 192.0.2.9\n" +
		"www IN A 192.0.2.2\n" +
		"badexample.org. IN A 192.0.2.10"
	tests := []struct {
		name string
		text string
	}{
		{name: "final newline", text: text + "\n"},
		{name: "no final newline", text: text},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			z, err := parse(tc.text)
			require.NoError(t, err)

			want := append([]string{"www.example.org. 3600 IN A 192.0.2.2"}, apexRecords...)
			dnstest.AssertRRs(t, want, records(z))
			assert.Equal(t, 4, z.Len())

			var lines []int
			for _, w := range z.Warnings() {
				assert.ErrorIs(t, w, zone.ErrOutOfZone)
				assert.Equal(t, "f", w.File)
				lines = append(lines, w.Line)
			}
			assert.Equal(t, []int{5, 7}, lines)
		})
	}
}

func TestParseDuplicatesCollapse(t *testing.T) {
	tests := []struct {
		name  string
		extra string // lines after apex
		want  []string
	}{
		{
			name:  "same text twice",
			extra: "www IN A 192.0.2.2\nwww IN A 192.0.2.2\n",
			want:  []string{"www.example.org. 3600 IN A 192.0.2.2"},
		},
		{
			name:  "absolute and relative owner, other case",
			extra: "www IN A 192.0.2.2\nWWW.Example.ORG. IN A 192.0.2.2\n",
			want:  []string{"www.example.org. 3600 IN A 192.0.2.2"},
		},
		{
			name:  "other TTL: the first is kept",
			extra: "www 60 IN A 192.0.2.2\nwww 120 IN A 192.0.2.2\n",
			want:  []string{"www.example.org. 60 IN A 192.0.2.2"},
		},
		{
			name:  "apex NS repeated",
			extra: "example.org. IN NS ns1.example.org.\n",
		},
		{
			name:  "same SOA repeated",
			extra: "@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n",
		},
		{
			name:  "same SOA repeated with another TTL",
			extra: "@ 60 IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			z, err := parse(apex + tc.extra)
			require.NoError(t, err)

			want := append(append([]string(nil), apexRecords...), tc.want...)
			dnstest.AssertRRs(t, want, records(z))
			assert.Equal(t, len(want), z.Len())
		})
	}
}

func TestLookupEmptyNonTerminal(t *testing.T) {
	z, err := parse(apex + "a.b.c IN A 192.0.2.3\n")
	require.NoError(t, err)

	tests := []struct {
		name  string
		qname string
		want  zone.Kind
	}{
		{name: "the leaf", qname: "a.b.c.example.org.", want: zone.Success},
		{name: "its parent", qname: "b.c.example.org.", want: zone.NoData},
		{name: "its grandparent", qname: "c.example.org.", want: zone.NoData},
		{name: "its parent in upper case", qname: "B.C.EXAMPLE.ORG.", want: zone.NoData},
		{name: "a sibling", qname: "x.c.example.org.", want: zone.NameError},
		{name: "below the leaf", qname: "x.a.b.c.example.org.", want: zone.NameError},
	}
	soa := []string{
		"example.org. 300 IN SOA ns1.example.org. hostmaster.example.org. 1 7200 3600 1209600 300",
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := z.Lookup(tc.qname, dns.TypeA)

			assert.Equal(t, tc.want, res.Kind)
			if tc.want != zone.Success {
				assert.Empty(t, res.Answer)
				dnstest.AssertRRs(t, soa, res.Ns)
			}
		})
	}
	assert.Equal(t, 4, z.Len(), "empty non-terminals are not records")
}

func TestParseEscapedNames(t *testing.T) {
	tests := []struct {
		name       string
		origin     string
		text       string
		wantOrigin string
		qname      string // has an A record
	}{
		{
			name:       "owner with a decimal escape",
			origin:     "example.org.",
			text:       apex + "\\119ww IN A 192.0.2.2\n",
			wantOrigin: "example.org.",
			qname:      "www.example.org.",
		},
		{
			name:       "origin with a needed escape",
			origin:     `Sp\ ace.org`,
			text:       apex,
			wantOrigin: `sp\ ace.org.`,
			qname:      `NS1.sp\ ace.org.`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			z, err := zone.Parse(strings.NewReader(tc.text), tc.origin, "f")
			require.NoError(t, err)

			assert.Equal(t, tc.wantOrigin, z.Origin())
			assert.Empty(t, z.Warnings())
			assert.Equal(t, zone.Success, z.Lookup(tc.qname, dns.TypeA).Kind)
		})
	}
}

// A record with an empty owner (a blank owner on the first line) is
// indexed at the root like "." and keeps its RDATA. Found by FuzzParse
// (testdata/fuzz/FuzzParse/bc3b7f43f771b128): the NS lost its data.
func TestParseEmptyOwner(t *testing.T) {
	text := " SOA 0 0 ( 0 0 0 0 0 )\n NS ns\nns A 192.0.2.1\n"
	z, err := zone.Parse(strings.NewReader(text), ".", "f")
	require.NoError(t, err)

	res := z.Lookup(".", dns.TypeNS)
	dnstest.AssertRRs(t, []string{". 0 IN NS ns."}, res.Answer)
	assert.Equal(t, 3, z.Len())
}

// The SOA that SOA() and Records hand out is the one lookups answer with,
// though the parser spells a name with a quote differently from how it
// unpacks. Found by FuzzParse (testdata/fuzz/FuzzParse/9177c0ecb97c8f81).
func TestSOAIsTheIndexedOne(t *testing.T) {
	text := "$TTL 60\n@ SOA 0 0'( 0 0 0 0 0)\n NS ns1\nns1 A 192.0.2.1\n"
	z, err := zone.Parse(strings.NewReader(text), "0", "f")
	require.NoError(t, err)

	res := z.Lookup("0.", dns.TypeSOA)
	require.Len(t, res.Answer, 1)
	assert.Equal(t, z.SOA().String(), res.Answer[0].String())
}
