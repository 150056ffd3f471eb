package zone_test

import (
	"strings"
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/zone"
)

// The walk yields the SOA, then names in RFC 4034 §6.1 canonical order
// (the example of §6.1, less its uppercase and escaped entries' spelling),
// each name's RRsets by type.
func TestRecordsCanonicalOrder(t *testing.T) {
	text := `$TTL 60
@ SOA ns root 1 2 3 4 5
@ NS ns
ns A 192.0.2.1
*.z A 192.0.2.2
zABC.a A 192.0.2.3
z.a TXT "z"
z.a A 192.0.2.4
yljkjljk.a A 192.0.2.5
\001.z A 192.0.2.6
a A 192.0.2.7
\200.z A 192.0.2.8
`
	z, err := zone.Parse(strings.NewReader(text), "example", "f")
	require.NoError(t, err)

	var got []string
	z.Records(func(rr dns.RR) bool {
		got = append(got, rr.Header().Name+" "+dns.TypeToString[rr.Header().Rrtype])
		return true
	})

	want := []string{
		"example. SOA", "example. NS",
		"a.example. A", "yljkjljk.a.example. A", "z.a.example. A", "z.a.example. TXT",
		"zABC.a.example. A", "ns.example. A", `\001.z.example. A`, `*.z.example. A`,
		`\200.z.example. A`,
	}
	assert.Equal(t, want, got)
}

// The closest encloser counts empty non-terminals and is the name itself
// when it exists (RFC 4592 §3.3.1).
func TestClosestEncloser(t *testing.T) {
	text := "$TTL 60\n@ SOA ns root 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\na.b.c A 192.0.2.2\n"
	z, err := zone.Parse(strings.NewReader(text), "example.org", "f")
	require.NoError(t, err)

	tests := []struct {
		name   string
		qname  string
		want   string
		exists bool
	}{
		{name: "existing", qname: "a.b.c.example.org.", want: "a.b.c.example.org.", exists: true},
		{name: "empty non-terminal", qname: "b.c.Example.ORG.", want: "b.c.example.org.",
			exists: true},
		{name: "below a leaf", qname: "x.a.b.c.example.org.", want: "a.b.c.example.org."},
		{name: "beside", qname: "x.c.example.org.", want: "c.example.org."},
		{name: "apex", qname: "example.org.", want: "example.org.", exists: true},
		{name: "below the apex", qname: "nope.example.org.", want: "example.org."},
		{name: "outside", qname: "example.net.", want: ""},
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, exists := z.ClosestEncloser(tc.qname)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.exists, exists)
		})
	}
}
