package lab

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/miekg/dns"

	"dnslab/dnsserver"
	"dnslab/node"
)

// commands lists the console's commands in the order help shows them.
// Adding one is adding an entry here and its function.
var commands []command

func init() {
	commands = []command{
		{"start", "NODE [KEY=VALUE…]", "boot NODE, new (with emqx.conf settings) or stopped",
			runStart},
		{"stop", "NODE", "stop NODE cleanly", runStop},
		{"kill", "NODE", "stop NODE without a goodbye", runKill},
		{"restart", "NODE [--wipe]", "stop and start NODE, without its data with --wipe",
			runRestart},
		{"nodes", "", "list the nodes: state, profile, view of the cluster, discovery", runNodes},
		{"cluster", "status [--json]", "EMQX's cluster status on the first running node",
			runCluster},
		{"on", "NODE cluster …", "emqx_ctl on NODE: cluster status|join NODE|leave|" +
			"force-leave NODE", runOn},
		{"zone", "show|add RR|del RR|reload", "show or edit the zone; edits rewrite its file",
			runZone},
		{"dig", "NAME [TYPE] [+tcp]", "ask the lab's DNS server and print its reply", runDig},
		{"dns", "fail|ok|cache …", "fail KIND [NAME] [for DURATION] (servfail, refused, " +
			"timeout, nxdomain); ok; cache on|off", runDNS},
		{"net", "partition|heal|block|unblock …", "partition NODES / NODES; heal; " +
			"block NODE; unblock NODE", runNet},
		{"sleep", "DURATION", "let lab time pass", runSleep},
		{"wait", "converged [DURATION]", "let lab time pass until the nodes agree (1m at most)",
			runWait},
		{"profile", "emqx3|emqx4|emqx5", "the EMQX release of nodes started from now on",
			runProfile},
		{"seed", "N", "the seed of nodes started from now on", runSeed},
		{"log", "on|off", "show or hide what the server and the nodes log", runLog},
		{"help", "", "list the commands", runHelp},
		{"quit", "", "shut the lab down and leave", runQuit},
	}
}

func runStart(l *Lab, _ io.Writer, args []string) error {
	if len(args) < 1 {
		return errUsage
	}

	return l.StartNode(args[0], args[1:]...)
}

func runStop(l *Lab, _ io.Writer, args []string) error {
	if len(args) != 1 {
		return errUsage
	}

	return l.StopNode(args[0])
}

func runKill(l *Lab, _ io.Writer, args []string) error {
	if len(args) != 1 {
		return errUsage
	}

	return l.KillNode(args[0])
}

func runRestart(l *Lab, _ io.Writer, args []string) error {
	switch {
	case len(args) == 1:
		return l.RestartNode(args[0], false)
	case len(args) == 2 && args[1] == "--wipe":
		return l.RestartNode(args[0], true)
	}

	return errUsage
}

func runNodes(l *Lab, w io.Writer, args []string) error {
	if len(args) != 0 {
		return errUsage
	}

	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "NODE\tSTATE\tPROFILE\tRUNNING\tSTOPPED\tDISCOVERY")
	for _, n := range l.Nodes() {
		running, stopped := list(n.Status.Running), list(n.Status.Stopped)
		if n.State != "running" {
			running, stopped = "-", "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", n.Name, n.State, n.Profile,
			running, stopped, n.Discovery)
	}

	return tw.Flush()
}

func list(names []string) string {
	if len(names) == 0 {
		return "-"
	}

	return strings.Join(names, ",")
}

