package zone_test

import (
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/internal/dnstest"
	"dnslab/zone"
)

func TestLookupSeed(t *testing.T) {
	tests := []struct {
		name      string
		qname     string
		qtype     uint16
		wantKind  zone.Kind
		wantRcode int
		answer    []string
		ns        []string
		extra     []string
	}{
		{
			name:  "cluster A",
			qname: "cluster.emqx-cluster.org.", qtype: dns.TypeA,
			wantKind: zone.Success, wantRcode: dns.RcodeSuccess,
			answer: []string{dnstest.SeedCluster1, dnstest.SeedCluster2},
			ns:     []string{dnstest.SeedNS},
			extra:  []string{dnstest.SeedNS1A},
		},
		{
			name:  "cluster A, mixed case and relative",
			qname: "ClUsTeR.EMQX-cluster.ORG", qtype: dns.TypeA,
			wantKind: zone.Success, wantRcode: dns.RcodeSuccess,
			answer: []string{
				// The owner echoes the question's case, as BIND and NSD do.
				"ClUsTeR.EMQX-cluster.ORG. 604800 IN A 192.168.1.162",
				"ClUsTeR.EMQX-cluster.ORG. 604800 IN A 192.168.1.165",
			},
			ns:    []string{dnstest.SeedNS},
			extra: []string{dnstest.SeedNS1A},
		},
		{
			name:  "ns1 A is not repeated in additional",
			qname: "ns1.emqx-cluster.org.", qtype: dns.TypeA,
			wantKind: zone.Success, wantRcode: dns.RcodeSuccess,
			answer: []string{dnstest.SeedNS1A},
			ns:     []string{dnstest.SeedNS},
		},
		{
			name:  "apex NS has no authority",
			qname: "emqx-cluster.org.", qtype: dns.TypeNS,
			wantKind: zone.Success, wantRcode: dns.RcodeSuccess,
			answer: []string{dnstest.SeedNS},
			extra:  []string{dnstest.SeedNS1A},
		},
		{
			name:  "apex SOA",
			qname: "emqx-cluster.org.", qtype: dns.TypeSOA,
			wantKind: zone.Success, wantRcode: dns.RcodeSuccess,
			answer: []string{dnstest.SeedSOA},
			ns:     []string{dnstest.SeedNS},
			extra:  []string{dnstest.SeedNS1A},
		},
		{
			name:  "cluster AAAA is NODATA",
			qname: "cluster.emqx-cluster.org.", qtype: dns.TypeAAAA,
			wantKind: zone.NoData, wantRcode: dns.RcodeSuccess,
			ns: []string{dnstest.SeedNegSOA},
		},
		{
			name:  "apex A is NODATA",
			qname: "emqx-cluster.org.", qtype: dns.TypeA,
			wantKind: zone.NoData, wantRcode: dns.RcodeSuccess,
			ns: []string{dnstest.SeedNegSOA},
		},
		{
			name:  "nonexistent is NXDOMAIN",
			qname: "nonexistent.emqx-cluster.org.", qtype: dns.TypeA,
			wantKind: zone.NameError, wantRcode: dns.RcodeNameError,
			ns: []string{dnstest.SeedNegSOA},
		},
		{
			name:  "below cluster is NXDOMAIN",
			qname: "x.cluster.emqx-cluster.org.", qtype: dns.TypeA,
			wantKind: zone.NameError, wantRcode: dns.RcodeNameError,
			ns: []string{dnstest.SeedNegSOA},
		},
	}
	z := loadSeed(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := z.Lookup(tc.qname, tc.qtype)

			assert.Equal(t, tc.wantKind, res.Kind)
			assert.Equal(t, tc.wantRcode, res.Rcode())
			dnstest.AssertRRs(t, tc.answer, res.Answer, "answer")
			dnstest.AssertRRs(t, tc.ns, res.Ns, "authority")
			dnstest.AssertRRs(t, tc.extra, res.Extra, "additional")
		})
	}
}

func TestLookupNegativeTTL(t *testing.T) {
	tests := []struct {
		name    string
		soa     string
		wantTTL uint32
	}{
		{
			name:    "SOA TTL below MINIMUM",
			soa:     "@ 300 IN SOA ns1 hostmaster 1 7200 3600 1209600 3600",
			wantTTL: 300,
		},
		{
			name:    "MINIMUM below SOA TTL",
			soa:     "@ 3600 IN SOA ns1 hostmaster 1 7200 3600 1209600 60",
			wantTTL: 60,
		},
		{
			name:    "equal",
			soa:     "@ 600 IN SOA ns1 hostmaster 1 7200 3600 1209600 600",
			wantTTL: 600,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			z, err := parse(tc.soa + "\n@ 3600 IN NS ns1\nns1 3600 IN A 192.0.2.1\n")
			require.NoError(t, err)
			asWritten := dnstest.RR(t, "$ORIGIN example.org.\n"+tc.soa)
			want := dns.Copy(asWritten)
			want.Header().Ttl = tc.wantTTL

			for _, qname := range []string{"nonexistent.example.org.", "ns1.example.org."} {
				res := z.Lookup(qname, dns.TypeTXT)
				dnstest.AssertRRs(t, []string{want.String()}, res.Ns, qname)
			}
			assert.Equal(t, asWritten.String(), z.SOA().String(), "the zone's SOA is unchanged")
		})
	}
}

func TestKindString(t *testing.T) {
	tests := []struct {
		kind zone.Kind
		want string
	}{
		{kind: zone.Success, want: "success"},
		{kind: zone.NoData, want: "nodata"},
		{kind: zone.NameError, want: "nxdomain"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.kind.String())
		})
	}
}
