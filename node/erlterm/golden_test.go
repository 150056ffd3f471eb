package erlterm

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// update regenerates testdata/pretty.txt from erl's output:
//
//	go test ./node/erlterm -run TestGolden -update
var update = flag.Bool("update", false, "regenerate testdata/pretty.txt with erl")

// goldenFile holds erl's output for goldenCases.
var goldenFile = filepath.Join("testdata", "pretty.txt")

// goldenHeader opens the golden file.
const goldenHeader = `# Output of io:format("~s~p~n", [Prefix, Term]) by erl (OTP 25), one case
# per "=== name" block: the "term:" line is the term as Erlang source, the
# lines after it are what erl printed. Regenerate with
#   go test ./node/erlterm -run TestGolden -update
`

// goldenEntry is one case of the golden file.
type goldenEntry struct {
	source string // the term as Erlang source
	output string // erl's output, prefix included
}

func TestGolden(t *testing.T) {
	cases := goldenCases()
	if *update {
		writeGolden(t, cases)
	}
	entries := readGolden(t)
	if len(entries) != len(cases) {
		t.Errorf("golden file has %d cases, want %d; run with -update", len(entries), len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want, ok := entries[c.name]
			if !ok {
				t.Fatalf("case missing from %s; run with -update", goldenFile)
			}
			if got := erlSource(c.term); got != want.source {
				t.Fatalf("term changed; run with -update\n got: %s\nwant: %s", got, want.source)
			}
			if got := c.printed(); got != want.output {
				t.Errorf("output differs from erl\n got:\n%s\nwant:\n%s", got, want.output)
			}
		})
	}
}

func TestGoldenCoverage(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range goldenCases() {
		if seen[c.name] {
			t.Errorf("duplicate case name %q", c.name)
		}
		seen[c.name] = true
	}
	if len(seen) < 40 {
		t.Errorf("only %d golden cases, want at least 40", len(seen))
	}
}

// writeGolden runs erl on the cases and writes the golden file.
func writeGolden(t *testing.T, cases []erlCase) {
	t.Helper()
	requireErl(t)
	outputs := runErl(t, cases)
	var b strings.Builder
	b.WriteString(goldenHeader)
	for i, c := range cases {
		b.WriteString("=== " + c.name + "\nterm: " + erlSource(c.term) + "\n")
		b.WriteString(outputs[i] + "\n")
	}
	if err := os.WriteFile(goldenFile, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// readGolden parses the golden file into its cases by name.
func readGolden(t *testing.T) map[string]goldenEntry {
	t.Helper()
	data, err := os.ReadFile(goldenFile)
	if err != nil {
		t.Fatal(err)
	}
	entries := map[string]goldenEntry{}
	blocks := strings.Split(string(data), "\n=== ")
	for _, block := range blocks[1:] {
		name, entry := parseGoldenBlock(t, block)
		entries[name] = entry
	}
	return entries
}

// parseGoldenBlock splits a block into its name, term and output.
func parseGoldenBlock(t *testing.T, block string) (string, goldenEntry) {
	t.Helper()
	name, rest, _ := strings.Cut(block, "\n")
	source, output, _ := strings.Cut(rest, "\n")
	if !strings.HasPrefix(source, "term: ") {
		t.Fatalf("golden case %q has no term line", name)
	}
	entry := goldenEntry{source: strings.TrimPrefix(source, "term: ")}
	entry.output = strings.TrimSuffix(output, "\n")
	return name, entry
}
