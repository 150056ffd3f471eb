package zone

import (
	"cmp"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// includeOp names the operation in the errors of files $INCLUDE could not
// read.
const includeOp = "$INCLUDE"

// sources is the file system through which the zone parser opens the files
// that $INCLUDE names, each relative to the directory of the file that
// includes it. It hands out every file, and reads the zone file itself,
// through a source that counts lines, so that each record can be traced to
// the file and line it ends on.
//
// The parser names files by their absolute path; sources maps those names
// back to the ones shown in positions: the zone file as the caller named
// it, and an included file as the including file's directory joined with
// the $INCLUDE path.
type sources struct {
	top     *source
	files   []*source // every file read, in order, the zone file first
	reading []*source // the zone file and the chain of includes being read
	cur     *source   // the file the parser read its last byte from
}

// source is one file the parser reads.
type source struct {
	srcs     *sources
	name     string  // as shown in positions
	key      string  // as the parser names it: its absolute slash path
	file     fs.File // nil for the zone file, which the caller opened
	r        io.Reader
	buf      []byte // read from r, not yet taken by the parser: buf[pos:]
	pos      int
	err      error // what r said last; returned once buf is empty
	pad      int   // bytes of endPadding still to read after the file
	newlines int
	atEOL    bool
}

// endPadding is read after the end of every file. NB: the blank line makes
// a last line that stops after the type ("www IN A") a syntax error, as on
// any other line; otherwise miekg/dns returns it as a record without rdata,
// the form RRset deletes take in dynamic updates (RFC 2136 §2.5.2). It is
// not counted as lines of the file.
const endPadding = "\n\n"

var (
	_ fs.FS         = (*sources)(nil)
	_ fs.File       = (*source)(nil)
	_ io.ByteReader = (*source)(nil)
)

// newSources returns the sources of a zone read from r, named file.
func newSources(r io.Reader, file string) (*sources, error) {
	// NB: a zone without a name reads its includes from the working
	// directory, like a file there.
	abs, err := filepath.Abs(cmp.Or(file, "-"))
	if err != nil {
		return nil, err
	}

	s := &sources{}
	s.top = s.add(r, nil, file, filepath.ToSlash(abs))

	return s, nil
}

// parserName returns the name to give the parser for the zone file: its
// absolute path, against which the parser resolves relative includes.
func (s *sources) parserName() string { return s.top.key }

// Open implements fs.FS for the parser's $INCLUDE. name is an absolute
// slash path, bar the leading slash, which the parser strips.
func (s *sources) Open(name string) (fs.File, error) {
	osPath := filepath.FromSlash(name)
	if !filepath.IsAbs(osPath) {
		osPath = string(filepath.Separator) + osPath
	}

	parent := s.reading[len(s.reading)-1]
	shown := includedName(parent, osPath)
	key := filepath.ToSlash(osPath)
	if i := slices.IndexFunc(s.reading, func(r *source) bool { return r.key == key }); i >= 0 {
		return nil, &fs.PathError{Op: includeOp, Path: shown, Err: newLoopError(s.reading[i:])}
	}

	f, err := os.Open(osPath)
	if err != nil {
		return nil, &fs.PathError{Op: includeOp, Path: shown, Err: unwrapPath(err)}
	}

	return s.add(f, f, shown, key), nil
}

// add starts reading r as the file named name, and key by the parser.
func (s *sources) add(r io.Reader, f fs.File, name, key string) *source {
	src := &source{srcs: s, name: name, key: key, file: f, r: r,
		buf: make([]byte, 0, readSize), pad: len(endPadding)}
	s.files = append(s.files, src)
	s.reading = append(s.reading, src)
	s.cur = src

	return src
}

// close closes the included files still open, as when the parser is left
// before the end.
func (s *sources) close() {
	for len(s.reading) > 1 {
		_ = s.reading[len(s.reading)-1].Close()
	}
}

// position returns the file and line the last record ended on.
func (s *sources) position() (string, int) {
	return s.cur.name, s.cur.line()
}

// names returns the names of the files read, each once, the zone file
// first.
func (s *sources) names() []string {
	var names []string
	for _, src := range s.files {
		if !slices.Contains(names, src.name) {
			names = append(names, src.name)
		}
	}

	return names
}

// byKey returns the file the parser calls key, or nil.
func (s *sources) byKey(key string) *source {
	key = strings.TrimLeft(key, "/")
	for _, src := range s.files {
		if strings.TrimLeft(src.key, "/") == key {
			return src
		}
	}

	return nil
}

// includedName returns the name shown for osPath, included by parent: the
// parent's directory joined with the path from there, or the absolute path
// for a file outside that directory.
func includedName(parent *source, osPath string) string {
	dir := filepath.Dir(filepath.FromSlash(parent.key))
	rel, err := filepath.Rel(dir, osPath)
	if err != nil || !filepath.IsLocal(rel) {
		return osPath
	}

	return filepath.Join(filepath.Dir(parent.name), rel)
}

// loopError is an include loop: chain names the files from the one
// included again to the one that includes it.
type loopError struct {
	chain []string
}

// newLoopError returns the loop that including reading[0] again closes.
func newLoopError(reading []*source) *loopError {
	e := &loopError{}
	for _, src := range reading {
		e.chain = append(e.chain, src.name)
	}

	return e
}

// Error implements error.
func (e *loopError) Error() string {
	return "include loop: " + strings.Join(e.chain, " -> ") + " -> " + e.chain[0]
}

// Unwrap returns ErrIncludeLoop.
func (e *loopError) Unwrap() error { return ErrIncludeLoop }

// unwrapPath returns the error inside a *fs.PathError, whose path would
// repeat the absolute one.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}

	return err
}

