package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/dnsserver"

	"dnslab/internal/dnstest"
)

// childEnv, set to 1, makes the test binary run dnslab's main instead of
// the tests, so that a test can signal a dnslab of its own.
const childEnv = "DNSLAB_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		main()
		os.Exit(0)
	}

	os.Exit(m.Run())
}

// Bounds of the waits of these tests; none is slept through.
const (
	queryTimeout = 2 * time.Second       // one DNS exchange
	waitTimeout  = 10 * time.Second      // a server to come up or change
	pollEvery    = 20 * time.Millisecond // how often a wait checks
	maxStream    = 20000                 // queries of a stream at most
	clusterName  = "cluster.emqx-cluster.org."
	examplesName = "www.example.org."
)

// labDir returns a fresh directory holding the zone files of testdata.
func labDir(tb testing.TB) string {
	tb.Helper()

	dir := tb.TempDir()
	for _, name := range []string{"db.emqx-cluster.org", "db.example.org"} {
		text, err := os.ReadFile(filepath.Join("..", "..", "testdata", name))
		require.NoError(tb, err)
		require.NoError(tb, os.WriteFile(filepath.Join(dir, name), text, 0o644))
	}

	return dir
}

// writeFile writes text to path.
func writeFile(tb testing.TB, path, text string) {
	tb.Helper()

	require.NoError(tb, os.WriteFile(path, []byte(text), 0o644))
}

// ask sends a query for name and qtype to addr over UDP.
func ask(addr, name string, qtype uint16) (*dns.Msg, error) {
	c := &dns.Client{Timeout: queryTimeout}
	r, _, err := c.Exchange(new(dns.Msg).SetQuestion(name, qtype), addr)

	return r, err
}

// mustAsk is ask that fails tb on an error.
func mustAsk(tb testing.TB, addr, name string) *dns.Msg {
	tb.Helper()

	r, err := ask(addr, name, dns.TypeA)
	require.NoError(tb, err)

	return r
}

// startInstance serves the Corefile at path, logging into the returned
// buffer, until tb ends.
func startInstance(tb testing.TB, path string) (*instance, *dnstest.Buffer) {
	tb.Helper()

	logs := new(dnstest.Buffer)
	in := newInstance(fileSource(path), slog.New(slog.NewTextHandler(logs, nil)))
	require.NoError(tb, in.start())
	tb.Cleanup(func() { assert.NoError(tb, in.stop()) })

	return in, logs
}

// addrOf returns where the server configured for addr listens.
func addrOf(tb testing.TB, in *instance, addr string) string {
	tb.Helper()

	srv, ok := in.servers[addr]
	require.True(tb, ok, "no server for %s", addr)

	return srv.Addr()
}

// `dnslab serve -conf testdata/Corefile` answers for both its zones over
// UDP, on a free port rather than 1053.
func TestServeTestdataCorefile(t *testing.T) {
	text, err := os.ReadFile("../../testdata/Corefile")
	require.NoError(t, err)
	port := freePort(t)
	_, portNum, _ := net.SplitHostPort(port)
	require.Equal(t, 2, strings.Count(string(text), ":1053 {"))

	dir := labDir(t)
	corefile := filepath.Join(dir, "Corefile")
	writeFile(t, corefile, strings.ReplaceAll(string(text), ":1053 {", ":"+portNum+" {"))

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	logs := new(dnstest.Buffer)
	go func() { done <- run(ctx, []string{"serve", "-conf", corefile}, nil, io.Discard, logs) }()

	var cluster *dns.Msg
	require.Eventually(t, func() bool {
		select {
		case err := <-done:
			t.Fatalf("serve ended early: %v\n%s", err, logs.String())
		default:
		}
		cluster, err = ask(port, clusterName, dns.TypeA)
		return err == nil
	}, waitTimeout, pollEvery)
	assert.Len(t, cluster.Answer, 2)
	www := mustAsk(t, port, examplesName)
	assert.Len(t, www.Answer, 1)
	assert.True(t, www.Authoritative)

	cancel()
	require.NoError(t, <-done)
	assert.Contains(t, logs.String(), "msg=\"Corefile loaded\" component=serve corefile="+corefile)
	assert.Contains(t, logs.String(), "msg=query") // the Corefile's log directive
}

