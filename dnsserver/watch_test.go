package dnsserver

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"dnslab/internal/dnstest"
	"dnslab/zone"
)

// watchZone is a zone with its serial and www's address to fill in; its
// names are relative, so it serves any origin. The www record is on line 5.
const watchZone = "$TTL 3600\n" +
	"@ IN SOA ns1 hostmaster %d 7200 3600 1209600 300\n" +
	"@ IN NS ns1\n" +
	"ns1 IN A 192.0.2.1\n" +
	"www IN A %s\n"

// How long tests wait for the watcher, and how often they look. Edits are
// picked up within a second; the margin is for loaded CI machines.
const (
	watchWait = 10 * time.Second
	watchTick = 5 * time.Millisecond
)

// never is a ReloadInterval that leaves pick-ups to file events.
const never = time.Hour

func zoneText(serial uint32, www string) string {
	return fmt.Sprintf(watchZone, serial, www)
}

// writeInPlace rewrites the file at path, truncating it first.
func writeInPlace(tb testing.TB, path, text string) {
	tb.Helper()

	require.NoError(tb, os.WriteFile(path, []byte(text), 0o644))
}

// writeByRename writes text to a new file beside path and renames it over
// path, as editors and `sed -i` do.
func writeByRename(tb testing.TB, path, text string) {
	tb.Helper()

	tmp := path + ".tmp"
	require.NoError(tb, os.WriteFile(tmp, []byte(text), 0o644))
	require.NoError(tb, os.Rename(tmp, path))
}

// reloadEvent is one call of Config.OnReload.
type reloadEvent struct {
	origin string
	serial uint32
	err    error
}

// reloadRecorder keeps the calls of Config.OnReload.
type reloadRecorder struct {
	mu     sync.Mutex
	events []reloadEvent
}

func (r *reloadRecorder) record(origin string, serial uint32, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()

	r.events = append(r.events, reloadEvent{origin: origin, serial: serial, err: err})
}

func (r *reloadRecorder) all() []reloadEvent {
	r.mu.Lock()
	defer r.mu.Unlock()

	return append([]reloadEvent(nil), r.events...)
}

// watched is a server for the zone example.org., with its log and its
// reload reports.
type watched struct {
	srv     *Server
	path    string
	logs    *dnstest.Buffer
	reloads *reloadRecorder
}

// newWatched writes text as the zone file of example.org. and builds a
// server for it on 127.0.0.1:0 polling every interval, not yet started.
func newWatched(tb testing.TB, text string, interval time.Duration) *watched {
	tb.Helper()

	h := &watched{
		path:    dnstest.WriteFile(tb, "db.example.org", text),
		logs:    &dnstest.Buffer{},
		reloads: &reloadRecorder{},
	}

	srv, err := New(Config{
		Addr:           "127.0.0.1:0",
		Zones:          []ZoneConfig{{Origin: "example.org.", File: h.path}},
		Logger:         slog.New(slog.NewJSONHandler(h.logs, nil)),
		ReloadInterval: interval,
		OnReload:       h.reloads.record,
	})
	require.NoError(tb, err)
	h.srv = srv

	return h
}

// start starts the server and shuts it down when tb ends.
func (h *watched) start(tb testing.TB) {
	tb.Helper()

	require.NoError(tb, h.srv.Start())
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), watchWait)
		defer cancel()
		assert.NoError(tb, h.srv.Shutdown(ctx))
	})
}

// startWatched is newWatched followed by start.
func startWatched(tb testing.TB, text string, interval time.Duration) *watched {
	tb.Helper()

	h := newWatched(tb, text, interval)
	h.start(tb)

	return h
}

// askA asks addr over UDP for the A records of name; a reply other than
// NOERROR is an error.
func askA(addr, name string) ([]dns.RR, error) {
	c := &dns.Client{Net: "udp", Timeout: 5 * time.Second}
	resp, _, err := c.Exchange(new(dns.Msg).SetQuestion(name, dns.TypeA), addr)
	if err != nil {
		return nil, err
	}
	if resp.Rcode != dns.RcodeSuccess {
		return nil, fmt.Errorf("rcode %s", dns.RcodeToString[resp.Rcode])
	}

	return resp.Answer, nil
}

// wwwAddr returns the address of the only A record in rrs, or "".
func wwwAddr(rrs []dns.RR) string {
	if len(rrs) != 1 {
		return ""
	}
	a, ok := rrs[0].(*dns.A)
	if !ok {
		return ""
	}

	return a.A.String()
}

// assertWWW checks that the server answers www.example.org. with addr.
func (h *watched) assertWWW(tb testing.TB, addr string) {
	tb.Helper()

	rrs, err := askA(h.srv.Addr(), "www.example.org.")
	require.NoError(tb, err)
	dnstest.AssertRRs(tb, []string{"www.example.org. 3600 IN A " + addr}, rrs)
}

