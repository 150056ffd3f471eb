package dnsserver

import (
	"fmt"
	"net"

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

	_, udp := w.RemoteAddr().(*net.UDPAddr)
	writeMsg(w, s.Answer(req, udp))
}

func writeMsg(w dns.ResponseWriter, m *dns.Msg) {
	// The client may be gone; there is nobody to tell.
	_ = w.WriteMsg(m)
}

// Answer builds the reply to req from the zones served; udp says whether
// the reply must fit a UDP datagram.
func (s *Server) Answer(req *dns.Msg, udp bool) *dns.Msg {
	m := new(dns.Msg)
	m.SetReply(req)
	m.RecursionAvailable = false

	if rcode := check(req); rcode != dns.RcodeSuccess {
		m.Rcode = rcode
		finishEDNS(m, req, udp)
		return m
	}

	s.lookup(m, req.Question[0])
	finishEDNS(m, req, udp)

	return m
}

// check returns the rcode for a query dnslab does not answer from a zone.
func check(req *dns.Msg) int {
	switch {
	case req.Opcode != dns.OpcodeQuery:
		return dns.RcodeNotImplemented
	case len(req.Question) != 1:
		return dns.RcodeFormatError
	}

	return dns.RcodeSuccess
}

// lookup fills in m's sections for question q from the zone that holds it.
func (s *Server) lookup(m *dns.Msg, q dns.Question) {
	z := s.zones.Load().find(q.Name)
	if z == nil || q.Qclass != dns.ClassINET || isTransfer(q.Qtype) {
		// TODO(dnslab): zone transfers; CHAOS version queries.
		m.Rcode = dns.RcodeRefused
		return
	}

	res := z.Lookup(q.Name, q.Qtype)
	m.Authoritative = res.Authoritative()
	m.Rcode = res.Rcode()
	m.Answer, m.Ns, m.Extra = res.Answer, res.Ns, res.Extra
}

func isTransfer(t uint16) bool {
	return t == dns.TypeAXFR || t == dns.TypeIXFR
}

// finishEDNS adds an OPT record when the query had one (RFC 6891 §6.1.1)
// and truncates a UDP reply to what the client can take.
func finishEDNS(m, req *dns.Msg, udp bool) {
	size := minUDPSize
	if opt := req.IsEdns0(); opt != nil {
		size = min(max(int(opt.UDPSize()), minUDPSize), maxUDPSize)
		m.Extra = append(m.Extra[:len(m.Extra):len(m.Extra)], replyOPT(opt))
	}

	if udp {
		m.Truncate(size)
	}

	// Truncate turns compression off when the reply fits without it; names
	// are compressed anyway, as every authoritative server does.
	m.Compress = true
}

// replyOPT returns the OPT record of a reply to a query carrying opt.
func replyOPT(opt *dns.OPT) *dns.OPT {
	o := &dns.OPT{Hdr: dns.RR_Header{Name: ".", Rrtype: dns.TypeOPT}}
	o.SetUDPSize(maxUDPSize)
	o.SetDo(opt.Do())

	return o
}
