package zone

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/miekg/dns"
)

// builder collects parsed records into a new Zone. Records are packed to
// wire form as they arrive and only grouped into RRsets at the end, so
// the parser's dns.RR values can be dropped at once.
type builder struct {
	z       *Zone
	main    string   // the zone file, for problems of the whole zone
	file    string   // the file the parser is reading, for positions
	cur     string   // the file of the record being indexed
	files   []string // every file a record came from; pending.file indexes it
	feed    feed     // records on their way from the parser
	pend    []pending
	data    []byte // RDATA of the pending records, back to back
	scratch []byte // room to pack one record
	soaLine int
	errs    []error

	setOwner  []pending // for each RRset of z.sets, its first record
	dups      dupFilter
	lastOwner []byte // the owner of the last record, as written
	lastNode  uint32
}

// pending is one record waiting to be grouped into its RRset.
type pending struct {
	node  uint32
	seq   uint32 // order of arrival
	ttl   uint32
	off   uint32 // RDATA offset in builder.data
	line  uint32
	n     uint16 // RDATA length
	rtype uint16
	file  uint16
}

func newBuilder(origin, file string) *builder {
	z := &Zone{origin: origin, slots: make([]uint32, 1024)}
	z.apex, _ = wireName(origin, make([]byte, maxName+1))

	b := &builder{z: z, main: file, file: file, cur: file,
		scratch: make([]byte, 0xffff+maxName+12)}
	b.insertNode(nil)

	return b
}

// index files one record under its owner, line being where the record
// ends in file b.cur.
func (b *builder) index(rr dns.RR, line int) {
	h := rr.Header()
	h.Name = dns.Fqdn(h.Name) // NB: addRecord packs the owner as written
	abs, err := wireName(h.Name, b.scratch)
	if err != nil {
		b.fail(line, ErrSyntax, "bad owner name %q: %v", h.Name, err)
		return
	}

	rel, ok := relative(abs, b.z.apex)
	switch {
	case !ok:
		b.warn(line, ErrOutOfZone, "%s is outside %s: ignored", h.Name, b.z.origin)
		return
	case h.Class != dns.ClassINET:
		b.fail(line, ErrClass, "class %s of %s differs from the zone's class IN",
			dns.Class(h.Class), h.Name)
		return
	}

	if soa, ok := rr.(*dns.SOA); ok && !b.addSOA(soa, len(rel) == 0, line) {
		return
	}
	b.addRecord(rr, b.ownerNode(rel), len(abs), line)
}

// ownerNode returns the node of rel, remembering the last one: records of
// one owner mostly come together.
func (b *builder) ownerNode(rel []byte) uint32 {
	if b.lastOwner != nil && bytes.Equal(b.lastOwner, rel) {
		return b.lastNode
	}

	id := b.insertNode(rel)
	b.lastOwner, b.lastNode = append(b.lastOwner[:0], rel...), id

	return id
}

// addRecord packs rr, whose owner takes ownerLen octets in wire form, and
// queues it for node id.
func (b *builder) addRecord(rr dns.RR, id uint32, ownerLen, line int) {
	end, err := dns.PackRR(rr, b.scratch, 0, nil, false)
	if err != nil {
		b.fail(line, ErrSyntax, "cannot encode %s record: %v", dns.Type(rr.Header().Rrtype), err)
		return
	}

	rdata := b.scratch[ownerLen+10 : end]
	b.pend = append(b.pend, pending{
		node: id, seq: uint32(len(b.pend)), ttl: rr.Header().Ttl, off: uint32(len(b.data)),
		line: uint32(line), n: uint16(len(rdata)), rtype: rr.Header().Rrtype,
		file: b.fileIndex(),
	})
	b.data = append(b.data, rdata...)
}

// fileIndex returns the index of the current file in b.files.
func (b *builder) fileIndex() uint16 {
	if n := len(b.files); n > 0 && b.files[n-1] == b.cur {
		return uint16(n - 1)
	}
	if i := slices.Index(b.files, b.cur); i >= 0 {
		return uint16(i)
	}
	b.files = append(b.files, b.cur)

	return uint16(len(b.files) - 1)
}