// waitWWW waits until the server answers www.example.org. with addr.
func (h *watched) waitWWW(tb testing.TB, addr string) {
	tb.Helper()

	require.Eventually(tb, func() bool {
		rrs, err := askA(h.srv.Addr(), "www.example.org.")
		return err == nil && wwwAddr(rrs) == addr
	}, watchWait, watchTick, "www.example.org. never answered %s", addr)
}

// waitReload waits for a reload reported with an error or without one and
// returns the first.
func (h *watched) waitReload(tb testing.TB, failed bool) reloadEvent {
	tb.Helper()

	var found reloadEvent
	require.Eventually(tb, func() bool {
		for _, ev := range h.reloads.all() {
			if (ev.err != nil) == failed {
				found = ev
				return true
			}
		}
		return false
	}, watchWait, watchTick, "no reload with failed=%v", failed)

	return found
}

// logged returns the records logged with message msg, decoded.
func (h *watched) logged(tb testing.TB, msg string) []map[string]any {
	tb.Helper()

	var out []map[string]any
	for line := range strings.Lines(h.logs.String()) {
		var rec map[string]any
		require.NoError(tb, json.Unmarshal([]byte(line), &rec), "log line %q", line)
		if rec["msg"] == msg {
			out = append(out, rec)
		}
	}

	return out
}

const (
	msgLoaded = "zone loaded"
	msgFailed = "zone reload failed; serving the last good zone"
	msgSerial = "zone changed but its serial did not increase; " +
		"secondaries will not see the change"
)

func TestWatchPicksUpEdits(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(tb testing.TB, path, text string)
		interval time.Duration
		pollOnly bool
	}{
		{name: "in place, file events", edit: writeInPlace, interval: never},
		{name: "by rename, file events", edit: writeByRename, interval: never},
		{
			name: "in place, polling only", edit: writeInPlace,
			interval: 200 * time.Millisecond, pollOnly: true,
		},
		{
			name: "by rename, polling only", edit: writeByRename,
			interval: 200 * time.Millisecond, pollOnly: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newWatched(t, zoneText(1, "192.0.2.10"), tc.interval)
			h.srv.pollOnly = tc.pollOnly
			h.start(t)
			h.assertWWW(t, "192.0.2.10")

			start := time.Now()
			tc.edit(t, h.path, zoneText(2, "192.0.2.20"))
			h.waitWWW(t, "192.0.2.20")
			t.Logf("edit picked up after %v", time.Since(start))

			h.assertWWW(t, "192.0.2.20")
			assert.Equal(t, uint32(2), h.srv.Zone("example.org.").Serial())
			ev := h.waitReload(t, false)
			assert.Equal(t, reloadEvent{origin: "example.org.", serial: 2}, ev)

			loads := h.logged(t, msgLoaded)
			require.Len(t, loads, 2, "the initial load and the reload")
			assert.EqualValues(t, 2, loads[1]["serial"])
			assert.EqualValues(t, 4, loads[1]["records"])
			assert.Equal(t, h.path, loads[1]["file"])
			assert.Contains(t, loads[1], "took")
		})
	}
}

func TestWatchBrokenEditKeepsTheLastGoodZone(t *testing.T) {
	tests := []struct {
		name   string
		line   int    // the line broken
		broken string // what it reads then
	}{
		{name: "bad TTL", line: 1, broken: "$TTL forever"},
		{name: "bad SOA serial", line: 2, broken: "@ IN SOA ns1 hostmaster two 2 3 4 5"},
		{name: "bad AAAA", line: 4, broken: "ns1 IN AAAA 192.0.2.1"},
		{name: "bad A", line: 5, broken: "www IN A 1.2.3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := startWatched(t, zoneText(1, "192.0.2.10"), DefaultReloadInterval)

			// NB: by rename, so that no reload sees the file half written.
			writeByRename(t, h.path, replaceLine(zoneText(2, "192.0.2.20"), tc.line, tc.broken))

			h.assertFailedAt(t, h.waitReload(t, true), tc.line)
			h.assertWWW(t, "192.0.2.10")
			assert.Equal(t, uint32(1), h.srv.Zone("example.org.").Serial())

			writeInPlace(t, h.path, zoneText(3, "192.0.2.30"))
			h.waitWWW(t, "192.0.2.30")
			assert.Equal(t, uint32(3), h.srv.Zone("example.org.").Serial())
		})
	}
}

