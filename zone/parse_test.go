package zone_test

import (
	"errors"
	"io/fs"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/zone"
)

// parse parses text as the zone example.org, naming it "f" in errors.
func parse(text string) (*zone.Zone, error) {
	return zone.Parse(strings.NewReader(text), "example.org.", "f")
}

// parseErrors returns the *zone.ParseError values in err, which is one of
// them or several joined.
func parseErrors(err error) []*zone.ParseError {
	if pe, ok := err.(*zone.ParseError); ok {
		return []*zone.ParseError{pe}
	}

	var out []*zone.ParseError
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			out = append(out, parseErrors(e)...)
		}
	}

	return out
}

// linesOf returns the lines of the parse errors in err that wrap target.
func linesOf(err, target error) []int {
	var lines []int
	for _, pe := range parseErrors(err) {
		if errors.Is(pe, target) {
			lines = append(lines, pe.Line)
		}
	}

	return lines
}

func TestParseSyntaxError(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		wantLine int
	}{
		{
			name: "bad A on line 5",
			text: "$TTL 3600\n" +
				"@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n" +
				"@ IN NS ns1\n" +
				"ns1 IN A 192.0.2.1\n" +
				"x A 1.2.3\n",
			wantLine: 5,
		},
		{
			name: "bad A after a multi-line SOA",
			text: "$TTL 3600\n" +
				"@ IN SOA ns1 hostmaster (\n" +
				"    1 7200 3600\n" +
				"    1209600 300 )\n" +
				"@ IN NS ns1\n" +
				"; a comment\n" +
				"\n" +
				"x A 1.2.3\n",
			wantLine: 8,
		},
		{
			name:     "unknown type on line 2, no final newline",
			text:     "$TTL 3600\nx IN BOGUS 1",
			wantLine: 2,
		},
		{
			// Found by FuzzParse (testdata/fuzz/FuzzParse/a93907e969e77846):
			// miekg/dns read such a line as a record without rdata.
			name: "last line stops after the type",
			text: "$TTL 3600\n" +
				"@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n" +
				"@ IN NS ns1\n" +
				"ns1 IN A\n",
			wantLine: 4,
		},
		{
			// Found by FuzzParse (testdata/fuzz/FuzzParse/16b5a5956d8abea6).
			name: "last line stops after the type, no final newline",
			text: "$TTL 3600\n" +
				"@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n" +
				"@ IN NS ns1\n" +
				"ns1 IN A",
			wantLine: 4,
		},
		{
			name:     "bad TTL on line 1",
			text:     "$TTL forever\n",
			wantLine: 1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			z, err := parse(tc.text)
			require.Error(t, err)

			assert.Nil(t, z)
			assert.ErrorIs(t, err, zone.ErrSyntax)
			var pe *zone.ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, "f", pe.File)
			assert.Equal(t, tc.wantLine, pe.Line)
			assert.NotEmpty(t, pe.Msg)
			want := "f:" + strconv.Itoa(tc.wantLine) + ": "
			assert.True(t, strings.HasPrefix(err.Error(), want),
				"error %q does not start with %q", err, want)
		})
	}
}

func TestParseZoneErrors(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		wantErr   error
		wantLines []int // of the errors wrapping wantErr; 0 is the whole file
	}{
		{
			name: "no SOA",
			text: "$TTL 3600\n" +
				"@ IN NS ns1\n",
			wantErr:   zone.ErrNoSOA,
			wantLines: []int{0},
		},
		{
			name: "SOA below the origin",
			text: "$TTL 3600\n" +
				"@ IN NS ns1\n" +
				"sub IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n",
			wantErr:   zone.ErrNoSOA,
			wantLines: []int{3, 0},
		},
		{
			name: "SOA above the origin",
			text: "$TTL 3600\n" +
				"org. IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n" +
				"@ IN NS ns1\n",
			wantErr:   zone.ErrNoSOA,
			wantLines: []int{0},
		},
		{
			name: "two different SOAs",
			text: "$TTL 3600\n" +
				"@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n" +
				"@ IN NS ns1\n" +
				"@ IN SOA ns1 hostmaster 2 7200 3600 1209600 300\n",
			wantErr:   zone.ErrManySOA,
			wantLines: []int{4},
		},
		{
			name: "no NS at all",
			text: "$TTL 3600\n" +
				"@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n",
			wantErr:   zone.ErrNoNS,
			wantLines: []int{0},
		},
		{
			name: "NS only below the origin",
			text: "$TTL 3600\n" +
				"@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n" +
				"sub IN NS ns1\n",
			wantErr:   zone.ErrNoNS,
			wantLines: []int{0},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			z, err := parse(tc.text)
			require.Error(t, err)

			assert.Nil(t, z)
			assert.ErrorIs(t, err, tc.wantErr)
			assert.Equal(t, tc.wantLines, linesOf(err, tc.wantErr))
			for _, pe := range parseErrors(err) {
				assert.Equal(t, "f", pe.File)
			}
		})
	}
}

func TestParseErrorText(t *testing.T) {
	tests := []struct {
		name string
		err  *zone.ParseError
		want string
	}{
		{
			name: "with a line",
			err:  &zone.ParseError{File: "db.x", Line: 7, Msg: "bad"},
			want: "db.x:7: bad",
		},
		{
			name: "whole file",
			err:  &zone.ParseError{File: "db.x", Msg: "bad"},
			want: "db.x: bad",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.err.Error())
		})
	}
}

func TestParseBadOrigin(t *testing.T) {
	tests := []struct {
		name   string
		origin string
	}{
		{name: "empty", origin: ""},
		{name: "empty label", origin: "a..example.org."},
		{name: "needless escape", origin: `ex\097mple.org`},
		{
			// Found by FuzzParse (testdata/fuzz/FuzzParse/84c5eca3b63c57bd):
			// the zone was indexed under " ." but read back as "\ ." once
			// written out.
			name:   "unescaped space",
			origin: " ",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			z, err := zone.Parse(strings.NewReader(""), tc.origin, "f")

			assert.Nil(t, z)
			assert.ErrorIs(t, err, zone.ErrBadOrigin)
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	z, err := zone.Load("testdata/no-such-file", "example.org.")

	assert.Nil(t, z)
	assert.ErrorIs(t, err, fs.ErrNotExist)
	var pe *zone.ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "testdata/no-such-file", pe.File)
}
