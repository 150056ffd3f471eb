package lab_test

import (
	"bytes"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"dnslab/lab"

	"dnslab/internal/dnstest"
)

// testLab is a lab on a copy of the seed zone, with its logs and its
// announcements.
type testLab struct {
	*lab.Lab
	zone string
	logs *dnstest.Buffer
	out  *dnstest.Buffer
}

// startLab runs a lab on a copy of the seed zone on a free port.
func startLab(tb testing.TB, cfg lab.Config) *testLab {
	tb.Helper()

	seed, err := os.ReadFile("../testdata/db.emqx-cluster.org")
	require.NoError(tb, err)

	t := &testLab{logs: new(dnstest.Buffer), out: new(dnstest.Buffer)}
	if cfg.ZoneFile == "" {
		cfg.ZoneFile = lab.ZoneFile(tb, string(seed))
		cfg.Origin = "emqx-cluster.org"
	}
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	cfg.Logger = slog.New(lab.NewLogHandler(t.logs, slog.LevelInfo))
	cfg.Output = t.out
	t.zone = cfg.ZoneFile
	t.Lab = lab.StartT(tb, cfg)

	return t
}

// exec runs console lines and returns what they print.
func exec(tb testing.TB, l *lab.Lab, lines ...string) string {
	tb.Helper()

	var out bytes.Buffer
	require.NoError(tb, l.Console(strings.NewReader(strings.Join(lines, "\n")), &out, false))

	return out.String()
}
