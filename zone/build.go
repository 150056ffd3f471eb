package zone

import (
	"errors"
	"fmt"
	"slices"

	"github.com/miekg/dns"
)

// builder collects parsed records into the index of a new Zone.
type builder struct {
	file    string
	z       *Zone
	soaLine int
	errs    []error
}

func newBuilder(origin, file string) *builder {
	z := &Zone{origin: origin, names: make(map[string]*Node)}

	return &builder{file: file, z: z}
}

// add files one record under its owner, line being where the record ends.
func (b *builder) add(rr dns.RR, line int) {
	h := rr.Header()
	h.Name = dns.Fqdn(h.Name)
	key, err := canonicalName(h.Name)
	if err != nil {
		b.fail(line, ErrSyntax, "bad owner name %q: %v", h.Name, err)
		return
	}

	if !dns.IsSubDomain(b.z.origin, key) {
		b.warn(line, ErrOutOfZone, "%s is outside %s: ignored", h.Name, b.z.origin)
		return
	}

	if soa, ok := rr.(*dns.SOA); ok && !b.addSOA(soa, key, line) {
		return
	}

	if b.z.node(key).insert(rr) {
		b.z.records++
	}
}

// addSOA checks an SOA record (RFC 1035 §5.2: exactly one, at the origin)
// and reports whether to keep it.
func (b *builder) addSOA(soa *dns.SOA, key string, line int) bool {
	switch {
	case key != b.z.origin:
		b.fail(line, ErrNoSOA, "SOA record %s is not at the origin %s", soa.Hdr.Name, b.z.origin)
		return false
	case b.z.soa != nil && !dns.IsDuplicate(b.z.soa, soa):
		b.fail(line, ErrManySOA, "multiple SOA records (first on line %d)", b.soaLine)
		return false
	}

	// NB: a repeat of the SOA is dropped by insert, so z.soa must stay the
	// record that was indexed.
	if b.z.soa == nil {
		b.z.soa, b.soaLine = soa, line
	}

	return true
}

// finish checks the zone as a whole and returns it, or every problem found.
func (b *builder) finish() (*Zone, error) {
	z := b.z
	if z.soa == nil {
		b.fail(0, ErrNoSOA, "no SOA record at the origin %s", z.origin)
	}

	apex := z.names[z.origin]
	if apex == nil || len(apex.RRset(dns.TypeNS)) == 0 {
		b.fail(0, ErrNoNS, "no NS records at the origin %s", z.origin)
	}

	if len(b.errs) > 0 {
		return nil, errors.Join(b.errs...)
	}
	z.index()

	return z, nil
}

func (b *builder) fail(line int, err error, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	b.errs = append(b.errs, &ParseError{File: b.file, Line: line, Msg: msg, Err: err})
}

func (b *builder) warn(line int, err error, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	b.z.warnings = append(b.z.warnings, &ParseError{File: b.file, Line: line, Msg: msg, Err: err})
}

// node returns the index entry for key, creating it and its missing
// ancestors up to the origin: an ancestor with no records of its own is an
// empty non-terminal (RFC 4592 §2.2.2), which exists for lookups.
func (z *Zone) node(key string) *Node {
	if n, ok := z.names[key]; ok {
		return n
	}

	n := &Node{}
	z.names[key] = n
	if key != z.origin {
		off, _ := dns.NextLabel(key, 0)
		z.node(key[off:])
	}

	return n
}

// insert adds rr to its RRset, dropping an exact duplicate (RFC 2181 §5),
// and reports whether rr was added.
func (n *Node) insert(rr dns.RR) bool {
	t := rr.Header().Rrtype
	i, found := slices.BinarySearchFunc(n.rrsets, t, func(s RRset, t uint16) int {
		return int(s.Type) - int(t)
	})
	if !found {
		n.rrsets = slices.Insert(n.rrsets, i, RRset{Type: t})
	}

	set := &n.rrsets[i]
	for _, have := range set.RRs {
		if dns.IsDuplicate(have, rr) {
			return false
		}
	}
	set.RRs = append(set.RRs, rr)

	return true
}