func TestServeSource(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		corefile bool // whether ./Corefile exists
		want     string
		builtin  bool
		err      error
	}{
		{name: "built-in", want: builtinName, builtin: true},
		{name: "./Corefile", corefile: true, want: "Corefile"},
		{name: "-conf", args: []string{"-conf", "other"}, corefile: true, want: "other"},
		{name: "-zone", args: []string{"-zone", "db"}, corefile: true},
		{name: "-addr alone", args: []string{"-addr", "127.0.0.1:0"}, corefile: true},
		{name: "-conf and -origin", args: []string{"-conf", "x", "-origin", "example.org"},
			err: errUsage},
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			if tc.corefile {
				writeFile(t, "Corefile", "example.org {\n\tfile db.example.org\n}\n")
			}

			src, err := parseServeFlags(tc.args, io.Discard)

			require.ErrorIs(t, err, tc.err)
			assert.Equal(t, tc.want, src.name)
			assert.Equal(t, tc.builtin, src.builtin)
		})
	}
}

// The -zone flags serve one zone, read again at each reload.
func TestServeFlagSource(t *testing.T) {
	src := flagSource(zoneFlags{zone: "db.example.org", origin: "example.org",
		addr: "127.0.0.1:0"})

	got, err := src.load()

	require.NoError(t, err)
	want := []dnsserver.Config{{Addr: "127.0.0.1:0",
		Zones: []dnsserver.ZoneConfig{{Origin: "example.org", File: "db.example.org"}}}}
	assert.Equal(t, want, got)
}

func TestBuiltinCorefile(t *testing.T) {
	t.Chdir(t.TempDir())
	src, err := defaultSource()
	require.NoError(t, err)

	got, err := src.load()

	require.NoError(t, err)
	want := []dnsserver.Config{{Addr: "127.0.0.1:1053", LogErrors: true,
		Zones: []dnsserver.ZoneConfig{{Origin: "emqx-cluster.org.",
			File: "testdata/db.emqx-cluster.org"}}}}
	assert.Equal(t, want, got)
}

// Away from the repository, the built-in Corefile's zone file is missing,
// and the error says why; nothing is bound.
func TestServeBuiltinElsewhere(t *testing.T) {
	t.Chdir(t.TempDir())

	err := run(context.Background(), []string{"serve"}, nil, io.Discard, io.Discard)

	require.ErrorIs(t, err, os.ErrNotExist)
	assert.ErrorContains(t, err, "testdata/db.emqx-cluster.org")
	assert.ErrorContains(t, err, "the built-in Corefile names its zone file relative "+
		"to the working directory")
}

// queryStream asks for one name over UDP, a query at a time, and sorts the
// replies: with authority records, without (minimal), or none at all.
type queryStream struct {
	full, minimal, failed atomic.Int64

	once sync.Once
	stop chan struct{}
	done chan struct{}
}

// startStream streams queries for name to addr until tb ends or stop.
func startStream(tb testing.TB, addr, name string) *queryStream {
	qs := &queryStream{stop: make(chan struct{}), done: make(chan struct{})}
	go qs.run(addr, name)
	tb.Cleanup(qs.finish)

	return qs
}

func (qs *queryStream) run(addr, name string) {
	defer close(qs.done)

	for range maxStream {
		select {
		case <-qs.stop:
			return
		default:
		}

		r, err := ask(addr, name, dns.TypeA)
		switch {
		case err != nil || r.Rcode != dns.RcodeSuccess:
			qs.failed.Add(1)
		case len(r.Ns) == 0:
			qs.minimal.Add(1)
		default:
			qs.full.Add(1)
		}
	}
}

// finish stops the stream and waits for its last query.
func (qs *queryStream) finish() {
	qs.once.Do(func() { close(qs.stop) })
	<-qs.done
}

// A new Corefile adds a zone and turns minimal on, with the sockets kept:
// a stream of queries across the switch gets every reply, the old way up
// to the switch and the new way after.
func TestServeReconfigure(t *testing.T) {
	dir := labDir(t)
	corefile := filepath.Join(dir, "Corefile")
	writeFile(t, corefile, "emqx-cluster.org:0 {\n\tfile db.emqx-cluster.org\n}\n")
	in, logs := startInstance(t, corefile)
	addr := addrOf(t, in, "127.0.0.1:0")
	qs := startStream(t, addr, clusterName)
	require.Eventually(t, func() bool { return qs.full.Load() >= 20 }, waitTimeout, pollEvery)

	writeFile(t, corefile, "emqx-cluster.org:0 {\n\tfile db.emqx-cluster.org\n\tminimal\n}\n"+
		"example.org:0 {\n\tfile db.example.org\n\tminimal\n}\n")
	require.NoError(t, in.reload("test"))
	fullBefore := qs.full.Load()

	require.Eventually(t, func() bool { return qs.minimal.Load() >= 20 }, waitTimeout, pollEvery)
	qs.finish()
	assert.Zero(t, qs.failed.Load(), "queries without a reply")
	assert.LessOrEqual(t, qs.full.Load(), fullBefore+1, "full replies after the switch")
	assert.Equal(t, addr, addrOf(t, in, "127.0.0.1:0"), "the same socket")
	www := mustAsk(t, addr, examplesName)
	assert.Len(t, www.Answer, 1)
	assert.Empty(t, www.Ns)
	assert.Contains(t, logs.String(), "msg=\"Corefile reloaded\"")
}

