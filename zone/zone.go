package zone

import (
	"encoding/binary"
	"slices"
	"sync"
	"time"

	"github.com/miekg/dns"
)

// Zone is an immutable, indexed snapshot of one zone. It is safe for
// concurrent use; the records it hands out must not be modified.
//
// Records are kept in wire form in two arenas, so that a zone of a million
// names costs tens of megabytes rather than hundreds: the owner names, each
// relative to the origin, and the RDATA of every record, grouped by RRset.
// An open-addressing table maps each name, ignoring case, to its node.
type Zone struct {
	origin string // lower-case FQDN
	apex   []byte // the origin in wire form, lower case

	nodes []node   // every owner name and empty non-terminal; nodes[0] is the apex
	slots []uint32 // hash table of node index+1, 0 for empty; len is a power of 2
	names []byte   // owner names: length byte, then the relative wire name
	sets  []rrset  // RRsets, those of one node contiguous and sorted by type
	rdata []byte   // RDATA: for each record a 2-byte length, then the data

	soa    *dns.SOA // the zone's SOA as written
	negSOA *dns.SOA // the SOA for negative answers

	records  int
	warnings []*ParseError
	files    []string // the zone file, then the files it includes
	loadTime time.Duration

	canonOnce sync.Once
	canon     []uint32 // node indexes in canonical order, built on first use
}

// node is one owner name. A node without RRsets is an empty non-terminal.
type node struct {
	name  uint32 // offset of the name in Zone.names
	first uint32 // index of its first RRset in Zone.sets
	nsets uint16
	flags uint16
}

// Node flags, derived from the RRsets present.
const (
	flagCut   uint16 = 1 << iota // NS below the apex: a zone cut (RFC 1034 §4.2.1)
	flagCNAME                    // has a CNAME
	flagDNAME                    // has a DNAME (RFC 6672)
)

// rrset is the records of one owner and type; they share one TTL.
type rrset struct {
	rtype uint16
	count uint32
	ttl   uint32
	off   uint32 // offset of the first record in Zone.rdata
}

// Origin returns the zone's name as a lower-case FQDN.
func (z *Zone) Origin() string { return z.origin }

// SOA returns the zone's SOA record.
func (z *Zone) SOA() *dns.SOA { return z.soa }

// Serial returns the SOA serial.
func (z *Zone) Serial() uint32 { return z.soa.Serial }

// Len returns the number of records in the zone.
func (z *Zone) Len() int { return z.records }

// Names returns the number of owner names, empty non-terminals included.
func (z *Zone) Names() int { return len(z.nodes) }

// LoadTime returns how long parsing and indexing took.
func (z *Zone) LoadTime() time.Duration { return z.loadTime }

// Files returns the files the zone was read from: the zone file first,
// then every file it pulled in with $INCLUDE, in the order they were read.
func (z *Zone) Files() []string { return z.files }

// Warnings returns the problems that did not stop the load, such as
// records outside the origin, which were dropped.
func (z *Zone) Warnings() []*ParseError { return z.warnings }

// Records calls yield for every record of the zone, the SOA first, then the
// names in canonical order (RFC 4034 §6.1) and each name's RRsets by type,
// until yield returns false. The records are decoded on the way.
func (z *Zone) Records(yield func(dns.RR) bool) {
	if !yield(z.soa) {
		return
	}

	for _, id := range z.canonical() {
		for _, s := range z.nodeSets(id) {
			if s.rtype == dns.TypeSOA {
				continue
			}
			for _, rr := range z.decodeSet(id, s) {
				if !yield(rr) {
					return
				}
			}
		}
	}
}

// canonical returns the node indexes in canonical name order.
func (z *Zone) canonical() []uint32 {
	z.canonOnce.Do(func() {
		order := make([]uint32, len(z.nodes))
		for i := range order {
			order[i] = uint32(i)
		}
		slices.SortFunc(order, func(a, b uint32) int {
			return compareCanonical(z.nodeName(a), z.nodeName(b))
		})
		z.canon = order
	})

	return z.canon
}

// find returns the node of the relative wire name, or -1.
func (z *Zone) find(name []byte) int {
	mask := uint32(len(z.slots) - 1)
	for i := hashName(name) & mask; ; i = (i + 1) & mask {
		slot := z.slots[i]
		if slot == 0 {
			return -1
		}
		if equalFold(z.nodeName(slot-1), name) {
			return int(slot - 1)
		}
	}
}

// nodeName returns the relative wire name of node id.
func (z *Zone) nodeName(id uint32) []byte {
	off := z.nodes[id].name
	n := uint32(z.names[off])

	return z.names[off+1 : off+1+n]
}

// nodeSets returns the RRsets of node id.
func (z *Zone) nodeSets(id uint32) []rrset {
	n := z.nodes[id]
	return z.sets[n.first : n.first+uint32(n.nsets)]
}

// set returns node id's RRset of type t.
func (z *Zone) set(id uint32, t uint16) (rrset, bool) {
	for _, s := range z.nodeSets(id) {
		if s.rtype == t {
			return s, true
		}
	}

	return rrset{}, false
}

// rdatas calls f with the RDATA of each record of s.
func (z *Zone) rdatas(s rrset, f func(rdata []byte)) {
	off := s.off
	for range s.count {
		n := uint32(binary.BigEndian.Uint16(z.rdata[off:]))
		f(z.rdata[off+2 : off+2+n])
		off += 2 + n
	}
}

// decodeSet returns the records of s, owned by node id, as dns.RR values.
func (z *Zone) decodeSet(id uint32, s rrset) []dns.RR {
	return z.decodeAs(z.absName(id), s)
}

// decodeAs returns the records of s with owner, an absolute wire name.
func (z *Zone) decodeAs(owner []byte, s rrset) []dns.RR {
	rrs := make([]dns.RR, 0, s.count)
	z.rdatas(s, func(rdata []byte) {
		if rr := decode(owner, s.rtype, s.ttl, rdata); rr != nil {
			rrs = append(rrs, rr)
		}
	})

	return rrs
}

// absName returns the absolute wire name of node id.
func (z *Zone) absName(id uint32) []byte {
	rel := z.nodeName(id)
	abs := make([]byte, 0, len(rel)+len(z.apex))

	return append(append(abs, rel...), z.apex...)
}

// decode unpacks one record from its parts; the parts were packed by
// miekg/dns, so unpacking them cannot fail short of a bug, and a record
// that does is left out.
func decode(owner []byte, t uint16, ttl uint32, rdata []byte) dns.RR {
	buf := make([]byte, 0, len(owner)+10+len(rdata))
	buf = append(buf, owner...)
	buf = binary.BigEndian.AppendUint16(buf, t)
	buf = binary.BigEndian.AppendUint16(buf, dns.ClassINET)
	buf = binary.BigEndian.AppendUint32(buf, ttl)
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(rdata)))
	buf = append(buf, rdata...)

	rr, _, err := dns.UnpackRR(buf, 0)
	if err != nil {
		return nil
	}

	return rr
}
