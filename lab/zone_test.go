package lab_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/lab"
)

// zone add and zone del rewrite the file as a person would: one line
// added or removed, the serial bumped where it is written; the zone is
// reloaded and the nodes see the change at their next lookup.
func TestConsoleZoneEdits(t *testing.T) {
	l := startLab(t, lab.Config{NoWatch: true})

	runSteps(t, l.Lab, []consoleStep{
		{"add", "zone add cluster IN A 192.168.1.170",
			"zone emqx-cluster.org. reloaded: serial 2018042202, 6 records\n"},
		{"start the new node", "start emqx@192.168.1.170", ""},
		{"it clustered", "on emqx@192.168.1.170 cluster status", three},
		{"delete", "zone del cluster.emqx-cluster.org. 604800 IN A 192.168.1.162",
			"zone emqx-cluster.org. reloaded: serial 2018042203, 5 records\n"},
		{"delete a missing record", "zone del cluster IN A 10.9.9.9",
			"error: no such record in db.zone: cluster.emqx-cluster.org.\t3600\tIN\tA\t" +
				"10.9.9.9\n"},
		{"add a bad record", "zone add cluster IN A 10.9.9",
			"error: bad record \"cluster IN A 10.9.9\": bad A A: \"10.9.9\"\n"},
		{"show", "zone show",
			"; zone emqx-cluster.org. serial 2018042203, 5 records, from db.zone\n" +
				"emqx-cluster.org.\t604800\tIN\tSOA\tns1.emqx-cluster.org. root.emqx-cluster.org. " +
				"2018042203 3600 1800 604800 86400\n" +
				"emqx-cluster.org.\t604800\tIN\tNS\tns1.emqx-cluster.org.\n" +
				"cluster.emqx-cluster.org.\t604800\tIN\tA\t192.168.1.165\n" +
				"cluster.emqx-cluster.org.\t604800\tIN\tA\t192.168.1.170\n" +
				"ns1.emqx-cluster.org.\t604800\tIN\tA\t192.168.1.162\n"},
	})

	data, err := os.ReadFile(l.zone)
	require.NoError(t, err)
	want := "$TTL    604800\n" +
		"@\tIN\tSOA\tns1.emqx-cluster.org. root.emqx-cluster.org. (\n" +
		"\t\t2018042203      ;Serial\n" +
		"    3600    ;Refresh\n    1800    ;Retry\n    604800  ;Expire\n" +
		"    86400   ;Minimum TTL      \n\n)   \n;\n" +
		"\t  IN\tNS\tns1.emqx-cluster.org.\n" +
		"ns1\tIN\tA\t192.168.1.162\n" +
		"cluster\t\tIN\tA\t192.168.1.165\n" +
		"cluster IN A 192.168.1.170\n"
	assert.Equal(t, want, string(data))
}

// A zone file edited by hand while the lab runs is announced, good edits
// with their serial, broken ones with file and line and the serial still
// served.
func TestHandEditsAnnounced(t *testing.T) {
	l := startLab(t, lab.Config{})
	data, err := os.ReadFile(l.zone)
	require.NoError(t, err)
	text := string(data)

	edit := strings.Replace(text, "2018042201", "2018042301", 1) + "cluster IN A 192.168.1.170\n"
	require.NoError(t, os.WriteFile(l.zone, []byte(edit), 0o644))
	announced(t, l, "zone emqx-cluster.org. reloaded: serial 2018042301, 6 records\n")

	same := edit + "cluster IN A 192.168.1.171\n"
	require.NoError(t, os.WriteFile(l.zone, []byte(same), 0o644))
	announced(t, l, "zone emqx-cluster.org. reloaded: serial 2018042301, 7 records "+
		"(serial not raised: secondaries would not see this change)\n")

	broken := same + "cluster IN A 192.168.1\n"
	require.NoError(t, os.WriteFile(l.zone, []byte(broken), 0o644))
	announced(t, l, "zone emqx-cluster.org. not reloaded: "+l.zone+
		":17: bad A A: \"192.168.1\"; still serving serial 2018042301\n")
}

