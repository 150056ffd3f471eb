package erlterm

import "strings"

// ppBinary writes a non-printable binary that does not fit on one line,
// filling lines with byte values; col is the column after "<<".
func (p *layout) ppBinary(n *node, col int, ind string, ld, w int) {
	width := max(8, min(p.ll-col, p.max-4-w)-ld)
	vals := strings.Split(n.text, ",")
	last := vals[len(vals)-1]
	left := width
	p.b.WriteString("<<")
	for _, v := range vals[:len(vals)-1] {
		left = p.binaryValue(v+",", ind, left, width)
	}
	if len(last) > left {
		p.b.WriteString("\n" + ind)
	}
	p.b.WriteString(last + ">>")
}

// binaryValue writes one byte value and its comma, wrapping the line
// when fewer than its length are left; it returns the room left.
func (p *layout) binaryValue(v, ind string, left, width int) int {
	if left < len(v) {
		p.b.WriteString("\n" + ind + v)
		return width - len(v)
	}
	p.b.WriteString(v)
	return left - len(v)
}
