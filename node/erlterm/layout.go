package erlterm

import "strings"

// layout holds the state of one pretty-printing run. Columns are 1-based
// as in io_lib_pretty; ld ("last depth") counts the closing brackets that
// must still follow an item on its line, and w counts the characters
// already written on the current line by the enclosing items.
type layout struct {
	b    strings.Builder
	ll   int // line length
	max  int // total one-line length of the whole term
	tind int // indentation of tagged tuple elements, see chooseTagIndent
}

// fits reports whether n can be written flat at col.
func (p *layout) fits(n *node, col, ld, w int) bool {
	return n.size < p.ll-col-ld && n.size+w+ld <= p.max
}

// fitsNext reports whether an item of length elen (comma included) can
// follow on the current line, keeping room for what must come after it.
func (p *layout) fitsNext(elen, col, ld, w int) bool {
	room := max(ld, 1)
	return elen+room < p.ll-col && w+elen+room <= p.max
}

// lastDepth is the ld of an item followed by rest inside a container
// itself followed by ld closing brackets.
func lastDepth(rest []*node, ld int) int {
	if len(rest) > 0 {
		return 0
	}
	return ld + 1
}

// pp writes n starting at col; ind is the indentation of col.
func (p *layout) pp(n *node, col int, ind string, ld, w int) {
	switch {
	case p.fits(n, col, ld, w):
		writeFlat(&p.b, n)
	case n.kind == binKind:
		p.ppBinary(n, col+2, ind+"  ", ld, w)
	case n.kind == leafKind:
		p.b.WriteString(n.text)
	default:
		p.ppContainer(n, col, ind, ld, w)
	}
}

// ppContainer writes a list, tuple or map that does not fit at col.
func (p *layout) ppContainer(n *node, col int, ind string, ld, w int) {
	p.b.WriteString(brackets[n.kind][0])
	switch n.kind {
	case taggedKind:
		p.ppTagged(n.elems, col, ind, ld, w+1)
	case mapKind:
		p.ppSeq(n.elems, col+2, ind+"  ", ld, w+1, true)
	default:
		p.ppSeq(n.elems, col+1, ind+" ", ld, w+1, false)
	}
	p.b.WriteString(brackets[n.kind][1])
}

// ppSeq writes the items of a container, the first one at col0.
// io_lib_pretty restarts the width count after the first pair of a map
// but not after the first element of a list; isMap keeps that behaviour.
func (p *layout) ppSeq(items []*node, col0 int, ind string, ld, w int, isMap bool) {
	ew := p.ppItem(items[0], col0, ind, lastDepth(items[1:], ld), w)
	tw := w + ew
	if isMap {
		tw = ew
	}
	p.ppTail(items[1:], col0, col0+ew, ind, ld, tw)
}

// ppTail writes the items after the first one: each goes on the current
// line when it is plain text and fits, else on a new line at col0.
func (p *layout) ppTail(items []*node, col0, col int, ind string, ld, w int) {
	for i, e := range items {
		ld1 := lastDepth(items[i+1:], ld)
		if e.atomic() && p.fitsNext(e.size+1, col, ld1, w) {
			p.b.WriteByte(',')
			writeFlat(&p.b, e)
			col, w = col+e.size+1, w+e.size+1
			continue
		}
		p.b.WriteString(",\n" + ind)
		ew := p.ppItem(e, col0, ind, ld1, 0)
		col, w = col0+ew, ew
	}
}

// ppItem writes one item and returns the width it takes on its line;
// the line length is returned when the next item must start a new line.
func (p *layout) ppItem(e *node, col int, ind string, ld, w int) int {
	if p.fits(e, col, ld, w) {
		writeFlat(&p.b, e)
		if e.atomic() {
			return e.size
		}
		return p.ll
	}
	if e.kind == pairKind {
		p.ppPair(e, col, ind, ld, w)
	} else {
		p.pp(e, col, ind, ld, w)
	}
	return p.ll
}

// ppPair writes a map pair that does not fit on one line: the value goes
// on the next line, indented from the key.
func (p *layout) ppPair(e *node, col int, ind string, ld, w int) {
	vind := ind + spaces(valueIndent(p.tind))
	p.pp(e.elems[0], col, ind, ld, w)
	p.b.WriteString(" =>\n" + vind)
	p.pp(e.elems[1], col+valueIndent(p.tind), vind, ld, 0)
}

// valueIndent is how far a map value is indented from its key.
func valueIndent(tind int) int {
	if tind > 0 {
		return tind
	}
	return 4
}

// ppTagged writes the elements of a tagged tuple after its '{'. The
// elements line up after the tag unless the tag is longer than tind.
func (p *layout) ppTagged(elems []*node, col int, ind string, ld, w int) {
	tag := elems[0]
	tagInd := tag.size + 2
	p.b.WriteString(tag.text)
	if p.tind > 0 && tagInd > p.tind {
		p.ppTail(elems[1:], col+p.tind, col+tagInd, ind+spaces(p.tind), ld, w+tag.size)
		return
	}
	p.b.WriteByte(',')
	p.ppSeq(elems[1:], col+tagInd, ind+spaces(tagInd), ld, w+tag.size+1, false)
}

// spaces returns n blanks.
func spaces(n int) string {
	return strings.Repeat(" ", max(n, 0))
}
