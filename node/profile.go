package node

import (
	"fmt"
	"time"
)

// Profile is the EMQX release whose clustering a node reproduces. The
// releases differ in their configuration keys, the record types discovery
// may ask for, when the autocluster loop stops, what `cluster leave` does
// and how `cluster status` prints.
type Profile uint8

// The profiles.
const (
	// EMQX3 is EMQX 3.x (ekka ≤0.5), the release of EMQX's "Auto-cluster
	// by DNS" guide: A records only, a loop that stops once the node is in
	// a cluster, status as a property list.
	EMQX3 Profile = iota
	// EMQX4 is EMQX 4.4.19 open source (ekka 0.8.1.11): A or SRV records, a
	// loop that also goes on while a discovered node does not answer,
	// status as a map.
	EMQX4
	// EMQX5 is EMQX 5.8 (ekka 0.23, mria): A, AAAA or SRV records, a loop
	// that stops once the node finds itself in DNS, `cluster leave` that
	// turns discovery off, status as a map or JSON.
	EMQX5
)

var profileNames = [...]string{EMQX3: "emqx3", EMQX4: "emqx4", EMQX5: "emqx5"}

// String returns the profile's name: emqx3, emqx4 or emqx5.
func (p Profile) String() string {
	if int(p) < len(profileNames) {
		return profileNames[p]
	}

	return fmt.Sprintf("Profile(%d)", p)
}

// ParseProfile returns the profile called name.
func ParseProfile(name string) (Profile, error) {
	for p, n := range profileNames {
		if n == name {
			return Profile(p), nil
		}
	}

	return 0, fmt.Errorf("%w: unknown profile %q (emqx3, emqx4 or emqx5)", ErrConfig, name)
}

// recordTypes returns the values cluster.dns.type (4.x) or
// cluster.dns.record_type (5.x) may take.
func (p Profile) recordTypes() []string {
	switch p {
	case EMQX3:
		return []string{RecordA}
	case EMQX4:
		return []string{RecordA, RecordSRV}
	}

	return []string{RecordA, RecordSRV, RecordAAAA}
}

// defaultAutoclean is cluster.autoclean as EMQX ships it: 5m in the 3.x
// and 4.x emqx.conf, 24h in 5.x.
func (p Profile) defaultAutoclean() time.Duration {
	if p == EMQX5 {
		return 24 * time.Hour
	}

	return 5 * time.Minute
}

// mapStatus reports whether `cluster status` prints a map (4.x, 5.x)
// rather than a property list (3.x).
func (p Profile) mapStatus() bool { return p != EMQX3 }