// addSOA checks an SOA record (RFC 1035 §5.2: exactly one, at the origin)
// and reports whether to keep it.
func (b *builder) addSOA(soa *dns.SOA, atApex bool, line int) bool {
	switch {
	case !atApex:
		b.fail(line, ErrNoSOA, "SOA record %s is not at the origin %s", soa.Hdr.Name, b.z.origin)
		return false
	case b.z.soa != nil && !dns.IsDuplicate(b.z.soa, soa):
		b.fail(line, ErrManySOA, "multiple SOA records (first on line %d)", b.soaLine)
		return false
	}

	// NB: a repeat of the SOA is dropped with the duplicates, so z.soa must
	// stay the record that was indexed.
	if b.z.soa == nil {
		b.z.soa, b.soaLine = soa, line
	}

	return true
}

// insertNode returns the node of the relative wire name rel, creating it
// and its missing ancestors: an ancestor without records of its own is an
// empty non-terminal (RFC 4592 §2.2.2), which exists for lookups. The name
// is copied into the zone.
func (b *builder) insertNode(rel []byte) uint32 {
	z := b.z
	if id := z.find(rel); id >= 0 {
		return uint32(id)
	}
	if len(rel) > 0 {
		b.insertNode(parent(rel))
	}

	id := uint32(len(z.nodes))
	z.nodes = append(z.nodes, node{name: uint32(len(z.names))})
	z.names = append(append(z.names, byte(len(rel))), rel...)
	b.placeSlot(id)

	return id
}

// placeSlot puts node id in the hash table, growing it past half full.
func (b *builder) placeSlot(id uint32) {
	z := b.z
	if 2*len(z.nodes) > len(z.slots) {
		z.slots = make([]uint32, 2*len(z.slots))
		for i := range uint32(len(z.nodes) - 1) {
			b.place(i)
		}
	}
	b.place(id)
}

func (b *builder) place(id uint32) {
	z := b.z
	mask := uint32(len(z.slots) - 1)
	i := hashName(z.nodeName(id)) & mask
	for z.slots[i] != 0 {
		i = (i + 1) & mask
	}
	z.slots[i] = id + 1
}

// finish groups the records into RRsets, checks the zone as a whole and
// returns it, or every problem found.
func (b *builder) finish() (*Zone, error) {
	b.drain()

	z := b.z
	b.cur = b.main
	if z.soa == nil {
		b.fail(0, ErrNoSOA, "no SOA record at the origin %s", z.origin)
	}
	if len(b.errs) > 0 {
		return nil, errors.Join(b.errs...)
	}

	b.group()
	b.check()
	if len(b.errs) > 0 {
		return nil, errors.Join(b.errs...)
	}
	z.finishIndex()

	return z, nil
}

// group sorts the pending records by node and type and lays them out as
// RRsets: duplicates dropped (RFC 2181 §5), one TTL per RRset (§5.2).
func (b *builder) group() {
	slices.SortFunc(b.pend, func(x, y pending) int {
		return cmp.Or(cmp.Compare(x.node, y.node), cmp.Compare(x.rtype, y.rtype),
			cmp.Compare(x.seq, y.seq))
	})

	z := b.z
	z.rdata = make([]byte, 0, len(b.data)+2*len(b.pend))
	bounds := b.setBounds()
	z.sets = make([]rrset, 0, len(bounds)-1)
	b.setOwner = make([]pending, 0, len(bounds)-1)
	for i := range len(bounds) - 1 {
		b.addSet(b.pend[bounds[i]:bounds[i+1]])
	}
	b.linkNodes()
}

// setBounds returns where each RRset starts in the sorted pending records,
// and their end.
func (b *builder) setBounds() []uint32 {
	bounds := []uint32{0}
	for i := 1; i < len(b.pend); i++ {
		if b.pend[i].node != b.pend[i-1].node || b.pend[i].rtype != b.pend[i-1].rtype {
			bounds = append(bounds, uint32(i))
		}
	}

	return append(bounds, uint32(len(b.pend)))
}

