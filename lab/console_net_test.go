package lab_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"dnslab/lab"
	"dnslab/node"
)

// Faults on the lab's server: the nodes' discovery finds nothing while they
// last; dig shows them.
func TestConsoleDNSFaults(t *testing.T) {
	l := startLab(t, lab.Config{NoWatch: true})

	tests := []struct {
		name  string
		lines []string
		want  []string
	}{
		{name: "servfail for the cluster name",
			lines: []string{"dns fail servfail cluster.emqx-cluster.org",
				"dig cluster.emqx-cluster.org", "dig ns1.emqx-cluster.org"},
			want: []string{"status: SERVFAIL", "status: NOERROR"}},
		{name: "refused for every name", lines: []string{"dns fail refused", "dig ns1.emqx-cluster.org"},
			want: []string{"status: REFUSED"}},
		{name: "ok clears", lines: []string{"dns ok", "dig cluster.emqx-cluster.org +tcp"},
			want: []string{"status: NOERROR", "ANSWER: 2"}},
		{name: "nxdomain for a while", lines: []string{"dns fail nxdomain for 10s",
			"dig cluster.emqx-cluster.org", "sleep 11s", "dig cluster.emqx-cluster.org"},
			want: []string{"status: NXDOMAIN", "status: NOERROR"}},
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := exec(t, l.Lab, tc.lines...)
			last := 0
			for _, w := range tc.want {
				i := strings.Index(got[last:], w)
				if assert.GreaterOrEqual(t, i, 0, "%q in\n%s", w, got) {
					last += i + len(w)
				}
			}
		})
	}
}

// A node that boots while DNS fails finds nobody; once DNS answers again
// its loop finds the cluster (3.x retries until clustered).
func TestConsoleDiscoveryThroughFaults(t *testing.T) {
	l := startLab(t, lab.Config{NoWatch: true})

	runSteps(t, l.Lab, []consoleStep{
		{"fail", "dns fail servfail", ""},
		{"start", "start emqx@192.168.1.170", ""},
		{"alone", "on emqx@192.168.1.170 cluster status",
			"Cluster status: [{running_nodes,['emqx@192.168.1.170']}]\n"},
		{"ok", "dns ok", ""},
		{"wait", "wait converged", "converged after 6.406s\n"},
		{"joined", "on emqx@192.168.1.170 cluster status", three},
	})
	assert.Contains(t, l.logs.String(), "discovery did not succeed; retrying in 5000 ms")
}

// With the cache on, a record added to the zone reaches the nodes only
// once the cached answer expires: a 60 s TTL here.
func TestConsoleCache(t *testing.T) {
	zone := lab.ZoneFile(t, "$TTL 60\n@ SOA ns1 root 1 2 3 4 5\n@ NS ns1\nns1 A 127.0.0.1\n"+
		"cluster A 10.0.0.1\n")
	l := startLab(t, lab.Config{ZoneFile: zone, Origin: "example.org", NoWatch: true,
		Profile: node.EMQX4}) // a lone 4.x node loops, so it asks again every round

	runSteps(t, l.Lab, []consoleStep{
		{"cache on", "dns cache on", ""},
		{"loop once", "sleep 10s", ""},
		{"add", "zone add cluster A 10.0.0.2", "zone example.org. reloaded: serial 2, 5 records\n"},
		{"start the new node", "start emqx@10.0.0.2", ""},
		{"the new node sees the cached answer", "on emqx@10.0.0.2 cluster status",
			"Cluster status: #{running_nodes => ['emqx@10.0.0.1','emqx@10.0.0.2'],\n" +
				"                  stopped_nodes => []}\n"},
	})
	assert.Contains(t, l.logs.String(), `node=emqx@10.0.0.1 name=cluster.example.org. type=a `+
		`nodes=[emqx@10.0.0.1]`)
}

