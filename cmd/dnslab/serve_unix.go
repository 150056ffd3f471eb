//go:build unix

package main

import (
	"os"
	"syscall"
)

// reloadSignals make serve read its configuration again, as they make
// CoreDNS read its Corefile.
var reloadSignals = []os.Signal{syscall.SIGHUP, syscall.SIGUSR1}
