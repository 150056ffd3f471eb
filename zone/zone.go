package zone

import (
	"time"

	"github.com/miekg/dns"
)

// Zone is an immutable, indexed snapshot of one zone. It is safe for
// concurrent use; the records it hands out must not be modified.
type Zone struct {
	origin   string           // lower-case FQDN
	soa      *dns.SOA         // the zone's SOA as written
	negSOA   *dns.SOA         // the SOA for negative answers
	apexNS   []dns.RR         // the NS RRset at the origin
	nsAddrs  []dns.RR         // in-zone A and AAAA records of the apex NS targets
	names    map[string]*Node // owner names and empty non-terminals, lower-case
	records  int
	warnings []*ParseError
	files    []string // the zone file, then the files it includes
	loadTime time.Duration
}

// Node holds the RRsets of one owner name, sorted by type. A node without
// RRsets is an empty non-terminal.
type Node struct {
	rrsets []RRset
}

// RRset is the records of one owner name and type.
type RRset struct {
	Type uint16
	RRs  []dns.RR
}

// RRset returns the records of type t at n, or nil.
func (n *Node) RRset(t uint16) []dns.RR {
	for _, s := range n.rrsets {
		if s.Type == t {
			return s.RRs
		}
	}

	return nil
}

// Origin returns the zone's name as a lower-case FQDN.
func (z *Zone) Origin() string { return z.origin }

// SOA returns the zone's SOA record.
func (z *Zone) SOA() *dns.SOA { return z.soa }

// Serial returns the SOA serial.
func (z *Zone) Serial() uint32 { return z.soa.Serial }

// Len returns the number of records in the zone.
func (z *Zone) Len() int { return z.records }

// LoadTime returns how long parsing and indexing took.
func (z *Zone) LoadTime() time.Duration { return z.loadTime }

// Files returns the files the zone was read from: the zone file first,
// then every file it pulled in with $INCLUDE, in the order they were read.
func (z *Zone) Files() []string { return z.files }

// Warnings returns the problems that did not stop the load, such as
// records outside the origin, which were dropped.
func (z *Zone) Warnings() []*ParseError { return z.warnings }

// Records calls yield for every record of the zone, the SOA first, then by
// owner name and type, until yield returns false.
//
// TODO(dnslab): walk in RFC 4034 §6.1 canonical order for zone transfers.
func (z *Zone) Records(yield func(dns.RR) bool) {
	if !yield(z.soa) {
		return
	}

	for _, name := range z.sortedNames() {
		for _, set := range z.names[name].rrsets {
			if !z.yieldSet(set, yield) {
				return
			}
		}
	}
}

func (z *Zone) yieldSet(set RRset, yield func(dns.RR) bool) bool {
	for _, rr := range set.RRs {
		if rr == dns.RR(z.soa) {
			continue
		}
		if !yield(rr) {
			return false
		}
	}

	return true
}

// index fills in what answers need besides the names: the SOA for negative
// answers and the apex NS with their addresses.
func (z *Zone) index() {
	// RFC 2308 §3: the negative TTL is the smaller of the SOA's TTL and its
	// MINIMUM field.
	neg := dns.Copy(z.soa).(*dns.SOA)
	neg.Hdr.Ttl = min(z.soa.Hdr.Ttl, z.soa.Minttl)
	z.negSOA = neg

	z.apexNS = z.names[z.origin].RRset(dns.TypeNS)
	for _, rr := range z.apexNS {
		z.nsAddrs = append(z.nsAddrs, z.addresses(rr.(*dns.NS).Ns)...)
	}
}

// addresses returns the in-zone A and AAAA records of name.
func (z *Zone) addresses(name string) []dns.RR {
	key, err := canonicalName(name)
	if err != nil {
		return nil
	}

	n := z.names[key]
	if n == nil {
		return nil
	}

	a := n.RRset(dns.TypeA)
	aaaa := n.RRset(dns.TypeAAAA)

	return append(append([]dns.RR(nil), a...), aaaa...)
}
