package node

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"time"

	"github.com/miekg/dns"
)

// Defaults of Erlang's inet_res, the resolver EMQX's DNS discovery uses.
const (
	DefaultResolverTimeout = 2 * time.Second
	DefaultResolverRetries = 3
)

// ErrNotLoopback is returned when a resolver is asked to send a query
// anywhere but a loopback address.
var ErrNotLoopback = errors.New("node: nameserver is not a loopback address")

// Resolver asks DNS the way EMQX's discovery does (Erlang's inet_res): one
// query type, the name sent as written (no search list), plain UDP without
// EDNS, a truncated reply asked again over TCP, no cache. Each of Retries
// tries asks the nameservers in turn.
//
// NB: only loopback nameservers are accepted, and every socket is checked
// again as it is dialed: a simulated node never sends a packet off the
// machine.
type Resolver struct {
	// Nameservers are "ip:port" addresses on loopback.
	Nameservers []string

	// ConfFile, if set, is a resolv.conf-format file read for the
	// nameservers at every lookup, in place of Nameservers: EMQX's resolver
	// follows edits of /etc/resolv.conf (see ReadResolvConf).
	ConfFile string

	// Timeout is the time budget per nameserver, split over the tries as
	// inet_res does (T/3, 2T/3, 4T/3 for three tries). Default 2 s.
	Timeout time.Duration

	// Retries is the number of tries per nameserver. Default 3.
	Retries int

	// ReplyWait caps the real time a try waits for a reply; past it the
	// try counts as timed out and costs its full share of Timeout, which
	// the caller spends on its own (virtual) clock. A nameserver on
	// loopback answers in well under a millisecond. Default 500 ms.
	ReplyWait time.Duration

	// Dialer opens the sockets; nil means a plain net.Dialer. Its Control
	// function, if any, runs after the loopback check.
	Dialer *net.Dialer
}

// DefaultReplyWait is the default of Resolver.ReplyWait.
const DefaultReplyWait = 500 * time.Millisecond

func (r Resolver) validate() error {
	if r.ConfFile != "" {
		return nil
	}
	if len(r.Nameservers) == 0 {
		return fmt.Errorf("%w: no nameservers", ErrConfig)
	}

	for _, ns := range r.Nameservers {
		if !isLoopback(ns) {
			return fmt.Errorf("%w: %w: %q", ErrConfig, ErrNotLoopback, ns)
		}
	}

	return nil
}

// Lookup asks for the records of type t at name and returns those of the
// answer section with that type, plus the time the lookup took by the
// resolver's own timers (zero when the first try is answered). Any failure
// gives no records and an error saying what happened: EMQX itself treats
// every failure as an empty answer.
//
// As inet_res does, each try asks every nameserver in turn before the next
// try asks them again with a doubled wait, so a silent first nameserver
// costs only the first try's share when the second one answers.
func (r Resolver) Lookup(name string, t uint16) ([]dns.RR, time.Duration, error) {
	servers, err := r.servers()
	if err != nil {
		return nil, 0, err
	}

	q := new(dns.Msg)
	q.SetQuestion(dns.Fqdn(name), t)

	var spent time.Duration
	var errs []error
	for try := 0; try < r.retries() && len(servers) > 0; try++ {
		wait := r.tryTimeout(try)

		var again []string // the servers that timed out, asked on the next try
		for _, ns := range servers {
			reply, err := r.exchangeOnce(q, ns, min(wait, r.replyWait()))
			if err == nil {
				return answers(reply, t), spent, rcodeError(reply)
			}
			errs = append(errs, err)
			if isTimeout(err) {
				spent += wait
				again = append(again, ns)
			}
		}
		servers = again
	}

	return nil, spent, errors.Join(errs...)
}

// servers returns the nameservers to ask.
func (r Resolver) servers() ([]string, error) {
	if r.ConfFile == "" {
		return r.Nameservers, nil
	}

	servers, err := ReadResolvConf(r.ConfFile)
	if err == nil && len(servers) == 0 {
		err = fmt.Errorf("node: %s names no nameserver", r.ConfFile)
	}

	return servers, err
}

// exchangeOnce sends q over UDP and, if the reply is truncated, over TCP.
func (r Resolver) exchangeOnce(q *dns.Msg, ns string, wait time.Duration) (*dns.Msg, error) {
	reply, _, err := r.client("udp", wait).Exchange(q, ns)
	if err != nil || !reply.Truncated {
		return reply, err
	}

	reply, _, err = r.client("tcp", wait).Exchange(q, ns)

	return reply, err
}

// tryTimeout returns how long try number try (from 0) waits: inet_res
// gives try i the share Timeout·2^i/Retries.
func (r Resolver) tryTimeout(try int) time.Duration {
	t := r.Timeout
	if t <= 0 {
		t = DefaultResolverTimeout
	}

	return t * time.Duration(1<<try) / time.Duration(r.retries())
}

func (r Resolver) replyWait() time.Duration {
	if r.ReplyWait <= 0 {
		return DefaultReplyWait
	}

	return r.ReplyWait
}

func (r Resolver) retries() int {
	if r.Retries <= 0 {
		return DefaultResolverRetries
	}

	return r.Retries
}

// client returns a dns.Client for one exchange whose sockets may only
// reach loopback.
func (r Resolver) client(network string, timeout time.Duration) *dns.Client {
	d := net.Dialer{Timeout: timeout}
	if r.Dialer != nil {
		d = *r.Dialer
		d.Timeout = timeout
	}
	d.Control = loopbackOnly(d.Control)

	return &dns.Client{Net: network, Dialer: &d, Timeout: timeout, UDPSize: dns.MinMsgSize}
}

// loopbackOnly wraps a net.Dialer Control function so that it refuses any
// address off loopback before the socket connects.
func loopbackOnly(next func(network, address string, c syscall.RawConn) error) func(
	string, string, syscall.RawConn) error {
	return func(network, address string, c syscall.RawConn) error {
		if !isLoopback(address) {
			return fmt.Errorf("%w: %s", ErrNotLoopback, address)
		}
		if next != nil {
			return next(network, address, c)
		}

		return nil
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// answers returns the records of type t in reply's answer section: CNAMEs
// on the way are skipped, glue in other sections ignored.
func answers(reply *dns.Msg, t uint16) []dns.RR {
	var rrs []dns.RR
	for _, rr := range reply.Answer {
		if rr.Header().Rrtype == t {
			rrs = append(rrs, rr)
		}
	}

	return rrs
}

// rcodeError describes a reply that carries no usable answer.
func rcodeError(reply *dns.Msg) error {
	if reply.Rcode == dns.RcodeSuccess {
		return nil
	}

	return fmt.Errorf("node: DNS answered %s", dns.RcodeToString[reply.Rcode])
}

// addrText returns an address record's address in Erlang's canonical text
// (inet:ntoa), which netip.Addr.String matches for IPv4 and IPv6 alike.
func addrText(rr dns.RR) (string, bool) {
	var ip net.IP
	switch rr := rr.(type) {
	case *dns.A:
		ip = rr.A
	case *dns.AAAA:
		ip = rr.AAAA
	default:
		return "", false
	}

	a, ok := netip.AddrFromSlice(ip)
	if !ok {
		return "", false
	}
	if _, isA := rr.(*dns.A); isA {
		a = a.Unmap()
	}

	return a.String(), true
}
