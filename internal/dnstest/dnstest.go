// Package dnstest holds helpers shared by the tests of zone and dnsserver:
// records written as text, compared as text.
//
//	dnstest.AssertRRs(t, []string{"example.org. 300 IN A 192.0.2.1"}, res.Answer)
package dnstest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// RR parses s as one record in master-file format, failing tb when it does
// not parse: a typo in a fixture must not turn into a missing record.
func RR(tb testing.TB, s string) dns.RR {
	tb.Helper()

	rr, err := dns.NewRR(s)
	require.NoError(tb, err, "fixture %q", s)
	require.NotNil(tb, rr, "fixture %q holds no record", s)

	return rr
}

// Texts returns the presentation text of each record, as rr.String gives it.
func Texts(rrs []dns.RR) []string {
	out := make([]string, 0, len(rrs))
	for _, rr := range rrs {
		out = append(out, rr.String())
	}

	return out
}

// AssertRRs checks that got holds exactly the records written in want, in
// any order. want is parsed and printed again, so its spacing is free.
func AssertRRs(tb testing.TB, want []string, got []dns.RR, msgAndArgs ...any) bool {
	tb.Helper()

	norm := make([]string, 0, len(want))
	for _, s := range want {
		norm = append(norm, RR(tb, s).String())
	}

	return assert.ElementsMatch(tb, norm, Texts(got), msgAndArgs...)
}

// WriteFile writes text to name in a fresh temporary directory of tb and
// returns its path.
func WriteFile(tb testing.TB, name, text string) string {
	tb.Helper()

	path := filepath.Join(tb.TempDir(), name)
	require.NoError(tb, os.WriteFile(path, []byte(text), 0o644))

	return path
}