// addSet appends one RRset made of recs, which share owner and type.
func (b *builder) addSet(recs []pending) {
	z := b.z
	s := rrset{rtype: recs[0].rtype, ttl: recs[0].ttl, off: uint32(len(z.rdata))}
	b.dups.reset(len(recs))

	for _, r := range recs {
		rdata := b.rdataOf(r)
		if b.dups.seen(rdata) {
			continue
		}

		if r.ttl != s.ttl {
			b.warnAt(r, ErrTTL,
				"TTL %d of this %s record differs from the RRset's TTL %d; using %d",
				r.ttl, dns.Type(r.rtype), s.ttl, s.ttl)
		}
		if s.count > 0 && isSingleton(s.rtype) {
			b.failAt(r, ErrSingleton, "%s: multiple RRs of singleton type %s",
				b.z.presentation(r.node), dns.Type(r.rtype))
			continue
		}
		z.rdata = binary.BigEndian.AppendUint16(z.rdata, r.n)
		z.rdata = append(z.rdata, rdata...)
		s.count++
	}

	z.sets = append(z.sets, s)
	z.records += int(s.count)
	b.setOwner = append(b.setOwner, recs[0])
}

// linkNodes points each node at its RRsets, which group left in node order.
func (b *builder) linkNodes() {
	z := b.z
	next := 0
	for id := range z.nodes {
		n := &z.nodes[id]
		n.first = uint32(next)
		for next < len(z.sets) && b.setOwner[next].node == uint32(id) {
			n.flags |= flagFor(z.sets[next].rtype, id == 0)
			next++
		}
		n.nsets = uint16(next - int(n.first))
	}
}

// isSingleton reports whether an RRset of type t holds one record at most:
// CNAME (RFC 2181 §10.1) and DNAME (RFC 6672 §2.4); the SOA is checked as
// it arrives.
func isSingleton(t uint16) bool {
	return t == dns.TypeCNAME || t == dns.TypeDNAME
}

// flagFor returns the node flag an RRset of type t sets.
func flagFor(t uint16, apex bool) uint16 {
	switch {
	case t == dns.TypeNS && !apex:
		return flagCut
	case t == dns.TypeCNAME:
		return flagCNAME
	case t == dns.TypeDNAME:
		return flagDNAME
	}

	return 0
}

func (b *builder) fail(line int, err error, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	b.errs = append(b.errs, &ParseError{File: b.cur, Line: line, Msg: msg, Err: err})
}

func (b *builder) warn(line int, err error, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	b.z.warnings = append(b.z.warnings, &ParseError{File: b.cur, Line: line, Msg: msg, Err: err})
}

// failAt and warnAt report a problem at the position of a pending record.
func (b *builder) failAt(r pending, err error, format string, args ...any) {
	b.errs = append(b.errs, b.problemAt(r, err, format, args...))
}

func (b *builder) warnAt(r pending, err error, format string, args ...any) {
	b.z.warnings = append(b.z.warnings, b.problemAt(r, err, format, args...))
}

func (b *builder) problemAt(r pending, err error, format string, args ...any) *ParseError {
	return &ParseError{File: b.files[r.file], Line: int(r.line),
		Msg: fmt.Sprintf(format, args...), Err: err}
}

// rdataOf returns the RDATA of a pending record.
func (b *builder) rdataOf(r pending) []byte {
	return b.data[r.off : r.off+uint32(r.n)]
}

// dupFilter finds repeated RDATA within one RRset: by comparison for the
// usual handful of records, by a set for large RRsets.
type dupFilter struct {
	small [][]byte
	large map[string]struct{}
}

// smallSet is the most records compared one by one.
const smallSet = 16

// reset prepares d for an RRset of n records.
func (d *dupFilter) reset(n int) {
	d.small = d.small[:0]
	d.large = nil
	if n > smallSet {
		d.large = make(map[string]struct{}, n)
	}
}

// seen reports whether rdata was seen before, and remembers it.
func (d *dupFilter) seen(rdata []byte) bool {
	if d.large != nil {
		_, dup := d.large[string(rdata)]
		d.large[string(rdata)] = struct{}{}

		return dup
	}

	for _, x := range d.small {
		if bytes.Equal(x, rdata) {
			return true
		}
	}
	d.small = append(d.small, rdata)

	return false
}
