package lab_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"dnslab/lab"
)

// consoleStep is a console line and what it prints.
type consoleStep struct {
	name string
	line string
	want string
}

// runSteps runs steps in order on l, each checked.
func runSteps(t *testing.T, l *lab.Lab, steps []consoleStep) {
	t.Helper()

	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			assert.Equal(t, s.want, exec(t, l, s.line), s.line)
		})
	}
}

const (
	both    = "Cluster status: [{running_nodes,['emqx@192.168.1.162','emqx@192.168.1.165']}]\n"
	withOld = "Cluster status: [{running_nodes,['emqx@192.168.1.165','emqx@192.168.1.170']},\n" +
		"                 {stopped_nodes,['emqx@192.168.1.162']}]\n"
	three = "Cluster status: [{running_nodes,['emqx@192.168.1.162','emqx@192.168.1.165',\n" +
		"                                 'emqx@192.168.1.170']}]\n"
)

// The node commands: start, stop, kill, restart, nodes, cluster status
// and emqx_ctl on a node.
func TestConsoleNodes(t *testing.T) {
	l := startLab(t, lab.Config{})
	runSteps(t, l.Lab, []consoleStep{
		{"status", "cluster status", both},
		{"on node", "on emqx@192.168.1.165 cluster status", both},
		{"stop", "stop emqx@192.168.1.162", ""},
		{"start a node DNS does not list", "start emqx@192.168.1.170", ""},
		{"status with a stopped member", "cluster status", withOld},
		{"on a stopped node", "on emqx@192.168.1.162 cluster status",
			"Node 'emqx@192.168.1.162' not responding to pings.\n"},
		{"start with data", "start emqx@192.168.1.162", ""},
		{"three", "cluster status", three},
		{"kill", "kill emqx@192.168.1.170", ""},
		{"killed is stopped", "on emqx@192.168.1.162 cluster status",
			"Cluster status: [{running_nodes,['emqx@192.168.1.162','emqx@192.168.1.165']},\n" +
				"                 {stopped_nodes,['emqx@192.168.1.170']}]\n"},
		{"restart", "restart emqx@192.168.1.170", ""},
		{"restarted", "cluster status", three},
		{"nodes", "nodes",
			"NODE                STATE    PROFILE  RUNNING                                            " +
				"       STOPPED  DISCOVERY\n" +
				"emqx@192.168.1.162  running  emqx3    emqx@192.168.1.162,emqx@192.168.1.165," +
				"emqx@192.168.1.170  -        done\n" +
				"emqx@192.168.1.165  running  emqx3    emqx@192.168.1.162,emqx@192.168.1.165," +
				"emqx@192.168.1.170  -        done\n" +
				"emqx@192.168.1.170  running  emqx3    emqx@192.168.1.162,emqx@192.168.1.165," +
				"emqx@192.168.1.170  -        done\n"},
		{"leave", "on emqx@192.168.1.170 cluster leave",
			"Leave the cluster successfully.\n" +
				"Cluster status: [{running_nodes,['emqx@192.168.1.170']}]\n"},
		{"left node comes back through DNS (3.x)", "on emqx@192.168.1.170 cluster status", three},
		{"restart wiped", "restart emqx@192.168.1.165 --wipe", ""},
		{"wiped node rejoined", "on emqx@192.168.1.165 cluster status", three},
	})
}

// Bad lines print one error each; the console goes on.
func TestConsoleErrors(t *testing.T) {
	l := startLab(t, lab.Config{})
	runSteps(t, l.Lab, []consoleStep{
		{"unknown command", "frobnicate", "error: unknown command \"frobnicate\" (try help)\n"},
		{"stop without node", "stop", "error: usage: stop NODE (stop NODE cleanly)\n"},
		{"unknown node", "stop emqx@10.1.1.1", "error: lab: no such node: emqx@10.1.1.1\n"},
		{"stop twice", "stop emqx@192.168.1.162\nstop emqx@192.168.1.162",
			"error: emqx@192.168.1.162: node: not running\n"},
		{"bad node name", "start nobody",
			"error: node: bad configuration: node.name \"nobody\" is not <name>@<host>\n"},
		{"bad setting", "start emqx@10.0.0.9 cluster.autoheal=maybe",
			"error: node: bad configuration: cluster.autoheal: \"maybe\" is not one of on, off, " +
				"true, false\n"},
		{"unknown setting", "start emqx@10.0.0.9 cluster.bogus=1",
			"error: unknown key cluster.bogus for emqx3\n"},
		{"settings of an existing node", "start emqx@192.168.1.162 node.cookie=x",
			"error: emqx@192.168.1.162 exists: its settings cannot change\n"},
		{"restart flag", "restart emqx@192.168.1.165 --clean",
			"error: usage: restart NODE [--wipe] (stop and start NODE, without its data " +
				"with --wipe)\n"},
		{"bad profile", "profile emqx9",
			"error: node: bad configuration: unknown profile \"emqx9\" (emqx3, emqx4 or emqx5)\n"},
		{"bad duration", "sleep forever", "error: bad duration \"forever\"\n"},
		{"dig bad type", "dig cluster.emqx-cluster.org BOGUS",
			"error: unknown record type \"BOGUS\"\n"},
		{"dig bad name", "dig " + strings.Repeat("a", 64) + ".org",
			"error: bad domain name \"" + strings.Repeat("a", 40) + "...\"\n"},
		{"line too long", strings.Repeat("x", 70000),
			"error: line longer than 65536 bytes: ignored\n"},
		{"quit ends the console", "quit\ncluster status", ""},
	})
}

func TestConsoleHelp(t *testing.T) {
	l := startLab(t, lab.Config{})

	got := "\n" + exec(t, l.Lab, "help")
	for _, cmd := range []string{"start NODE [KEY=VALUE…]", "stop NODE", "kill NODE",
		"restart NODE [--wipe]", "nodes", "cluster status [--json]", "on NODE cluster …",
		"zone show|add RR|del RR|reload", "dig NAME [TYPE] [+tcp]", "dns fail|ok|cache …",
		"net partition|heal|block|unblock …", "sleep DURATION", "wait converged [DURATION]",
		"profile emqx3|emqx4|emqx5", "seed N", "log on|off", "help", "quit"} {
		assert.Contains(t, got, "\n"+cmd+"  ", cmd)
	}
	assert.Equal(t, 19, strings.Count(got, "\n"))
}
