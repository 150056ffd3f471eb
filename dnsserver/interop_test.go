package dnsserver_test

import (
	"bufio"
	"context"
	"net"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/internal/dnstest"
)

// digReply is what the tests read from dig's output.
type digReply struct {
	status   string              // rcode, e.g. "NOERROR"
	flags    string              // e.g. "qr aa rd"
	counts   string              // e.g. "QUERY: 1, ANSWER: 2, AUTHORITY: 1, ADDITIONAL: 2"
	proto    string              // transport of the exchange, "UDP" or "TCP"
	sections map[string][]string // "ANSWER" etc: records, fields joined by one space
}

var (
	digStatusRE = regexp.MustCompile(`^;; ->>HEADER<<- opcode: \w+, status: (\w+), id: \d+$`)
	digFlagsRE  = regexp.MustCompile(`^;; flags: ([a-z ]*); (QUERY: .*)$`)
	digSectRE   = regexp.MustCompile(`^;; (ANSWER|AUTHORITY|ADDITIONAL) SECTION:$`)
	digServerRE = regexp.MustCompile(`^;; SERVER: .*\((UDP|TCP)\)$`)
)

// parseDig reads dig's default output. Record lines are split into fields,
// as dig separates them with tabs whose number depends on the name length.
func parseDig(out string) digReply {
	r := digReply{sections: map[string][]string{}}
	section := ""
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if m := digStatusRE.FindStringSubmatch(line); m != nil {
			r.status = m[1]
		} else if m := digFlagsRE.FindStringSubmatch(line); m != nil {
			r.flags, r.counts = m[1], m[2]
		} else if m := digServerRE.FindStringSubmatch(line); m != nil {
			r.proto = m[1]
		} else if m := digSectRE.FindStringSubmatch(line); m != nil {
			section = m[1]
		} else if line == "" || strings.HasPrefix(line, ";") {
			section = ""
		} else if section != "" {
			rr := strings.Join(strings.Fields(line), " ")
			r.sections[section] = append(r.sections[section], rr)
		}
	}

	return r
}

// dig runs dig against the server at addr with args and returns its output.
func dig(tb testing.TB, addr string, args ...string) string {
	tb.Helper()

	host, port, err := net.SplitHostPort(addr)
	require.NoError(tb, err)
	require.Equal(tb, "127.0.0.1", host, "dig only ever queries the loopback server")

	ctx, cancel := context.WithTimeout(context.Background(), 2*ioTimeout)
	defer cancel()
	args = append([]string{"-r", "@" + host, "-p", port, "+time=2", "+tries=1"}, args...)
	out, err := exec.CommandContext(ctx, "dig", args...).CombinedOutput()
	require.NoError(tb, err, "dig %s:\n%s", strings.Join(args, " "), out)

	return string(out)
}

func TestDigInterop(t *testing.T) {
	if _, err := exec.LookPath("dig"); err != nil {
		t.Skip("dig is not installed")
	}

	ns, ns1A := dnstest.SeedNS, dnstest.SeedNS1A
	cluster := []string{dnstest.SeedCluster1, dnstest.SeedCluster2}
	tests := []struct {
		name string
		args []string
		want digReply
	}{
		{
			name: "cluster over UDP",
			args: []string{"cluster.emqx-cluster.org"},
			want: digReply{
				proto:  "UDP",
				status: "NOERROR",
				flags:  "qr aa rd",
				counts: "QUERY: 1, ANSWER: 2, AUTHORITY: 1, ADDITIONAL: 2",
				sections: map[string][]string{
					"ANSWER": cluster, "AUTHORITY": {ns}, "ADDITIONAL": {ns1A},
				},
			},
		},
		{
			name: "cluster over TCP",
			args: []string{"+tcp", "cluster.emqx-cluster.org"},
			want: digReply{
				proto:  "TCP",
				status: "NOERROR",
				flags:  "qr aa rd",
				counts: "QUERY: 1, ANSWER: 2, AUTHORITY: 1, ADDITIONAL: 2",
				sections: map[string][]string{
					"ANSWER": cluster, "AUTHORITY": {ns}, "ADDITIONAL": {ns1A},
				},
			},
		},
		{
			name: "cluster without RD",
			args: []string{"+norecurse", "cluster.emqx-cluster.org"},
			want: digReply{
				proto:  "UDP",
				status: "NOERROR",
				flags:  "qr aa",
				counts: "QUERY: 1, ANSWER: 2, AUTHORITY: 1, ADDITIONAL: 2",
				sections: map[string][]string{
					"ANSWER": cluster, "AUTHORITY": {ns}, "ADDITIONAL": {ns1A},
				},
			},
		},
		{
			name: "nonexistent",
			args: []string{"nonexistent.emqx-cluster.org"},
			want: digReply{
				proto:    "UDP",
				status:   "NXDOMAIN",
				flags:    "qr aa rd",
				counts:   "QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1",
				sections: map[string][]string{"AUTHORITY": {dnstest.SeedNegSOA}},
			},
		},
		{
			name: "outside the zone",
			args: []string{"example.com"},
			want: digReply{
				proto:    "UDP",
				status:   "REFUSED",
				flags:    "qr rd",
				counts:   "QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 1",
				sections: map[string][]string{},
			},
		},
	}
	srv := startServer(t, seedZone())
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := dig(t, srv.Addr(), tc.args...)
			got := parseDig(out)

			assert.Equal(t, tc.want.status, got.status, out)
			assert.Equal(t, tc.want.flags, got.flags, out)
			assert.Equal(t, tc.want.counts, got.counts, out)
			assert.Equal(t, tc.want.proto, got.proto, out)
			assert.Equal(t, len(tc.want.sections), len(got.sections), out)
			for name, want := range tc.want.sections {
				assert.ElementsMatch(t, want, got.sections[name], name)
			}
		})
	}
}
