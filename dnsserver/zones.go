package dnsserver

import (
	"errors"
	"strings"

	"github.com/miekg/dns"

	"dnslab/zone"
)

// zoneSet is the immutable set of zones a server answers from, keyed by
// lower-case origin. Reloads build a new set and swap the pointer.
type zoneSet struct {
	byOrigin map[string]*zone.Zone
}

// find returns the most specific zone that contains qname, or nil.
func (zs *zoneSet) find(qname string) *zone.Zone {
	name := strings.ToLower(qname)
	for off, end := 0, false; !end; off, end = dns.NextLabel(name, off) {
		if z, ok := zs.byOrigin[name[off:]]; ok {
			return z
		}
	}

	return zs.byOrigin["."]
}

// Zone returns the zone served for origin, or nil.
func (s *Server) Zone(origin string) *zone.Zone {
	return s.zones.Load().byOrigin[dns.CanonicalName(origin)]
}

// Reload loads every zone file again and swaps in the new zones. A zone
// whose file fails to load keeps being served as it was; the errors are
// logged and returned.
func (s *Server) Reload() error {
	old := s.zones.Load()
	next := &zoneSet{byOrigin: make(map[string]*zone.Zone, len(old.byOrigin))}

	var errs []error
	for _, zc := range s.cfg.Zones {
		key := dns.CanonicalName(zc.Origin)
		z, err := s.load(zc)
		if err != nil {
			s.log.Error("zone reload failed; serving the last good zone",
				"zone", key, "err", err)
			z, errs = old.byOrigin[key], append(errs, err)
		}
		next.byOrigin[key] = z
	}
	s.zones.Store(next)

	return errors.Join(errs...)
}

// loadAll loads every configured zone; any failure fails them all.
func (s *Server) loadAll() (*zoneSet, error) {
	set := &zoneSet{byOrigin: make(map[string]*zone.Zone, len(s.cfg.Zones))}

	var errs []error
	for _, zc := range s.cfg.Zones {
		z, err := s.load(zc)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		set.byOrigin[z.Origin()] = z
	}

	return set, errors.Join(errs...)
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
