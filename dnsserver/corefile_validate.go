package dnsserver

import (
	"fmt"
	"net/netip"
	"slices"
	"time"
)

// listener is one address a Corefile listens on, with the server blocks
// that listen there.
type listener struct {
	addr   netip.AddrPort
	blocks []*serverBlock
}

// group returns the addresses the blocks listen on, in the order they are
// first named, each with its blocks.
func group(blocks []*serverBlock) []*listener {
	var ls []*listener
	byAddr := make(map[netip.AddrPort]*listener)
	for _, b := range blocks {
		for _, ap := range b.addrs() {
			l := byAddr[ap]
			if l == nil {
				l = &listener{addr: ap}
				byAddr[ap] = l
				ls = append(ls, l)
			}
			l.blocks = append(l.blocks, b)
		}
	}

	return ls
}

// addrs returns the addresses the block listens on, each once.
func (b *serverBlock) addrs() []netip.AddrPort {
	binds := b.binds
	if len(binds) == 0 {
		binds = []netip.Addr{netip.MustParseAddr(DefaultBind)}
	}

	var out []netip.AddrPort
	for _, ip := range binds {
		if ap := netip.AddrPortFrom(ip, b.port); !slices.Contains(out, ap) {
			out = append(out, ap)
		}
	}

	return out
}

// validate checks what single directives cannot: that the Corefile has a
// server block, that each block serves a zone file, that no address
// serves a zone twice or has two blocks for one zone, and that the blocks
// sharing an address agree on what dnslab applies per address.
func validate(name string, ls []*listener) error {
	if len(ls) == 0 {
		return fmt.Errorf("%s: no server blocks", name)
	}

	for _, l := range ls {
		if err := l.validate(); err != nil {
			return err
		}
	}

	return nil
}

// validate checks the blocks of l in order.
func (l *listener) validate() error {
	keys := make(map[string]int)  // zone of a key → line of its block
	zones := make(map[string]int) // zone served → line of its file directive
	for _, b := range l.blocks {
		if err := l.checkBlock(b, keys); err != nil {
			return err
		}
		for _, f := range b.files {
			if err := l.checkFile(b, f, zones); err != nil {
				return err
			}
		}
	}

	return nil
}

// checkBlock checks block b of l against the first block of l and the
// keys of the blocks before it.
func (l *listener) checkBlock(b *serverBlock, keys map[string]int) error {
	if len(b.files) == 0 {
		return errAt(b.file, b.line, "the server block serves no zone: it needs a file directive")
	}

	first := l.blocks[0]
	if what := b.opts.differ(first.opts); what != "" {
		return errAt(b.file, b.line, "%s differs from the server block of line %d, "+
			"which also listens on %s: dnslab applies it to every zone of an address",
			what, first.line, l.addr)
	}

	return l.checkKeys(b, keys)
}

// checkKeys checks that no block before b on l has a key of b.
func (l *listener) checkKeys(b *serverBlock, keys map[string]int) error {
	for _, z := range b.zones {
		if line, ok := keys[z]; ok {
			return errAt(b.file, b.line, "zone %s is already a key of the server block "+
				"of line %d on %s", z, line, l.addr)
		}
		keys[z] = b.line
	}

	return nil
}

// checkFile checks file directive f of block b of l against the first of
// l and the zones served before it.
func (l *listener) checkFile(b *serverBlock, f fileStmt, zones map[string]int) error {
	first := l.blocks[0].files[0]
	if withDefault(f.reload) != withDefault(first.reload) {
		return errAt(b.file, f.line, "file: reload differs from line %d, which also "+
			"serves %s: dnslab reloads every zone of an address alike", first.line, l.addr)
	}

	for _, z := range f.zones {
		if line, ok := zones[z]; ok {
			return errAt(b.file, f.line, "zone %s is served twice on %s (first on line %d)",
				z, l.addr, line)
		}
		zones[z] = f.line
	}

	return nil
}

// withDefault returns reload interval d with zero meaning the default.
func withDefault(d time.Duration) time.Duration {
	if d == 0 {
		return DefaultReloadInterval
	}

	return d
}

// differ returns the directive in which o and p differ first, or "".
func (o blockOptions) differ(p blockOptions) string {
	switch {
	case o.minimal != p.minimal:
		return "minimal"
	case o.chaos != p.chaos:
		return "chaos"
	case o.logQueries != p.logQueries:
		return "log"
	case o.logErrors != p.logErrors:
		return "errors"
	}

	return ""
}

// configs returns the Config of each address.
func configs(ls []*listener) []Config {
	out := make([]Config, 0, len(ls))
	for _, l := range ls {
		out = append(out, l.config())
	}

	return out
}

// config returns the Config of l, its zones in the order of the Corefile.
func (l *listener) config() Config {
	first := l.blocks[0]

	return Config{
		Addr:           l.addr.String(),
		Zones:          l.zones(),
		ReloadInterval: first.files[0].reload,
		Minimal:        first.opts.minimal,
		Chaos:          first.opts.chaos,
		LogQueries:     first.opts.logQueries,
		LogErrors:      first.opts.logErrors,
	}
}

// zones returns the zones of the file directives on l.
func (l *listener) zones() []ZoneConfig {
	var out []ZoneConfig
	for _, b := range l.blocks {
		for _, f := range b.files {
			for _, z := range f.zones {
				out = append(out, ZoneConfig{Origin: z, File: f.path})
			}
		}
	}

	return out
}

// errAt returns an error about line of file, in the form of the errors of
// caddyfile.Dispenser.
func errAt(file string, line int, format string, args ...any) error {
	return fmt.Errorf("%s:%d - Error during parsing: %s", file, line, fmt.Sprintf(format, args...))
}
