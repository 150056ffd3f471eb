package node

import (
	"fmt"
	"strings"

	"dnslab/node/erlterm"
)

// statusPrefix is what emqx_ctl prints before the status term; the term is
// laid out from the column after it.
const statusPrefix = "Cluster status: "

// Text returns s as EMQX 3.x's `cluster status` prints it: a property list
// laid out by Erlang's ~p, the stopped_nodes entry only when there are
// stopped members. The text ends with a newline.
func (s Status) Text() string {
	term := erlterm.List{
		erlterm.Tuple{erlterm.Atom("running_nodes"), erlterm.AtomList(s.Running...)},
	}
	if len(s.Stopped) > 0 {
		stopped := erlterm.Tuple{erlterm.Atom("stopped_nodes"), erlterm.AtomList(s.Stopped...)}
		term = append(term, stopped)
	}

	return statusPrefix + erlterm.Format(term, len(statusPrefix)) + "\n"
}

// MapText returns s as EMQX 4.x and 5.x print it: a map with both keys
// always there, laid out by Erlang's ~p.
func (s Status) MapText() string {
	term := erlterm.Map{
		{Key: erlterm.Atom("running_nodes"), Value: erlterm.AtomList(s.Running...)},
		{Key: erlterm.Atom("stopped_nodes"), Value: erlterm.AtomList(s.Stopped...)},
	}

	return statusPrefix + erlterm.Format(term, len(statusPrefix)) + "\n"
}

// JSON returns s as EMQX 5.x's `cluster status --json` prints it: jiffy's
// pretty JSON, stopped_nodes first, an empty list holding one line of
// indentation (emqx_logger_jsonfmt's own test pins "[\n    \n  ]").
func (s Status) JSON() string {
	var b strings.Builder
	b.WriteString("{\n")
	writeJSONList(&b, "stopped_nodes", s.Stopped)
	b.WriteString(",\n")
	writeJSONList(&b, "running_nodes", s.Running)
	b.WriteString("\n}\n")

	return b.String()
}

func writeJSONList(b *strings.Builder, key string, names []string) {
	fmt.Fprintf(b, "  %q : [\n", key)
	if len(names) == 0 {
		b.WriteString("    \n")
	}
	for i, name := range names {
		sep := ","
		if i == len(names)-1 {
			sep = ""
		}
		fmt.Fprintf(b, "    %q%s\n", name, sep)
	}
	b.WriteString("  ]")
}

// statusText returns the node's status in its profile's form.
func (nd *Node) statusText() string {
	s, _ := nd.Status()
	if nd.cfg.Profile.mapStatus() {
		return s.MapText()
	}

	return s.Text()
}
