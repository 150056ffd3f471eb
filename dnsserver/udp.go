package dnsserver

import (
	"errors"
	"fmt"
	"net"
	"runtime"
	"sync"
	"time"

	"github.com/miekg/dns"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
)

// UDP batching: each reader takes up to udpBatch datagrams with one system
// call (recvmmsg) and sends the replies with another (sendmmsg), so that a
// busy server spends its time answering rather than entering the kernel.
const (
	udpBatch    = 32
	maxQuery    = 4096 // larger datagrams are cut short, then fail to parse
	replyBuffer = maxUDPSize + 512
)

// batchConn reads and writes datagrams in batches; ipv4.PacketConn and
// ipv6.PacketConn both do.
type batchConn interface {
	ReadBatch(ms []ipv4.Message, flags int) (int, error)
	WriteBatch(ms []ipv4.Message, flags int) (int, error)
}

// udpServer answers the queries that arrive on one UDP socket.
type udpServer struct {
	s     *Server
	conn  *net.UDPConn
	batch batchConn
	wg    sync.WaitGroup
}

// serveUDP starts a reader per CPU on conn.
func (s *Server) serveUDP(conn *net.UDPConn) *udpServer {
	u := &udpServer{s: s, conn: conn, batch: newBatchConn(conn)}
	for range runtime.GOMAXPROCS(0) {
		u.wg.Add(1)
		go u.read()
	}

	return u
}

func newBatchConn(conn *net.UDPConn) batchConn {
	if a, ok := conn.LocalAddr().(*net.UDPAddr); ok && a.IP.To4() == nil {
		return ipv6.NewPacketConn(conn)
	}

	return ipv4.NewPacketConn(conn)
}

// stop closes the socket and waits for the readers to end.
func (u *udpServer) stop() error {
	err := u.conn.Close()
	u.wg.Wait()

	return err
}

// read answers batches of queries until the socket is closed.
func (u *udpServer) read() {
	defer u.wg.Done()

	in, out := newMessages(maxQuery), newMessages(replyBuffer)
	for {
		n, err := u.batch.ReadBatch(in, 0)
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			if u.s.config().LogErrors {
				u.s.log.Warn("reading UDP queries", "err", err)
			}
			continue
		}

		k := 0
		for _, m := range in[:n] {
			if u.answer(&out[k], m) {
				k++
			}
		}
		u.write(out[:k])
	}
}

// answer puts into out the reply to the query in m, and reports whether
// there is one to send.
func (u *udpServer) answer(out *ipv4.Message, m ipv4.Message) bool {
	start := time.Now()
	reply, ok := u.s.answerUDP(out.Buffers[0][:0], m.Buffers[0][:m.N])
	if !ok {
		return false
	}

	out.Buffers[0], out.Addr = reply, m.Addr
	if u.s.config().LogQueries {
		u.s.logReply("udp", m.Addr, reply, time.Since(start))
	}

	return true
}

// write sends every reply of a batch.
func (u *udpServer) write(ms []ipv4.Message) {
	for len(ms) > 0 {
		n, err := u.batch.WriteBatch(ms, 0)
		if err != nil {
			// The client may be gone; its reply is dropped, the others go on.
			if u.s.config().LogErrors {
				u.s.log.Warn("sending a UDP reply", "to", ms[max(n, 0)].Addr, "err", err)
			}
			n = max(n, 0) + 1
		}
		ms = ms[n:]
	}
}

// newMessages returns a batch of messages with a buffer of size each.
func newMessages(size int) []ipv4.Message {
	ms := make([]ipv4.Message, udpBatch)
	for i := range ms {
		ms[i].Buffers = [][]byte{make([]byte, size)}
	}

	return ms
}

// answerUDP returns the reply to one datagram, or false when none is due.
// A panic while answering is logged and the query dropped.
func (s *Server) answerUDP(buf, query []byte) (reply []byte, ok bool) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("panic while answering", "panic", fmt.Sprint(p))
			reply, ok = nil, false
		}
	}()

	if reply, ok := s.fastReply(buf, query, true); ok {
		return reply, true
	}

	return s.slowReply(buf, query, true)
}

// slowReply answers a query that the fast path does not take: it unpacks
// it whole and answers it with Answer. A packet that does not unpack gets
// FORMERR if its header can be read, and nothing if not; a response gets
// nothing, ever.
func (s *Server) slowReply(buf, query []byte, udp bool) ([]byte, bool) {
	req := new(dns.Msg)
	if err := req.Unpack(query); err != nil {
		return formErr(buf, query)
	}
	if req.Response || s.dropped(req) {
		return nil, false
	}

	reply, err := s.Answer(req, udp).PackBuffer(buf)
	if err != nil {
		if s.config().LogErrors {
			s.log.Error("packing a reply", "err", err, "question", req.Question)
		}
		return nil, false
	}

	return reply, true
}

// formErr returns a FORMERR reply for a query that could not be parsed:
// its header, counts zeroed (RFC 1035 §4.1.1).
func formErr(buf, query []byte) ([]byte, bool) {
	if len(query) < headerLen || query[2]&0x80 != 0 {
		return nil, false
	}

	buf = append(buf[:0], query[:headerLen]...)
	buf[2] = buf[2]&0x79 | 0x80 // QR set, opcode and RD kept, AA and TC cleared
	buf[3] = dns.RcodeFormatError
	clear(buf[4:headerLen])

	return buf, true
}
