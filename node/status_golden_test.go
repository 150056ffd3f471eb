package node_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/node"
)

var update = flag.Bool("update", false,
	"print testdata/status-golden.txt again with erl (needs Debian's erl and erlang-jiffy)")

// statusGolden holds `cluster status` texts as Erlang prints them.
const statusGolden = "testdata/status-golden.txt"

// goldenCase is one cluster view printed in each form; json marks those
// also printed as 5.x's `cluster status --json`.
type goldenCase struct {
	name    string
	running []string
	stopped []string
	json    bool
}

// goldenCases returns the views of the golden file: short and long lists,
// IPv4, IPv6 and host names, atoms that need quotes and atoms that do not,
// and lines either side of the 80 columns ~p fills. Lists are sorted, as
// EMQX 4.x and 5.x print them and as Node.Status returns them.
func goldenCases() []goldenCase {
	v4 := func(from, to int) []string { return seq("emqx@10.0.0.%d", from, to) }
	pod := func(from, to int) []string {
		return seq("emqx@emqx-%d.emqx-headless.default.svc.cluster.local", from, to)
	}
	v6 := []string{"emqx@2001:db8::1:0:0:1", "emqx@2001:db8::2:1", "emqx@::ffff:10.0.0.1",
		"emqx@fd00:1:0:1:0:1:0:1"}
	mixed := []string{"Emqx@Host-1", "emqx1@node1", "emqx@10.0.0.1", "emqx@fd00:a::2",
		"emqx@localhost", "emqx_2@host_2"}

	cases := []goldenCase{
		{name: "default-node", running: []string{"emqx@127.0.0.1"}, json: true},
		{name: "seed-two", running: []string{"emqx@192.168.1.162", "emqx@192.168.1.165"}},
		{name: "seed-one-stopped", running: []string{"emqx@192.168.1.165"},
			stopped: []string{"emqx@192.168.1.162"}, json: true},
		{name: "three-ipv4", running: v4(1, 3)},
		{name: "one-running-four-stopped", running: v4(1, 1), stopped: v4(2, 5)},
		{name: "ten-ipv4", running: v4(1, 10)},
		{name: "thirty-ipv4", running: v4(1, 30)},
		{name: "thirty-ipv4-five-stopped", running: without(v4(1, 30), 3, 7, 11, 19, 25),
			stopped: only(v4(1, 30), 3, 7, 11, 19, 25), json: true},
		{name: "hundred-ipv4", running: v4(1, 100)},
		{name: "hundred-ipv4-forty-stopped", running: v4(1, 60), stopped: v4(61, 100)},
		{name: "ipv6", running: v6, json: true},
		{name: "ipv6-half-stopped", running: v6[:2], stopped: v6[2:]},
		{name: "k8s-three-pods", running: pod(0, 2)},
		{name: "k8s-ten-running-five-stopped", running: pod(0, 9), stopped: pod(10, 14),
			json: true},
		{name: "quoting-mixed", running: mixed, stopped: []string{"emqx@emqx-0.svc"}},
		{name: "unquoted-atoms", running: []string{"emqx1@node1", "emqx@localhost"}},
		{name: "long-fqdn", running: []string{"emqx@" + strings.Repeat("verylonglabel.", 12) +
			"example.com"}},
		{name: "stopped-only-long", running: v4(1, 1), stopped: pod(1, 40)},
		{name: "mixed-forty", running: sorted(append(v4(1, 10), pod(0, 9)...)),
			stopped: sorted(append(v4(11, 20), v6...)), json: true},
	}
	for k := 40; k <= 64; k += 4 {
		name := "emqx@" + strings.Repeat("a", k) + ".lab.test"
		cases = append(cases,
			goldenCase{name: fmt.Sprintf("width-one-%d", k), running: []string{name}},
			goldenCase{name: fmt.Sprintf("width-two-%d", k), running: []string{"emqx@b", name},
				stopped: []string{name + "x"}})
	}

	return cases
}

func seq(format string, from, to int) []string {
	var names []string
	for i := from; i <= to; i++ {
		names = append(names, fmt.Sprintf(format, i))
	}

	return sorted(names)
}

func sorted(names []string) []string {
	slices.Sort(names)
	return names
}

// without returns names less the ones ending in ".n" for each n.
func without(names []string, ns ...int) []string {
	return slices.DeleteFunc(slices.Clone(names), func(s string) bool { return endsIn(s, ns) })
}

// only returns the names ending in ".n" for each n.
func only(names []string, ns ...int) []string {
	return slices.DeleteFunc(slices.Clone(names), func(s string) bool { return !endsIn(s, ns) })
}

func endsIn(s string, ns []int) bool {
	return slices.ContainsFunc(ns, func(n int) bool {
		return strings.HasSuffix(s, fmt.Sprintf(".%d", n))
	})
}

