package dnsserver_test

import (
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/dnsserver"
)

// Faults set while the server runs replace its answers, for one name or
// all, until cleared.
func TestFaults(t *testing.T) {
	faults := new(dnsserver.Faults)
	srv, err := dnsserver.New(dnsserver.Config{Addr: "127.0.0.1:0", Faults: faults,
		Zones: []dnsserver.ZoneConfig{seedZone()}, ReloadInterval: -1})
	require.NoError(t, err)
	require.NoError(t, srv.Start())
	t.Cleanup(func() { srv.Shutdown(t.Context()) })

	cluster := query("cluster.emqx-cluster.org.", dns.TypeA)
	ns1 := query("ns1.emqx-cluster.org.", dns.TypeA)
	rcode := func(network string, q *dns.Msg) string {
		c := &dns.Client{Net: network, Timeout: 300 * time.Millisecond}
		resp, _, err := c.Exchange(q.Copy(), srv.Addr())
		if err != nil {
			return "timeout"
		}
		return dns.RcodeToString[resp.Rcode]
	}

	tests := []struct {
		name          string
		set           func()
		cluster, ns1s string
	}{
		{name: "none", set: func() {}, cluster: "NOERROR", ns1s: "NOERROR"},
		{name: "servfail for one name", cluster: "SERVFAIL", ns1s: "NOERROR",
			set: func() { faults.Set("Cluster.emqx-cluster.org", dnsserver.FaultServFail) }},
		{name: "refused for all", cluster: "SERVFAIL", ns1s: "REFUSED",
			set: func() { faults.Set("", dnsserver.FaultRefused) }},
		{name: "nxdomain", cluster: "NXDOMAIN", ns1s: "REFUSED",
			set: func() { faults.Set("cluster.emqx-cluster.org.", dnsserver.FaultNXDomain) }},
		{name: "timeout", cluster: "timeout", ns1s: "REFUSED",
			set: func() { faults.Set("cluster.emqx-cluster.org.", dnsserver.FaultTimeout) }},
		{name: "cleared", cluster: "NOERROR", ns1s: "NOERROR", set: faults.Clear},
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.set()
			for _, network := range []string{"udp", "tcp"} {
				assert.Equal(t, tc.cluster, rcode(network, cluster), network)
				assert.Equal(t, tc.ns1s, rcode(network, ns1), network)
			}
		})
	}
}

func TestParseFault(t *testing.T) {
	for _, name := range []string{"servfail", "refused", "nxdomain", "timeout"} {
		f, ok := dnsserver.ParseFault(name)
		require.True(t, ok, name)
		assert.Equal(t, name, f.String())
	}
	_, ok := dnsserver.ParseFault("none")
	assert.False(t, ok)
}
