package dnsserver

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrAddrChanged is returned by Stage and Reconfigure for a Config that
// names another address than the server's: a server keeps its sockets.
var ErrAddrChanged = errors.New("dnsserver: a server cannot change its address")

// Staged is a configuration loaded beside the one a server answers by,
// ready to replace it. Stage returns one.
type Staged struct {
	s        *Server
	set      *zoneSet
	loadedAt time.Time
	prints   map[string]filePrint
}

// Stage loads the zones of cfg beside those s serves, for Commit to switch
// s to them, while s goes on answering as before. cfg.Addr must be the
// address s was configured with or listens on (empty meaning DefaultAddr,
// as for New); cfg.Logger is ignored, as s keeps the logger of New. An
// error, such as a zone that does not load, leaves s as it was.
func (s *Server) Stage(cfg Config) (*Staged, error) {
	cfg, err := s.stageConfig(cfg)
	if err != nil {
		return nil, err
	}

	st := &Staged{s: s, loadedAt: time.Now()}
	if cfg.ReloadInterval > 0 {
		st.prints = printZoneFiles(cfg.Zones, st.loadedAt)
	}

	if st.set, err = s.loadAll(&cfg); err != nil {
		return nil, err
	}

	return st, nil
}

// stageConfig returns cfg with its defaults, and with the address s was
// configured with, which cfg must name, or the address s listens on.
func (s *Server) stageConfig(cfg Config) (Config, error) {
	if len(cfg.Zones) == 0 {
		return cfg, ErrNoZones
	}

	cfg, configured := cfg.withDefaults(), s.config().Addr
	if cfg.Addr != configured && cfg.Addr != s.Addr() {
		return cfg, fmt.Errorf("%w: from %s to %s", ErrAddrChanged, configured, cfg.Addr)
	}
	cfg.Addr = configured

	return cfg, nil
}

// Commit switches the server to the staged configuration in one step:
// each query is answered by the old configuration or by the new one, with
// the sockets kept open throughout. The zone files are then watched as the
// new configuration says. Of several Commits, the last one wins.
//
// NB: Commit waits for the old watcher to finish a reload in progress; a
// Shutdown meanwhile may return before that wait ends.
func (st *Staged) Commit() {
	s := st.s
	s.confMu.Lock()
	defer s.confMu.Unlock()

	s.stopWatcher()
	s.reloadMu.Lock()
	s.zones.Store(st.set)
	s.reloadMu.Unlock()
	s.watchStaged(st)

	s.logCommit(st.set.cfg)
}

// stopWatcher stops the watcher, if there is one, and waits for it.
func (s *Server) stopWatcher() {
	s.mu.Lock()
	w := s.watch
	s.watch = nil
	s.mu.Unlock()

	// As in Shutdown, the watcher is waited for without s.mu held.
	_ = w.stop(context.Background()) // fails only when its context ends
}

// watchStaged watches the zone files of st, committed, from how Stage
// found them, if s serves and st's configuration asks for it.
func (s *Server) watchStaged(st *Staged) {
	s.mu.Lock()
	defer s.mu.Unlock()

	s.loadedAt, s.prints = st.loadedAt, st.prints
	if s.udp != nil && !s.stopped && st.set.cfg.ReloadInterval > 0 {
		s.watch = s.startWatcher()
	}
}

// logCommit logs the configuration switched to.
func (s *Server) logCommit(cfg *Config) {
	origins := make([]string, 0, len(cfg.Zones))
	for _, zc := range cfg.Zones {
		origins = append(origins, zc.Origin)
	}

	s.log.Info("configuration switched", "addr", cfg.Addr, "zones", origins,
		"minimal", cfg.Minimal, "chaos", cfg.Chaos, "log", cfg.LogQueries,
		"errors", cfg.LogErrors, "reload", cfg.ReloadInterval)
}

// Reconfigure switches s to cfg without closing its sockets: it loads the
// zones of cfg with Stage, then switches with Commit. On an error, which
// names the zone file and line at fault, s keeps its configuration.
func (s *Server) Reconfigure(cfg Config) error {
	st, err := s.Stage(cfg)
	if err != nil {
		return err
	}
	st.Commit()

	return nil
}
