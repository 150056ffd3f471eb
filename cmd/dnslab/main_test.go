package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"net"
	"os"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stdin returns a file that reads text and then EOF.
func stdin(tb testing.TB, text string) *os.File {
	tb.Helper()

	r, w, err := os.Pipe()
	require.NoError(tb, err)
	go func() {
		_, _ = w.WriteString(text)
		w.Close()
	}()
	tb.Cleanup(func() { r.Close() })

	return r
}

// `dnslab lab` with the seed walk-through on standard input prints the two
// status blocks of EMQX's guide, nothing else, and succeeds.
func TestLabWalkThrough(t *testing.T) {
	in := stdin(t, "cluster status\nstop emqx@192.168.1.162\ncluster status\n")
	var out, errs bytes.Buffer

	args := []string{"lab", "-zone", "../../testdata/db.emqx-cluster.org", "-addr", "127.0.0.1:0"}
	require.NoError(t, run(context.Background(), args, in, &out, &errs))

	want := "Cluster status: [{running_nodes,['emqx@192.168.1.162','emqx@192.168.1.165']}]\n" +
		"Cluster status: [{running_nodes,['emqx@192.168.1.165']},\n" +
		"                 {stopped_nodes,['emqx@192.168.1.162']}]\n"
	assert.Equal(t, want, out.String())
	assert.Contains(t, errs.String(), "serial=2018042201")
}

func TestLabBadZone(t *testing.T) {
	bad := t.TempDir() + "/db.bad"
	require.NoError(t, os.WriteFile(bad, []byte("$TTL 60\n@ SOA a. b. 1 2 3 4 5\n@ NS a.\nx A 1.2\n"),
		0o644))

	var out, errs bytes.Buffer
	args := []string{"lab", "-zone", bad, "-origin", "example.org", "-addr", "127.0.0.1:0"}
	err := run(context.Background(), args, stdin(t, ""), &out, &errs)
	require.Error(t, err)
	assert.Contains(t, err.Error(), bad+":4: bad A A: \"1.2\"")
	assert.Empty(t, out.String())
}

// Bad command lines print the usage and fail with errUsage; asking for
// help succeeds.
func TestCommandLine(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		err     error
		stdout  string
		stderrs string
	}{
		{name: "no command", args: nil, err: errUsage, stderrs: "usage:"},
		{name: "unknown", args: []string{"bogus"}, err: errUsage,
			stderrs: "dnslab: unknown command \"bogus\"\nusage:"},
		{name: "help", args: []string{"help"}, stdout: "usage:"},
		{name: "dash h", args: []string{"--help"}, stdout: "usage:"},
		{name: "lab -h", args: []string{"lab", "-h"}, err: flag.ErrHelp,
			stderrs: "Usage of dnslab lab:"},
		{name: "bad flag value", args: []string{"lab", "-seed", "abc"}, err: errUsage,
			stderrs: "invalid value \"abc\" for flag -seed"},
		{name: "extra argument", args: []string{"serve", "extra"}, err: errUsage,
			stderrs: "dnslab serve: unexpected argument \"extra\""},
		{name: "lab off loopback", args: []string{"lab", "-addr", "0.0.0.0:1053"},
			err: errors.New(`lab: DNS address "0.0.0.0:1053" is not a loopback IP address ` +
				"and port (e.g. 127.0.0.1:1053)")},
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			err := run(context.Background(), tc.args, stdin(t, ""), &out, &errs)
			switch {
			case tc.err == nil:
				require.NoError(t, err)
			case errors.Is(tc.err, errUsage), errors.Is(tc.err, flag.ErrHelp):
				require.ErrorIs(t, err, tc.err)
			default:
				require.EqualError(t, err, tc.err.Error())
			}
			assert.Contains(t, out.String(), tc.stdout)
			assert.Contains(t, errs.String(), tc.stderrs)
		})
	}
}

// `dnslab serve` answers until its context ends.
func TestServe(t *testing.T) {
	port := freePort(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	args := []string{"serve", "-zone", "../../testdata/db.emqx-cluster.org", "-addr", port}
	go func() { done <- run(ctx, args, stdin(t, ""), new(bytes.Buffer), new(bytes.Buffer)) }()

	q := new(dns.Msg)
	q.SetQuestion("cluster.emqx-cluster.org.", dns.TypeA)
	var reply *dns.Msg
	require.Eventually(t, func() bool {
		var err error
		reply, _, err = new(dns.Client).Exchange(q, port)
		return err == nil
	}, 5*time.Second, 10*time.Millisecond)
	assert.Len(t, reply.Answer, 2)
	assert.True(t, reply.Authoritative)

	cancel()
	require.NoError(t, <-done)
}

// freePort returns a loopback address whose port was free a moment ago.
func freePort(tb testing.TB) string {
	tb.Helper()

	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(tb, err)
	defer pc.Close()

	return pc.LocalAddr().String()
}
