package dnsserver_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/dnsserver"
	"dnslab/internal/dnstest"
	"dnslab/zone"
)

// smallZone is a zone for example.org. with serial and www's address
// filled in; its www record is on line 5.
const smallZone = "$TTL 3600\n" +
	"@ IN SOA ns1 hostmaster %s 7200 3600 1209600 300\n" +
	"@ IN NS ns1\n" +
	"ns1 IN A 192.0.2.1\n" +
	"www IN A %s\n"

func writeZone(tb testing.TB, path, serial, addr string) {
	tb.Helper()

	text := []byte(fmt.Sprintf(smallZone, serial, addr))
	require.NoError(tb, os.WriteFile(path, text, 0o644))
}

func TestReload(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db.example.org")
	writeZone(t, path, "1", "192.0.2.10")
	srv := startServer(t, dnsserver.ZoneConfig{Origin: "example.org.", File: path})
	www := func(t *testing.T) []dns.RR {
		t.Helper()
		return exchange(t, "udp", srv.Addr(), query("www.example.org.", dns.TypeA)).Answer
	}
	dnstest.AssertRRs(t, []string{"www.example.org. 3600 IN A 192.0.2.10"}, www(t))

	t.Run("broken file keeps the old zone", func(t *testing.T) {
		writeZone(t, path, "2", "1.2.3")

		err := srv.Reload()
		require.Error(t, err)

		var pe *zone.ParseError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, path, pe.File)
		assert.Equal(t, 5, pe.Line)
		assert.ErrorContains(t, err, path+":5: ")
		dnstest.AssertRRs(t, []string{"www.example.org. 3600 IN A 192.0.2.10"}, www(t))
		assert.Equal(t, uint32(1), srv.Zone("example.org").Serial())
	})

	t.Run("good edit is served", func(t *testing.T) {
		writeZone(t, path, "3", "192.0.2.30")

		require.NoError(t, srv.Reload())

		dnstest.AssertRRs(t, []string{"www.example.org. 3600 IN A 192.0.2.30"}, www(t))
		assert.Equal(t, uint32(3), srv.Zone("example.org").Serial())
	})

	t.Run("deleted file keeps the last good zone", func(t *testing.T) {
		require.NoError(t, os.Remove(path))

		err := srv.Reload()

		assert.ErrorIs(t, err, os.ErrNotExist)
		dnstest.AssertRRs(t, []string{"www.example.org. 3600 IN A 192.0.2.30"}, www(t))
	})
}
