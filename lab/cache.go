package lab

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"

	"dnslab/node"
)

// upstreamWait is how long, in real time, the cache waits for the lab's
// server; shorter than a node's own wait, so that a silent server gives
// the node a SERVFAIL, as a real resolver would.
const upstreamWait = 200 * time.Millisecond

// cache is a caching resolver on loopback between the nodes and the lab's
// server: it keeps answers for their TTL and negative answers for the
// SOA's negative TTL (RFC 2308 §5), on the lab's clock, so that records
// can be seen to arrive late, as behind CoreDNS's cache or a cloud
// resolver.
type cache struct {
	upstream string
	clock    *node.VirtualClock
	udp, tcp *dns.Server

	mu      sync.Mutex
	entries map[cacheKey]cacheEntry
}

type cacheKey struct {
	name         string
	qtype, class uint16
}

type cacheEntry struct {
	reply  *dns.Msg
	stored time.Time
	ttl    time.Duration
}

// startCache starts a cache for upstream on a free loopback port.
func startCache(upstream string, clock *node.VirtualClock) (*cache, error) {
	c := &cache{upstream: upstream, clock: clock, entries: make(map[cacheKey]cacheEntry)}

	pc, ln, err := listenPair()
	if err != nil {
		return nil, err
	}

	c.udp = &dns.Server{PacketConn: pc, Handler: c}
	c.tcp = &dns.Server{Listener: ln, Handler: c}
	for _, s := range []*dns.Server{c.udp, c.tcp} {
		started := make(chan struct{})
		s.NotifyStartedFunc = func() { close(started) }
		go func() { _ = s.ActivateAndServe() }()
		<-started
	}

	return c, nil
}

// listenPair binds UDP and TCP on one free loopback port, trying again
// when another program holds the TCP side of the port UDP got.
func listenPair() (net.PacketConn, net.Listener, error) {
	var err error
	for range 10 {
		var pc net.PacketConn
		if pc, err = net.ListenPacket("udp", "127.0.0.1:0"); err != nil {
			return nil, nil, err
		}

		var ln net.Listener
		if ln, err = net.Listen("tcp", pc.LocalAddr().String()); err == nil {
			return pc, ln, nil
		}
		pc.Close()
	}

	return nil, nil, err
}

// addr returns the cache's address.
func (c *cache) addr() string { return c.udp.PacketConn.LocalAddr().String() }

// stop shuts the cache down.
func (c *cache) stop(ctx context.Context) error {
	if c == nil {
		return nil
	}

	return errors.Join(c.udp.ShutdownContext(ctx), c.tcp.ShutdownContext(ctx))
}

// flush empties the cache.
func (c *cache) flush() {
	c.mu.Lock()
	defer c.mu.Unlock()

	clear(c.entries)
}

// ServeDNS answers from the cache, or asks the lab's server and keeps the
// answer.
func (c *cache) ServeDNS(w dns.ResponseWriter, req *dns.Msg) {
	if len(req.Question) != 1 {
		return
	}

	q := req.Question[0]
	key := cacheKey{strings.ToLower(q.Name), q.Qtype, q.Qclass}
	reply := c.lookup(key)
	if reply == nil {
		reply = c.forward(w, req, key)
	}

	reply.Id = req.Id
	reply.RecursionAvailable = true
	_ = w.WriteMsg(reply)
}

// lookup returns a copy of a fresh cached reply, its TTLs aged, or nil.
func (c *cache) lookup(key cacheKey) *dns.Msg {
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()

	age := c.clock.Now().Sub(e.stored)
	if !ok || age >= e.ttl {
		return nil
	}

	reply := e.reply.Copy()
	for _, rr := range append(append(reply.Answer, reply.Ns...), reply.Extra...) {
		if h := rr.Header(); h.Rrtype != dns.TypeOPT {
			h.Ttl -= min(h.Ttl, uint32(age/time.Second))
		}
	}

	return reply
}

// forward asks the lab's server, over the client's transport, and keeps
// what may be kept. A server that does not answer gives SERVFAIL.
func (c *cache) forward(w dns.ResponseWriter, req *dns.Msg, key cacheKey) *dns.Msg {
	network := "udp"
	if _, ok := w.RemoteAddr().(*net.TCPAddr); ok {
		network = "tcp"
	}

	client := &dns.Client{Net: network, Timeout: upstreamWait}
	reply, _, err := client.Exchange(req.Copy(), c.upstream)
	if err != nil {
		return new(dns.Msg).SetRcode(req, dns.RcodeServerFailure)
	}

	if ttl, ok := cacheTTL(reply); ok {
		c.mu.Lock()
		c.entries[key] = cacheEntry{reply: reply.Copy(), stored: c.clock.Now(), ttl: ttl}
		c.mu.Unlock()
	}

	return reply
}

// cacheTTL returns how long a reply may be kept: its answer's smallest
// TTL, or for NXDOMAIN and NODATA the SOA's TTL capped by its MINIMUM
// (RFC 2308 §5). Other failures and truncated replies are not kept.
func cacheTTL(reply *dns.Msg) (time.Duration, bool) {
	if reply.Truncated || reply.Rcode != dns.RcodeSuccess && reply.Rcode != dns.RcodeNameError {
		return 0, false
	}

	if len(reply.Answer) > 0 {
		ttl := reply.Answer[0].Header().Ttl
		for _, rr := range reply.Answer {
			ttl = min(ttl, rr.Header().Ttl)
		}
		return time.Duration(ttl) * time.Second, true
	}

	for _, rr := range reply.Ns {
		if soa, ok := rr.(*dns.SOA); ok {
			return time.Duration(min(soa.Hdr.Ttl, soa.Minttl)) * time.Second, true
		}
	}

	return 0, false
}
