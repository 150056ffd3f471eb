package lab_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Each console command, its output and its errors.
func TestConsoleCommands(t *testing.T) {
	l, _ := startLab(t)

	tests := []struct {
		name  string
		lines []string
		want  string
	}{
		{
			name:  "on node",
			lines: []string{"on emqx@192.168.1.165 cluster status"},
			want:  "Cluster status: [{running_nodes,['emqx@192.168.1.162','emqx@192.168.1.165']}]\n",
		},
		{
			name:  "nodes",
			lines: []string{"nodes"},
			want: "NODE                STATE    RUNNING                                " +
				"STOPPED  DISCOVERY\n" +
				"emqx@192.168.1.162  running  emqx@192.168.1.162,emqx@192.168.1.165  -        done\n" +
				"emqx@192.168.1.165  running  emqx@192.168.1.162,emqx@192.168.1.165  -        done\n",
		},
		{
			name: "start a node DNS does not list",
			lines: []string{"start emqx@192.168.1.170",
				"on emqx@192.168.1.170 cluster status"},
			want: "Cluster status: [{running_nodes,['emqx@192.168.1.162','emqx@192.168.1.165',\n" +
				"                                 'emqx@192.168.1.170']}]\n",
		},
		{
			name:  "stop then status on the stopped node",
			lines: []string{"stop emqx@192.168.1.170", "on emqx@192.168.1.170 cluster status"},
			want:  "Node 'emqx@192.168.1.170' not responding to pings.\n",
		},
		{
			name:  "stop twice",
			lines: []string{"stop emqx@192.168.1.170"},
			want:  "error: node: not running\n",
		},
		{
			name:  "restart",
			lines: []string{"start emqx@192.168.1.170", "cluster status"},
			want: "Cluster status: [{running_nodes,['emqx@192.168.1.162','emqx@192.168.1.165',\n" +
				"                                 'emqx@192.168.1.170']}]\n",
		},
		{
			name:  "unknown command",
			lines: []string{"frobnicate", "cluster status"},
			want: "error: unknown command \"frobnicate\" (try help)\n" +
				"Cluster status: [{running_nodes,['emqx@192.168.1.162','emqx@192.168.1.165',\n" +
				"                                 'emqx@192.168.1.170']}]\n",
		},
		{
			name:  "bad arguments",
			lines: []string{"stop", "start a b", "cluster", "dig", "nodes x", "on x"},
			want: "error: usage: stop NODE\nerror: usage: start NODE\n" +
				"error: usage: cluster status\nerror: usage: dig NAME [TYPE]\n" +
				"error: usage: nodes\nerror: usage: on NODE cluster status|join NODE\n",
		},
		{
			name:  "unknown node",
			lines: []string{"stop emqx@10.1.1.1", "on emqx@10.1.1.1 cluster status"},
			want: "error: lab: no such node: emqx@10.1.1.1\n" +
				"error: lab: no such node: emqx@10.1.1.1\n",
		},
		{
			name:  "bad node name",
			lines: []string{"start nobody"},
			want:  "error: node: bad configuration: node.name \"nobody\" is not <name>@<host>\n",
		},
		{
			name:  "dig bad type",
			lines: []string{"dig cluster.emqx-cluster.org BOGUS"},
			want:  "error: unknown record type \"BOGUS\"\n",
		},
		{
			name:  "dig bad name",
			lines: []string{"dig " + strings.Repeat("a", 64) + ".org"},
			want:  "error: bad domain name \"" + strings.Repeat("a", 40) + "...\"\n",
		},
		{
			name:  "line too long",
			lines: []string{strings.Repeat("x", 70000), "on emqx@192.168.1.162 cluster status"},
			want: "error: line longer than 65536 bytes: ignored\n" +
				"Cluster status: [{running_nodes,['emqx@192.168.1.162','emqx@192.168.1.165',\n" +
				"                                 'emqx@192.168.1.170']}]\n",
		},
		{
			name:  "empty node name part",
			lines: []string{"start @host", "start emqx@"},
			want: "error: node: bad configuration: node.name \"@host\" is not <name>@<host>\n" +
				"error: node: bad configuration: node.name \"emqx@\" is not <name>@<host>\n",
		},
		{
			name:  "quit ends the console",
			lines: []string{"quit", "cluster status"},
			want:  "",
		},
		{
			name:  "blank lines",
			lines: []string{"", "   "},
			want:  "",
		},
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, exec(t, l, tc.lines...))
		})
	}
}

func TestConsoleHelp(t *testing.T) {
	l, _ := startLab(t)

	got := "\n" + exec(t, l, "help")
	for _, cmd := range []string{"cluster status", "on NODE cluster status|join NODE",
		"start NODE", "stop NODE", "nodes", "dig NAME [TYPE]", "help", "quit"} {
		assert.Contains(t, got, "\n"+cmd+" ", cmd)
	}
	assert.Equal(t, 9, strings.Count(got, "\n"))
}

// dig asks the lab's server and prints its reply.
func TestConsoleDig(t *testing.T) {
	l, _ := startLab(t)

	tests := []struct {
		name  string
		line  string
		wants []string
	}{
		{
			name: "cluster A",
			line: "dig cluster.emqx-cluster.org",
			wants: []string{
				"status: NOERROR", "flags: qr aa rd;",
				"ANSWER: 2, AUTHORITY: 1, ADDITIONAL: 2",
				"cluster.emqx-cluster.org.\t604800\tIN\tA\t192.168.1.162\n",
				"cluster.emqx-cluster.org.\t604800\tIN\tA\t192.168.1.165\n",
				"emqx-cluster.org.\t604800\tIN\tNS\tns1.emqx-cluster.org.\n",
			},
		},
		{
			name: "nxdomain",
			line: "dig nonexistent.emqx-cluster.org",
			wants: []string{"status: NXDOMAIN",
				"emqx-cluster.org.\t86400\tIN\tSOA\tns1.emqx-cluster.org. root.emqx-cluster.org. " +
					"2018042201 3600 1800 604800 86400\n"},
		},
		{
			name:  "type",
			line:  "dig emqx-cluster.org soa",
			wants: []string{"status: NOERROR", "ANSWER: 1, AUTHORITY: 1, ADDITIONAL: 2"},
		},
		{
			name:  "generic type",
			line:  "dig cluster.emqx-cluster.org TYPE1",
			wants: []string{"status: NOERROR", "ANSWER: 2, AUTHORITY: 1, ADDITIONAL: 2"},
		},
		{
			name:  "refused",
			line:  "dig example.com",
			wants: []string{"status: REFUSED"},
		},
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := exec(t, l, tc.line)
			for _, want := range tc.wants {
				assert.Contains(t, got, want)
			}
		})
	}
}
