package node

import (
	"errors"
	"fmt"
	"strings"

	"dnslab/node/erlterm"
)

// clusterUsage is emqx_ctl's help for the cluster command.
var clusterUsage = [][2]string{
	{"cluster join <Node>", "Join the cluster"},
	{"cluster leave", "Leave the cluster"},
	{"cluster force-leave <Node>", "Force the node leave from cluster"},
	{"cluster status", "Cluster status"},
}

// CLI runs an emqx_ctl command on the node, such as "cluster status", and
// returns what EMQX prints, final newline included.
func (nd *Node) CLI(args ...string) string {
	if !nd.running {
		return fmt.Sprintf("Node %s not responding to pings.\n", atom(nd.cfg.Name))
	}

	if len(args) == 2 && args[0] == "cluster" && args[1] == "status" {
		return nd.statusText()
	}
	if len(args) == 3 && args[0] == "cluster" && args[1] == "join" {
		return nd.joinText(args[2])
	}

	return usage(clusterUsage)
}

func (nd *Node) statusText() string {
	s, _ := nd.Status()
	return s.Text()
}

// joinText runs `cluster join target` and returns its output.
func (nd *Node) joinText(target string) string {
	err := nd.Join(target)

	var je *JoinError
	switch {
	case err == nil:
		return "Join the cluster successfully.\n" + nd.statusText()
	case errors.Is(err, ErrIgnore):
		return "Ignore.\n"
	case errors.As(err, &je):
		term := erlterm.Tuple{erlterm.Atom(je.Reason), erlterm.Atom(je.Node)}
		prefix := "Failed to join the cluster: "

		return prefix + erlterm.Format(term, len(prefix)) + "\n"
	}

	return fmt.Sprintf("Failed to join the cluster: %v\n", err)
}

// usage lays out command help as emqx_ctl does: each command padded to 48
// columns, then "# " and its description.
func usage(cmds [][2]string) string {
	var b strings.Builder
	for _, c := range cmds {
		fmt.Fprintf(&b, "%-48s# %s\n", c[0], c[1])
	}

	return b.String()
}

// atom returns name as Erlang prints the atom, quoted where needed.
func atom(name string) string {
	return erlterm.Format(erlterm.Atom(name), 0)
}
