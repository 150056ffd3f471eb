package lab

// StartNode boots the node called name, a new one with the lab's settings
// or a stopped one with its data, and lets lab time run until every
// autocluster loop has finished (at most SettleLimit).
func (l *Lab) StartNode(name string) error {
	l.mu.Lock()
	defer l.mu.Unlock()

	if err := l.startNode(name); err != nil {
		return err
	}
	l.settle()

	return nil
}

// StopNode stops the node called name cleanly.
func (l *Lab) StopNode(name string) error {
	l.mu.Lock()
	defer l.mu.Unlock()

	nd, err := l.lookupNode(name)
	if err != nil {
		return err
	}

	return nd.Stop()
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
		l.settle()
	}

	return out, nil
}

// readOnly reports whether an emqx_ctl command only reads.
func readOnly(args []string) bool {
	return len(args) == 2 && args[0] == "cluster" && args[1] == "status"
}
