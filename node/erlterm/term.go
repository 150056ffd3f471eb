package erlterm

// Term is an Erlang term that this package can print. It is implemented
// only by the types of this package: Atom, Int, String, Binary, List,
// Tuple and Map.
type Term interface {
	isTerm()
}

// Atom is an Erlang atom, given by its name without quotes.
type Atom string

// Int is an Erlang integer.
type Int int64

// String is an Erlang string, that is a list of character codes, given
// as Go text. Like Erlang, an empty String prints as [] and a String with
// characters outside the printable Latin-1 range prints as a list of
// integers.
type String string

// Binary is an Erlang binary holding the bytes of the Go string.
type Binary string

// List is a proper Erlang list. A non-empty List made only of printable
// Latin-1 character codes prints as a string, as in Erlang.
type List []Term

// Tuple is an Erlang tuple.
type Tuple []Term

// Map is an Erlang map. Keys are printed in Erlang term order whatever
// the order of the pairs here; keys are expected to be distinct.
type Map []KV

// KV is one key-value association of a Map.
type KV struct {
	Key   Term
	Value Term
}

func (Atom) isTerm()   {}
func (Int) isTerm()    {}
func (String) isTerm() {}
func (Binary) isTerm() {}
func (List) isTerm()   {}
func (Tuple) isTerm()  {}
func (Map) isTerm()    {}

// AtomList returns a List of the atoms with the given names, such as the
// node lists of an EMQX cluster status.
func AtomList(names ...string) List {
	l := make(List, len(names))
	for i, n := range names {
		l[i] = Atom(n)
	}
	return l
}
