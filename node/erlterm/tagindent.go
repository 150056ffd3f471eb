package erlterm

// chooseTagIndent picks the indentation used for tagged tuples and map
// values, as io_lib_pretty does: elements aligned after the tag (-1) if
// that never pushes a tagged tuple past the middle of the line (unless
// the whole term would still fit), else a fixed 4, else 1.
func (p *layout) chooseTagIndent(n *node, col int) int {
	for _, tind := range []int{-1, 4} {
		p.tind = tind
		if p.check(n, col, 0, 0) {
			return tind
		}
	}
	return 1
}

// check walks the layout pp would make of n with the current tind and
// reports false when a tagged tuple would be indented too far.
func (p *layout) check(n *node, col, ld, w int) bool {
	if p.fits(n, col, ld, w) {
		return true
	}
	switch n.kind {
	case listKind, tupleKind:
		return p.checkSeq(n.elems, col+1, ld, w+1)
	case taggedKind:
		return p.checkTagged(n.elems, col, ld, w+1)
	case mapKind:
		return p.checkSeq(n.elems, col+2, ld, w+2)
	}
	return true
}

// checkSeq is the ppSeq counterpart of check.
func (p *layout) checkSeq(items []*node, col0, ld, w int) bool {
	ew, ok := p.checkItem(items[0], col0, lastDepth(items[1:], ld), w)
	return ok && p.checkTail(items[1:], col0, col0+ew, ld, w+ew)
}

// checkTail is the ppTail counterpart of check.
func (p *layout) checkTail(items []*node, col0, col, ld, w int) bool {
	for i, e := range items {
		ld1 := lastDepth(items[i+1:], ld)
		if e.atomic() && p.fitsNext(e.size+1, col, ld1, w) {
			col, w = col+e.size+1, w+e.size+1
			continue
		}
		ew, ok := p.checkItem(e, col0, ld1, 0)
		if !ok {
			return false
		}
		col, w = col0+ew, ew
	}
	return true
}

// checkItem is the ppItem counterpart of check.
func (p *layout) checkItem(e *node, col, ld, w int) (int, bool) {
	if p.fits(e, col, ld, w) {
		if e.atomic() {
			return e.size, true
		}
		return p.ll, true
	}
	if e.kind != pairKind {
		return p.ll, p.check(e, col, ld, w)
	}
	ok := p.check(e.elems[0], col, ld, w) &&
		p.check(e.elems[1], col+valueIndent(p.tind), ld, 0)
	return p.ll, ok
}

// checkTagged is the ppTagged counterpart of check.
func (p *layout) checkTagged(elems []*node, col, ld, w int) bool {
	tag := elems[0]
	tagInd := tag.size + 2
	if p.tind > 0 && tagInd > p.tind {
		col1 := col + p.tind
		return p.roomy(col1, 0) &&
			p.checkTail(elems[1:], col1, col+tagInd, ld, w+tag.size)
	}
	return p.roomy(col+tagInd, 1) &&
		p.checkSeq(elems[1:], col+tagInd, ld, w+tag.size+1)
}

// roomy reports whether elements may start at col: either the whole term
// fits after it, or col is not beyond the middle of the line. slack is 1
// where io_lib_pretty compares strictly.
func (p *layout) roomy(col, slack int) bool {
	return p.max+col+slack <= p.ll || col+slack <= p.ll/2
}
