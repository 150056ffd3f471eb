package dnsserver

import (
	"encoding/binary"

	"github.com/miekg/dns"

	"dnslab/zone"
)

// Header bits and offsets (RFC 1035 §4.1.1).
const (
	headerLen  = 12
	bitQR      = 1 << 15
	bitAA      = 1 << 10
	bitTC      = 1 << 9
	bitRD      = 1 << 8
	bitCD      = 1 << 4
	opcodeMask = 0xf << 11
	optLen     = 11 // an OPT record without options (RFC 6891 §6.1.2)
	flagDO     = 1 << 15
)

// wireQuery is what the fast path needs of a query, read in place.
type wireQuery struct {
	flags   uint16
	qlen    int // length of the question name
	qtype   uint16
	end     int // end of the question section
	edns    bool
	udpSize int
	do      bool
}

// parseQuery reads a query of the usual shape: opcode QUERY, one question
// of class IN with an uncompressed name, nothing else but an OPT record of
// EDNS version 0, and nothing after. Anything else is left to the general
// path, which knows every rule.
func parseQuery(p []byte) (wireQuery, bool) {
	var q wireQuery
	if len(p) < headerLen+5 {
		return q, false
	}

	q.flags = binary.BigEndian.Uint16(p[2:])
	counts := binary.BigEndian.Uint64(p[4:])
	ar := uint16(counts)
	if q.flags&(bitQR|opcodeMask) != 0 || counts>>16 != 1<<32 || ar > 1 {
		return q, false // QDCOUNT 1, ANCOUNT and NSCOUNT 0
	}

	off, ok := questionName(p)
	if !ok || off+4 > len(p) {
		return q, false
	}
	q.qlen = off - headerLen
	q.qtype = binary.BigEndian.Uint16(p[off:])
	if binary.BigEndian.Uint16(p[off+2:]) != dns.ClassINET || !answersFast(q.qtype) {
		return q, false
	}
	q.end = off + 4

	if ar == 1 && !q.readOPT(p[q.end:]) {
		return q, false
	}

	return q, ar == 1 || q.end == len(p)
}

// questionName returns the end of the question name, which must be
// uncompressed and at most 255 octets long.
func questionName(p []byte) (int, bool) {
	off := headerLen
	for off < len(p) && off-headerLen < 255 {
		l := int(p[off])
		switch {
		case l == 0:
			return off + 1, true
		case l > 63:
			return 0, false // a pointer or an extended label type
		}
		off += 1 + l
	}

	return 0, false
}

// answersFast reports whether a query type is answered from a zone alone:
// not a transfer, not a meta type other than ANY.
func answersFast(t uint16) bool {
	return t != dns.TypeAXFR && t != dns.TypeIXFR && t != dns.TypeOPT &&
		(t < 128 || t > 255 || t == dns.TypeANY)
}

// readOPT reads the OPT record that must make up the rest of the query:
// owner the root, EDNS version 0 (RFC 6891 §6.1.2).
func (q *wireQuery) readOPT(p []byte) bool {
	if len(p) < optLen || p[0] != 0 || binary.BigEndian.Uint16(p[1:]) != dns.TypeOPT {
		return false
	}

	rdlen := int(binary.BigEndian.Uint16(p[9:]))
	if p[6] != 0 || len(p) != optLen+rdlen {
		return false // a version above 0 gets BADVERS on the general path
	}

	q.edns = true
	q.udpSize = int(binary.BigEndian.Uint16(p[3:]))
	q.do = binary.BigEndian.Uint16(p[7:])&flagDO != 0
	q.end += len(p)

	return true
}

// limit returns the largest reply the query may get.
func (q *wireQuery) limit(udp bool) int {
	switch {
	case !udp:
		return dns.MaxMsgSize
	case q.edns:
		return min(max(q.udpSize, minUDPSize), maxUDPSize)
	}

	return minUDPSize
}

// fastReply writes into buf the reply to a query of the usual shape, from
// the zone that holds its name, and reports whether it did; any other
// query is for Answer. The answers are the same either way.
func (s *Server) fastReply(buf, query []byte, udp bool) ([]byte, bool) {
	q, ok := parseQuery(query)
	set := s.zones.Load()
	if !ok || set.cfg.Faults != nil && set.cfg.Faults.active.Load() {
		return buf, false
	}

	var lowered [256]byte
	z := set.findWire(lowerName(lowered[:], query[headerLen:headerLen+q.qlen]), q.qtype)
	if z == nil {
		return buf, false
	}

	limit := q.limit(udp)
	if q.edns {
		limit -= optLen
	}
	buf = append(buf[:0], query[:headerLen+q.qlen+4]...)
	buf, c, kind, tc := z.AppendAnswer(buf, q.qlen, q.qtype, limit, set.opts)
	if kind == zone.OutOfZone {
		return buf, false
	}

	if q.edns {
		buf = appendOPT(buf, q.do)
		c.Extra++
	}
	writeHeader(buf, q.flags, c, kind, tc)

	return buf, true
}

// writeHeader fills in the reply's header after its sections are written.
func writeHeader(buf []byte, qflags uint16, c zone.Counts, kind zone.Kind, tc bool) {
	flags := bitQR | qflags&(bitRD|bitCD)
	if kind != zone.Referral {
		flags |= bitAA
	}
	if tc {
		flags |= bitTC
	}
	flags |= uint16(rcodeOf(kind))

	binary.BigEndian.PutUint16(buf[2:], flags)
	binary.BigEndian.PutUint16(buf[6:], c.Answer)
	binary.BigEndian.PutUint16(buf[8:], c.Ns)
	binary.BigEndian.PutUint16(buf[10:], c.Extra)
}

// rcodeOf returns the response code of an answer of kind k.
func rcodeOf(k zone.Kind) int {
	return zone.Result{Kind: k}.Rcode()
}

// appendOPT appends the OPT record of a reply: dnslab's UDP size, the DO
// bit copied from the query (RFC 3225 §3), no options.
func appendOPT(buf []byte, do bool) []byte {
	var ttl uint32
	if do {
		ttl = flagDO
	}

	buf = append(buf, 0) // the root
	buf = binary.BigEndian.AppendUint16(buf, dns.TypeOPT)
	buf = binary.BigEndian.AppendUint16(buf, maxUDPSize)
	buf = binary.BigEndian.AppendUint32(buf, ttl)

	return binary.BigEndian.AppendUint16(buf, 0)
}

// lowerName copies a wire name into buf in lower case.
func lowerName(buf, name []byte) []byte {
	buf = buf[:len(name)]
	for i, c := range name {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}

	return buf
}
