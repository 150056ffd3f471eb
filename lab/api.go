package lab

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"dnslab/dnsserver"
	"dnslab/node"
)

// StartT starts a lab for a test and stops it when the test ends. Unset
// fields of cfg are as for Start, except the DNS address: a free port on
// 127.0.0.1. A lab that cannot start fails the test.
func StartT(tb testing.TB, cfg Config) *Lab {
	tb.Helper()

	if cfg.DNSAddr == "" {
		cfg.DNSAddr = "127.0.0.1:0"
	}
	l, err := Start(cfg)
	if err != nil {
		tb.Fatalf("lab: %v", err)
	}
	tb.Cleanup(func() { l.Close() })

	return l
}

// ZoneFile writes a zone file holding text in a temporary directory of the
// test and returns its path, for Config.ZoneFile.
func ZoneFile(tb testing.TB, text string) string {
	tb.Helper()

	path := filepath.Join(tb.TempDir(), "db.zone")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		tb.Fatalf("lab: %v", err)
	}

	return path
}

// StartNode boots the node called name: a new one with the lab's settings
// and the given emqx.conf settings ("node.cookie=other"), or a stopped one
// with its data. Lab time then runs until the nodes agree on their
// cluster or their discovery loops end (at most SettleLimit).
func (l *Lab) StartNode(name string, settings ...string) error {
	return l.boot(name, settings, node.StartOptions{})
}

func (l *Lab) boot(name string, settings []string, opt node.StartOptions) error {
	l.mu.Lock()
	defer l.mu.Unlock()

	if err := l.startNode(name, settings, opt); err != nil {
		if errors.Is(err, node.ErrRunning) {
			return fmt.Errorf("%s: %w", name, err)
		}
		return err
	}
	l.settle(SettleLimit)

	return nil
}

// StopNode stops the node called name cleanly.
func (l *Lab) StopNode(name string) error {
	return l.withNode(name, (*node.Node).Stop)
}

// KillNode stops the node called name without a goodbye, as a kill -9 or
// a lost container: its peers notice the connection drop, which in EMQX
// looks the same as a clean stop.
func (l *Lab) KillNode(name string) error {
	return l.withNode(name, func(nd *node.Node) error {
		if err := nd.Stop(); err != nil {
			return err
		}
		l.log.Info("node killed", "node", name)
		return nil
	})
}

// RestartNode stops the node called name, if it runs, and starts it again,
// without its data when wipe is set. Lab time then runs as after StartNode.
func (l *Lab) RestartNode(name string, wipe bool) error {
	err := l.withNode(name, func(nd *node.Node) error {
		if nd.State() != "stopped" {
			return nd.Stop()
		}
		return nil
	})
	if err != nil {
		return err
	}

	return l.boot(name, nil, node.StartOptions{Wipe: wipe})
}

// withNode runs f on the node called name.
func (l *Lab) withNode(name string, f func(*node.Node) error) error {
	l.mu.Lock()
	defer l.mu.Unlock()

	nd, err := l.lookupNode(name)
	if err != nil {
		return err
	}
	if err := f(nd); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}

	return nil
}

// Status returns the cluster as the node called name sees it.
func (l *Lab) Status(name string) (node.Status, error) {
	var s node.Status
	err := l.withNode(name, func(nd *node.Node) error {
		var err error
		s, err = nd.Status()
		return err
	})

	return s, err
}

// CLI runs an emqx_ctl command such as "cluster", "status" on the node
// called name and returns what it prints. After a command that changes
// the cluster, lab time runs as after StartNode.
func (l *Lab) CLI(name string, args ...string) (string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()

	nd, err := l.lookupNode(name)
	if err != nil {
		return "", err
	}
	out := nd.CLI(args...)
	if !readOnly(args) {
		l.settle(SettleLimit)
	}

	return out, nil
}

// readOnly reports whether an emqx_ctl command only reads.
func readOnly(args []string) bool {
	return len(args) >= 2 && args[0] == "cluster" && args[1] == "status"
}

// NodeInfo describes a node of the lab.
type NodeInfo struct {
	Name      string
	State     string // running, stopped or waiting
	Profile   node.Profile
	Status    node.Status // its view of the cluster, when it runs
	Discovery string      // the autocluster loop: looping, done or off
}

// Nodes describes every node, sorted by name.
func (l *Lab) Nodes() []NodeInfo {
	l.mu.Lock()
	defer l.mu.Unlock()

	var infos []NodeInfo
	for _, nd := range l.net.Nodes() {
		s, _ := nd.Status()
		info := NodeInfo{Name: nd.Name(), State: nd.State(), Profile: nd.Config().Profile,
			Status: s, Discovery: discoveryState(nd)}
		infos = append(infos, info)
	}

	return infos
}

