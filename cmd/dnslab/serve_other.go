//go:build !unix

package main

import "os"

// reloadSignals make serve read its configuration again; there are none
// but on Unix.
var reloadSignals []os.Signal
