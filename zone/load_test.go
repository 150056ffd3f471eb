package zone_test

import (
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/internal/dnstest"
	"dnslab/zone"
)

// loadSeed loads the seed zone, failing tb when it does not load.
func loadSeed(tb testing.TB) *zone.Zone {
	tb.Helper()

	z, err := zone.Load(dnstest.SeedFile(), "emqx-cluster.org")
	require.NoError(tb, err)

	return z
}

// records returns every record of z in the order Records yields them.
func records(z *zone.Zone) []dns.RR {
	var rrs []dns.RR
	for rr := range z.Records {
		rrs = append(rrs, rr)
	}

	return rrs
}

func TestLoadSeed(t *testing.T) {
	z := loadSeed(t)

	dnstest.AssertRRs(t, dnstest.SeedRecords, records(z))
	assert.Equal(t, "emqx-cluster.org.", z.Origin())
	assert.Equal(t, uint32(2018042201), z.Serial())
	assert.Equal(t, 5, z.Len())
	assert.Empty(t, z.Warnings())
	dnstest.AssertRRs(t, []string{dnstest.SeedSOA}, []dns.RR{z.SOA()})
}

func TestRecordsSOAFirst(t *testing.T) {
	rrs := records(loadSeed(t))

	require.NotEmpty(t, rrs)
	assert.Equal(t, dns.TypeSOA, rrs[0].Header().Rrtype)
}

func TestRecordsStopsWhenYieldReturnsFalse(t *testing.T) {
	tests := []struct {
		name string
		stop int // the call of yield that returns false
	}{
		{name: "on the SOA", stop: 1},
		{name: "in the owner-name walk", stop: 3},
	}
	z := loadSeed(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var calls int
			z.Records(func(dns.RR) bool {
				calls++
				return calls < tc.stop
			})

			assert.Equal(t, tc.stop, calls)
		})
	}
}

func TestLoadOriginSpellings(t *testing.T) {
	tests := []struct {
		name   string
		origin string
	}{
		{name: "relative", origin: "emqx-cluster.org"},
		{name: "fully qualified", origin: "emqx-cluster.org."},
		{name: "upper case", origin: "EMQX-CLUSTER.ORG"},
		{name: "mixed case, fully qualified", origin: "Emqx-Cluster.Org."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			z, err := zone.Load(dnstest.SeedFile(), tc.origin)
			require.NoError(t, err)

			assert.Equal(t, "emqx-cluster.org.", z.Origin())
			dnstest.AssertRRs(t, dnstest.SeedRecords, records(z))
			assert.Equal(t, zone.Success, z.Lookup("cluster.emqx-cluster.org.", dns.TypeA).Kind)
		})
	}
}
