package zone

import (
	"encoding/binary"

	"github.com/miekg/dns"
)

// Offset of the question name in a DNS message: right after the header.
const questionOff = 12

// Counts are the record counts of the three sections of a reply.
type Counts struct {
	Answer, Ns, Extra uint16
}

// AppendAnswer answers a query from the zone straight into wire form. msg
// holds the reply so far: the 12-byte header and the question, whose name
// starts at offset 12 uncompressed, must be at or below the origin, and
// takes qlen octets. The answer, authority and additional records are
// appended, none making msg longer than limit, and the new msg returned
// with the counts and the kind of answer. An RRset that does not fit is
// left out whole, with the ones after it: truncated reports whether that
// happened to required data, the answer or a negative answer's SOA
// (RFC 2181 §9), which asks for TC. The caller writes the header.
func (z *Zone) AppendAnswer(msg []byte, qlen int, qtype uint16, limit int, opt Options) (
	out []byte, c Counts, kind Kind, truncated bool) {
	qname := msg[questionOff : questionOff+qlen]
	qrel, ok := relative(qname, z.apex)
	if !ok {
		return msg, c, OutOfZone, false
	}

	a := getAnswerer(z, qtype, opt)
	defer putAnswerer(a)
	a.resolve(qname)

	w := wireWriter{z: z, msg: msg, limit: limit, qname: qname, originOff: -1}
	if string(qname[len(qrel):]) == string(z.apex) {
		w.originOff = questionOff + len(qrel)
	}
	c.Answer, truncated = w.section(a.answer)
	if !truncated {
		var cut bool
		c.Ns, cut = w.section(a.ns)
		truncated = cut && a.kind != Success && a.kind != Referral
	}
	if !w.full {
		c.Extra, _ = w.section(a.extra)
	}

	return w.msg, c, a.kind, truncated
}

// wireWriter appends RRsets to a message, compressing the names it knows:
// the question name, the names of the zone written so far and its origin,
// which the question holds unless the question spells it in another case.
// Names other than the answer's owner keep the zone's case, as BIND has it.
type wireWriter struct {
	z         *Zone
	msg       []byte
	limit     int
	qname     []byte // the question name, inside msg
	originOff int    // where the origin is written, in the zone's case; -1 if not yet
	full      bool   // an RRset did not fit: nothing more is written

	// Names of the zone written so far, for pointers to them.
	names  [16]written
	nnames int
}

// written is a name of the zone at an offset of the message.
type written struct {
	rel []byte
	off int
}

// section writes entries and returns how many records went in and whether
// an RRset had to be left out.
func (w *wireWriter) section(entries []entry) (uint16, bool) {
	var n uint16
	for _, e := range entries {
		if w.full {
			return n, true
		}

		start := len(w.msg)
		count := w.entry(e)
		if len(w.msg) > w.limit {
			w.msg, w.full = w.msg[:start], true
			return n, true
		}
		n += count
	}

	return n, false
}

// entry writes one RRset and returns its record count.
func (w *wireWriter) entry(e entry) uint16 {
	if e.synth != nil {
		w.synth(e.synth)
		return 1
	}

	z := w.z
	z.rdatas(e.set, func(rdata []byte) {
		w.owner(e)
		w.msg = binary.BigEndian.AppendUint16(w.msg, e.set.rtype)
		w.msg = binary.BigEndian.AppendUint16(w.msg, dns.ClassINET)
		w.msg = binary.BigEndian.AppendUint32(w.msg, e.set.ttl)
		w.rdata(e.set.rtype, rdata)
	})

	return uint16(e.set.count)
}

// owner writes the owner name of e's records.
func (w *wireWriter) owner(e entry) {
	switch {
	case e.owner == nil:
		w.relName(w.z.nodeName(e.node))
	case len(e.owner) == len(w.qname) && &e.owner[0] == &w.qname[0]:
		w.msg = append(w.msg, 0xc0|questionOff>>8, questionOff&0xff)
	default:
		w.name(e.owner)
	}
}

// name writes an absolute wire name, compressed when it is in the zone.
func (w *wireWriter) name(abs []byte) {
	if rel, ok := relative(abs, w.z.apex); ok {
		w.relName(rel)
		return
	}
	w.msg = append(w.msg, abs...)
}

// relName writes a name of the zone given relative to its origin: its own
// labels, then a pointer to the origin in the question (RFC 1035 §4.1.4).
func (w *wireWriter) relName(rel []byte) {
	if len(rel) > 0 && w.pointTo(rel) {
		return
	}

	w.remember(rel)
	w.msg = append(w.msg, rel...)
	switch {
	case len(w.z.apex) == 1:
		w.msg = append(w.msg, 0) // the root: a pointer would be longer
	case w.originOff < 0:
		w.originOff = len(w.msg)
		w.msg = append(w.msg, w.z.apex...)
	default:
		w.msg = append(w.msg, byte(0xc0|w.originOff>>8), byte(w.originOff))
	}
}

// pointTo writes a pointer to rel if it was written before.
func (w *wireWriter) pointTo(rel []byte) bool {
	for _, n := range w.names[:w.nnames] {
		if equalFold(n.rel, rel) {
			w.msg = append(w.msg, byte(0xc0|n.off>>8), byte(n.off))
			return true
		}
	}

	return false
}

// remember notes that rel is about to be written at the end of msg.
func (w *wireWriter) remember(rel []byte) {
	if len(rel) > 0 && w.nnames < len(w.names) && len(w.msg) < 0x3fff {
		w.names[w.nnames] = written{rel: rel, off: len(w.msg)}
		w.nnames++
	}
}

// rdata writes RDLENGTH and RDATA, compressing the names of the types
// RFC 3597 §4 allows: NS, CNAME, PTR, MX and SOA.
func (w *wireWriter) rdata(t uint16, rdata []byte) {
	lenOff := len(w.msg)
	w.msg = append(w.msg, 0, 0)

	switch t {
	case dns.TypeNS, dns.TypeCNAME, dns.TypePTR:
		w.name(rdata)
	case dns.TypeMX:
		w.msg = append(w.msg, rdata[:2]...)
		w.name(rdata[2:])
	case dns.TypeSOA:
		mname := nameLen(rdata)
		rname := nameLen(rdata[mname:])
		w.name(rdata[:mname])
		w.name(rdata[mname : mname+rname])
		w.msg = append(w.msg, rdata[mname+rname:]...)
	default:
		w.msg = append(w.msg, rdata...)
	}

	binary.BigEndian.PutUint16(w.msg[lenOff:], uint16(len(w.msg)-lenOff-2))
}

// synth writes a record built for the answer.
func (w *wireWriter) synth(rr dns.RR) {
	buf := make([]byte, dns.Len(rr))
	end, err := dns.PackRR(rr, buf, 0, nil, false)
	if err != nil {
		return // a CNAME of two valid names always packs
	}
	w.msg = append(w.msg, buf[:end]...)
}

// nameLen returns the length of the uncompressed wire name at the start of
// b, root label included.
func nameLen(b []byte) int {
	i := 0
	for i < len(b) && b[i] != 0 {
		i += 1 + int(b[i])
	}

	return i + 1
}
