package zone

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// Load reads the zone file at path for the zone origin. See Parse.
func Load(path, origin string) (*Zone, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &ParseError{File: path, Msg: err.Error(), Err: err}
	}
	defer f.Close()

	return Parse(f, origin, path)
}

// Parse reads a zone in master-file format from r. origin names the zone and
// is the initial $ORIGIN; file names r in errors and anchors relative
// $INCLUDE paths. A syntax error stops the parse; problems of meaning (no SOA,
// no NS at the origin) are all collected. Either way nothing half-built is
// returned: the error, possibly several joined, holds *ParseError values.
func Parse(r io.Reader, origin, file string) (*Zone, error) {
	start := time.Now()

	origin, err := canonicalOrigin(origin)
	if err != nil {
		return nil, &ParseError{File: file, Msg: err.Error(), Err: err}
	}

	lr := newLineReader(r)
	zp := dns.NewZoneParser(lr, origin, file)
	zp.SetIncludeAllowed(true)

	b := newBuilder(origin, file)
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		b.add(rr, lr.line())
	}
	if err := zp.Err(); err != nil {
		b.discard()
		return nil, fromScanError(err, file)
	}

	z, err := b.finish()
	if err != nil {
		return nil, err
	}
	z.files = []string{file}
	z.loadTime = time.Since(start)

	return z, nil
}

// canonicalOrigin returns origin as a lower-case FQDN, or an error when it is
// not a domain name in presentation form.
func canonicalOrigin(origin string) (string, error) {
	if origin == "" {
		return "", fmt.Errorf("%w: empty", ErrBadOrigin)
	}
	if _, ok := dns.IsDomainName(origin); !ok {
		return "", fmt.Errorf("%w: %q", ErrBadOrigin, origin)
	}

	// NB: the origin must be spelled the way names are printed (`\ ` not
	// ` `, `a` not `\097`), or the zone written out falls outside it.
	canon, err := canonicalName(origin)
	switch {
	case err != nil:
		return "", fmt.Errorf("%w: %q: %w", ErrBadOrigin, origin, err)
	case canon != dns.CanonicalName(origin):
		return "", fmt.Errorf("%w: %q, write %q", ErrBadOrigin, origin, canon)
	}

	return canon, nil
}

// canonicalName returns name as the index keys spell it: lower case, fully
// qualified and escaped the way miekg/dns prints a name it unpacks, so that
// "a\066" and "AB" give one key (RFC 1035 §5.1 escapes, RFC 4343 case).
func canonicalName(name string) (string, error) {
	buf := make([]byte, 256)
	off, err := dns.PackDomainName(dns.Fqdn(name), buf, 0, nil, false)
	if err != nil {
		return "", err
	}

	name, _, err = dns.UnpackDomainName(buf[:off], 0)
	if err != nil {
		return "", err
	}

	return dns.CanonicalName(name), nil
}

// lineReader counts the lines the zone parser has consumed. The parser reads
// an io.ByteReader directly, one record at a time up to the newline that ends
// it, so after each record the count names that record's last line.
type lineReader struct {
	br       *bufio.Reader
	newlines int
	atEOL    bool
}

func newLineReader(r io.Reader) *lineReader {
	// NB: the blank line added at the end makes a last line that stops after
	// the type ("www IN A") a syntax error, as on any other line; otherwise
	// miekg/dns returns it as a record without rdata, the form RRset deletes
	// take in dynamic updates (RFC 2136 §2.5.2).
	r = io.MultiReader(r, strings.NewReader("\n\n"))

	return &lineReader{br: bufio.NewReaderSize(r, 64<<10)}
}

// ReadByte implements io.ByteReader.
func (l *lineReader) ReadByte() (byte, error) {
	c, err := l.br.ReadByte()
	if err != nil {
		return c, err
	}

	l.atEOL = c == '\n'
	if l.atEOL {
		l.newlines++
	}

	return c, nil
}

// Read implements io.Reader, counting lines like ReadByte.
func (l *lineReader) Read(p []byte) (int, error) {
	n, err := l.br.Read(p)
	if n > 0 {
		l.newlines += bytes.Count(p[:n], []byte{'\n'})
		l.atEOL = p[n-1] == '\n'
	}

	return n, err
}

// line returns the line the last record ended on.
//
// TODO(dnslab): records read from an $INCLUDE file are attributed to the
// $INCLUDE line of the including file.
func (l *lineReader) line() int {
	if l.atEOL {
		return l.newlines
	}

	return l.newlines + 1
}
