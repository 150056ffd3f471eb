package zone

import (
	"github.com/miekg/dns"
)

// maxChain bounds the CNAME and DNAME links followed for one query.
const maxChain = 16

// answerer builds the answer to one query.
type answerer struct {
	z     *Zone
	qtype uint16
	res   Result
	seen  []uint32 // nodes whose CNAME was followed, to cut loops
	added []added  // RRsets in the message, so none is added twice

	// bare is set when the answer gets no authority and additional data:
	// a chain that leaves the zone or loops, or DS at a zone cut. NSD and
	// BIND answer these so.
	bare bool
}

// added names an RRset put in the message.
type added struct {
	node  uint32
	rtype uint16
}

// resolve answers for the absolute wire name, following CNAME and DNAME
// records while they stay in the zone.
func (a *answerer) resolve(name []byte) {
	for range maxChain {
		next, ok := a.step(name)
		if !ok {
			a.finish()
			return
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
		a.answer(name, id, s)
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
	a.answer(name, id, cname)

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
		a.answer(name, id, s)
	}
}

// answer adds RRset s of node id to the answer section, owned by name.
func (a *answerer) answer(name []byte, id uint32, s rrset) {
	if a.mark(id, s.rtype) {
		a.res.Answer = append(a.res.Answer, a.z.decodeAs(name, s)...)
	}
}

// mark records that RRset (id, t) is in the message and reports whether
// it was not already.
func (a *answerer) mark(id uint32, t uint16) bool {
	for _, x := range a.added {
		if x.node == id && x.rtype == t {
			return false
		}
	}
	a.added = append(a.added, added{node: id, rtype: t})

	return true
}

// dname adds the DNAME above name and the CNAME it synthesizes, and returns
// the name that CNAME points to (RFC 6672 §3.1).
func (a *answerer) dname(name []byte, m match) ([]byte, bool) {
	z := a.z
	s, _ := z.set(m.node, dns.TypeDNAME)
	a.answer(z.absName(m.node), m.node, s)

	var target []byte
	z.rdatas(s, func(rdata []byte) { target = rdata })

	next := append(append([]byte(nil), name[:m.prefix]...), target...)
	if len(next) > maxName {
		a.res.Kind = NameTooLong // RFC 6672 §2.2: YXDOMAIN
		return nil, false
	}

	cname := &dns.CNAME{
		Hdr:    dns.RR_Header{Name: presentation(name), Rrtype: dns.TypeCNAME, Class: dns.ClassINET, Ttl: s.ttl},
		Target: presentation(next),
	}
	a.res.Answer = append(a.res.Answer, cname)

	return next, true
}

// negative ends the answer with the SOA in authority (RFC 2308 §3); after
// a CNAME chain the kind still tells NXDOMAIN from NODATA (RFC 6604 §3).
func (a *answerer) negative(k Kind) {
	a.res.Kind = k
	a.res.Ns = []dns.RR{a.z.negSOA}
}

// referral answers with the NS RRset of the zone cut at node id and the
// addresses of its targets held in the zone: glue (RFC 1034 §4.3.2 step 3b).
func (a *answerer) referral(id uint32) {
	if len(a.res.Answer) > 0 {
		return // a chain that enters a delegation ends with what it has
	}

	z := a.z
	ns, _ := z.set(id, dns.TypeNS)
	a.res.Kind = Referral
	a.res.Ns = z.decodeSet(id, ns)
	a.mark(id, dns.TypeNS)
	a.addTargets(ns)
}

// finish adds the authority and additional data of a positive answer.
func (a *answerer) finish() {
	if a.res.Kind != Success || a.bare {
		return
	}

	z := a.z
	ns, _ := z.set(0, dns.TypeNS)
	if a.mark(0, dns.TypeNS) {
		a.res.Ns = z.decodeSet(0, ns)
	}
	if a.qtype == dns.TypeANY {
		return // BIND adds no additional data to ANY answers
	}
	a.addTargets(ns)
	a.additional()
}

// additional adds the in-zone addresses of the hosts that answer records
// name: NS, MX and SRV targets (RFC 1034 §3.6, RFC 2782).
func (a *answerer) additional() {
	for _, rr := range a.res.Answer {
		var host string
		switch rr := rr.(type) {
		case *dns.NS:
			host = rr.Ns
		case *dns.MX:
			host = rr.Mx
		case *dns.SRV:
			host = rr.Target
		default:
			continue
		}
		a.addAddresses(host)
	}
}

// addTargets adds the in-zone addresses of the targets of an NS RRset.
func (a *answerer) addTargets(ns rrset) {
	a.z.rdatas(ns, func(rdata []byte) {
		if rel, ok := relative(rdata, a.z.apex); ok {
			a.addNodeAddresses(rel)
		}
	})
}

// addAddresses adds the in-zone A and AAAA records of host.
func (a *answerer) addAddresses(host string) {
	var buf [maxName + 1]byte
	name, err := wireName(host, buf[:])
	if err != nil {
		return
	}
	if rel, ok := relative(name, a.z.apex); ok {
		a.addNodeAddresses(rel)
	}
}

func (a *answerer) addNodeAddresses(rel []byte) {
	z := a.z
	id := z.find(rel)
	if id < 0 {
		return
	}

	for _, t := range [...]uint16{dns.TypeA, dns.TypeAAAA} {
		if s, ok := z.set(uint32(id), t); ok && a.mark(uint32(id), t) {
			a.res.Extra = append(a.res.Extra, z.decodeSet(uint32(id), s)...)
		}
	}
}
