package node

import (
	"errors"
	"fmt"
	"strings"

	"dnslab/node/erlterm"
)

// clusterUsage is emqx_ctl's help for the cluster command, per profile.
func clusterUsage(p Profile) [][2]string {
	usage := [][2]string{
		{"cluster join <Node>", "Join the cluster"},
		{"cluster leave", "Leave the cluster"},
		{"cluster force-leave <Node>", "Force the node leave from cluster"},
		{"cluster status", "Cluster status"},
	}
	if p == EMQX5 {
		usage[3][0] = "cluster status [--json]"
		usage = append(usage, [2]string{"cluster discovery enable",
			"Enable and run automatic cluster discovery (if configured)"})
	}

	return usage
}

// CLI runs an emqx_ctl command on the node, such as "cluster status", and
// returns what EMQX prints, final newline included.
func (nd *Node) CLI(args ...string) string {
	if nd.state != stateRunning {
		return fmt.Sprintf("Node %s not responding to pings.\n", atom(nd.cfg.Name))
	}

	cmd := strings.Join(args, " ")
	switch {
	case cmd == "cluster status":
		return nd.statusText()
	case cmd == "cluster status --json" && nd.cfg.Profile == EMQX5:
		s, _ := nd.Status()
		return s.JSON()
	case len(args) == 3 && args[0] == "cluster" && args[1] == "join":
		return nd.joinText(args[2])
	case cmd == "cluster leave":
		return nd.leaveText()
	case len(args) == 3 && args[0] == "cluster" && args[1] == "force-leave":
		return nd.forceLeaveText(args[2])
	case cmd == "cluster discovery enable" && nd.cfg.Profile == EMQX5:
		_ = nd.EnableDiscovery()
		return "Automatic cluster discovery enabled.\n"
	}

	return usage(clusterUsage(nd.cfg.Profile))
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
		return failure("Failed to join the cluster: ",
			erlterm.Tuple{erlterm.Atom(je.Reason), erlterm.Atom(je.Node)})
	}

	return failure("Failed to join the cluster: ", erlterm.Atom(reasonSingleton))
}

// leaveText runs `cluster leave` and returns its output; 5.x first says
// that discovery is off, whether or not the leave succeeds.
func (nd *Node) leaveText() string {
	disabled, err := nd.Leave()

	var notice string
	if disabled {
		notice = fmt.Sprintf("Automatic cluster discovery is disabled on this node: %s to avoid"+
			" re-joining the same cluster again, if the node is not stopped soon."+
			" To enable it run: 'emqx ctl cluster discovery enable' or restart the node.\n",
			atom(nd.cfg.Name))
	}
	if err != nil {
		return notice + failure("Failed to leave the cluster: ", erlterm.Atom(reasonNotInCluster))
	}

	return notice + "Leave the cluster successfully.\n" + nd.statusText()
}

// forceLeaveText runs `cluster force-leave target` and returns its output.
func (nd *Node) forceLeaveText(target string) string {
	switch err := nd.ForceLeave(target); {
	case err == nil:
		return "Remove the node from cluster successfully.\n" + nd.statusText()
	case errors.Is(err, ErrIgnore):
		return "Ignore.\n"
	}

	return failure("Failed to remove the node from cluster: ", erlterm.Atom(reasonNotInCluster))
}

// failure lays out a failure message and its Erlang term.
func failure(prefix string, term erlterm.Term) string {
	return prefix + erlterm.Format(term, len(prefix)) + "\n"
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