// replaceLine returns text with its line n (from 1) replaced by line.
func replaceLine(text string, n int, line string) string {
	lines := strings.SplitAfter(text, "\n")
	lines[n-1] = line + "\n"

	return strings.Join(lines, "")
}

// assertFailedAt checks that ev reports a failed reload of example.org.
// whose error names the zone file and line, and that the error was logged
// with the serial still served, 1.
func (h *watched) assertFailedAt(tb testing.TB, ev reloadEvent, line int) {
	tb.Helper()

	assert.Equal(tb, "example.org.", ev.origin)
	assert.Equal(tb, uint32(1), ev.serial, "the serial still served")
	var pe *zone.ParseError
	require.ErrorAs(tb, ev.err, &pe)
	assert.Equal(tb, h.path, pe.File)
	assert.Equal(tb, line, pe.Line)
	pos := fmt.Sprintf("%s:%d: ", h.path, line)
	assert.True(tb, strings.HasPrefix(ev.err.Error(), pos), "%q lacks %q", ev.err, pos)

	fails := h.logged(tb, msgFailed)
	require.NotEmpty(tb, fails)
	assert.Equal(tb, "ERROR", fails[0]["level"])
	assert.Equal(tb, "example.org.", fails[0]["zone"])
	assert.EqualValues(tb, 1, fails[0]["serial"])
	assert.Equal(tb, ev.err.Error(), fails[0]["err"])
}

func TestWatchSerialNotIncreased(t *testing.T) {
	tests := []struct {
		name      string
		oldSerial uint32
		next      string // the zone file after the edit
		www       string // the address served then
		serial    uint32 // the serial served then
		warn      bool
	}{
		{
			name: "same serial", oldSerial: 5, next: zoneText(5, "192.0.2.20"),
			www: "192.0.2.20", serial: 5, warn: true,
		},
		{
			name: "lower serial", oldSerial: 5, next: zoneText(4, "192.0.2.20"),
			www: "192.0.2.20", serial: 4, warn: true,
		},
		{
			name: "serial wrapped past zero", oldSerial: 4294967295,
			next: zoneText(1, "192.0.2.20"), www: "192.0.2.20", serial: 1, warn: false,
		},
		{
			name: "comment added, records unchanged", oldSerial: 5,
			next: zoneText(5, "192.0.2.10") + "; a comment\n",
			www:  "192.0.2.10", serial: 5, warn: false,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := startWatched(t, zoneText(tc.oldSerial, "192.0.2.10"), DefaultReloadInterval)

			writeByRename(t, h.path, tc.next)
			ev := h.waitReload(t, false)

			assert.Equal(t, reloadEvent{origin: "example.org.", serial: tc.serial}, ev)
			h.assertWWW(t, tc.www)
			warns := h.logged(t, msgSerial)
			if !tc.warn {
				assert.Empty(t, warns)
				return
			}
			require.Len(t, warns, 1)
			assert.Equal(t, "WARN", warns[0]["level"])
			assert.Equal(t, "example.org.", warns[0]["zone"])
			assert.EqualValues(t, tc.oldSerial, warns[0]["old_serial"])
			assert.EqualValues(t, tc.serial, warns[0]["serial"])
		})
	}
}

func TestSerialGreater(t *testing.T) {
	tests := []struct {
		name string
		a, b uint32
		want bool
	}{
		{name: "next", a: 2, b: 1, want: true},
		{name: "equal", a: 7, b: 7, want: false},
		{name: "smaller", a: 1, b: 2, want: false},
		{name: "wrapped past zero", a: 0, b: 4294967295, want: true},
		{name: "just under half the space ahead", a: 1<<31 - 1, b: 0, want: true},
		{name: "half the space apart is not comparable", a: 1 << 31, b: 0, want: false},
		{name: "more than half ahead is behind", a: 1<<31 + 1, b: 0, want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, serialGreater(tc.a, tc.b))
		})
	}
}

// TestWatchAnswersEveryQueryDuringEdits checks that reloads are atomic: a
// client querying throughout gets NOERROR every time, with the records of
// one version of the zone and never an older one than before.
func TestWatchAnswersEveryQueryDuringEdits(t *testing.T) {
	h := startWatched(t, zoneText(1, "192.0.2.10"), DefaultReloadInterval)

	stop := make(chan struct{})
	result := make(chan queryTally, 1)
	go func() { result <- queryUntil(h.srv.Addr(), stop, 5000) }()

	edits := []struct {
		edit   func(tb testing.TB, path, text string)
		serial uint32
		www    string // "" for a broken edit
	}{
		{edit: writeByRename, serial: 2, www: "192.0.2.20"},
		{edit: writeInPlace, serial: 3, www: "192.0.2.30"},
		{edit: writeByRename, serial: 4, www: ""},
		{edit: writeByRename, serial: 5, www: "192.0.2.50"},
		{edit: writeInPlace, serial: 6, www: "192.0.2.60"},
	}
	for _, e := range edits {
		if e.www == "" {
			e.edit(t, h.path, zoneText(e.serial, "1.2.3"))
			h.waitReload(t, true)
			continue
		}
		e.edit(t, h.path, zoneText(e.serial, e.www))
		h.waitWWW(t, e.www)
	}
	close(stop)

	tally := <-result
	t.Logf("%d queries answered during the edits", tally.answered)
	assert.Positive(t, tally.answered)
	assert.Empty(t, tally.failures)
}

