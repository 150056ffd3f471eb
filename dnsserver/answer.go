package dnsserver

import (
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// UDP payload sizes (RFC 1035 §4.2.1, RFC 6891 §6.2.5).
const (
	minUDPSize = 512  // without EDNS, and the floor of what EDNS may ask
	maxUDPSize = 1232 // the largest reply sent over UDP, per DNS Flag Day 2020
)

// ServeDNS implements dns.Handler: it answers one query and writes the
// reply. A panic while answering is logged and answered with SERVFAIL.
func (s *Server) ServeDNS(w dns.ResponseWriter, req *dns.Msg) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("panic while answering", "panic", fmt.Sprint(p),
				"question", req.Question)
			m := new(dns.Msg)
			m.SetRcode(req, dns.RcodeServerFailure)
			writeMsg(w, m)
		}
	}()

	if s.dropped(req) {
		return
	}

	start := time.Now()
	_, udp := w.RemoteAddr().(*net.UDPAddr)
	m := s.Answer(req, udp)
	s.logMsg(udp, w.RemoteAddr(), m, time.Since(start))
	if err := w.WriteMsg(m); err != nil && s.config().LogErrors {
		s.log.Warn("sending a reply", "to", w.RemoteAddr().String(), "err", err)
	}
}

// logMsg logs the query a reply answers, when Config.LogQueries is set; it
// is logged before the reply is sent, so the line is there when the client
// has its answer.
func (s *Server) logMsg(udp bool, client net.Addr, m *dns.Msg, took time.Duration) {
	if !s.config().LogQueries || len(m.Question) == 0 {
		return
	}

	proto := "tcp"
	if udp {
		proto = "udp"
	}
	q := m.Question[0]
	s.logQuery(proto, client, q.Name, q.Qtype, m.Rcode, m.Len(), took)
}

func writeMsg(w dns.ResponseWriter, m *dns.Msg) {
	// The client may be gone; there is nobody to tell.
	_ = w.WriteMsg(m)
}

// Answer builds the reply to req from the zones served; udp says whether
// the reply must fit a UDP datagram. It knows every rule; the UDP readers
// take a shorter way for queries of the usual shape, with the same result.
func (s *Server) Answer(req *dns.Msg, udp bool) *dns.Msg {
	m := new(dns.Msg)
	m.SetReply(req)
	m.RecursionAvailable = false

	opt, rcode := checkQuery(req)
	if rcode == dns.RcodeSuccess {
		rcode = s.faultRcode(req.Question[0].Name)
	}
	if rcode == dns.RcodeSuccess {
		s.lookup(m, req.Question[0])
	}
	if rcode != dns.RcodeSuccess {
		m.Rcode = rcode
	}
	finishEDNS(m, opt, udp)

	return m
}

// faultRcode returns the rcode of a fault set for qname, or success.
func (s *Server) faultRcode(qname string) int {
	if f := s.config().Faults.For(qname); f != FaultNone && f != FaultTimeout {
		return f.rcode()
	}

	return dns.RcodeSuccess
}

// dropped reports whether a timeout fault is set for the query's name: it
// gets no reply at all.
func (s *Server) dropped(req *dns.Msg) bool {
	return len(req.Question) > 0 && s.config().Faults.For(req.Question[0].Name) == FaultTimeout
}

// checkQuery returns the query's OPT record and the rcode of a query that
// is not answered from the zones: NOTIMP for opcodes other than QUERY,
// FORMERR for a question count other than one or a misplaced or repeated
// OPT record, BADVERS for an EDNS version above 0 (RFC 6891 §6.1.1, §6.1.3).
func checkQuery(req *dns.Msg) (*dns.OPT, int) {
	opt, ok := findOPT(req)
	switch {
	case !ok:
		return nil, dns.RcodeFormatError
	case req.Opcode != dns.OpcodeQuery:
		return opt, dns.RcodeNotImplemented
	case len(req.Question) != 1, req.Question[0].Qtype == dns.TypeOPT:
		return opt, dns.RcodeFormatError // RFC 6891 §6.1.1: OPT is no query type
	case opt != nil && opt.Version() != 0:
		return opt, dns.RcodeBadVers
	}

	return opt, dns.RcodeSuccess
}

