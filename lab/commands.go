package lab

import (
	"fmt"
	"io"
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

	l.mu.Lock()
	defer l.mu.Unlock()

	nd, err := l.lookupNode(args[0])
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, nd.CLI(args[1:]...))
	l.settle()

	return err
}

func runStart(l *Lab, _ io.Writer, args []string) error {
	if len(args) != 1 {
		return errUsage
	}

	l.mu.Lock()
	defer l.mu.Unlock()

	if err := l.startNode(args[0]); err != nil {
		return err
	}
	l.settle()

	return nil
}

func runStop(l *Lab, _ io.Writer, args []string) error {
	if len(args) != 1 {
		return errUsage
	}

	l.mu.Lock()
	defer l.mu.Unlock()

	nd, err := l.lookupNode(args[0])
	if err != nil {
		return err
	}

	return nd.Stop()
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

	qtype := dns.TypeA
	if len(args) == 2 {
		t, ok := dns.StringToType[strings.ToUpper(args[1])]
		if !ok {
			return fmt.Errorf("unknown record type %q", args[1])
		}
		qtype = t
	}

	q := new(dns.Msg)
	q.SetQuestion(dns.Fqdn(args[0]), qtype)
	q.SetEdns0(1232, false)
	reply, _, err := new(dns.Client).Exchange(q, l.Addr())
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(w, reply)

	return err
}

func runHelp(_ *Lab, w io.Writer, _ []string) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	for _, c := range commands {
		fmt.Fprintf(tw, "%s\t%s\n", strings.TrimSpace(c.name+" "+c.args), c.help)
	}

	return tw.Flush()
}

func runQuit(*Lab, io.Writer, []string) error { return errQuit }
