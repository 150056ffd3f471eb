package dnsserver_test

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/dnsserver"
)

// readmeBlock is a fenced code block of README.md.
type readmeBlock struct {
	line int // of its opening fence
	text string
}

// corefileBlocks returns the code blocks of the Markdown file at path
// that are tagged corefile.
func corefileBlocks(tb testing.TB, path string) []readmeBlock {
	tb.Helper()

	f, err := os.Open(path)
	require.NoError(tb, err)
	defer f.Close()

	var blocks []readmeBlock
	var cur *readmeBlock
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur == nil && strings.TrimSpace(line) == "```corefile":
			cur = &readmeBlock{line: n}
		case cur != nil && strings.TrimSpace(line) == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.text += line + "\n"
		}
	}
	require.NoError(tb, sc.Err())
	if cur != nil {
		tb.Fatalf("%s: the corefile block of line %d is not closed", path, cur.line)
	}

	return blocks
}

// Every corefile block of README.md is a Corefile that parses. The zone
// files they name need not exist: they are not loaded.
func TestReadmeCorefiles(t *testing.T) {
	blocks := corefileBlocks(t, "../README.md")
	require.NotEmpty(t, blocks, "README.md has no corefile blocks")

	for _, b := range blocks {
		t.Run(fmt.Sprintf("README.md line %d", b.line), func(t *testing.T) {
			cfgs, err := dnsserver.ParseCorefile("Corefile", strings.NewReader(b.text))

			require.NoError(t, err, "the block:\n%s", b.text)
			assert.NotEmpty(t, cfgs)
		})
	}
}
