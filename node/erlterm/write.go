package erlterm

import "strings"

// brackets holds the opening and closing text of each container kind.
var brackets = map[kind][2]string{
	listKind:   {"[", "]"},
	tupleKind:  {"{", "}"},
	taggedKind: {"{", "}"},
	mapKind:    {"#{", "}"},
	binKind:    {"<<", ">>"},
}

// writeFlat writes the node on a single line.
func writeFlat(b *strings.Builder, n *node) {
	switch n.kind {
	case leafKind:
		b.WriteString(n.text)
	case binKind:
		b.WriteString("<<" + n.text + ">>")
	case pairKind:
		writeFlat(b, n.elems[0])
		b.WriteString(" => ")
		writeFlat(b, n.elems[1])
	default:
		writeFlatContainer(b, n)
	}
}

// writeFlatContainer writes a list, tuple or map on a single line.
func writeFlatContainer(b *strings.Builder, n *node) {
	b.WriteString(brackets[n.kind][0])
	for i, e := range n.elems {
		if i > 0 {
			b.WriteByte(',')
		}
		writeFlat(b, e)
	}
	b.WriteString(brackets[n.kind][1])
}