// announced waits, at most 2 s as a person would, for want to be
// announced.
func announced(t *testing.T, l *testLab, want string) {
	t.Helper()

	require.Eventually(t, func() bool { return strings.Contains(l.out.String(), want) },
		2*time.Second, 10*time.Millisecond, "announcements so far:\n%s", l.out.String())
}

// zone reload reads a file edited by hand when the lab does not watch it.
func TestConsoleZoneReload(t *testing.T) {
	l := startLab(t, lab.Config{NoWatch: true})
	data, err := os.ReadFile(l.zone)
	require.NoError(t, err)
	edit := strings.Replace(string(data), "2018042201", "2018042210", 1)
	require.NoError(t, os.WriteFile(l.zone, []byte(edit), 0o644))

	assert.Equal(t, "zone emqx-cluster.org. reloaded: serial 2018042210, 5 records\n",
		exec(t, l.Lab, "zone reload"))
	assert.Contains(t, exec(t, l.Lab, "zone show"), "serial 2018042210, 5 records")
}

// Edits that would break the zone, repeat a record or leave the zone are
// refused, and the file stays as it was.
func TestZoneEditsRefused(t *testing.T) {
	l := startLab(t, lab.Config{NoWatch: true})
	before, err := os.ReadFile(l.zone)
	require.NoError(t, err)

	runSteps(t, l.Lab, []consoleStep{
		{"CNAME beside other data", "zone add cluster IN CNAME ns1",
			"error: the zone would not load, so db.zone is left as it was: " + l.zone +
				":15: cluster.emqx-cluster.org.: CNAME and other data\n"},
		{"the apex NS", "zone del @ IN NS ns1.emqx-cluster.org.",
			"error: the zone would not load, so db.zone is left as it was: " + l.zone +
				": no NS records at the origin emqx-cluster.org.\n"},
		{"a record the zone has", "zone add cluster IN A 192.168.1.165",
			"error: the zone has this record already (line 14)\n"},
		{"outside the zone", "zone add www.example.com. IN A 192.0.2.1",
			"error: www.example.com. is outside the zone emqx-cluster.org.\n"},
		{"a later edit works", "zone add cluster IN A 192.168.1.170",
			"zone emqx-cluster.org. reloaded: serial 2018042202, 6 records\n"},
	})

	after, err := os.ReadFile(l.zone)
	require.NoError(t, err)
	assert.Equal(t, strings.Replace(string(before), "2018042201", "2018042202", 1)+
		"cluster IN A 192.168.1.170\n", string(after))
}

// zone del removes every line that holds the record; a line that took
// its owner from a removed one gets it written out.
func TestZoneDelete(t *testing.T) {
	const head = "$TTL 60\n@ SOA ns1 root 7 2 3 4 5\n@ NS ns1\nns1 A 127.0.0.1\n"
	const after = "$TTL 60\n@ SOA ns1 root 8 2 3 4 5\n@ NS ns1\nns1 A 127.0.0.1\n"
	tests := []struct {
		name       string
		text, want string
	}{
		{name: "inherited owner written out", text: "cluster A 10.0.0.1\n\tA 10.0.0.2\n",
			want: "cluster\tA 10.0.0.2\n"},
		{name: "every copy", text: "cluster A 10.0.0.1\ncluster A 10.0.0.2\ncluster A 10.0.0.1\n",
			want: "cluster A 10.0.0.2\n"},
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			zone := lab.ZoneFile(t, head+tc.text)
			l := startLab(t, lab.Config{ZoneFile: zone, Origin: "example.org", NoWatch: true})

			assert.Equal(t, "zone example.org. reloaded: serial 8, 4 records\n",
				exec(t, l.Lab, "zone del cluster A 10.0.0.1"))
			data, err := os.ReadFile(zone)
			require.NoError(t, err)
			assert.Equal(t, after+tc.want, string(data))
		})
	}
}
