package zone

import (
	"errors"

	"github.com/miekg/dns"
)

// Sentinel errors of the checks on a zone's meaning.
var (
	ErrClass     = errors.New("zone: record of another class")
	ErrCNAME     = errors.New("zone: CNAME and other data")
	ErrNSAddress = errors.New("zone: NS target without address records")
	ErrTTL       = errors.New("zone: TTLs differ within an RRset")
	ErrSingleton = errors.New("zone: more than one record of a singleton type")
	ErrNSOwner   = errors.New("zone: NS records at a wildcard")

	ErrCNAMETarget = errors.New("zone: MX or SRV target is a CNAME")
)

// check makes the checks on the zone as a whole that named-checkzone
// makes, once the records are grouped into RRsets.
func (b *builder) check() {
	z := b.z
	if _, ok := z.set(0, dns.TypeNS); !ok {
		b.fail(0, ErrNoNS, "no NS records at the origin %s", z.origin)
	}

	for id := range z.nodes {
		b.checkCNAME(uint32(id))
	}
	for i, s := range z.sets {
		switch s.rtype {
		case dns.TypeNS:
			b.checkNSOwner(i)
			b.checkNSTargets(i)
		case dns.TypeMX, dns.TypeSRV:
			b.checkHostTargets(i)
		}
	}
}

// checkNSOwner rejects NS records at a wildcard (RFC 4592 §4.2).
func (b *builder) checkNSOwner(set int) {
	owner := b.setOwner[set]
	if isWildcard(b.z.nodeName(owner.node)) {
		b.failAt(owner, ErrNSOwner, "%s: invalid NS owner name (wildcard)",
			b.z.presentation(owner.node))
	}
}

// checkHostTargets warns about MX and SRV records whose target is a CNAME,
// which RFC 2181 §10.3 forbids; named-checkzone warns too.
func (b *builder) checkHostTargets(set int) {
	z := b.z
	s := z.sets[set]
	skip := 2 // MX preference
	if s.rtype == dns.TypeSRV {
		skip = 6 // priority, weight, port
	}

	z.rdatas(s, func(rdata []byte) {
		if id, ok := z.inZone(rdata[skip:]); ok && z.nodes[id].flags&flagCNAME != 0 {
			b.warnAt(b.setOwner[set], ErrCNAMETarget, "%s/%s %s is a CNAME (illegal)",
				z.presentation(b.setOwner[set].node), dns.Type(s.rtype),
				presentation(rdata[skip:]))
		}
	})
}

// inZone returns the node of an absolute wire name, if the zone has it.
func (z *Zone) inZone(name []byte) (uint32, bool) {
	rel, ok := relative(name, z.apex)
	if !ok {
		return 0, false
	}
	id := z.find(rel)

	return uint32(id), id >= 0
}

// checkCNAME rejects a CNAME beside other data (RFC 1034 §3.6.2, RFC 2181
// §10.1); DNSSEC's RRSIG and NSEC may stand beside it (RFC 4035 §2.5). Like
// named-checkzone it names the record that made the conflict: the later of
// the CNAME and the first other record.
func (b *builder) checkCNAME(id uint32) {
	z := b.z
	n := z.nodes[id]
	if n.flags&flagCNAME == 0 {
		return
	}

	var cname, other *pending
	for i := n.first; i < n.first+uint32(n.nsets); i++ {
		first := &b.setOwner[i]
		switch z.sets[i].rtype {
		case dns.TypeCNAME:
			cname = first
		case dns.TypeRRSIG, dns.TypeNSEC:
		default:
			if other == nil || first.seq < other.seq {
				other = first
			}
		}
	}
	if other == nil {
		return
	}

	culprit := *cname
	if other.seq > cname.seq {
		culprit = *other
	}
	b.failAt(culprit, ErrCNAME, "%s: CNAME and other data", z.presentation(id))
}

// checkNSTargets checks that the hosts an NS RRset names inside the zone
// have addresses. At the origin a missing one is an error; at a delegation
// only a warning, as named-checkzone has it (the parent serves no glue).
func (b *builder) checkNSTargets(set int) {
	z := b.z
	owner := b.setOwner[set]
	z.rdatas(z.sets[set], func(rdata []byte) {
		rel, ok := relative(rdata, z.apex)
		if !ok {
			return
		}

		if dname, below := z.belowDNAME(rel); below {
			b.fail(0, ErrNSAddress, "NS %s is below a DNAME %s (illegal)",
				presentation(rdata), dname)
			return
		}

		id := z.find(rel)
		if id >= 0 && z.nodes[id].flags&flagCNAME != 0 {
			b.fail(0, ErrNSAddress, "NS %s is a CNAME (illegal)", presentation(rdata))
			return
		}
		if id >= 0 && z.hasAddress(uint32(id)) {
			return
		}

		if owner.node == 0 {
			b.fail(0, ErrNSAddress, "NS %s has no address records (A or AAAA)",
				presentation(rdata))
			return
		}
		b.warnAt(owner, ErrNSAddress, "%s/NS %s has no glue address records (A or AAAA)",
			z.presentation(owner.node), presentation(rdata))
	})
}

// belowDNAME reports whether the relative name rel lies below a DNAME
// owner of the zone, where no name can exist (RFC 6672 §2.3), and names it.
func (z *Zone) belowDNAME(rel []byte) (string, bool) {
	for name := rel; len(name) > 0; {
		name = parent(name)
		if id := z.find(name); id >= 0 && z.nodes[id].flags&flagDNAME != 0 {
			return z.presentation(uint32(id)), true
		}
	}

	return "", false
}

// hasAddress reports whether node id has an A or AAAA RRset.
func (z *Zone) hasAddress(id uint32) bool {
	_, a := z.set(id, dns.TypeA)
	_, aaaa := z.set(id, dns.TypeAAAA)

	return a || aaaa
}

// presentation returns the owner of node id in presentation form.
func (z *Zone) presentation(id uint32) string {
	return presentation(z.absName(id))
}

// presentation returns an absolute wire name in presentation form.
func presentation(wire []byte) string {
	name, _, err := dns.UnpackDomainName(wire, 0)
	if err != nil {
		return "?"
	}

	return name
}
