package node

import (
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