// queryTally is what queryUntil saw.
type queryTally struct {
	answered int
	failures []string
}

// queryUntil asks addr for www.example.org. until stop is closed or max
// queries were sent. Each answer must hold one address of 192.0.2.0/24,
// the zone versions' addresses growing with their serials.
func queryUntil(addr string, stop <-chan struct{}, max int) queryTally {
	var t queryTally
	var last byte
	for range max {
		select {
		case <-stop:
			return t
		default:
		}

		rrs, err := askA(addr, "www.example.org.")
		a, ok := oneTestAddr(rrs)
		switch {
		case err != nil:
			t.failures = append(t.failures, err.Error())
		case !ok || a < last:
			t.failures = append(t.failures, fmt.Sprintf("after .%d: %v", last, rrs))
		default:
			t.answered++
			last = a
		}
	}

	return t
}

// oneTestAddr returns the last byte of the only A record in rrs when it
// is in 192.0.2.0/24.
func oneTestAddr(rrs []dns.RR) (byte, bool) {
	ip := wwwAddr(rrs)
	rest, ok := strings.CutPrefix(ip, "192.0.2.")
	if !ok {
		return 0, false
	}

	var b byte
	_, err := fmt.Sscan(rest, &b)

	return b, err == nil
}

func TestWatchStopsOnShutdown(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())

	h := startWatched(t, zoneText(1, "192.0.2.10"), 20*time.Millisecond)
	writeByRename(t, h.path, zoneText(2, "192.0.2.20"))
	h.waitWWW(t, "192.0.2.20")

	require.NoError(t, h.srv.Shutdown(context.Background()))
	reloads := len(h.reloads.all())
	writeByRename(t, h.path, zoneText(3, "192.0.2.30"))

	// NB: a watcher still running would poll dozens of times meanwhile.
	assert.Never(t, func() bool { return len(h.reloads.all()) > reloads },
		500*time.Millisecond, 10*time.Millisecond, "reloaded after Shutdown")
	assert.Equal(t, uint32(2), h.srv.Zone("example.org.").Serial())
	assert.NoError(t, h.srv.Shutdown(context.Background()), "a second Shutdown")
}

func TestReloadZone(t *testing.T) {
	dir := t.TempDir()
	org, net := filepath.Join(dir, "db.example.org"), filepath.Join(dir, "db.example.net")
	writeInPlace(t, org, zoneText(1, "192.0.2.10"))
	writeInPlace(t, net, zoneText(1, "192.0.2.10"))

	var reloads reloadRecorder
	srv, err := New(Config{
		Addr: "127.0.0.1:0",
		Zones: []ZoneConfig{
			{Origin: "example.org.", File: org},
			{Origin: "example.net.", File: net},
		},
		ReloadInterval: -1,
		OnReload:       reloads.record,
	})
	require.NoError(t, err)
	require.NoError(t, srv.Start())
	t.Cleanup(func() { assert.NoError(t, srv.Shutdown(context.Background())) })
	assert.Nil(t, srv.watch, "no watcher with a negative ReloadInterval")

	writeInPlace(t, org, zoneText(2, "192.0.2.20"))
	writeInPlace(t, net, zoneText(2, "192.0.2.20"))
	require.NoError(t, srv.ReloadZone("EXAMPLE.ORG"))

	assert.Equal(t, []reloadEvent{{origin: "example.org.", serial: 2}}, reloads.all())
	tests := []struct {
		name string
		want string
	}{
		{name: "www.example.org.", want: "www.example.org. 3600 IN A 192.0.2.20"},
		{name: "www.example.net.", want: "www.example.net. 3600 IN A 192.0.2.10"},
	}
	for _, tc := range tests {
		rrs, err := askA(srv.Addr(), tc.name)
		require.NoError(t, err)
		dnstest.AssertRRs(t, []string{tc.want}, rrs, tc.name)
	}

	err = srv.ReloadZone("example.com")
	assert.ErrorIs(t, err, ErrUnknownZone)
	assert.Len(t, reloads.all(), 1, "no report for a zone not served")
}
