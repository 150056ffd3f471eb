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
		if s.rtype == dns.TypeNS {
			b.checkNSTargets(i)
		}
	}
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

		id := z.find(rel)
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