// Reloads in quick succession, minimal on and off, drop no query.
func TestServeReloadsUnderLoad(t *testing.T) {
	dir := labDir(t)
	corefile := filepath.Join(dir, "Corefile")
	texts := []string{
		"emqx-cluster.org:0 {\n\tfile db.emqx-cluster.org\n}\n",
		"emqx-cluster.org:0 {\n\tfile db.emqx-cluster.org\n\tminimal\n}\n",
	}
	writeFile(t, corefile, texts[0])
	in, _ := startInstance(t, corefile)
	qs := startStream(t, addrOf(t, in, "127.0.0.1:0"), clusterName)

	sent := func() int64 { return qs.full.Load() + qs.minimal.Load() + qs.failed.Load() }
	for i := range 20 {
		before := sent()
		writeFile(t, corefile, texts[(i+1)%2])
		require.NoError(t, in.reload("test"))
		require.Eventually(t, func() bool { return sent() >= before+3 }, waitTimeout, pollEvery)
	}
	qs.finish()

	assert.Zero(t, qs.failed.Load(), "queries without a reply")
	assert.Positive(t, qs.full.Load())
	assert.Positive(t, qs.minimal.Load())
}

// A reload that fails leaves every server as it was and logs the error,
// with the line of the Corefile or zone file at fault.
func TestServeReloadFailure(t *testing.T) {
	held, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	defer held.Close()
	_, heldPort, _ := net.SplitHostPort(held.LocalAddr().String())

	tests := []struct {
		name     string
		corefile string
		err      string // in the error
		logged   string // in the log
	}{
		{name: "unknown directive",
			corefile: "emqx-cluster.org:0 {\n\tfile db.emqx-cluster.org\n" +
				"\tforward . 192.0.2.53\n\tminimal\n}\n",
			err:    "Corefile:3 - Error during parsing: unknown directive 'forward'",
			logged: "Corefile:3 - Error during parsing"},
		{name: "broken zone file",
			corefile: "emqx-cluster.org:0 {\n\tfile db.emqx-cluster.org\n\tminimal\n}\n" +
				"example.org:0 {\n\tfile db.broken\n\tminimal\n}\n",
			err:    "db.broken:3: bad A A: \"1.2\"",
			logged: "db.broken:3: bad A"},
		{name: "address taken",
			corefile: "emqx-cluster.org:0 {\n\tfile db.emqx-cluster.org\n\tminimal\n}\n" +
				"example.org:" + heldPort + " {\n\tfile db.example.org\n}\n",
			err:    "address already in use",
			logged: "address already in use"},
	}

	dir := labDir(t)
	writeFile(t, filepath.Join(dir, "db.broken"), "$TTL 60\n@ SOA a. b. 1 2 3 4 5\nx A 1.2\n")
	corefile := filepath.Join(dir, "Corefile")
	writeFile(t, corefile, "emqx-cluster.org:0 {\n\tfile db.emqx-cluster.org\n}\n")
	in, logs := startInstance(t, corefile)
	addr := addrOf(t, in, "127.0.0.1:0")

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			writeFile(t, corefile, tc.corefile)

			err := in.reload("test")

			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.err)
			assert.Contains(t, logs.String(), "Corefile reload failed")
			assert.Contains(t, logs.String(), tc.logged)
			assert.Len(t, in.servers, 1)
			assert.Len(t, mustAsk(t, addr, clusterName).Ns, 1, "not minimal")
			assert.Equal(t, dns.RcodeRefused, mustAsk(t, addr, examplesName).Rcode)
		})
	}
}

