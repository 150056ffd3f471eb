package erlterm

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// erlCase is one term to print after a prefix on the same line.
type erlCase struct {
	name   string
	prefix string
	term   Term
	width  int // line length; 0 means the default of ~p
}

// printed returns what this package prints for the case.
func (c erlCase) printed() string {
	if c.width == 0 {
		return c.prefix + Format(c.term, len(c.prefix))
	}
	return c.prefix + FormatWidth(c.term, len(c.prefix), c.width)
}

// endMark separates the outputs of the cases in erl's output.
const endMark = "%%%END%%%"

// erlScript prints every {Prefix, Width, Term} of the file named on the
// command line with io:format("~s~p~n"), or "~s~Wp~n" when Width is not
// 0, each output followed by endMark.
const erlScript = `[F] = init:get_plain_arguments(),
{ok, Cs} = file:consult(F),
Print = fun(P, 0, T) -> io:format("~s~p~n", [P, T]);
           (P, W, T) -> io:format("~s~*p~n", [P, W, T]) end,
[begin Print(P, W, T), io:format("~s~n", ["` + endMark + `"]) end || {P, W, T} <- Cs],
halt().`

// erlSource writes t as Erlang source text that reads back as t.
func erlSource(t Term) string {
	var b strings.Builder
	writeSource(&b, t)
	return b.String()
}

// writeSource writes t as Erlang source text.
func writeSource(b *strings.Builder, t Term) {
	switch x := t.(type) {
	case Atom:
		b.WriteString(sourceQuoted(string(x), '\''))
	case Int:
		b.WriteString(strconv.FormatInt(int64(x), 10))
	case String:
		b.WriteString(sourceQuoted(string(x), '"'))
	case Binary:
		b.WriteString(binarySource(x))
	case Tuple:
		writeSourceSeq(b, "{", x, "}")
	case Map:
		writeMapSource(b, x)
	default:
		l, _ := t.(List)
		writeSourceSeq(b, "[", l, "]")
	}
}

// writeSourceSeq writes the terms between brackets.
func writeSourceSeq(b *strings.Builder, open string, terms []Term, end string) {
	b.WriteString(open)
	for i, e := range terms {
		if i > 0 {
			b.WriteByte(',')
		}
		writeSource(b, e)
	}
	b.WriteString(end)
}

// writeMapSource writes the pairs in their given order.
func writeMapSource(b *strings.Builder, m Map) {
	b.WriteString("#{")
	for i, kv := range m {
		if i > 0 {
			b.WriteByte(',')
		}
		writeSource(b, kv.Key)
		b.WriteString(" => ")
		writeSource(b, kv.Value)
	}
	b.WriteString("}")
}

// sourceQuoted quotes s for Erlang source, escaping all but plain ASCII.
func sourceQuoted(s string, q rune) string {
	var b strings.Builder
	b.WriteRune(q)
	for _, r := range s {
		switch {
		case r == q || r == '\\':
			b.WriteString(`\` + string(r))
		case r >= ' ' && r <= '~':
			b.WriteRune(r)
		default:
			fmt.Fprintf(&b, `\x{%X}`, r)
		}
	}
	b.WriteRune(q)
	return b.String()
}

// binarySource writes a binary as a string when it is plain ASCII.
func binarySource(bin Binary) string {
	vals := make([]string, len(bin))
	text := true
	for i := range len(bin) {
		vals[i] = strconv.Itoa(int(bin[i]))
		text = text && bin[i] >= ' ' && bin[i] <= '~'
	}
	if text && bin != "" {
		return "<<" + sourceQuoted(string(bin), '"') + ">>"
	}
	return "<<" + strings.Join(vals, ",") + ">>"
}

// runErl prints the cases with a single erl run and returns erl's output
// for each case, prefix included, without the final newline.
func runErl(t *testing.T, cases []erlCase) []string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "cases.eterm")
	if err := os.WriteFile(file, consultText(cases), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("erl", "-noshell", "-eval", erlScript, "-extra", file)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("erl: %v: %s", err, stderr.String())
	}
	return splitErlOutput(t, latin1ToUTF8(out), len(cases))
}

// consultText writes the cases as {Prefix, Width, Term}. lines for
// file:consult.
func consultText(cases []erlCase) []byte {
	var b strings.Builder
	for _, c := range cases {
		src := erlSource(c.term)
		fmt.Fprintf(&b, "{%s, %d, %s}.\n", sourceQuoted(c.prefix, '"'), c.width, src)
	}
	return []byte(b.String())
}

// latin1ToUTF8 decodes erl's output: without an encoding set, erl writes
// characters up to 255 as single bytes.
func latin1ToUTF8(out []byte) string {
	var b strings.Builder
	for _, c := range out {
		b.WriteRune(rune(c))
	}
	return b.String()
}

// splitErlOutput cuts erl's output into the outputs of the n cases.
func splitErlOutput(t *testing.T, out string, n int) []string {
	t.Helper()
	parts := strings.Split(out, "\n"+endMark+"\n")
	if len(parts) != n+1 || parts[n] != "" {
		t.Fatalf("erl printed %d outputs for %d cases:\n%s", len(parts)-1, n, out)
	}
	return parts[:n]
}

// requireErl skips the test when erl is not installed.
func requireErl(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("erl"); err != nil {
		t.Skip("erl is not on PATH")
	}
}
