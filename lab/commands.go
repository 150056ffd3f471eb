package lab

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/miekg/dns"

	"dnslab/node"
)

func runCluster(l *Lab, w io.Writer, args []string) error {
	if len(args) != 1 || args[0] != "status" {
		return errUsage
	}

	l.mu.Lock()
	defer l.mu.Unlock()

	for _, nd := range l.net.Nodes() {
		if nd.Running() {
			_, err := io.WriteString(w, nd.CLI("cluster", "status"))
			return err
		}
	}

	return fmt.Errorf("no node is running")
}

func runOn(l *Lab, w io.Writer, args []string) error {
	if len(args) < 2 || args[1] != "cluster" {
		return errUsage
	}

	out, err := l.CLI(args[0], args[1:]...)
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, out)

	return err
}

func runStart(l *Lab, _ io.Writer, args []string) error {
	if len(args) != 1 {
		return errUsage
	}

	return l.StartNode(args[0])
}

func runStop(l *Lab, _ io.Writer, args []string) error {
	if len(args) != 1 {
		return errUsage
	}

	return l.StopNode(args[0])
}

func runNodes(l *Lab, w io.Writer, args []string) error {
	if len(args) != 0 {
		return errUsage
	}

	l.mu.Lock()
	defer l.mu.Unlock()

	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "NODE\tSTATE\tRUNNING\tSTOPPED\tDISCOVERY")
	for _, nd := range l.net.Nodes() {
		fmt.Fprintln(tw, nodeRow(nd))
	}

	return tw.Flush()
}

// nodeRow describes one node for the nodes command.
func nodeRow(nd *node.Node) string {
	s, err := nd.Status()
	if err != nil {
		return nd.Name() + "\tstopped\t-\t-\t-"
	}

	loop := "done"
	if nd.Looping() {
		loop = "looping"
	}

	return fmt.Sprintf("%s\trunning\t%s\t%s\t%s", nd.Name(), list(s.Running), list(s.Stopped), loop)
}

func list(names []string) string {
	if len(names) == 0 {
		return "-"
	}

	return strings.Join(names, ",")
}

func runDig(l *Lab, w io.Writer, args []string) error {
	if len(args) < 1 || len(args) > 2 {
		return errUsage
	}

	name := dns.Fqdn(args[0])
	if _, ok := dns.IsDomainName(name); !ok {
		return fmt.Errorf("bad domain name %q", clip(args[0], 40))
	}

	qtype := dns.TypeA
	if len(args) == 2 {
		t, err := parseType(args[1])
		if err != nil {
			return err
		}
		qtype = t
	}

	q := new(dns.Msg)
	q.SetQuestion(name, qtype)
	q.SetEdns0(1232, false)
	reply, _, err := new(dns.Client).Exchange(q, l.Addr())
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(w, reply)

	return err
}

// parseType reads a record type by mnemonic or as TYPEnnn (RFC 3597 §5).
func parseType(s string) (uint16, error) {
	s = strings.ToUpper(s)
	if t, ok := dns.StringToType[s]; ok {
		return t, nil
	}

	if n, ok := strings.CutPrefix(s, "TYPE"); ok {
		if t, err := strconv.ParseUint(n, 10, 16); err == nil {
			return uint16(t), nil
		}
	}

	return 0, fmt.Errorf("unknown record type %q", clip(s, 20))
}

func runHelp(_ *Lab, w io.Writer, _ []string) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	for _, c := range commands {
		fmt.Fprintf(tw, "%s\t%s\n", strings.TrimSpace(c.name+" "+c.args), c.help)
	}

	return tw.Flush()
}

func runQuit(*Lab, io.Writer, []string) error { return errQuit }
