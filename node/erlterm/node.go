package erlterm

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// kind tells how a node is laid out.
type kind int

const (
	leafKind   kind = iota // text that is never broken
	listKind               // [E1,E2,...]
	tupleKind              // {E1,E2,...}
	taggedKind             // {tag,E2,...}: tuple of 2+ elements led by an atom
	mapKind                // #{P1,P2,...}, elements are pairs
	pairKind               // K => V, elements are the key and the value
	binKind                // <<B1,B2,...>>, non-printable binary
)

// node is the measured form of a term: its text length on one line and
// its parts, ready for layout.
type node struct {
	kind  kind
	text  string  // leafKind: the text; binKind: the byte values
	size  int     // length in characters when written on one line
	elems []*node // parts of containers
}

// atomic reports whether the node is printed as plain text, or is a map
// pair whose key and value both are; only such items share a line with
// the item that follows them.
func (n *node) atomic() bool {
	if n.kind == pairKind {
		return n.elems[0].kind == leafKind && n.elems[1].kind == leafKind
	}
	return n.kind == leafKind
}

// build measures a term.
func build(t Term) *node {
	switch x := t.(type) {
	case Atom:
		return leaf(atomText(string(x)))
	case Int:
		return leaf(strconv.FormatInt(int64(x), 10))
	case String:
		return buildString(x)
	case Binary:
		return buildBinary(x)
	case List:
		return buildList(x)
	case Tuple:
		return buildTuple(x)
	case Map:
		return buildMap(x)
	}
	return leaf("[]")
}

// leaf makes a text node.
func leaf(s string) *node {
	return &node{kind: leafKind, text: s, size: utf8.RuneCountInString(s)}
}

// buildString measures a character list.
func buildString(s String) *node {
	return buildList(listTerms(s))
}

// buildList measures a list, or the string it reads as.
func buildList(l List) *node {
	if s, ok := printableInts(l); ok {
		return leaf(quoted(s, '"'))
	}
	return container(listKind, l, 2)
}

// buildTuple measures a tuple, telling tagged tuples apart.
func buildTuple(t Tuple) *node {
	if len(t) < 2 {
		return container(tupleKind, t, 2)
	}
	if _, ok := t[0].(Atom); ok {
		return container(taggedKind, t, 2)
	}
	return container(tupleKind, t, 2)
}

// buildMap measures a map with its pairs in key order.
func buildMap(m Map) *node {
	pairs := make([]*node, len(m))
	for i, kv := range sortedPairs(m) {
		k, v := build(kv.Key), build(kv.Value)
		pairs[i] = &node{kind: pairKind, size: k.size + 4 + v.size, elems: []*node{k, v}}
	}
	return measured(mapKind, pairs, 3)
}

// buildBinary measures a binary: a quoted string when printable, else
// the list of its byte values.
func buildBinary(b Binary) *node {
	if b == "" {
		return leaf("<<>>")
	}
	if s, ok := latin1Text(b); ok {
		return leaf("<<" + quoted(s, '"') + ">>")
	}
	vals := make([]string, len(b))
	for i := range len(b) {
		vals[i] = strconv.Itoa(int(b[i]))
	}
	text := strings.Join(vals, ",")
	return &node{kind: binKind, text: text, size: len(text) + 4}
}

// latin1Text decodes the bytes as Latin-1 when they are all printable.
func latin1Text(b Binary) (string, bool) {
	var sb strings.Builder
	for i := range len(b) {
		if !isPrintable(int64(b[i])) {
			return "", false
		}
		sb.WriteRune(rune(b[i]))
	}
	return sb.String(), true
}

// container measures a list or tuple of terms.
func container(k kind, terms []Term, brackets int) *node {
	elems := make([]*node, len(terms))
	for i, t := range terms {
		elems[i] = build(t)
	}
	return measured(k, elems, brackets)
}

// measured wraps parts into a container node, or into the empty
// container's text when there are no parts.
func measured(k kind, elems []*node, brackets int) *node {
	if len(elems) == 0 {
		return leaf(map[kind]string{listKind: "[]", tupleKind: "{}", mapKind: "#{}"}[k])
	}
	size := brackets + len(elems) - 1
	for _, e := range elems {
		size += e.size
	}
	return &node{kind: k, size: size, elems: elems}
}
