package zone_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/zone"
)

// apexText starts a zone for example.org.
const apexText = "$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n" +
	"ns1 A 192.0.2.1\n"

// writeFiles writes files, named relative to dir, which it creates.
func writeFiles(tb testing.TB, dir string, files map[string]string) {
	tb.Helper()

	for name, text := range files {
		path := filepath.Join(dir, name)
		require.NoError(tb, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(tb, os.WriteFile(path, []byte(text), 0o644))
	}
}

func TestIncludeFiles(t *testing.T) {
	tests := []struct {
		name string
		file string
		want []string
	}{
		{
			name: "no include",
			file: "ok-basic.zone",
			want: []string{"ok-basic.zone"},
		},
		{
			name: "nested, the inner one in a subdirectory",
			file: "include-nested.zone",
			want: []string{"include-nested.zone", "nested.inc", "inc/hosts.inc"},
		},
		{
			name: "relative to the including file's directory",
			file: "include-nested-subdir.zone",
			want: []string{"include-nested-subdir.zone", "inc/nested.inc", "inc/leaf.inc"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			z, err := zone.Load(filepath.Join(corpusDir, tc.file), "example.org")
			require.NoError(t, err)

			var want []string
			for _, f := range tc.want {
				want = append(want, filepath.Join(corpusDir, f))
			}
			assert.Equal(t, want, z.Files())
		})
	}
}

func TestIncludeSameFileTwice(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"db.example.org": apexText + "$INCLUDE hosts a\n$INCLUDE hosts b\n",
		"hosts":          "www A 192.0.2.2\n",
	})

	z, err := zone.Load(filepath.Join(dir, "db.example.org"), "example.org")
	require.NoError(t, err)

	assert.Equal(t, []string{filepath.Join(dir, "db.example.org"), filepath.Join(dir, "hosts")},
		z.Files())
	assert.Equal(t, 5, z.Len())
}

func TestIncludeErrors(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		wantErr error
		want    string // the error's text, after corpusDir+"/"
	}{
		{
			name:    "missing file",
			file:    "include-missing.zone",
			wantErr: fs.ErrNotExist,
			want: "include-missing.zone:8: $INCLUDE testdata/zones/inc/no-such-file.inc: " +
				"no such file or directory",
		},
		{
			name:    "file including itself",
			file:    "include-self.zone",
			wantErr: zone.ErrIncludeLoop,
			want: "include-self.zone:8: $INCLUDE testdata/zones/include-self.zone: " +
				"include loop: testdata/zones/include-self.zone -> " +
				"testdata/zones/include-self.zone",
		},
		{
			name:    "two files including each other",
			file:    "include-loop.zone",
			wantErr: zone.ErrIncludeLoop,
			want: "loop-b.inc:3: $INCLUDE testdata/zones/loop-a.inc: include loop: " +
				"testdata/zones/loop-a.inc -> testdata/zones/loop-b.inc -> " +
				"testdata/zones/loop-a.inc",
		},
		{
			name:    "syntax error in an included file",
			file:    "include-syntax-error.zone",
			wantErr: zone.ErrSyntax,
			want:    `inc/bad.inc:3: bad A A: "192.0.2"`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			z, err := zone.Load(filepath.Join(corpusDir, tc.file), "example.org")

			assert.Nil(t, z)
			assert.ErrorIs(t, err, tc.wantErr)
			assert.EqualError(t, err, corpusDir+"/"+tc.want)
		})
	}
}

// An included file outside the including file's directory goes by its
// absolute path, in Files and in errors.
func TestIncludeOutsideDirectory(t *testing.T) {
	dir := t.TempDir()
	at := func(name string) string { return filepath.Join(dir, name) }
	writeFiles(t, dir, map[string]string{
		"zones/db.good": apexText + "$INCLUDE " + at("shared/hosts") + "\n" +
			"$INCLUDE ../shared/more\n",
		"zones/db.bad": apexText + "$INCLUDE ../shared/bad\n",
		"shared/hosts": "www A 192.0.2.2\n",
		"shared/more":  "mail A 192.0.2.3\n",
		"shared/bad":   "www A 192.0.2.2\nbad A 192.0.2\n",
	})

	z, err := zone.Load(at("zones/db.good"), "example.org")
	require.NoError(t, err)
	assert.Equal(t, []string{at("zones/db.good"), at("shared/hosts"), at("shared/more")},
		z.Files())

	_, err = zone.Load(at("zones/db.bad"), "example.org")
	assert.EqualError(t, err, at("shared/bad")+`:2: bad A A: "192.0.2"`)
}

func TestIncludeFromReaderIsRelativeToWorkingDirectory(t *testing.T) {
	text := apexText + "$INCLUDE " + corpusDir + "/inc/hosts.inc\n"

	z, err := zone.Parse(strings.NewReader(text), "example.org", "")
	require.NoError(t, err)

	assert.Equal(t, []string{"", filepath.Join(corpusDir, "inc/hosts.inc")}, z.Files())
}

func TestFindOrigin(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"absolute":  "$TTL 60\nexample.net. SOA ns1.example.net. h.example.net. 1 2 3 4 5\n",
		"origin":    "$ORIGIN Example.COM.\n$TTL 60\n@ SOA ns1 h 1 2 3 4 5\n",
		"relative":  "$TTL 60\n\n@ SOA ns1 h 1 2 3 4 5\n",
		"included":  "$INCLUDE soa.inc example.edu.\n",
		"soa.inc":   "$TTL 60\n@ SOA ns1 h 1 2 3 4 5\n",
		"no-soa":    "$TTL 60\nwww.example.org. A 192.0.2.1\n",
		"bad":       "$TTL 60\nwww.example.org. A 192.0.2\n",
		"late-soa":  "$TTL 60\nwww.example.org. A 192.0.2.1\nexample.org. SOA a. b. 1 2 3 4 5\n",
		"empty.txt": "",
	})
	at := func(name string) string { return filepath.Join(dir, name) }

	tests := []struct {
		name    string
		file    string
		want    string
		wantErr error
		wantMsg string
	}{
		{name: "absolute owner", file: "absolute", want: "example.net."},
		{name: "after $ORIGIN", file: "origin", want: "Example.COM."},
		{name: "in an included file", file: "included", want: "example.edu."},
		{name: "after other records", file: "late-soa", want: "example.org."},
		{name: "relative owner", file: "relative", wantErr: zone.ErrBadOrigin,
			wantMsg: at("relative") + ":3: the SOA owner is relative and no $ORIGIN sets " +
				"the origin"},
		{name: "no SOA", file: "no-soa", wantErr: zone.ErrNoSOA,
			wantMsg: at("no-soa") + ": no SOA record"},
		{name: "empty", file: "empty.txt", wantErr: zone.ErrNoSOA,
			wantMsg: at("empty.txt") + ": no SOA record"},
		{name: "syntax error first", file: "bad", wantErr: zone.ErrSyntax,
			wantMsg: at("bad") + `:2: bad A A: "192.0.2"`},
		{name: "missing file", file: "missing", wantErr: fs.ErrNotExist,
			wantMsg: at("missing") + ": open " + at("missing") + ": no such file or directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := zone.FindOrigin(at(tc.file))
			if tc.wantErr == nil {
				require.NoError(t, err)
				assert.Equal(t, tc.want, got)
				return
			}

			assert.ErrorIs(t, err, tc.wantErr)
			assert.EqualError(t, err, tc.wantMsg)
		})
	}
}
