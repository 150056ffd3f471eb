package zone_test

import (
	"strings"
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/zone"
)

// long returns a name of 3 labels of 63 octets and one of n, which with
// example.org takes 206+n octets in wire form.
func long(n int) string {
	return strings.Repeat(strings.Repeat("x", 63)+".", 3) + strings.Repeat("y", n)
}

func TestParseOwnerNames(t *testing.T) {
	tests := []struct {
		name    string
		owner   string
		wantErr bool
	}{
		{name: "escape 255", owner: `ok\255`},
		{name: "escaped dot", owner: `a\.b`},
		{name: "escaped backslash before digits", owner: `a\\256`},
		{name: "escaped letter", owner: `\a\b`},
		{name: "escape 256", owner: `bad\256`, wantErr: true},
		{name: "escape of two digits", owner: `bad\25`, wantErr: true},
		{name: "digits and a letter", owner: `bad\2a`, wantErr: true},
		{name: "255 octets", owner: long(49)},
		{name: "256 octets", owner: long(50), wantErr: true},
		{name: "257 octets", owner: long(51), wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parse(apexText + "\n" + tc.owner + " A 192.0.2.9\n")
			if !tc.wantErr {
				require.NoError(t, err)
				return
			}

			assert.ErrorIs(t, err, zone.ErrSyntax)
			assert.Equal(t, []int{6}, linesOf(err, zone.ErrSyntax))
		})
	}
}

// RFC 1035 §5.1: a record without a TTL takes the last one given; before
// any, BIND takes an SOA's MINIMUM and rejects other records.
func TestParseMissingTTL(t *testing.T) {
	const soa = "@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n"
	tests := []struct {
		name      string
		text      string
		wantTTLs  map[string]uint32 // by owner and type
		wantWarns []int             // lines
		wantErrs  []int             // lines of ErrNoTTL
	}{
		{
			name:      "SOA first, no TTL anywhere",
			text:      soa + "@ NS ns1\nns1 A 192.0.2.1\n",
			wantTTLs:  map[string]uint32{"example.org. SOA": 300, "ns1.example.org. A": 300},
			wantWarns: []int{1},
		},
		{
			name:     "last explicit TTL",
			text:     "@ 600 " + soa[2:] + "@ NS ns1\nns1 60 A 192.0.2.1\nwww A 192.0.2.2\n",
			wantTTLs: map[string]uint32{"example.org. NS": 600, "www.example.org. A": 60},
		},
		{
			name:     "records before any TTL",
			text:     "@ NS ns1\nns1 A 192.0.2.1\n@ 600 " + soa[2:],
			wantErrs: []int{1, 2},
		},
		{
			name:      "TTL above 2^31-1",
			text:      "$TTL 60\n" + soa + "@ NS ns1\nns1 2147483648 A 192.0.2.1\n",
			wantTTLs:  map[string]uint32{"ns1.example.org. A": 0},
			wantWarns: []int{4},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			z, err := parse(tc.text)
			if tc.wantErrs != nil {
				assert.Nil(t, z)
				assert.Equal(t, tc.wantErrs, linesOf(err, zone.ErrNoTTL))
				return
			}
			require.NoError(t, err)

			ttls := make(map[string]uint32)
			for rr := range z.Records {
				h := rr.Header()
				ttls[h.Name+" "+dns.Type(h.Rrtype).String()] = h.Ttl
			}
			for key, want := range tc.wantTTLs {
				assert.Equal(t, want, ttls[key], key)
			}
			var warned []int
			for _, w := range z.Warnings() {
				warned = append(warned, w.Line)
			}
			assert.Equal(t, tc.wantWarns, warned)
		})
	}
}
