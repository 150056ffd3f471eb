package erlterm

import (
	"strings"
	"testing"
)

func TestAtomQuoting(t *testing.T) {
	tests := []struct {
		name, atom, want string
	}{
		{"plain lowercase", "running_nodes", "running_nodes"},
		{"node name with dots", "emqx@10.0.0.1", "'emqx@10.0.0.1'"},
		{"node name without dots", "emqx@node1", "emqx@node1"},
		{"ipv6 node name", "emqx@fd00:a::2", "'emqx@fd00:a::2'"},
		{"hyphenated host", "emqx@emqx-0.ns", "'emqx@emqx-0.ns'"},
		{"empty", "", "''"},
		{"capitalised", "Node", "'Node'"},
		{"leading underscore", "_a", "'_a'"},
		{"digits and at sign", "a1_@", "a1_@"},
		{"reserved word", "and", "'and'"},
		{"reserved cond", "cond", "'cond'"},
		{"maybe is not reserved in OTP 25", "maybe", "maybe"},
		{"quote inside", "o'k", `'o\'k'`},
		{"backslash inside", `b\s`, `'b\\s'`},
		{"newline", "x\ny", `'x\ny'`},
		{"control char in octal", "\x01", `'\001'`},
		{"delete", "\x7f", `'\d'`},
		{"latin-1 lowercase start", "\u00dfx", "\u00dfx"},
		{"latin-1 division sign", "a\u00f7", "'a\u00f7'"},
		{"beyond latin-1", "\u0100", `'\x{100}'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Format(Atom(tt.atom), 0); got != tt.want {
				t.Errorf("Format(Atom(%q)) = %s, want %s", tt.atom, got, tt.want)
			}
		})
	}
}

func TestCompare(t *testing.T) {
	tests := []struct {
		name string
		a, b Term
		want int
	}{
		{"integers", Int(-3), Int(2), -1},
		{"number before atom", Int(99), Atom("a"), -1},
		{"atoms alphabetically", Atom("running_nodes"), Atom("stopped_nodes"), -1},
		{"atom before tuple", Atom("z"), Tuple{}, -1},
		{"tuples by size first", Tuple{Int(9)}, Tuple{Int(1), Int(1)}, -1},
		{"tuple before map", Tuple{Int(1), Int(2), Int(3)}, Map{}, -1},
		{"map before list", Map{{Int(1), Int(1)}}, List{}, -1},
		{"empty list before list", List{}, List{Int(0)}, -1},
		{"string equals code list", String("hi"), List{Int('h'), Int('i')}, 0},
		{"list before binary", List{Atom("z")}, Binary(""), -1},
		{"binaries bytewise", Binary("b"), Binary("ab"), 1},
		{"nil is the empty list", nil, List{}, 0},
		{"maps by keys then values",
			Map{{Atom("a"), Int(2)}}, Map{{Atom("a"), Int(1)}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Compare(tt.a, tt.b); got != tt.want {
				t.Errorf("Compare = %d, want %d", got, tt.want)
			}
			if got := Compare(tt.b, tt.a); got != -tt.want {
				t.Errorf("reversed Compare = %d, want %d", got, -tt.want)
			}
		})
	}
}

func TestFormatColumns(t *testing.T) {
	long := List{Tuple{Atom("running_nodes"), nodes(ipv4Name, 0, 20)}}
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"negative column counts as zero", Format(long, -5), Format(long, 0)},
		{"width zero never breaks", FormatWidth(long, 16, 0), erlFlat(long)},
		{"default width is 80", FormatWidth(long, 16, 80), Format(long, 16)},
		{"nil prints as empty list", Format(nil, 16), "[]"},
		{"nil element", Format(List{nil, Atom("a")}, 0), "[[],a]"},
		{"empty containers", Format(List{List{}, Tuple{}, Map{}, String("")}, 0),
			"[[],{},#{},[]]"},
		{"one-element tuple", Format(Tuple{Atom("a")}, 0), "{a}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", tt.got, tt.want)
			}
		})
	}
}

func TestFormatKeepsWithinColumn(t *testing.T) {
	term := statusMap(nodes(hostName, 0, 12), nodes(ipv6Name, 0, 12))
	for _, col := range []int{0, 16, 30} {
		t.Run(strings.Repeat("x", col)+"|", func(t *testing.T) {
			lines := strings.Split(Format(term, col), "\n")
			for _, l := range lines[1:] {
				if !strings.HasPrefix(l, strings.Repeat(" ", col+2)) {
					t.Errorf("continuation line not indented past column %d: %q", col, l)
				}
			}
		})
	}
}

func TestAtomList(t *testing.T) {
	got := AtomList("emqx@10.0.0.1", "emqx@node2")
	want := List{Atom("emqx@10.0.0.1"), Atom("emqx@node2")}
	if Compare(got, want) != 0 || len(got) != 2 {
		t.Errorf("AtomList = %v, want %v", got, want)
	}
}

// erlFlat writes the term on one line.
func erlFlat(t Term) string {
	var b strings.Builder
	writeFlat(&b, build(t))
	return b.String()
}
