package lab_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/lab"
)

// zoneOf returns a zone whose cluster name has n A records.
func zoneOf(n int) string {
	var b strings.Builder
	b.WriteString("$TTL 60\n@ SOA ns1 root 1 2 3 4 5\n@ NS ns1\nns1 A 127.0.0.1\n")
	for i := range n {
		fmt.Fprintf(&b, "cluster A 10.0.%d.%d\n", i/250, i%250+1)
	}

	return b.String()
}

// One A RRset of 100 nodes: its reply is over 512 octets, so discovery
// finds it through the TCP retry, and all 100 nodes form one cluster.
func TestHundredNodes(t *testing.T) {
	l := lab.StartT(t, lab.Config{ZoneFile: lab.ZoneFile(t, zoneOf(100)),
		Origin: "example.org", NoWatch: true, Seed: 3})

	nodes := l.Nodes()
	require.Len(t, nodes, 100)
	for _, n := range nodes {
		assert.Len(t, n.Status.Running, 100, n.Name)
		assert.Empty(t, n.Status.Stopped, n.Name)
	}
}

// BenchmarkLab boots labs of 10, 100 and 1000 nodes to a converged
// cluster and reports, beside the wall time, the heap the lab holds then.
func BenchmarkLab(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("nodes=%d", n), func(b *testing.B) {
			zone := lab.ZoneFile(b, zoneOf(n))
			var heap uint64
			for b.Loop() {
				l, err := lab.Start(lab.Config{ZoneFile: zone, Origin: "example.org",
					DNSAddr: "127.0.0.1:0", NoWatch: true, Seed: 1})
				require.NoError(b, err)
				ok, _ := l.WaitConverged(lab.SettleLimit)
				require.True(b, ok)

				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				heap = ms.HeapInuse
				l.Close()
			}
			b.ReportMetric(float64(heap)/(1<<20), "heap-MiB")
		})
	}
}
