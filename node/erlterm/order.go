package erlterm

import (
	"cmp"
	"slices"
	"strings"
)

// Compare orders two terms the way Erlang's term order does (number <
// atom < tuple < map < list < binary) and returns -1, 0 or +1. Strings
// compare as the lists of character codes they are, and a nil Term as
// the empty list.
func Compare(a, b Term) int {
	if c := cmp.Compare(rank(a), rank(b)); c != 0 {
		return c
	}
	switch x := a.(type) {
	case Int:
		return cmp.Compare(x, b.(Int))
	case Atom:
		return strings.Compare(string(x), string(b.(Atom)))
	case Binary:
		return strings.Compare(string(x), string(b.(Binary)))
	case Tuple:
		return compareTuples(x, b.(Tuple))
	case Map:
		return compareMaps(x, b.(Map))
	}
	return compareSeq(listTerms(a), listTerms(b))
}

// rank gives the position of the term's type in Erlang's term order.
func rank(t Term) int {
	switch t.(type) {
	case Int:
		return 0
	case Atom:
		return 1
	case Tuple:
		return 2
	case Map:
		return 3
	case List, String, nil:
		return 4
	}
	return 5
}

// listTerms returns the elements of a List or the codes of a String.
func listTerms(t Term) []Term {
	if s, ok := t.(String); ok {
		var l List
		for _, r := range s {
			l = append(l, Int(r))
		}
		return l
	}
	l, _ := t.(List)
	return l
}

// compareSeq compares element by element; a prefix sorts first.
func compareSeq(a, b []Term) int {
	return slices.CompareFunc(a, b, Compare)
}

// compareTuples orders tuples by size, then element by element.
func compareTuples(a, b Tuple) int {
	if c := cmp.Compare(len(a), len(b)); c != 0 {
		return c
	}
	return compareSeq(a, b)
}

// compareMaps orders maps by size, then sorted keys, then values.
func compareMaps(a, b Map) int {
	if c := cmp.Compare(len(a), len(b)); c != 0 {
		return c
	}
	sa, sb := sortedPairs(a), sortedPairs(b)
	for i := range sa {
		if c := Compare(sa[i].Key, sb[i].Key); c != 0 {
			return c
		}
	}
	for i := range sa {
		if c := Compare(sa[i].Value, sb[i].Value); c != 0 {
			return c
		}
	}
	return 0
}

// sortedPairs returns a copy of the map's pairs in key order.
func sortedPairs(m Map) Map {
	s := slices.Clone(m)
	slices.SortStableFunc(s, func(x, y KV) int { return Compare(x.Key, y.Key) })
	return s
}
