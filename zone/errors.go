package zone

import (
	"errors"
	"fmt"
	"regexp"
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
var scanErrRE = regexp.MustCompile(`^(?:(.*): )?dns: (.*) at line: (\d+):\d+$`)

// fromScanError turns an error of the zone parser into a ParseError.
//
// TODO(dnslab): miekg/dns keeps the file and line of its ParseError
// unexported, so they are read back from its text.
func fromScanError(err error, file string) *ParseError {
	m := scanErrRE.FindStringSubmatch(err.Error())
	if m == nil {
		return &ParseError{File: file, Msg: err.Error(), Err: errors.Join(ErrSyntax, err)}
	}

	line, _ := strconv.Atoi(m[3])
	if m[1] != "" {
		file = m[1]
	}

	return &ParseError{File: file, Line: line, Msg: m[2], Err: errors.Join(ErrSyntax, err)}
}