// findOPT returns the query's OPT record, reporting false when there is
// more than one, one outside the additional section, or one not owned by
// the root.
func findOPT(req *dns.Msg) (*dns.OPT, bool) {
	for _, rr := range append(req.Answer[:len(req.Answer):len(req.Answer)], req.Ns...) {
		if rr.Header().Rrtype == dns.TypeOPT {
			return nil, false
		}
	}

	var opt *dns.OPT
	for _, rr := range req.Extra {
		o, isOPT := rr.(*dns.OPT)
		switch {
		case !isOPT:
		case opt != nil || o.Hdr.Name != ".":
			return nil, false
		default:
			opt = o
		}
	}

	return opt, true
}

// lookup fills in m's sections for question q from the zone that holds it.
func (s *Server) lookup(m *dns.Msg, q dns.Question) {
	set := s.zones.Load()
	if q.Qclass == dns.ClassCHAOS {
		chaos(m, q, set.cfg.Chaos)
		return
	}

	z := set.find(q.Name, q.Qtype)
	if z == nil || q.Qclass != dns.ClassINET || isTransfer(q.Qtype) {
		// TODO(dnslab): zone transfers (AXFR, IXFR).
		m.Rcode = dns.RcodeRefused
		return
	}

	res := z.LookupWith(q.Name, q.Qtype, set.opts)
	m.Authoritative = res.Authoritative()
	m.Rcode = res.Rcode()
	m.Answer, m.Ns, m.Extra = res.Answer, res.Ns, res.Extra
}

func isTransfer(t uint16) bool {
	return t == dns.TypeAXFR || t == dns.TypeIXFR
}

// chaos answers the CHAOS-class TXT queries that tell a server's version
// and name, when Config.Chaos, given as version, is set; anything else in
// CHAOS is REFUSED.
func chaos(m *dns.Msg, q dns.Question, version string) {
	var text string
	switch strings.ToLower(q.Name) {
	case "version.bind.", "version.server.":
		text = version
	case "id.server.", "hostname.bind.":
		text, _ = os.Hostname()
	}

	if version == "" || text == "" || (q.Qtype != dns.TypeTXT && q.Qtype != dns.TypeANY) {
		m.Rcode = dns.RcodeRefused
		return
	}

	hdr := dns.RR_Header{Name: q.Name, Rrtype: dns.TypeTXT, Class: dns.ClassCHAOS}
	m.Authoritative = true
	m.Answer = []dns.RR{&dns.TXT{Hdr: hdr, Txt: []string{text}}}
}

// finishEDNS adds an OPT record when the query had one (RFC 6891 §6.1.1)
// and makes a UDP reply fit what the client can take.
func finishEDNS(m *dns.Msg, opt *dns.OPT, udp bool) {
	size := minUDPSize
	if opt != nil {
		size = min(max(int(opt.UDPSize()), minUDPSize), maxUDPSize)
	}
	if udp {
		fit(m, size-optSize(opt))
	}
	if opt != nil {
		m.Extra = append(m.Extra[:len(m.Extra):len(m.Extra)], replyOPT(opt))
	}

	m.Compress = true
}

func optSize(opt *dns.OPT) int {
	if opt == nil {
		return 0
	}

	return optLen
}

// fit cuts m down to size octets a whole RRset at a time, as the fast path
// does: additional data first, then authority, which are not required
// unless the answer is negative, then answer RRsets from the last, setting
// TC when required data had to go (RFC 2181 §9).
func fit(m *dns.Msg, size int) {
	m.Compress = true
	for m.Len() > size {
		switch {
		case len(m.Extra) > 0:
			m.Extra = dropLastSet(m.Extra)
		case len(m.Ns) > 0:
			m.Ns = dropLastSet(m.Ns)
			m.Truncated = m.Truncated || len(m.Answer) == 0
		default:
			m.Answer = dropLastSet(m.Answer)
			m.Truncated = true
		}
	}
}

// dropLastSet returns rrs without its last RRset: the run of records at
// its end that share owner, type and class.
func dropLastSet(rrs []dns.RR) []dns.RR {
	last := rrs[len(rrs)-1].Header()
	i := len(rrs) - 1
	for i > 0 {
		h := rrs[i-1].Header()
		same := h.Rrtype == last.Rrtype && h.Class == last.Class &&
			strings.EqualFold(h.Name, last.Name)
		if !same {
			break
		}
		i--
	}

	return rrs[:i]
}

// replyOPT returns the OPT record of a reply to a query carrying opt: no
// options echoed (RFC 6891 §6.1.2), the DO bit copied (RFC 3225 §3).
func replyOPT(opt *dns.OPT) *dns.OPT {
	o := &dns.OPT{Hdr: dns.RR_Header{Name: ".", Rrtype: dns.TypeOPT}}
	o.SetUDPSize(maxUDPSize)
	o.SetDo(opt.Do())

	return o
}
