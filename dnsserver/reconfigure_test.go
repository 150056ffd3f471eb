package dnsserver_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/dnsserver"
	"dnslab/internal/dnstest"
	"dnslab/zone"
)

func TestReconfigure(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db.example.org")
	writeZone(t, path, "1", "192.0.2.10")
	example := dnsserver.ZoneConfig{Origin: "example.org.", File: path}
	srv := startServer(t, example)
	addr := srv.Addr()
	ask := func(t *testing.T, name string) *dns.Msg {
		t.Helper()
		return exchange(t, "udp", addr, query(name, dns.TypeA))
	}
	require.Len(t, ask(t, "www.example.org.").Ns, 1)

	t.Run("zone added and minimal on", func(t *testing.T) {
		err := srv.Reconfigure(dnsserver.Config{Addr: "127.0.0.1:0", Minimal: true,
			Zones: []dnsserver.ZoneConfig{example, seedZone()}})

		require.NoError(t, err)
		assert.Equal(t, addr, srv.Addr())
		www := ask(t, "www.example.org.")
		dnstest.AssertRRs(t, []string{"www.example.org. 3600 IN A 192.0.2.10"}, www.Answer)
		assert.Empty(t, www.Ns)
		dnstest.AssertRRs(t, []string{dnstest.SeedCluster1, dnstest.SeedCluster2},
			ask(t, "cluster.emqx-cluster.org.").Answer)
	})

	t.Run("broken zone keeps the configuration", func(t *testing.T) {
		broken := dnstest.WriteFile(t, "db.example.net",
			"$TTL 60\n@ SOA a. b. 1 2 3 4 5\nx A 1.2\n")

		err := srv.Reconfigure(dnsserver.Config{Addr: addr, Zones: []dnsserver.ZoneConfig{
			example, {Origin: "example.net.", File: broken}}})

		var pe *zone.ParseError
		require.ErrorAs(t, err, &pe)
		assert.ErrorContains(t, err, broken+":3: ")
		assert.Empty(t, ask(t, "www.example.org.").Ns, "still minimal")
		assert.Len(t, ask(t, "cluster.emqx-cluster.org.").Answer, 2)
		assert.Equal(t, dns.RcodeRefused, ask(t, "x.example.net.").Rcode)
	})

	t.Run("zone removed and minimal off", func(t *testing.T) {
		require.NoError(t, srv.Reconfigure(dnsserver.Config{Addr: "127.0.0.1:0",
			Zones: []dnsserver.ZoneConfig{example}}))

		assert.Len(t, ask(t, "www.example.org.").Ns, 1)
		assert.Equal(t, dns.RcodeRefused, ask(t, "cluster.emqx-cluster.org.").Rcode)
		assert.Nil(t, srv.Zone("emqx-cluster.org"))
		assert.ErrorIs(t, srv.ReloadZone("emqx-cluster.org"), dnsserver.ErrUnknownZone)
	})
}

func TestReconfigureRefused(t *testing.T) {
	srv := startServer(t, seedZone())
	zones := []dnsserver.ZoneConfig{seedZone()}

	tests := []struct {
		name string
		cfg  dnsserver.Config
		err  error
	}{
		{name: "other address", cfg: dnsserver.Config{Addr: "127.0.0.1:1", Zones: zones},
			err: dnsserver.ErrAddrChanged},
		{name: "default address", cfg: dnsserver.Config{Zones: zones},
			err: dnsserver.ErrAddrChanged},
		{name: "no zones", cfg: dnsserver.Config{Addr: "127.0.0.1:0"}, err: dnsserver.ErrNoZones},
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := srv.Reconfigure(tc.cfg)

			assert.ErrorIs(t, err, tc.err)
			assert.Len(t, exchange(t, "udp", srv.Addr(),
				query("cluster.emqx-cluster.org.", dns.TypeA)).Answer, 2)
		})
	}
}

// A staged configuration changes nothing until it is committed.
func TestStage(t *testing.T) {
	srv := startServer(t, seedZone())

	st, err := srv.Stage(dnsserver.Config{Addr: srv.Addr(), Minimal: true,
		Zones: []dnsserver.ZoneConfig{seedZone()}})
	require.NoError(t, err)

	req := query("cluster.emqx-cluster.org.", dns.TypeA)
	assert.Len(t, exchange(t, "udp", srv.Addr(), req).Ns, 1)
	st.Commit()
	assert.Empty(t, exchange(t, "udp", srv.Addr(), req).Ns)
}

// After Reconfigure the watcher follows the new zone files.
func TestReconfigureWatches(t *testing.T) {
	dir := t.TempDir()
	oldPath, newPath := filepath.Join(dir, "db.old"), filepath.Join(dir, "db.new")
	writeZone(t, oldPath, "1", "192.0.2.1")
	writeZone(t, newPath, "1", "192.0.2.2")
	srv := startServer(t, dnsserver.ZoneConfig{Origin: "example.org.", File: oldPath})

	reloads := make(chan uint32, 10)
	require.NoError(t, srv.Reconfigure(dnsserver.Config{
		Addr: "127.0.0.1:0", ReloadInterval: 20 * time.Millisecond,
		Zones:    []dnsserver.ZoneConfig{{Origin: "example.org.", File: newPath}},
		OnReload: func(_ string, serial uint32, _ error) { reloads <- serial },
	}))
	writeZone(t, newPath, "2", "192.0.2.3")

	select {
	case serial := <-reloads:
		assert.Equal(t, uint32(2), serial)
	case <-time.After(ioTimeout):
		t.Fatal("the new zone file was not reloaded")
	}
	dnstest.AssertRRs(t, []string{"www.example.org. 3600 IN A 192.0.2.3"},
		exchange(t, "udp", srv.Addr(), query("www.example.org.", dns.TypeA)).Answer)
}
