package zone_test

import (
	"strconv"
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/internal/dnstest"
	"dnslab/zone"
)

// Scan gives each record of the seed zone with the line it ends on.
func TestScan(t *testing.T) {
	var got []string
	err := zone.Scan(dnstest.SeedFile(), "emqx-cluster.org", func(rr dns.RR, _ string, line int) bool {
		got = append(got, dns.TypeToString[rr.Header().Rrtype]+" "+rr.Header().Name+" "+
			strconv.Itoa(line))
		return true
	})
	require.NoError(t, err)

	assert.Equal(t, []string{
		"SOA emqx-cluster.org. 9", "NS emqx-cluster.org. 11", "A ns1.emqx-cluster.org. 12",
		"A cluster.emqx-cluster.org. 13", "A cluster.emqx-cluster.org. 14",
	}, got)
}
