package lab_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/lab"
)

// startLab runs a lab on the seed zone on a free port for the test.
func startLab(tb testing.TB) (*lab.Lab, *bytes.Buffer) {
	tb.Helper()

	logs := new(bytes.Buffer)
	l, err := lab.Start(lab.Config{
		ZoneFile: "../testdata/db.emqx-cluster.org",
		DNSAddr:  "127.0.0.1:0",
		Seed:     1,
		Logger:   slog.New(lab.NewLogHandler(logs, slog.LevelInfo)),
	})
	require.NoError(tb, err)
	tb.Cleanup(func() { assert.NoError(tb, l.Close()) })

	return l, logs
}

// exec runs console lines and returns what they print.
func exec(tb testing.TB, l *lab.Lab, lines ...string) string {
	tb.Helper()

	var out bytes.Buffer
	require.NoError(tb, l.Console(strings.NewReader(strings.Join(lines, "\n")), &out, false))

	return out.String()
}

// The seed document's walk-through, as `make lab` runs it.
func TestSeedWalkThrough(t *testing.T) {
	l, logs := startLab(t)

	got := exec(t, l, "cluster status", "stop emqx@192.168.1.162", "cluster status")
	want := "Cluster status: [{running_nodes,['emqx@192.168.1.162','emqx@192.168.1.165']}]\n" +
		"Cluster status: [{running_nodes,['emqx@192.168.1.165']},\n" +
		"                 {stopped_nodes,['emqx@192.168.1.162']}]\n"
	assert.Equal(t, want, got)

	for _, line := range []string{
		`msg="zone loaded" component=dnsserver zone=emqx-cluster.org. serial=2018042201 records=5`,
		`msg="discovered nodes" component=node node=emqx@192.168.1.165 ` +
			`name=cluster.emqx-cluster.org. nodes="[emqx@192.168.1.162 emqx@192.168.1.165]"`,
		`msg="joined the cluster" component=node node=emqx@192.168.1.165 ` +
			`target=emqx@192.168.1.162`,
		`msg="node stopped" component=node node=emqx@192.168.1.162`,
	} {
		assert.Contains(t, logs.String(), line)
	}
}