// Servers start for new addresses and stop for those gone.
func TestServeAddressesChange(t *testing.T) {
	if pc, err := net.ListenPacket("udp", "[::1]:0"); err != nil {
		t.Skip("no IPv6 loopback:", err)
	} else {
		pc.Close()
	}

	dir := labDir(t)
	corefile := filepath.Join(dir, "Corefile")
	writeFile(t, corefile, "emqx-cluster.org:0 {\n\tfile db.emqx-cluster.org\n}\n")
	in, logs := startInstance(t, corefile)
	oldAddr := addrOf(t, in, "127.0.0.1:0")

	writeFile(t, corefile, "emqx-cluster.org:0 {\n\tbind ::1\n\tfile db.emqx-cluster.org\n}\n")
	require.NoError(t, in.reload("test"))

	assert.Len(t, mustAsk(t, addrOf(t, in, "[::1]:0"), clusterName).Answer, 2)
	assert.Len(t, in.servers, 1)
	_, err := net.DialTimeout("tcp", oldAddr, queryTimeout)
	assert.Error(t, err, "the old server still accepts connections")
	assert.Contains(t, logs.String(), "msg=\"server stopped\" component=serve server=127.0.0.1:0")
}

// child is dnslab run by the test binary in a process of its own.
type child struct {
	cmd    *exec.Cmd
	stderr dnstest.Buffer
	done   chan struct{} // closed when it has exited
	err    error         // of Wait, once done
}

// startChild runs dnslab with args and kills it when tb ends, if it has
// not exited by then.
func startChild(tb testing.TB, args ...string) *child {
	tb.Helper()

	c := &child{cmd: exec.Command(os.Args[0], args...), done: make(chan struct{})}
	c.cmd.Env = append(os.Environ(), childEnv+"=1")
	c.cmd.Stderr = &c.stderr
	require.NoError(tb, c.cmd.Start())
	go func() {
		c.err = c.cmd.Wait()
		close(c.done)
	}()

	tb.Cleanup(func() {
		select {
		case <-c.done:
		default:
			_ = c.cmd.Process.Kill()
			<-c.done
		}
	})

	return c
}

// wait returns how the child exited, failing tb if it does not soon.
func (c *child) wait(tb testing.TB) error {
	tb.Helper()

	select {
	case <-c.done:
		return c.err
	case <-time.After(waitTimeout):
		tb.Fatalf("dnslab did not exit; its log:\n%s", c.stderr.String())
		return nil
	}
}

// upOrExited waits until up holds, and reports false if the child exits
// first.
func upOrExited(c *child, up func() bool) bool {
	deadline := time.Now().Add(waitTimeout)
	for time.Now().Before(deadline) {
		select {
		case <-c.done:
			return false
		default:
		}
		if up() {
			return true
		}
		time.Sleep(pollEvery)
	}

	return false
}

// SIGHUP and SIGUSR1 apply the edited Corefile; SIGTERM stops dnslab
// cleanly.
func TestServeSignals(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGHUP on Windows")
	}

	dir := labDir(t)
	corefile := filepath.Join(dir, "Corefile")
	var addr, full, minimal string
	var c *child
	authority := func(n int) func() bool {
		return func() bool {
			r, err := ask(addr, clusterName, dns.TypeA)
			return err == nil && len(r.Ns) == n
		}
	}

	// NB: another test process may take the free port before the child
	// binds it; then the child exits and the test tries another port.
	for try := 0; c == nil && try < 3; try++ {
		addr = freePort(t)
		_, port, _ := net.SplitHostPort(addr)
		full = "emqx-cluster.org:" + port + " {\n\tfile db.emqx-cluster.org\n}\n"
		minimal = "emqx-cluster.org:" + port + " {\n\tfile db.emqx-cluster.org\n\tminimal\n}\n"
		writeFile(t, corefile, full)
		c = startChild(t, "serve", "-conf", corefile)
		if !upOrExited(c, authority(1)) {
			c = nil
		}
	}
	require.NotNil(t, c, "dnslab did not come up")

	writeFile(t, corefile, minimal)
	require.NoError(t, c.cmd.Process.Signal(syscall.SIGHUP))
	require.Eventually(t, authority(0), waitTimeout, pollEvery, "SIGHUP was not applied")

	writeFile(t, corefile, full)
	require.NoError(t, c.cmd.Process.Signal(syscall.SIGUSR1))
	require.Eventually(t, authority(1), waitTimeout, pollEvery, "SIGUSR1 was not applied")

	require.NoError(t, c.cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(t, c.wait(t), "log:\n%s", c.stderr.String())
	logs := c.stderr.String()
	assert.Contains(t, logs, "msg=\"Corefile reloaded\" component=serve corefile="+corefile+
		" signal=hangup")
	assert.Contains(t, logs, "signal=\"user defined signal 1\"")
	assert.Contains(t, logs, "msg=\"server stopped\"")
}
