package zone

import (
	"sync"

	"github.com/miekg/dns"
)

// maxChain bounds the CNAME and DNAME links followed for one query.
const maxChain = 16

// entry is one RRset of an answer: zone data, owned by its node's name or
// by another name (a wildcard's, a chain's), or a record synthesized for
// this answer.
type entry struct {
	owner []byte // absolute wire name of the owner; nil for the node's own
	node  uint32
	set   rrset  // a copy: a negative answer's SOA carries its own TTL
	synth dns.RR // a record built for the answer: a DNAME's CNAME
}

// answerer builds the answer to one query as lists of RRsets, which
// Lookup decodes and the server writes to the wire as they are.
type answerer struct {
	z      *Zone
	qtype  uint16
	kind   Kind
	answer []entry
	ns     []entry
	extra  []entry
	seen   []uint32 // nodes whose CNAME was followed, to cut loops

	minimal bool // no authority and additional data beyond what is needed

	// bare is set when the answer gets no authority and additional data:
	// a chain that leaves the zone or loops, or DS at a zone cut. NSD and
	// BIND answer these so.
	bare bool

	// Room for the usual answer, so that it needs no allocation.
	answerBuf [8]entry
	nsBuf     [4]entry
	extraBuf  [8]entry
	seenBuf   [maxChain]uint32
}

// answerers keeps answerers between queries: one is too large to build
// afresh for each.
var answerers = sync.Pool{New: func() any { return new(answerer) }}

// Options change how answers are made.
type Options struct {
	// Minimal leaves out of positive answers the authority and additional
	// data that are not needed, as BIND's minimal-responses yes: referrals
	// keep their glue and negative answers their SOA.
	Minimal bool
}

// getAnswerer returns an answerer ready for a query of qtype to zone z;
// putAnswerer takes it back.
func getAnswerer(z *Zone, qtype uint16, opt Options) *answerer {
	a := answerers.Get().(*answerer)
	a.z, a.qtype, a.kind, a.bare, a.minimal = z, qtype, Success, false, opt.Minimal
	a.answer, a.ns, a.extra = a.answerBuf[:0], a.nsBuf[:0], a.extraBuf[:0]
	a.seen = a.seenBuf[:0]

	return a
}

// putAnswerer returns a to the pool, letting go of the zone it answered
// from, which a reload may have replaced.
func putAnswerer(a *answerer) {
	clear(a.answerBuf[:])
	clear(a.nsBuf[:])
	clear(a.extraBuf[:])
	a.z, a.answer, a.ns, a.extra = nil, nil, nil, nil
	answerers.Put(a)
}

// resolve answers for the absolute wire name, following CNAME and DNAME
// records while they stay in the zone.
func (a *answerer) resolve(name []byte) {
	for range maxChain {
		next, ok := a.step(name)
		if !ok {
			break
		}
		name = next
	}
	a.finish()
}

// step answers for one name of the chain and returns the next name to
// look up, if any.
func (a *answerer) step(name []byte) ([]byte, bool) {
	rel, ok := relative(name, a.z.apex)
	if !ok {
		a.bare = true // the chain left the zone: answer with what we have
		return nil, false
	}

	m := a.z.match(rel, a.qtype)
	switch m.kind {
	case matchCut:
		a.referral(m.node)
		return nil, false
	case matchDNAME:
		return a.dname(name, m)
	case matchNone:
		a.negative(NameError)
		return nil, false
	}

	return a.node(name, m.node)
}

// node answers from node id for name, which is the node's own name or,
// for a wildcard, the name it is synthesized for (RFC 4592 §2.2).
func (a *answerer) node(name []byte, id uint32) ([]byte, bool) {
	z := a.z
	if a.qtype == dns.TypeANY {
		a.any(name, id)
		return nil, false
	}
	if s, ok := z.set(id, a.qtype); ok {
		a.answer = append(a.answer, entry{owner: name, node: id, set: s})
		a.bare = a.qtype == dns.TypeDS && z.nodes[id].flags&flagCut != 0
		return nil, false
	}

	cname, ok := z.set(id, dns.TypeCNAME)
	if !ok {
		a.negative(NoData)
		return nil, false
	}

	return a.followCNAME(name, id, cname)
}

// followCNAME adds the CNAME at name and returns its target, unless the
// chain has looped.
func (a *answerer) followCNAME(name []byte, id uint32, cname rrset) ([]byte, bool) {
	for _, seen := range a.seen {
		if seen == id {
			a.bare = true
			return nil, false
		}
	}
	a.seen = append(a.seen, id)
	a.answer = append(a.answer, entry{owner: name, node: id, set: cname})

	var target []byte
	a.z.rdatas(cname, func(rdata []byte) { target = rdata })

	return target, true
}