// goldenTexts returns each golden text this package prints, by
// "form/case" name, in file order.
func goldenTexts() (names []string, texts map[string]string) {
	texts = make(map[string]string)
	add := func(name, text string) {
		names = append(names, name)
		texts[name] = text
	}
	for _, gc := range goldenCases() {
		s := node.Status{Running: gc.running, Stopped: gc.stopped}
		add("proplist/"+gc.name, s.Text())
		add("map/"+gc.name, s.MapText())
		if gc.json {
			add("json/"+gc.name, s.JSON())
		}
	}

	return names, texts
}

// Status.Text, MapText and JSON print what Erlang prints: EMQX 3.x's
// property list and 4.x/5.x's map through io:format("~p"), and 5.x's
// --json through jiffy's pretty printer, as emqx_mgmt_cli calls them.
// The expected texts were printed by erl; -update prints them again.
func TestStatusGolden(t *testing.T) {
	names, texts := goldenTexts()
	if *update {
		writeGolden(t, names, printWithErl(t))
	}

	want := readGolden(t)
	require.Len(t, want, len(names), "regenerate with -update")
	require.GreaterOrEqual(t, len(names), 40)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			require.Contains(t, want, name, "regenerate with -update")
			assert.Equal(t, want[name], texts[name])
		})
	}
}

// readGolden returns the texts of the golden file by name. A text is the
// lines after its "=== name" line up to the next.
func readGolden(t testing.TB) map[string]string {
	t.Helper()

	data, err := os.ReadFile(statusGolden)
	require.NoError(t, err)

	texts := make(map[string]string)
	var name string
	for _, line := range strings.SplitAfter(string(data), "\n") {
		switch {
		case strings.HasPrefix(line, "#") && name == "":
		case strings.HasPrefix(line, "=== "):
			name = strings.TrimSpace(strings.TrimPrefix(line, "=== "))
		case name != "":
			texts[name] += line
		}
	}

	return texts
}

func writeGolden(t testing.TB, names []string, printed map[string]string) {
	t.Helper()

	var b strings.Builder
	b.WriteString("# `cluster status` texts printed by erl (OTP 25, jiffy 1.1.1) for the views of\n" +
		"# goldenCases in status_golden_test.go: after \"=== form/case\", the text up to\n" +
		"# the next \"===\". Regenerate with\n" +
		"#   go test ./node -run TestStatusGolden -update\n")
	for _, name := range names {
		fmt.Fprintf(&b, "=== %s\n%s", name, printed[name])
	}
	require.NoError(t, os.WriteFile(statusGolden, []byte(b.String()), 0o644))
}

// erlPrint prints each {Form, Name, Running, Stopped} of the file named on
// the command line as emqx_mgmt_cli does, each followed by endMark: the
// 3.x property list (ekka_cluster:info/0 leaves stopped_nodes out when
// empty), the 4.x/5.x map, and 5.x's JSON (emqx_logger_jsonfmt turns the
// keys into binaries and leaves atom lists as they are).
const erlPrint = `[F] = init:get_plain_arguments(),
{ok, Cs} = file:consult(F),
P = fun(proplist, R, S) ->
            Info = [{running_nodes, R}] ++ [{stopped_nodes, S} || S =/= []],
            io:format("Cluster status: ~p~n", [Info]);
       (map, R, S) ->
            io:format("Cluster status: ~p~n", [#{running_nodes => R, stopped_nodes => S}]);
       (json, R, S) ->
            Info = #{<<"running_nodes">> => R, <<"stopped_nodes">> => S},
            io:format("~ts~n", [jiffy:encode(Info, [pretty, force_utf8])])
    end,
[begin P(Form, R, S), io:format("` + endMark + `~n") end || {Form, _Name, R, S} <- Cs],
halt().`

const endMark = "%%%END%%%"

// printWithErl prints every golden case with one erl run and returns the
// texts by name.
func printWithErl(t testing.TB) map[string]string {
	t.Helper()

	if _, err := exec.LookPath("erl"); err != nil {
		t.Fatalf("-update needs erl: %v", err)
	}

	cases := make(map[string]goldenCase)
	for _, gc := range goldenCases() {
		cases[gc.name] = gc
	}
	names, _ := goldenTexts()
	var terms strings.Builder
	for _, name := range names {
		form, caseName, _ := strings.Cut(name, "/")
		gc := cases[caseName]
		fmt.Fprintf(&terms, "{%s, %q, %s, %s}.\n", form, name, erlAtoms(gc.running),
			erlAtoms(gc.stopped))
	}
	file := filepath.Join(t.TempDir(), "cases.eterm")
	require.NoError(t, os.WriteFile(file, []byte(terms.String()), 0o600))

	var stderr bytes.Buffer
	cmd := exec.Command("erl", "-noshell", "-eval", erlPrint, "-extra", file)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, stderr.String())

	parts := strings.Split(string(out), endMark+"\n")
	require.Len(t, parts, len(names)+1, string(out))
	printed := make(map[string]string)
	for i, name := range names {
		printed[name] = parts[i]
	}

	return printed
}

// erlAtoms writes names as an Erlang list of quoted atoms.
func erlAtoms(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = "'" + n + "'"
	}

	return "[" + strings.Join(quoted, ",") + "]"
}
