package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const seedZone = "../../testdata/db.emqx-cluster.org"

// soaNS starts a zone whose origin comes from outside.
const soaNS = "$TTL 60\n@ SOA ns1 hostmaster 7 3600 600 86400 300\n@ NS ns1\nns1 A 192.0.2.1\n"

// writeZones writes files, named relative to a new directory, and returns
// the directory.
func writeZones(tb testing.TB, files map[string]string) string {
	tb.Helper()

	dir := tb.TempDir()
	for name, text := range files {
		path := filepath.Join(dir, name)
		require.NoError(tb, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(tb, os.WriteFile(path, []byte(text), 0o644))
	}

	return dir
}

// check runs `dnslab check args...` and returns its outputs and error.
func check(tb testing.TB, args ...string) (stdout, stderr string, err error) {
	tb.Helper()

	var out, errs bytes.Buffer
	err = run(context.Background(), append([]string{"check"}, args...), stdin(tb, ""), &out, &errs)

	return out.String(), errs.String(), err
}

func TestCheck(t *testing.T) {
	dir := writeZones(t, map[string]string{
		"db.example.org": soaNS + "www A 192.0.2.2\n",
		"named-by-soa":   "$ORIGIN example.net.\n" + soaNS,
		"relative-soa":   soaNS,
		"db.bad":         soaNS + "www A 192.0.2\n",
		"db.no-ttl":      "@ SOA ns1 hostmaster 9 3600 600 86400 300\n@ NS ns1\nns1 A 192.0.2.1\n",
		"db.includes":    soaNS + "$INCLUDE sub/hosts\n",
		"sub/hosts":      "; hosts\nwww A 192.0.2\n",
		"db.no-such":     "",
	})
	require.NoError(t, os.Remove(filepath.Join(dir, "db.no-such")))
	at := func(name string) string { return filepath.Join(dir, name) }

	tests := []struct {
		name       string
		args       []string
		wantStdout string
		wantStderr string
		wantErr    error
	}{
		{
			name:       "seed zone with -o",
			args:       []string{"-o", "emqx-cluster.org", seedZone},
			wantStdout: "zone emqx-cluster.org/IN: loaded serial 2018042201\nOK\n",
		},
		{
			name:       "seed zone, origin from the file name",
			args:       []string{seedZone},
			wantStdout: "zone emqx-cluster.org/IN: loaded serial 2018042201\nOK\n",
		},
		{
			name:       "origin with a final dot",
			args:       []string{"-o", "emqx-cluster.org.", seedZone},
			wantStdout: "zone emqx-cluster.org/IN: loaded serial 2018042201\nOK\n",
		},
		{
			name:       "origin from the SOA owner",
			args:       []string{at("named-by-soa")},
			wantStdout: "zone example.net/IN: loaded serial 7\nOK\n",
		},
		{
			name: "relative SOA owner, no origin",
			args: []string{at("relative-soa")},
			wantStdout: at("relative-soa") + ":2: the SOA owner is relative and no $ORIGIN " +
				"sets the origin\n" + at("relative-soa") + ": give the zone's origin with -o\n",
			wantErr: errFailed,
		},
		{
			name:       "syntax error",
			args:       []string{at("db.bad")},
			wantStdout: at("db.bad") + ":5: bad A A: \"192.0.2\"\n",
			wantErr:    errFailed,
		},
		{
			name:       "syntax error in an included file",
			args:       []string{"-o", "example.org", at("db.includes")},
			wantStdout: at("sub/hosts") + ":2: bad A A: \"192.0.2\"\n",
			wantErr:    errFailed,
		},
		{
			name:       "warning on standard error",
			args:       []string{"-o", "example.org", at("db.no-ttl")},
			wantStdout: "zone example.org/IN: loaded serial 9\nOK\n",
			wantStderr: at("db.no-ttl") + ":1: no TTL specified; using the SOA MINIMUM 300\n",
		},
		{
			name: "one good file, one bad",
			args: []string{"-o", "example.org", at("db.bad"), at("db.example.org")},
			wantStdout: at("db.bad") + ":5: bad A A: \"192.0.2\"\n" +
				"zone example.org/IN: loaded serial 7\nOK\n",
			wantErr: errFailed,
		},
		{
			name: "missing file",
			args: []string{at("db.no-such")},
			wantStdout: at("db.no-such") + ": open " + at("db.no-such") +
				": no such file or directory\n",
			wantErr: errFailed,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, err := check(t, tc.args...)

			assert.Equal(t, tc.wantStdout, stdout)
			assert.Equal(t, tc.wantStderr, stderr)
			assert.Equal(t, tc.wantErr, err)
		})
	}
}

// Problems of meaning are all printed, each with its position.
func TestCheckProblemsOfMeaning(t *testing.T) {
	dir := writeZones(t, map[string]string{
		"db.example.org": "$TTL 60\n@ NS ns1\nns1 A 192.0.2.1\nns1 CH TXT \"x\"\n",
	})
	file := filepath.Join(dir, "db.example.org")

	stdout, stderr, err := check(t, file)

	require.ErrorIs(t, err, errFailed)
	assert.Empty(t, stderr)
	assert.Regexp(t, `(?m)\A(`+regexp.QuoteMeta(file)+`(:\d+)?: .+\n){2,}\z`, stdout)
	assert.Contains(t, stdout, file+":4: ")
}

func TestCheckCommandLine(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantErr    error
		wantStderr string
	}{
		{name: "no file", args: nil, wantErr: errUsage,
			wantStderr: "dnslab check: no zone file\nusage: dnslab check [-o ORIGIN] FILE..."},
		{name: "help", args: []string{"-h"}, wantErr: flag.ErrHelp,
			wantStderr: "usage: dnslab check [-o ORIGIN] FILE..."},
		{name: "unknown flag", args: []string{"-x", seedZone}, wantErr: errUsage,
			wantStderr: "flag provided but not defined: -x"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, err := check(t, tc.args...)

			assert.ErrorIs(t, err, tc.wantErr)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, tc.wantStderr)
		})
	}
}

// dnslab check prints what named-checkzone prints for the seed zone.
//
// NB: -i local keeps named-checkzone from looking names up beyond the zone,
// which would use the network.
func TestCheckLikeNamedCheckzone(t *testing.T) {
	checkzone, err := exec.LookPath("named-checkzone")
	if err != nil {
		t.Skip("named-checkzone is not installed")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	want, err := exec.CommandContext(ctx, checkzone, "-i", "local", "emqx-cluster.org",
		seedZone).Output()
	require.NoError(t, err)

	stdout, _, err := check(t, "-o", "emqx-cluster.org", seedZone)
	require.NoError(t, err)
	assert.Equal(t, string(want), stdout)
}
