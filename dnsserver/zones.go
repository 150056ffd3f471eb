package dnsserver

import (
	"errors"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strings"

	"github.com/miekg/dns"

	"dnslab/zone"
)

// zoneSet is the immutable set of zones a server answers from, keyed by
// lower-case origin, with the configuration it answers by. Reloads and
// Commit build a new set and swap the pointer, so that a query sees one
// configuration throughout.
type zoneSet struct {
	byOrigin map[string]*zone.Zone
	byWire   map[string]*zone.Zone // the same, keyed by the origin in wire form
	cfg      *Config               // what the zones were loaded for; not modified
	opts     zone.Options          // how answers are built, from cfg
}

// newZoneSet returns the set of the zones of byOrigin, which it keeps,
// answered by cfg.
func newZoneSet(cfg *Config, byOrigin map[string]*zone.Zone) *zoneSet {
	zs := &zoneSet{byOrigin: byOrigin, byWire: make(map[string]*zone.Zone, len(byOrigin)),
		cfg: cfg, opts: zone.Options{Minimal: cfg.Minimal}}
	for origin, z := range byOrigin {
		var buf [256]byte
		if n, err := dns.PackDomainName(origin, buf[:], 0, nil, false); err == nil {
			zs.byWire[string(buf[:n])] = z
		}
	}

	return zs
}

// findWire returns the zone that answers a query of type qtype for name,
// a lower-case wire name, or nil: the most specific zone that contains it,
// except that DS at the apex of a zone is the parent's to answer when the
// parent is served too (RFC 4035 §3.1.4.1).
func (zs *zoneSet) findWire(name []byte, qtype uint16) *zone.Zone {
	var child *zone.Zone
	for off := 0; off < len(name); off += 1 + int(name[off]) {
		z, ok := zs.byWire[string(name[off:])]
		switch {
		case !ok:
		case off == 0 && qtype == dns.TypeDS && len(name) > 1:
			child = z
		default:
			return z
		}
	}

	return child
}

// find is findWire for a name in presentation form.
func (zs *zoneSet) find(qname string, qtype uint16) *zone.Zone {
	var buf [256]byte
	n, err := dns.PackDomainName(dns.Fqdn(strings.ToLower(qname)), buf[:], 0, nil, false)
	if err != nil {
		return nil
	}

	return zs.findWire(buf[:n], qtype)
}

// Zone returns the zone served for origin, or nil.
func (s *Server) Zone(origin string) *zone.Zone {
	return s.zones.Load().byOrigin[dns.CanonicalName(origin)]
}

// ErrUnknownZone is returned by ReloadZone for a zone the server does not
// serve.
var ErrUnknownZone = errors.New("dnsserver: no such zone configured")

// Reload loads every zone file again and swaps in each zone that loads, as
// ReloadZone does. The errors of the zones kept as they were are joined.
func (s *Server) Reload() error {
	var errs []error
	for _, zc := range s.config().Zones {
		_, err := s.reload(zc)
		errs = append(errs, err)
	}

	return errors.Join(errs...)
}

// ReloadZone loads the file of the zone origin again and swaps the new zone
// in for that zone alone; the watcher reloads the same way. When the file
// fails to load, the last good zone keeps being served and the error, which
// names the file and line, is logged and returned.
func (s *Server) ReloadZone(origin string) error {
	key := dns.CanonicalName(origin)
	for _, zc := range s.config().Zones {
		if dns.CanonicalName(zc.Origin) == key {
			_, err := s.reload(zc)
			return err
		}
	}

	return fmt.Errorf("%w: %q", ErrUnknownZone, origin)
}

// reload loads zc's file beside the zone served, swaps the new zone in,
// logs and reports the outcome, and returns the zone served afterwards.
func (s *Server) reload(zc ZoneConfig) (*zone.Zone, error) {
	key := dns.CanonicalName(zc.Origin)

	s.reloadMu.Lock()
	set := s.zones.Load()
	if !slices.Contains(set.cfg.Zones, zc) { // reconfigured since zc was read
		s.reloadMu.Unlock()
		return nil, fmt.Errorf("%w: %q", ErrUnknownZone, zc.Origin)
	}
	old := set.byOrigin[key]
	z, err := s.load(zc)
	if err == nil {
		s.swap(key, z)
	}
	s.reloadMu.Unlock()

	if err != nil {
		s.log.Error("zone reload failed; serving the last good zone",
			"zone", key, "serial", old.Serial(), "err", err)
		z = old
	} else {
		s.checkSerial(old, z)
	}

	if onReload := set.cfg.OnReload; onReload != nil {
		onReload(key, z.Serial(), err)
	}

	return z, err
}

// swap publishes a new zone set in which key maps to z, sharing the other
// zones; s.reloadMu must be held.
func (s *Server) swap(key string, z *zone.Zone) {
	old := s.zones.Load()
	byOrigin := maps.Clone(old.byOrigin)
	byOrigin[key] = z
	s.zones.Store(newZoneSet(old.cfg, byOrigin))
}

// checkSerial warns when a reload changed the records of a zone without
// increasing its serial: secondaries would keep the old zone.
func (s *Server) checkSerial(old, z *zone.Zone) {
	if serialGreater(z.Serial(), old.Serial()) || sameRecords(old, z) {
		return
	}

	s.log.Warn("zone changed but its serial did not increase; "+
		"secondaries will not see the change",
		"zone", z.Origin(), "old_serial", old.Serial(), "serial", z.Serial())
}

// serialGreater reports whether serial a is greater than b in the serial
// number arithmetic of RFC 1982 §3.2, with SERIAL_BITS 32. Two serials
// 2^31 apart are not comparable; a is then not greater.
func serialGreater(a, b uint32) bool {
	d := a - b
	return d != 0 && d < 1<<31
}

// sameRecords reports whether a and b hold the same records in the order
// their Records methods yield them.
func sameRecords(a, b *zone.Zone) bool {
	if a.Len() != b.Len() {
		return false
	}

	next, stop := iter.Pull(b.Records)
	defer stop()
	for ra := range a.Records {
		rb, ok := next()
		if !ok || ra.String() != rb.String() {
			return false
		}
	}
	_, more := next()

	return !more
}

// loadAll loads every zone of cfg; any failure fails them all.
func (s *Server) loadAll(cfg *Config) (*zoneSet, error) {
	byOrigin := make(map[string]*zone.Zone, len(cfg.Zones))

	var errs []error
	for _, zc := range cfg.Zones {
		z, err := s.load(zc)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		byOrigin[z.Origin()] = z
	}

	return newZoneSet(cfg, byOrigin), errors.Join(errs...)
}

// load reads one zone file and logs the outcome.
func (s *Server) load(zc ZoneConfig) (*zone.Zone, error) {
	z, err := zone.Load(zc.File, zc.Origin)
	if err != nil {
		return nil, err
	}

	for _, w := range z.Warnings() {
		s.log.Warn("zone file problem", "zone", z.Origin(), "problem", w.Error())
	}
	s.log.Info("zone loaded", "zone", z.Origin(), "serial", z.Serial(),
		"records", z.Len(), "file", zc.File, "took", z.LoadTime())

	return z, nil
}
