package dnstest

import (
	"path/filepath"
	"runtime"
)

// SeedOrigin is the origin of the seed zone.
const SeedOrigin = "emqx-cluster.org."

// Records of the seed zone as answers carry them.
const (
	SeedSOA = "emqx-cluster.org. 604800 IN SOA ns1.emqx-cluster.org. " +
		"root.emqx-cluster.org. 2018042201 3600 1800 604800 86400"
	SeedNS       = "emqx-cluster.org. 604800 IN NS ns1.emqx-cluster.org."
	SeedNS1A     = "ns1.emqx-cluster.org. 604800 IN A 192.168.1.162"
	SeedCluster1 = "cluster.emqx-cluster.org. 604800 IN A 192.168.1.162"
	SeedCluster2 = "cluster.emqx-cluster.org. 604800 IN A 192.168.1.165"

	// SeedNegSOA is the SOA of negative answers, its TTL the smaller of the
	// SOA's TTL and MINIMUM (RFC 2308 §3).
	SeedNegSOA = "emqx-cluster.org. 86400 IN SOA ns1.emqx-cluster.org. " +
		"root.emqx-cluster.org. 2018042201 3600 1800 604800 86400"
)

// SeedRecords is every record of the seed zone.
var SeedRecords = []string{SeedSOA, SeedNS, SeedNS1A, SeedCluster1, SeedCluster2}

// SeedFile returns the path of the seed zone, testdata/db.emqx-cluster.org
// at the root of the module, from any package's tests.
func SeedFile() string { return Testdata("db.emqx-cluster.org") }

// Testdata returns the path of a file in testdata/ at the root of the
// module, from any package's tests.
func Testdata(name string) string {
	_, here, _, _ := runtime.Caller(0)

	return filepath.Join(filepath.Dir(here), "..", "..", "testdata", name)
}
