package dnsserver

import (
	"log/slog"
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/internal/dnstest"
)

// With LogQueries, each query gives one line, over UDP (fast path and
// general path) and TCP; without it, none.
func TestQueryLog(t *testing.T) {
	for _, on := range []bool{true, false} {
		logs := new(dnstest.Buffer)
		srv, err := New(Config{Addr: "127.0.0.1:0", LogQueries: on, ReloadInterval: -1,
			Logger: slog.New(slog.NewTextHandler(logs, nil)),
			Zones:  []ZoneConfig{{Origin: "example.org", File: testdata("db.example.org")}}})
		require.NoError(t, err)
		require.NoError(t, srv.Start())
		t.Cleanup(func() { srv.Shutdown(t.Context()) })

		ask := func(network string, m *dns.Msg) {
			c := &dns.Client{Net: network}
			_, _, err := c.Exchange(m, srv.Addr())
			require.NoError(t, err)
		}
		ask("udp", new(dns.Msg).SetQuestion("www.example.org.", dns.TypeA))
		ask("udp", new(dns.Msg).SetQuestion("example.com.", dns.TypeMX))
		ask("tcp", new(dns.Msg).SetQuestion("nothing.example.org.", dns.TypeAAAA))

		lines := []string{
			`msg=query component=dnsserver client=127.0.0.1:`,
			`proto=udp name=www.example.org. type=A rcode=NOERROR size=`,
			`proto=udp name=example.com. type=MX rcode=REFUSED size=`,
			`proto=tcp name=nothing.example.org. type=AAAA rcode=NXDOMAIN size=`,
		}
		for _, line := range lines {
			if on {
				assert.Contains(t, logs.String(), line)
			} else {
				assert.NotContains(t, logs.String(), line)
			}
		}
	}
}
