package erlterm

// DefaultLineLength is the line length io:format uses for ~p.
const DefaultLineLength = 80

// Format returns t as io:format("~p", [t]) prints it when col characters
// are already on the current line (col is 16 for "Cluster status: ~p").
// Lines after the first are indented relative to that column. There is
// no trailing newline.
func Format(t Term, col int) string {
	return FormatWidth(t, col, DefaultLineLength)
}

// FormatWidth is Format with another line length, as printed by
// io:format("~Wp") for a field width W; a width of 0 means no line
// breaks at all.
func FormatWidth(t Term, col, lineLength int) string {
	n := build(t)
	c := max(col, 0) + 1
	p := &layout{ll: lineLength, max: n.size}
	if lineLength == 0 || n.size < lineLength-c {
		writeFlat(&p.b, n)
		return p.b.String()
	}
	p.tind = p.chooseTagIndent(n, c)
	p.pp(n, c, spaces(c-1), 0, 0)
	return p.b.String()
}
