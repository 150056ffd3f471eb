package dnsserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"

	"github.com/miekg/dns"
)

// DefaultAddr is where a server listens when its Config names no address.
const DefaultAddr = "127.0.0.1:1053"

// ErrNoZones is returned by New for a Config without zones.
var ErrNoZones = errors.New("dnsserver: no zones configured")

// Config describes one server.
type Config struct {
	// Addr is the host:port the server listens on, over both UDP and TCP.
	// Empty means DefaultAddr; port 0 picks a free port, which Addr reports.
	Addr string

	// Zones are the zones served, each loaded from its file.
	Zones []ZoneConfig

	// Logger receives zone loads and swallowed errors; nil discards them.
	Logger *slog.Logger
}

// ZoneConfig names one zone and the master file it is loaded from.
type ZoneConfig struct {
	Origin string // the zone's name, e.g. "emqx-cluster.org."
	File   string // path of its master file
}

// Server is an authoritative DNS server. Its methods are safe for
// concurrent use.
type Server struct {
	cfg   Config
	log   *slog.Logger
	zones atomic.Pointer[zoneSet]

	mu       sync.Mutex // guards the fields below
	udp, tcp *dns.Server
	addr     string
	stopped  bool
}

// New loads the configured zones and returns a server ready to Start.
func New(cfg Config) (*Server, error) {
	if len(cfg.Zones) == 0 {
		return nil, ErrNoZones
	}
	if cfg.Addr == "" {
		cfg.Addr = DefaultAddr
	}

	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &Server{cfg: cfg, log: log.With("component", "dnsserver")}

	set, err := s.loadAll()
	if err != nil {
		return nil, err
	}
	s.zones.Store(set)

	return s, nil
}

// Start binds the UDP and TCP sockets and serves in the background. It
// returns once both are accepting queries.
func (s *Server) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()

	if s.udp != nil || s.stopped {
		return errors.New("dnsserver: already started")
	}

	pc, ln, err := listen(s.cfg.Addr)
	if err != nil {
		return err
	}

	s.addr = pc.LocalAddr().String()
	s.udp = &dns.Server{PacketConn: pc, Handler: s}
	s.tcp = &dns.Server{Listener: ln, Handler: s}
	if err := serve(s.udp, s.tcp); err != nil {
		return err
	}
	s.log.Info("listening", "addr", s.addr, "net", "udp+tcp")

	return nil
}

// Addr returns the address the server listens on, once started.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()

	return s.addr
}

// Shutdown stops serving and waits for queries in flight until ctx ends.
// Calling it again does nothing.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()

	if s.stopped || s.udp == nil {
		s.stopped = true
		return nil
	}
	s.stopped = true

	errU := s.udp.ShutdownContext(ctx)
	errT := s.tcp.ShutdownContext(ctx)

	return errors.Join(errU, errT)
}

// listen binds UDP and TCP on the same address. With port 0 the UDP port
// is picked first and TCP takes the same number, retrying if it is taken.
func listen(addr string) (net.PacketConn, net.Listener, error) {
	var lastErr error
	for range 10 {
		pc, err := net.ListenPacket("udp", addr)
		if err != nil {
			return nil, nil, fmt.Errorf("dnsserver: %w", err)
		}

		ln, err := net.Listen("tcp", pc.LocalAddr().String())
		if err == nil {
			return pc, ln, nil
		}
		pc.Close()
		lastErr = err
	}

	return nil, nil, fmt.Errorf("dnsserver: %w", lastErr)
}

// serve runs both servers in the background and waits until they are up.
func serve(servers ...*dns.Server) error {
	errc := make(chan error, len(servers))
	for _, srv := range servers {
		started := make(chan struct{})
		srv.NotifyStartedFunc = func() { close(started) }

		go func() { errc <- srv.ActivateAndServe() }()

		select {
		case <-started:
		case err := <-errc:
			return fmt.Errorf("dnsserver: %w", err)
		}
	}

	return nil
}
