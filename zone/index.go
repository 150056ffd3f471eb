package zone

import (
	"github.com/miekg/dns"
)

// matchKind says where the search for a name in the index ended.
type matchKind uint8

const (
	matchNode  matchKind = iota // the name, or the wildcard that covers it
	matchNone                   // no such name and no wildcard
	matchCut                    // a zone cut at or above the name
	matchDNAME                  // a DNAME above the name
)

// match is where the search for a name ended.
type match struct {
	kind   matchKind
	node   uint32 // the node found: the name, its wildcard, cut or DNAME owner
	prefix int    // for matchDNAME: the length of the labels below the owner
}

// match finds the relative wire name rel, walking down from the apex as
// RFC 1034 §4.3.2 step 3 does: a zone cut on the way ends the search (but
// DS at the cut itself belongs to this side, RFC 4035 §3.1.4.1), so does a
// DNAME above the name (RFC 6672 §3.2); a name that does not exist is
// answered by the wildcard at its closest encloser (RFC 4592 §3.3.1).
func (z *Zone) match(rel []byte, qtype uint16) match {
	var buf [maxName / 2]int
	starts := appendLabelStarts(buf[:0], rel)
	enc := uint32(0)
	for i := len(starts) - 1; i >= 0; i-- {
		id := z.find(rel[starts[i]:])
		if id < 0 {
			return z.wildcard(enc)
		}

		n := z.nodes[id]
		switch {
		case n.flags&flagCut != 0 && !(i == 0 && qtype == dns.TypeDS):
			return match{kind: matchCut, node: uint32(id)}
		case n.flags&flagDNAME != 0 && i > 0:
			return match{kind: matchDNAME, node: uint32(id), prefix: starts[i]}
		}
		enc = uint32(id)
	}

	return match{kind: matchNode, node: enc}
}

// wildcard returns the wildcard child of the closest encloser enc, if it
// has one (RFC 4592 §2.2.1).
func (z *Zone) wildcard(enc uint32) match {
	var buf [maxName + 1]byte
	name := append(append(buf[:0], 1, '*'), z.nodeName(enc)...)
	if id := z.find(name); id >= 0 {
		return match{kind: matchNode, node: uint32(id)}
	}

	return match{kind: matchNone, node: enc}
}

// ClosestEncloser returns the longest existing name (empty non-terminals
// count) at or above qname in the zone (RFC 4592 §3.3.1), and whether
// qname itself exists. It is "" for a name outside the zone.
func (z *Zone) ClosestEncloser(qname string) (string, bool) {
	var buf [maxName + 1]byte
	name, err := wireName(qname, buf[:])
	if err != nil {
		return "", false
	}
	rel, ok := relative(name, z.apex)
	if !ok {
		return "", false
	}

	starts := append(labelStarts(rel), len(rel))
	for i, s := range starts {
		if id := z.find(rel[s:]); id >= 0 {
			return z.presentation(uint32(id)), i == 0
		}
	}

	return z.origin, len(rel) == 0
}

// finishIndex fills in what answers need besides the names: the SOA for
// negative answers.
func (z *Zone) finishIndex() {
	// NB: the SOA handed out is the indexed one, as lookups decode it: the
	// parser's spelling of a name can differ from the unpacked one.
	soa, _ := z.set(0, dns.TypeSOA)
	if rrs := z.decodeSet(0, soa); len(rrs) == 1 {
		z.soa = rrs[0].(*dns.SOA)
	}

	// RFC 2308 §3: the negative TTL is the smaller of the SOA's TTL and its
	// MINIMUM field.
	neg := dns.Copy(z.soa).(*dns.SOA)
	neg.Hdr.Ttl = min(z.soa.Hdr.Ttl, z.soa.Minttl)
	z.negSOA = neg
}