// any answers a query of type ANY with every RRset of the node, as BIND
// does (RFC 8482 §4.1 allows fewer).
func (a *answerer) any(name []byte, id uint32) {
	sets := a.z.nodeSets(id)
	if len(sets) == 0 {
		a.negative(NoData)
		return
	}

	for _, s := range sets {
		a.answer = append(a.answer, entry{owner: name, node: id, set: s})
	}
}

// dname adds the DNAME above name and the CNAME it synthesizes, and returns
// the name that CNAME points to (RFC 6672 §3.1).
func (a *answerer) dname(name []byte, m match) ([]byte, bool) {
	z := a.z
	s, _ := z.set(m.node, dns.TypeDNAME)
	a.answer = append(a.answer, entry{node: m.node, set: s})

	var target []byte
	z.rdatas(s, func(rdata []byte) { target = rdata })

	next := append(append([]byte(nil), name[:m.prefix]...), target...)
	if len(next) > maxName {
		a.kind = NameTooLong // RFC 6672 §2.2: YXDOMAIN
		return nil, false
	}

	hdr := dns.RR_Header{Name: presentation(name), Rrtype: dns.TypeCNAME,
		Class: dns.ClassINET, Ttl: s.ttl}
	cname := &dns.CNAME{Hdr: hdr, Target: presentation(next)}
	a.answer = append(a.answer, entry{synth: cname})

	return next, true
}

// negative ends the answer with the SOA in authority, its TTL the smaller
// of its own and its MINIMUM (RFC 2308 §3); after a CNAME chain the kind
// still tells NXDOMAIN from NODATA (RFC 6604 §3).
func (a *answerer) negative(k Kind) {
	a.kind = k
	soa, _ := a.z.set(0, dns.TypeSOA)
	soa.ttl = a.z.negSOA.Hdr.Ttl
	a.ns = append(a.ns, entry{set: soa})
}

// referral answers with the NS RRset of the zone cut at node id and the
// addresses of its targets held in the zone: glue (RFC 1034 §4.3.2 step 3b).
//
// A CNAME chain that leads into the delegation keeps its answer, with the
// referral in authority, as BIND and NSD answer it.
func (a *answerer) referral(id uint32) {
	if len(a.answer) == 0 {
		a.kind = Referral
	}
	a.bare = true

	ns, _ := a.z.set(id, dns.TypeNS)
	a.ns = append(a.ns, entry{node: id, set: ns})
	a.addTargets(ns)
}

// finish adds the authority and additional data of a positive answer.
func (a *answerer) finish() {
	if a.kind != Success || a.bare || a.minimal {
		return
	}

	ns, _ := a.z.set(0, dns.TypeNS)
	if !a.has(a.answer, 0, dns.TypeNS) {
		a.ns = append(a.ns, entry{set: ns})
	}
	if a.qtype == dns.TypeANY {
		return // BIND adds no additional data to ANY answers
	}

	a.addTargets(ns)
	for _, e := range a.answer {
		a.additional(e)
	}
}

// additional adds the in-zone addresses of the hosts an answer RRset names:
// NS, MX and SRV targets (RFC 1034 §3.6, RFC 2782).
func (a *answerer) additional(e entry) {
	if e.synth != nil {
		return
	}

	skip := 0
	switch e.set.rtype {
	case dns.TypeNS:
	case dns.TypeMX:
		skip = 2 // preference
	case dns.TypeSRV:
		skip = 6 // priority, weight, port
	default:
		return
	}

	a.z.rdatas(e.set, func(rdata []byte) { a.addHost(rdata[skip:], false) })
}

// addTargets adds the in-zone addresses of the targets of an NS RRset,
// glue below a zone cut included.
func (a *answerer) addTargets(ns rrset) {
	a.z.rdatas(ns, func(host []byte) { a.addHost(host, true) })
}

// addHost adds the A and AAAA records of host, an absolute wire name, when
// the zone holds them and the message does not yet. Addresses at or below a
// zone cut are glue, not the zone's data: they go only with NS (glue set).
func (a *answerer) addHost(host []byte, glue bool) {
	z := a.z
	rel, ok := relative(host, z.apex)
	if !ok {
		return
	}
	id := z.find(rel)
	if id < 0 || !glue && z.match(rel, dns.TypeA).kind != matchNode {
		return
	}

	for _, t := range [...]uint16{dns.TypeA, dns.TypeAAAA} {
		if s, ok := z.set(uint32(id), t); ok && !a.inMessage(uint32(id), t) {
			a.extra = append(a.extra, entry{node: uint32(id), set: s})
		}
	}
}

// inMessage reports whether RRset (id, t) is in the answer or additional
// section already.
func (a *answerer) inMessage(id uint32, t uint16) bool {
	return a.has(a.answer, id, t) || a.has(a.extra, id, t)
}

// has reports whether entries hold node id's RRset of type t as its own.
func (a *answerer) has(entries []entry, id uint32, t uint16) bool {
	for _, e := range entries {
		if e.synth == nil && e.node == id && e.set.rtype == t {
			return true
		}
	}

	return false
}