// Partitions show split views; after heal, autoheal restarts the minority.
func TestConsoleNet(t *testing.T) {
	l := startLab(t, lab.Config{NoWatch: true})
	runSteps(t, l.Lab, []consoleStep{
		{"start a third", "start emqx@192.168.1.170", ""},
		{"partition", "net partition emqx@192.168.1.162 emqx@192.168.1.165 / emqx@192.168.1.170",
			""},
		{"majority view", "on emqx@192.168.1.162 cluster status",
			"Cluster status: [{running_nodes,['emqx@192.168.1.162','emqx@192.168.1.165']},\n" +
				"                 {stopped_nodes,['emqx@192.168.1.170']}]\n"},
		{"minority view", "on emqx@192.168.1.170 cluster status",
			"Cluster status: [{running_nodes,['emqx@192.168.1.170']},\n" +
				"                 {stopped_nodes,['emqx@192.168.1.162','emqx@192.168.1.165']}]\n"},
		{"heal", "net heal", ""},
		{"still split", "on emqx@192.168.1.170 cluster status",
			"Cluster status: [{running_nodes,['emqx@192.168.1.170']},\n" +
				"                 {stopped_nodes,['emqx@192.168.1.162','emqx@192.168.1.165']}]\n"},
		{"autoheal", "wait converged", "converged after 18s\n"},
		{"healed", "on emqx@192.168.1.170 cluster status", three},
		{"block", "net block emqx@192.168.1.165", ""},
		{"blocked looks stopped", "on emqx@192.168.1.162 cluster status",
			"Cluster status: [{running_nodes,['emqx@192.168.1.162','emqx@192.168.1.170']},\n" +
				"                 {stopped_nodes,['emqx@192.168.1.165']}]\n"},
		{"unblock", "net unblock emqx@192.168.1.165", ""},
		{"heal again", "wait converged", "converged after 18s\n"},
		{"bad partition", "net partition emqx@192.168.1.162", "error: usage: net " +
			"partition|heal|block|unblock … (partition NODES / NODES; heal; block NODE; " +
			"unblock NODE)\n"},
	})
}

// profile and seed apply to nodes started afterwards; log off silences the
// lab's log.
func TestConsoleProfileSeedLog(t *testing.T) {
	l := startLab(t, lab.Config{NoWatch: true})
	runSteps(t, l.Lab, []consoleStep{
		{"profile", "profile emqx5", ""},
		{"seed", "seed 7", ""},
		{"log off", "log off", ""},
		{"start a 5.x node", "start emqx@192.168.1.170", ""},
		{"json on the 5.x node", "on emqx@192.168.1.170 cluster status --json",
			"{\n  \"stopped_nodes\" : [\n    \n  ],\n  \"running_nodes\" : [\n" +
				"    \"emqx@192.168.1.162\",\n    \"emqx@192.168.1.165\",\n" +
				"    \"emqx@192.168.1.170\"\n  ]\n}\n"},
		{"map form on the 5.x node", "on emqx@192.168.1.170 cluster status",
			"Cluster status: #{running_nodes =>\n" +
				"                      ['emqx@192.168.1.162','emqx@192.168.1.165',\n" +
				"                       'emqx@192.168.1.170'],\n" +
				"                  stopped_nodes => []}\n"},
		{"log on", "log on", ""},
	})
	assert.NotContains(t, l.logs.String(), "node=emqx@192.168.1.170")
}

// cluster status --json runs on the first running node; 5.x prints JSON.
func TestConsoleClusterStatusJSON(t *testing.T) {
	l := startLab(t, lab.Config{NoWatch: true, Profile: node.EMQX5})

	assert.Equal(t, "{\n  \"stopped_nodes\" : [\n    \n  ],\n  \"running_nodes\" : [\n"+
		"    \"emqx@192.168.1.162\",\n    \"emqx@192.168.1.165\"\n  ]\n}\n",
		exec(t, l.Lab, "cluster status --json"))
}