func runCluster(l *Lab, w io.Writer, args []string) error {
	if len(args) < 1 || args[0] != "status" || len(args) > 2 {
		return errUsage
	}

	l.mu.Lock()
	nd, err := l.firstRunning()
	l.mu.Unlock()
	if err != nil {
		return err
	}

	out, err := l.CLI(nd.Name(), append([]string{"cluster"}, args...)...)
	if err == nil {
		_, err = io.WriteString(w, out)
	}

	return err
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

func runZone(l *Lab, w io.Writer, args []string) error {
	if len(args) == 0 {
		return errUsage
	}

	rr := strings.Join(args[1:], " ")
	switch {
	case args[0] == "show" && len(args) == 1:
		return l.showZone(w)
	case args[0] == "reload" && len(args) == 1:
		return l.ReloadZone()
	case args[0] == "add" && rr != "":
		return l.AddRecord(rr)
	case args[0] == "del" && rr != "":
		return l.DeleteRecord(rr)
	}

	return errUsage
}

// showZone prints the records served, in canonical order.
func (l *Lab) showZone(w io.Writer) error {
	z := l.server.Zone(l.cfg.Origin)
	fmt.Fprintf(w, "; zone %s serial %d, %d records, from %s\n", z.Origin(), z.Serial(),
		z.Len(), filepath.Base(l.cfg.ZoneFile))
	z.Records(func(rr dns.RR) bool {
		fmt.Fprintln(w, rr)
		return true
	})

	return nil
}

func runDig(l *Lab, w io.Writer, args []string) error {
	tcp := len(args) > 0 && args[len(args)-1] == "+tcp"
	if tcp {
		args = args[:len(args)-1]
	}
	if len(args) < 1 || len(args) > 2 {
		return errUsage
	}

	q, err := digQuery(args)
	if err != nil {
		return err
	}

	return l.dig(w, q, tcp)
}

// digQuery builds the query a dig command asks.
func digQuery(args []string) (*dns.Msg, error) {
	name := dns.Fqdn(args[0])
	if _, ok := dns.IsDomainName(name); !ok {
		return nil, fmt.Errorf("bad domain name %q", clip(args[0], 40))
	}

	qtype := dns.TypeA
	if len(args) == 2 {
		t, err := parseType(args[1])
		if err != nil {
			return nil, err
		}
		qtype = t
	}

	q := new(dns.Msg)
	q.SetQuestion(name, qtype)
	q.SetEdns0(1232, false)

	return q, nil
}

// dig sends q to the lab's server and prints the reply, its ID left out so
// that a transcript reads the same every time.
func (l *Lab) dig(w io.Writer, q *dns.Msg, tcp bool) error {
	c := &dns.Client{Timeout: 2 * time.Second}
	if tcp {
		c.Net = "tcp"
	}

	reply, _, err := c.Exchange(q, l.Addr())
	if err != nil {
		return err
	}
	reply.Id = 0
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

func runDNS(l *Lab, _ io.Writer, args []string) error {
	switch {
	case len(args) == 1 && args[0] == "ok":
		l.DNSOK()
		return nil
	case len(args) == 2 && args[0] == "cache" && (args[1] == "on" || args[1] == "off"):
		return l.SetCache(args[1] == "on")
	case len(args) >= 2 && args[0] == "fail":
		return l.failDNS(args[1:])
	}

	return errUsage
}

// failDNS reads `dns fail FAULT [NAME] [for DURATION]`.
func (l *Lab) failDNS(args []string) error {
	fault, ok := dnsserver.ParseFault(args[0])
	if !ok {
		return errUsage
	}

	var d time.Duration
	if n := len(args); n >= 3 && args[n-2] == "for" {
		var err error
		if d, err = time.ParseDuration(args[n-1]); err != nil || d <= 0 {
			return fmt.Errorf("bad duration %q", args[n-1])
		}
		args = args[:n-2]
	}

	switch len(args) {
	case 1:
		l.FailDNS(fault, "", d)
	case 2:
		l.FailDNS(fault, args[1], d)
	default:
		return errUsage
	}

	return nil
}

func runNet(l *Lab, _ io.Writer, args []string) error {
	switch {
	case len(args) == 1 && args[0] == "heal":
		l.Heal()
		return nil
	case len(args) == 2 && args[0] == "block":
		return l.Block(args[1])
	case len(args) == 2 && args[0] == "unblock":
		return l.Unblock(args[1])
	case len(args) >= 4 && args[0] == "partition":
		return partition(l, args[1:])
	}

	return errUsage
}

// partition reads `net partition NODES / NODES`.
func partition(l *Lab, args []string) error {
	i := slices.Index(args, "/")
	if i <= 0 || i == len(args)-1 {
		return errUsage
	}

	a, b := args[:i], args[i+1:]
	for _, name := range a {
		if slices.Contains(b, name) {
			return fmt.Errorf("%s is on both sides", name)
		}
	}

	return l.Partition(a, b)
}

func runSleep(l *Lab, _ io.Writer, args []string) error {
	if len(args) != 1 {
		return errUsage
	}

	d, err := time.ParseDuration(args[0])
	if err != nil || d < 0 {
		return fmt.Errorf("bad duration %q", args[0])
	}
	l.Sleep(d)

	return nil
}

func runWait(l *Lab, w io.Writer, args []string) error {
	if len(args) < 1 || args[0] != "converged" || len(args) > 2 {
		return errUsage
	}

	limit := SettleLimit
	if len(args) == 2 {
		d, err := time.ParseDuration(args[1])
		if err != nil || d <= 0 {
			return fmt.Errorf("bad duration %q", args[1])
		}
		limit = d
	}

	ok, took := l.WaitConverged(limit)
	took = took.Round(time.Millisecond)
	if !ok {
		_, err := fmt.Fprintf(w, "not converged after %s\n", took)
		return err
	}
	_, err := fmt.Fprintf(w, "converged after %s\n", took)

	return err
}

func runProfile(l *Lab, w io.Writer, args []string) error {
	if len(args) != 1 {
		return errUsage
	}

	p, err := node.ParseProfile(args[0])
	if err != nil {
		return err
	}
	l.SetProfile(p)

	return nil
}

func runSeed(l *Lab, _ io.Writer, args []string) error {
	if len(args) != 1 {
		return errUsage
	}

	seed, err := strconv.ParseUint(args[0], 10, 64)
	if err != nil {
		return fmt.Errorf("bad seed %q", args[0])
	}
	l.withNet(func(n *node.Network) error { n.SetSeed(seed); return nil })

	return nil
}

func runLog(l *Lab, _ io.Writer, args []string) error {
	if len(args) != 1 || args[0] != "on" && args[0] != "off" {
		return errUsage
	}
	l.logOn.Store(args[0] == "on")

	return nil
}

func runHelp(_ *Lab, w io.Writer, _ []string) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	for _, c := range commands {
		fmt.Fprintf(tw, "%s\t%s\n", strings.TrimSpace(c.name+" "+c.args), c.help)
	}

	return tw.Flush()
}

func runQuit(_ *Lab, _ io.Writer, args []string) error {
	if len(args) != 0 {
		return errUsage
	}

	return errQuit
}
