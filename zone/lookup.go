package zone

import (
	"slices"
	"strings"

	"github.com/miekg/dns"
)

// Kind classifies the outcome of a lookup.
type Kind uint8

// The kinds of lookup result.
const (
	// Success: the answer section holds the records asked for.
	Success Kind = iota
	// NoData: the name exists but has no records of the type (RFC 2308 §2.2).
	NoData
	// NameError: the name does not exist in the zone (RFC 2308 §2.1).
	NameError
)

var kindNames = [...]string{Success: "success", NoData: "nodata", NameError: "nxdomain"}

// String returns the kind's name.
func (k Kind) String() string { return kindNames[k] }

// Result is the outcome of a lookup: the three record sections of an
// authoritative answer. Its records belong to the zone and must not be
// modified.
type Result struct {
	Kind   Kind
	Answer []dns.RR
	Ns     []dns.RR
	Extra  []dns.RR
}

// Rcode returns the response code that goes with r.
func (r Result) Rcode() int {
	if r.Kind == NameError {
		return dns.RcodeNameError
	}

	return dns.RcodeSuccess
}

// Lookup answers a query for qname and qtype, which must be at or below
// the origin, following RFC 1034 §4.3.2 for exact matches.
//
// TODO(dnslab): CNAME chains, delegations, wildcards and DNAME.
func (z *Zone) Lookup(qname string, qtype uint16) Result {
	n := z.names[strings.ToLower(dns.Fqdn(qname))]
	if n == nil {
		return z.negative(NameError)
	}

	answer := n.RRset(qtype)
	if len(answer) == 0 {
		return z.negative(NoData)
	}

	return z.positive(answer)
}

// negative returns an answer with the SOA in authority (RFC 2308 §3).
func (z *Zone) negative(k Kind) Result {
	return Result{Kind: k, Ns: []dns.RR{z.negSOA}}
}

// positive returns answer with the apex NS RRset in authority and the NS
// addresses in additional, as BIND does without minimal-responses. Records
// already in the answer are not repeated.
func (z *Zone) positive(answer []dns.RR) Result {
	r := Result{Kind: Success, Answer: answer}
	if !sameSet(answer, z.apexNS) {
		r.Ns = z.apexNS
	}

	for _, rr := range z.nsAddrs {
		if !slices.Contains(answer, rr) {
			r.Extra = append(r.Extra, rr)
		}
	}

	return r
}

func sameSet(a, b []dns.RR) bool {
	return len(a) > 0 && len(b) > 0 && &a[0] == &b[0]
}

// sortedNames returns the owner names of z in a stable order.
func (z *Zone) sortedNames() []string {
	names := make([]string, 0, len(z.names))
	for name := range z.names {
		names = append(names, name)
	}
	slices.Sort(names)

	return names
}
