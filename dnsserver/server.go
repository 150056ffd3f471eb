package dnsserver

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/miekg/dns"
)

// DefaultAddr is where a server listens when its Config names no address.
const DefaultAddr = "127.0.0.1:1053"

// DefaultTCPIdleTimeout is how long an idle TCP connection is kept unless
// Config.TCPIdleTimeout says otherwise.
const DefaultTCPIdleTimeout = 10 * time.Second

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

	// ReloadInterval is how often a started server polls its zone files
	// for changes (size and modification time, and content while that
	// time is too recent to trust), the fallback for file-system events,
	// which report an edit within about 100 ms. Zero means
	// DefaultReloadInterval (1 s); a negative value turns the watcher off,
	// so zones change only through Reload and ReloadZone.
	ReloadInterval time.Duration

	// OnReload, if not nil, is called after every attempt to reload a
	// zone, by the watcher, Reload or ReloadZone, but not for the loads of
	// New. It gets the zone's origin, the serial served from then on (the
	// old one when err is not nil) and the error of the load. It may be
	// called from the watcher's goroutine, concurrently with calls from
	// Reload, and holds the watcher up while it runs; it is not called by
	// the watcher once Shutdown has returned.
	OnReload func(origin string, serial uint32, err error)

	// Minimal leaves the NS RRset and its addresses out of positive
	// answers, like BIND's minimal-responses yes; referrals keep their
	// glue, negative answers their SOA. Default false: answers as in
	// EMQX's guide, with authority and additional data.
	Minimal bool

	// Chaos, when not empty, is the version answered to CHAOS-class TXT
	// queries for version.bind and version.server; id.server and
	// hostname.bind get the host name. Empty: such queries are REFUSED.
	Chaos string

	// LogQueries logs one line per query: client, transport, question,
	// rcode, reply size and time taken.
	LogQueries bool

	// LogErrors logs the errors met while answering a query (a reply that
	// cannot be sent or packed). Panics are logged either way.
	LogErrors bool

	// Faults, if not nil, are applied to queries before they are answered:
	// a lab sets and clears them while the server runs.
	Faults *Faults

	// TCPIdleTimeout is how long a TCP connection may wait for its next
	// query before the server closes it (RFC 7766 §6.2.3). Zero means
	// DefaultTCPIdleTimeout, 10 s.
	TCPIdleTimeout time.Duration
}

// ZoneConfig names one zone and the master file it is loaded from.
type ZoneConfig struct {
	Origin string // the zone's name, e.g. "emqx-cluster.org."
	File   string // path of its master file
}

// Server is an authoritative DNS server. Its methods are safe for
// concurrent use.
type Server struct {
	log   *slog.Logger
	zones atomic.Pointer[zoneSet] // with the Config answered by

	confMu   sync.Mutex // serializes Start and Commit
	reloadMu sync.Mutex // serializes reloads: load, compare and swap
	pollOnly bool       // the watcher ignores file events; set by tests

	mu       sync.Mutex           // guards the fields below
	loadedAt time.Time            // when the zones served started loading
	prints   map[string]filePrint // the zone files as that load found them
	udp      *udpServer
	tcp      *dns.Server
	watch    *watcher // nil unless started with ReloadInterval > 0
	addr     string
	stopped  bool
}

// New loads the configured zones and returns a server ready to Start.
func New(cfg Config) (*Server, error) {
	if len(cfg.Zones) == 0 {
		return nil, ErrNoZones
	}
	cfg = cfg.withDefaults()

	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &Server{log: log.With("component", "dnsserver"), loadedAt: time.Now()}
	if cfg.ReloadInterval > 0 {
		s.prints = printZoneFiles(cfg.Zones, s.loadedAt)
	}

	set, err := s.loadAll(&cfg)
	if err != nil {
		return nil, err
	}
	s.zones.Store(set)

	return s, nil
}

// Start binds the UDP and TCP sockets and serves in the background. It
// returns once both are accepting queries, with the zone files watched
// unless Config.ReloadInterval is negative.
func (s *Server) Start() error {
	s.confMu.Lock()
	defer s.confMu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()

	if s.udp != nil || s.stopped {
		return errors.New("dnsserver: already started")
	}

	pc, ln, err := listen(s.config().Addr)
	if err != nil {
		return err
	}

	s.addr = pc.LocalAddr().String()
	idle := cmp.Or(s.config().TCPIdleTimeout, DefaultTCPIdleTimeout)
	s.tcp = &dns.Server{Listener: ln, Handler: s, MsgAcceptFunc: acceptQueries,
		IdleTimeout: func() time.Duration { return idle }}
	if err := serve(s.tcp); err != nil {
		pc.Close()
		return err
	}
	s.udp = s.serveUDP(pc)
	s.log.Info("listening", "addr", s.addr, "net", "udp+tcp")

	if s.config().ReloadInterval > 0 {
		s.watch = s.startWatcher()
	}

	return nil
}

// config returns the configuration the server answers by.
func (s *Server) config() *Config {
	return s.zones.Load().cfg
}

// withDefaults returns cfg with the defaults its zero values stand for.
func (cfg Config) withDefaults() Config {
	if cfg.Addr == "" {
		cfg.Addr = DefaultAddr
	}
	if cfg.ReloadInterval == 0 {
		cfg.ReloadInterval = DefaultReloadInterval
	}

	return cfg
}

// Addr returns the address the server listens on, once started.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()

	return s.addr
}

// Shutdown stops watching the zone files and serving, and waits for the
// watcher and for queries in flight until ctx ends. Calling it again does
// nothing.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	w := s.watch
	s.watch = nil
	err := s.stopServing(ctx)
	s.mu.Unlock()

	// NB: the watcher is waited for without s.mu held, as an OnReload
	// callback may call Addr.
	return errors.Join(err, w.stop(ctx))
}

// stopServing closes the sockets and waits for queries in flight; s.mu
// must be held.
func (s *Server) stopServing(ctx context.Context) error {
	if s.stopped || s.udp == nil {
		s.stopped = true
		return nil
	}
	s.stopped = true

	errU := s.udp.stop()
	errT := s.tcp.ShutdownContext(ctx)

	return errors.Join(errU, errT)
}

// listen binds UDP and TCP on the same address. With port 0 the UDP port
// is picked first and TCP takes the same number, retrying if it is taken.
func listen(addr string) (*net.UDPConn, net.Listener, error) {
	var lastErr error
	for range 10 {
		pc, err := listenUDP(addr)
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

// acceptQueries lets every message but a response through to ServeDNS,
// which answers it with the right rcode: miekg/dns's default would answer
// some itself, without the question or OPT record.
func acceptQueries(h dns.Header) dns.MsgAcceptAction {
	if h.Bits&(1<<15) != 0 {
		return dns.MsgIgnore
	}

	return dns.MsgAccept
}

// listenUDP binds a UDP socket on addr.
func listenUDP(addr string) (*net.UDPConn, error) {
	ua, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return nil, err
	}

	return net.ListenUDP("udp", ua)
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