func discoveryState(nd *node.Node) string {
	switch {
	case nd.Looping():
		return "looping"
	case nd.Config().Discovery != node.DiscoveryDNS:
		return "off"
	case nd.State() != "running":
		return "-"
	}

	return "done"
}

// Sleep lets d of lab time pass: timers fire, loops retry, autoclean and
// autoheal act.
func (l *Lab) Sleep(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()

	l.clock.RunFor(d)
}

// WaitConverged lets lab time run until every running node sees the same
// cluster, for at most limit, and reports whether they came to agree and
// how much lab time it took.
func (l *Lab) WaitConverged(limit time.Duration) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()

	start := l.clock.Now()
	if l.clock.RunUntil(l.converged, limit) {
		return true, l.clock.Now().Sub(start)
	}
	l.clock.RunFor(limit - l.clock.Now().Sub(start))

	return false, limit
}

// Now returns the lab time: how long the lab has run on its virtual clock.
func (l *Lab) Now() time.Duration {
	return l.clock.Now().Sub(node.Epoch)
}

// AddRecord adds a record, written as in a zone file ("node3 IN A
// 10.0.0.3"; relative names are in the zone), to the zone file, raises the
// serial and reloads the zone.
func (l *Lab) AddRecord(rr string) error {
	l.mu.Lock()
	defer l.mu.Unlock()

	return l.addRecord(rr)
}

// DeleteRecord removes a record from the zone file, raises the serial and
// reloads the zone.
func (l *Lab) DeleteRecord(rr string) error {
	l.mu.Lock()
	defer l.mu.Unlock()

	return l.deleteRecord(rr)
}

// ReloadZone reads the zone file again, as after an edit by hand.
func (l *Lab) ReloadZone() error {
	return l.server.ReloadZone(l.cfg.Origin)
}

// FailDNS makes the lab's server fail queries for name (all names when
// name is "") with fault, for d of lab time (until DNSOK when d is 0).
func (l *Lab) FailDNS(fault dnsserver.Fault, name string, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()

	l.faults.Set(name, fault)
	if l.faultEnd != nil {
		l.faultEnd.Stop()
		l.faultEnd = nil
	}
	if d > 0 {
		l.faultEnd = l.clock.AfterFunc(d, l.faults.Clear)
	}
}

// DNSOK clears every fault of the lab's server.
func (l *Lab) DNSOK() {
	l.mu.Lock()
	defer l.mu.Unlock()

	l.faults.Clear()
}

// SetCache puts a caching resolver between the nodes and the server, or
// takes it away.
func (l *Lab) SetCache(on bool) error {
	l.mu.Lock()
	defer l.mu.Unlock()

	return l.setCache(on)
}

// Partition splits the network between the nodes of a and those of b.
func (l *Lab) Partition(a, b []string) error {
	l.mu.Lock()
	defer l.mu.Unlock()

	return l.net.Partition(a, b)
}

// Heal ends a partition.
func (l *Lab) Heal() {
	l.mu.Lock()
	defer l.mu.Unlock()

	l.net.Heal()
}

// Block closes the distribution port of the node called name; Unblock
// opens it again.
func (l *Lab) Block(name string) error {
	return l.withNet(func(n *node.Network) error { return n.Block(name) })
}

// Unblock opens the distribution port of the node called name again.
func (l *Lab) Unblock(name string) error {
	return l.withNet(func(n *node.Network) error { return n.Unblock(name) })
}

func (l *Lab) withNet(f func(*node.Network) error) error {
	l.mu.Lock()
	defer l.mu.Unlock()

	return f(l.net)
}

// SetProfile makes nodes created from now on behave as profile p.
func (l *Lab) SetProfile(p node.Profile) {
	l.mu.Lock()
	defer l.mu.Unlock()

	l.profile = p
}

// Profile returns the profile of nodes created from now on.
func (l *Lab) Profile() node.Profile {
	l.mu.Lock()
	defer l.mu.Unlock()

	return l.profile
}

// firstRunning returns the first running node in name order.
func (l *Lab) firstRunning() (*node.Node, error) {
	i := slices.IndexFunc(l.net.Nodes(), (*node.Node).Running)
	if i < 0 {
		return nil, fmt.Errorf("no node is running")
	}

	return l.net.Nodes()[i], nil
}
