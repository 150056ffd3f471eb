package zone

import (
	"os"

	"github.com/miekg/dns"
)

// Scan reads the zone file at path for the zone origin, $INCLUDE and all,
// and calls fn for each record as written, with the file and line where it
// ends, until fn returns false. It checks nothing beyond the syntax: it is
// for tools that edit zone files and need to find a record's line.
func Scan(path, origin string, fn func(rr dns.RR, file string, line int) bool) error {
	origin, err := canonicalOrigin(origin)
	if err != nil {
		return &ParseError{File: path, Msg: err.Error(), Err: err}
	}

	f, err := os.Open(path)
	if err != nil {
		return &ParseError{File: path, Msg: err.Error(), Err: err}
	}
	defer f.Close()

	src, err := newSources(f, path)
	if err != nil {
		return &ParseError{File: path, Msg: err.Error(), Err: err}
	}
	defer src.close()

	zp := newParser(src, origin)
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		file, line := src.position()
		if !fn(rr, file, line) {
			return nil
		}
	}
	if err := zp.Err(); err != nil {
		return src.scanError(err)
	}

	return nil
}