// readSize is how much a source reads from its file at a time.
const readSize = 64 << 10

// ReadByte implements io.ByteReader, which the parser reads with. It is
// called for every byte of a zone, so its common path is kept short.
func (r *source) ReadByte() (byte, error) {
	if r.pos == len(r.buf) {
		if err := r.fill(); err != nil {
			return r.end(err)
		}
	}

	if r.srcs.cur != r {
		r.srcs.cur = r
	}
	c := r.buf[r.pos]
	r.pos++
	r.atEOL = c == '\n'
	if r.atEOL {
		r.newlines++
	}

	return c, nil
}

// fill reads the next part of the file into buf.
func (r *source) fill() error {
	for r.err == nil {
		n, err := r.r.Read(r.buf[:cap(r.buf)])
		r.buf, r.pos, r.err = r.buf[:n], 0, err
		if n > 0 {
			return nil
		}
	}

	return r.err
}

// end returns the padding after the file, then err.
func (r *source) end(err error) (byte, error) {
	r.srcs.cur = r
	if err == io.EOF && r.pad > 0 {
		r.pad--
		return endPadding[r.pad], nil
	}

	return 0, err
}

// Read implements io.Reader, counting lines like ReadByte.
func (r *source) Read(p []byte) (int, error) {
	for i := range p {
		c, err := r.ReadByte()
		if err != nil {
			return i, err
		}
		p[i] = c
	}

	return len(p), nil
}

// Stat implements fs.File.
func (r *source) Stat() (fs.FileInfo, error) {
	if r.file == nil {
		return nil, &fs.PathError{Op: "stat", Path: r.name, Err: fs.ErrInvalid}
	}

	return r.file.Stat()
}

// Close implements fs.File. The parser closes an included file when it is
// done with it, which ends its part in the chain of includes.
func (r *source) Close() error {
	s := r.srcs
	if i := slices.Index(s.reading, r); i > 0 {
		s.reading = slices.Delete(s.reading, i, i+1)
	}
	if r.file == nil {
		return nil
	}

	return r.file.Close()
}

// line returns the line the last record read from r ended on: the parser
// reads a record up to the newline that ends it, and no further. At the end
// of the file it is the last line.
func (r *source) line() int {
	if r.atEOL {
		return r.newlines
	}

	return r.newlines + 1
}
