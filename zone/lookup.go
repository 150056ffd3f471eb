package zone

import (
	"github.com/miekg/dns"
)

// Kind classifies the outcome of a lookup.
type Kind uint8

// The kinds of lookup result.
const (
	// Success: the answer section holds the records asked for, possibly
	// after a CNAME or DNAME chain.
	Success Kind = iota
	// NoData: the name exists but has no records of the type (RFC 2308 §2.2).
	NoData
	// NameError: the name does not exist in the zone (RFC 2308 §2.1).
	NameError
	// Referral: the name is at or below a zone cut; the authority section
	// holds the child's NS records and the additional section their glue.
	Referral
	// OutOfZone: the name is not at or below the zone's origin.
	OutOfZone
	// NameTooLong: a DNAME substitution made a name over 255 octets
	// (RFC 6672 §2.2): YXDOMAIN.
	NameTooLong
)

var kindNames = [...]string{
	Success: "success", NoData: "nodata", NameError: "nxdomain",
	Referral: "referral", OutOfZone: "out-of-zone", NameTooLong: "yxdomain",
}

// String returns the kind's name.
func (k Kind) String() string { return kindNames[k] }

// Result is the outcome of a lookup: the three record sections of an
// answer. Its records are built for it and may be kept.
type Result struct {
	Kind   Kind
	Answer []dns.RR
	Ns     []dns.RR
	Extra  []dns.RR
}

// Rcode returns the response code that goes with r: NXDOMAIN when the
// name, or the last name of a CNAME chain, does not exist (RFC 6604 §2).
func (r Result) Rcode() int {
	switch r.Kind {
	case NameError:
		return dns.RcodeNameError
	case OutOfZone:
		return dns.RcodeRefused
	case NameTooLong:
		return dns.RcodeYXDomain
	}

	return dns.RcodeSuccess
}

// Authoritative reports whether the answer comes with the AA bit: every
// answer but a referral (RFC 1034 §4.3.2).
func (r Result) Authoritative() bool {
	return r.Kind != Referral && r.Kind != OutOfZone
}

// Lookup answers a query for qname and qtype from the zone, following
// RFC 1034 §4.3.2: exact matches, CNAME chains within the zone, referrals
// at zone cuts, wildcards (RFC 4592), DNAME (RFC 6672) and negative answers
// with the SOA (RFC 2308). Answers carry the apex NS RRset in authority and
// the NS addresses in additional, as BIND does without minimal-responses.
func (z *Zone) Lookup(qname string, qtype uint16) Result {
	return z.LookupWith(qname, qtype, Options{})
}

// LookupWith is Lookup with options.
func (z *Zone) LookupWith(qname string, qtype uint16, opt Options) Result {
	var buf [maxName + 1]byte
	name, err := wireName(qname, buf[:])
	if err != nil {
		return Result{Kind: NameError, Ns: []dns.RR{z.negSOA}}
	}

	if _, ok := relative(name, z.apex); !ok {
		return Result{Kind: OutOfZone}
	}

	a := getAnswerer(z, qtype, opt)
	defer putAnswerer(a)
	a.resolve(name)

	return Result{Kind: a.kind, Answer: z.decodeEntries(a.answer),
		Ns: z.decodeEntries(a.ns), Extra: z.decodeEntries(a.extra)}
}

// decodeEntries returns the records of entries as dns.RR values.
func (z *Zone) decodeEntries(entries []entry) []dns.RR {
	var rrs []dns.RR
	for _, e := range entries {
		switch {
		case e.synth != nil:
			rrs = append(rrs, dns.Copy(e.synth))
		case e.owner != nil:
			rrs = append(rrs, z.decodeAs(e.owner, e.set)...)
		default:
			rrs = append(rrs, z.decodeSet(e.node, e.set)...)
		}
	}

	return rrs
}
