package lab_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/lab"
	"dnslab/node"
)

// The seed document's walk-through, as `make lab` runs it.
func TestSeedWalkThrough(t *testing.T) {
	l := startLab(t, lab.Config{})

	got := exec(t, l.Lab, "cluster status", "stop emqx@192.168.1.162", "cluster status")
	want := "Cluster status: [{running_nodes,['emqx@192.168.1.162','emqx@192.168.1.165']}]\n" +
		"Cluster status: [{running_nodes,['emqx@192.168.1.165']},\n" +
		"                 {stopped_nodes,['emqx@192.168.1.162']}]\n"
	assert.Equal(t, want, got)

	for _, line := range []string{
		`msg="zone loaded" component=dnsserver zone=emqx-cluster.org. serial=2018042201 records=5`,
		`msg="discovered nodes" component=node node=emqx@192.168.1.165 ` +
			`name=cluster.emqx-cluster.org. type=a nodes="[emqx@192.168.1.162 emqx@192.168.1.165]"`,
		`msg="joined the cluster" component=node node=emqx@192.168.1.165 ` +
			`target=emqx@192.168.1.162`,
		`msg="node stopped" component=node node=emqx@192.168.1.162`,
	} {
		assert.Contains(t, l.logs.String(), line)
	}
}

// A zone without the cluster name starts a lab with no nodes; nodes can
// still be started by hand.
func TestZoneWithoutClusterName(t *testing.T) {
	zone := lab.ZoneFile(t, "$TTL 60\n@ SOA ns1 root 1 2 3 4 5\n@ NS ns1\nns1 A 127.0.0.1\n")
	l := startLab(t, lab.Config{ZoneFile: zone, Origin: "example.org"})

	assert.Contains(t, l.logs.String(), `msg="the cluster name has no A records: no node `+
		`booted" component=lab name=cluster.example.org. err="node: DNS answered NXDOMAIN"`)
	assert.Equal(t, "error: no node is running\n", exec(t, l.Lab, "cluster status"))
	assert.Equal(t, "Cluster status: [{running_nodes,['emqx@10.0.0.1']}]\n",
		exec(t, l.Lab, "start emqx@10.0.0.1", "cluster status"))
}

func TestDNSAddrMustBeLoopback(t *testing.T) {
	for _, addr := range []string{":1053", "0.0.0.0:1053", "192.168.1.162:53", "localhost:53"} {
		t.Run(addr, func(t *testing.T) {
			_, err := lab.Start(lab.Config{ZoneFile: "../testdata/db.emqx-cluster.org",
				DNSAddr: addr})
			require.ErrorContains(t, err, "is not a loopback IP address")
		})
	}
}

// The Go API as the package documentation shows it: in 5.x a stopped node
// is autocleaned 24 hours later, which takes the lab milliseconds.
func TestAPIAutoclean5x(t *testing.T) {
	zone := lab.ZoneFile(t, "$TTL 60\n@ SOA ns1 root 1 2 3 4 5\n@ NS ns1\nns1 A 127.0.0.1\n"+
		"cluster A 10.0.0.1\ncluster A 10.0.0.2\n")
	l := lab.StartT(t, lab.Config{ZoneFile: zone, Origin: "example.org", Profile: node.EMQX5})

	require.NoError(t, l.StopNode("emqx@10.0.0.2"))
	l.Sleep(23 * time.Hour)
	s, err := l.Status("emqx@10.0.0.1")
	require.NoError(t, err)
	assert.Equal(t, []string{"emqx@10.0.0.2"}, s.Stopped)

	l.Sleep(2 * time.Hour)
	s, err = l.Status("emqx@10.0.0.1")
	require.NoError(t, err)
	assert.Equal(t, []string{"emqx@10.0.0.1"}, s.Running)
	assert.Empty(t, s.Stopped)
}
