package zone

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
)

// Sentinel errors wrapped by the ParseErrors that report them.
var (
	ErrNoSOA     = errors.New("zone: no SOA record at the origin")
	ErrManySOA   = errors.New("zone: more than one SOA record")
	ErrNoNS      = errors.New("zone: no NS records at the origin")
	ErrOutOfZone = errors.New("zone: record outside the origin")
	ErrBadOrigin = errors.New("zone: bad origin")
	ErrSyntax    = errors.New("zone: syntax error")

	ErrIncludeLoop = errors.New("zone: $INCLUDE loop")
	ErrNoTTL       = errors.New("zone: no TTL specified")
	ErrTTLRange    = errors.New("zone: TTL out of range")
)

// ParseError is one problem found in a zone file, with its position.
// Its text reads "FILE:LINE: what", the form editors and named-checkzone use.
type ParseError struct {
	File string // file as named by the caller or by $INCLUDE
	Line int    // 1-based line; 0 when the problem concerns the whole file
	Msg  string // what is wrong, without position
	Err  error  // the sentinel or library error behind it, if any
}

// Error implements error.
func (e *ParseError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}

	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// Unwrap returns the error behind e.
func (e *ParseError) Unwrap() error { return e.Err }

// scanErrRE splits the text of a miekg/dns ParseError, whose position fields
// are unexported: `[FILE: ]dns: WHAT: "TOKEN" at line: L:C`.
var scanErrRE = regexp.MustCompile(`^(?:(.*?): )?dns: (.*) at line: (\d+):\d+$`)

// scanError turns an error of the zone parser into a ParseError naming the
// file as s shows it.
//
// TODO(dnslab): miekg/dns keeps the file and line of its ParseError
// unexported, so they are read back from its text.
func (s *sources) scanError(err error) *ParseError {
	m := scanErrRE.FindStringSubmatch(err.Error())
	if m == nil {
		return &ParseError{File: s.top.name, Msg: err.Error(), Err: errors.Join(ErrSyntax, err)}
	}

	line, _ := strconv.Atoi(m[3])
	src := s.top
	if m[1] != "" {
		src = s.byKey(m[1])
	}
	if src == nil {
		return &ParseError{File: m[1], Line: line, Msg: m[2], Err: errors.Join(ErrSyntax, err)}
	}

	// NB: the parser counts the newlines of endPadding too. At the end of a
	// file BIND names the line after the last newline, as does this.
	file, line := src.name, min(line, src.newlines+1)

	// A file $INCLUDE could not read is not a syntax error; its message
	// would name it by its absolute path twice.
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Op == includeOp {
		return &ParseError{File: file, Line: line, Msg: pe.Error(), Err: pe}
	}

	return &ParseError{File: file, Line: line, Msg: m[2], Err: errors.Join(ErrSyntax, err)}
}

// sortProblems sorts problems by file, in the order s read them, then by
// line.
func (s *sources) sortProblems(problems []*ParseError) []*ParseError {
	names := s.names()
	rank := func(file string) int { return slices.Index(names, file) }
	slices.SortStableFunc(problems, func(a, b *ParseError) int {
		return cmp.Or(cmp.Compare(rank(a.File), rank(b.File)), cmp.Compare(a.Line, b.Line))
	})

	return problems
}
