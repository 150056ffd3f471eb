package dnsserver

import (
	"encoding/binary"
	"net"
	"time"

	"github.com/miekg/dns"
)

// logReply logs one answered query from its reply in wire form, when
// Config.LogQueries is set: client, transport, question, rcode, size and
// the time taken.
func (s *Server) logReply(proto string, client net.Addr, reply []byte, took time.Duration) {
	if len(reply) < headerLen {
		return
	}

	name, off, err := dns.UnpackDomainName(reply, headerLen)
	if err != nil || off+4 > len(reply) {
		name, off = "?", len(reply)-4
	}

	qtype := binary.BigEndian.Uint16(reply[off:])
	rcode := int(reply[3] & 0xf)
	s.logQuery(proto, client, name, qtype, rcode, len(reply), took)
}

// logQuery writes the line of one query.
func (s *Server) logQuery(proto string, client net.Addr, name string, qtype uint16,
	rcode, size int, took time.Duration) {
	s.log.Info("query", "client", client.String(), "proto", proto, "name", name,
		"type", dns.Type(qtype).String(), "rcode", dns.RcodeToString[rcode],
		"size", size, "took", took)
}
