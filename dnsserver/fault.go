package dnsserver

import (
	"strings"
	"sync"
	"sync/atomic"

	"github.com/miekg/dns"
)

// Fault is what a server does to a query instead of answering it, so that
// a lab can show how clients cope with a failing nameserver.
type Fault uint8

// The faults.
const (
	FaultNone     Fault = iota
	FaultServFail       // answer SERVFAIL
	FaultRefused        // answer REFUSED
	FaultNXDomain       // answer NXDOMAIN, no records
	FaultTimeout        // answer nothing: the client waits and times out
)

var faultNames = [...]string{FaultNone: "none", FaultServFail: "servfail",
	FaultRefused: "refused", FaultNXDomain: "nxdomain", FaultTimeout: "timeout"}

// String returns the fault's name: servfail, refused, nxdomain or timeout.
func (f Fault) String() string { return faultNames[f] }

// ParseFault returns the fault called name.
func ParseFault(name string) (Fault, bool) {
	for f, n := range faultNames {
		if n == name && f != int(FaultNone) {
			return Fault(f), true
		}
	}

	return FaultNone, false
}

// Faults holds the faults a server applies, by query name. The zero value
// applies none. Its methods are safe for concurrent use, also while the
// server answers.
type Faults struct {
	active atomic.Bool // any fault set: the answer path checks this first
	mu     sync.Mutex
	all    Fault            // for every name, unless byName says otherwise
	byName map[string]Fault // lower-case FQDN
}

// Set makes the server apply f to queries for name, or to every query when
// name is "".
func (fs *Faults) Set(name string, f Fault) {
	fs.mu.Lock()
	defer fs.mu.Unlock()

	if name == "" {
		fs.all = f
	} else {
		if fs.byName == nil {
			fs.byName = make(map[string]Fault)
		}
		fs.byName[dns.CanonicalName(name)] = f
	}
	fs.active.Store(fs.all != FaultNone || len(fs.byName) > 0)
}

// Clear removes every fault.
func (fs *Faults) Clear() {
	fs.mu.Lock()
	defer fs.mu.Unlock()

	fs.all, fs.byName = FaultNone, nil
	fs.active.Store(false)
}

// For returns the fault to apply to a query for qname.
func (fs *Faults) For(qname string) Fault {
	if fs == nil || !fs.active.Load() {
		return FaultNone
	}

	fs.mu.Lock()
	defer fs.mu.Unlock()

	if f, ok := fs.byName[strings.ToLower(dns.Fqdn(qname))]; ok {
		return f
	}

	return fs.all
}

// rcode returns the response code a fault answers with.
func (f Fault) rcode() int {
	return map[Fault]int{FaultServFail: dns.RcodeServerFailure, FaultRefused: dns.RcodeRefused,
		FaultNXDomain: dns.RcodeNameError}[f]
}
