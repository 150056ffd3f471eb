package dnsserver

import (
	"net/netip"
	"path/filepath"
	"strings"
	"time"

	"github.com/coredns/caddy/caddyfile"
	"github.com/miekg/dns"
)

// directives parse one directive each; d is at its name and is left at
// its last token.
var directives = map[string]func(*serverBlock, *caddyfile.Dispenser) error{
	"bind":    (*serverBlock).parseBind,
	"file":    (*serverBlock).parseFile,
	"minimal": (*serverBlock).parseMinimal,
	"chaos":   (*serverBlock).parseChaos,
	"log":     (*serverBlock).parseLog,
	"errors":  (*serverBlock).parseErrors,
}

// parseDirective parses the directive d is at.
func (b *serverBlock) parseDirective(d *caddyfile.Dispenser) error {
	parse, ok := directives[d.Val()]
	if !ok {
		return d.Errf("unknown directive '%s'", d.Val())
	}

	return parse(b, d)
}

// once fails for a directive the block has had already.
func (b *serverBlock) once(d *caddyfile.Dispenser) error {
	if line, ok := b.seen[d.Val()]; ok {
		return d.Errf("%s given twice in a server block (first on line %d)", d.Val(), line)
	}
	b.seen[d.Val()] = d.Line()

	return nil
}

// noMoreArgs fails if the line of d goes on, with an argument or a block.
func noMoreArgs(d *caddyfile.Dispenser, directive string) error {
	if d.NextArg() {
		return d.Errf("%s: unexpected '%s'", directive, d.Val())
	}

	return nil
}

// parseBind parses `bind ADDR...`: the IP addresses to listen on.
func (b *serverBlock) parseBind(d *caddyfile.Dispenser) error {
	args := d.RemainingArgs()
	if len(args) == 0 {
		return d.ArgErr()
	}

	for _, arg := range args {
		ip, err := netip.ParseAddr(arg)
		if err != nil {
			return d.Errf("bind: %q is not an IP address", arg)
		}
		b.binds = append(b.binds, ip)
	}

	return noMoreArgs(d, "bind")
}

// parseFile parses `file FILE [ZONE...] [{ reload DURATION }]`.
func (b *serverBlock) parseFile(d *caddyfile.Dispenser) error {
	f := fileStmt{line: d.Line()}
	if !d.NextArg() || d.Val() == "{" {
		return d.ArgErr()
	}
	f.path = zoneFile(d)

	if err := b.parseFileZones(&f, d); err != nil {
		return err
	}
	for d.NextBlock() {
		if err := f.parseProperty(d); err != nil {
			return err
		}
	}
	b.files = append(b.files, f)

	return nil
}

// zoneFile returns the zone file d is at; a relative name is taken from the
// Corefile's directory.
func zoneFile(d *caddyfile.Dispenser) string {
	if filepath.IsAbs(d.Val()) {
		return d.Val()
	}

	return filepath.Join(filepath.Dir(d.File()), d.Val())
}

// parseFileZones reads the zones of a file directive, which must be the
// block's or below them; none means the block's.
func (b *serverBlock) parseFileZones(f *fileStmt, d *caddyfile.Dispenser) error {
	for _, name := range d.RemainingArgs() {
		z := dns.CanonicalName(name)
		switch {
		case !isZoneName(name):
			return d.Errf("file: %q is not a zone name", name)
		case !b.contains(z):
			return d.Errf("file: zone %s is outside the zones of its server block (%s)",
				z, strings.Join(b.zones, " "))
		}
		f.zones = append(f.zones, z)
	}
	if len(f.zones) == 0 {
		f.zones = append(f.zones, b.zones...)
	}

	return nil
}

// contains reports whether zone is one of the block's zones or below one.
func (b *serverBlock) contains(zone string) bool {
	for _, z := range b.zones {
		if dns.IsSubDomain(z, zone) {
			return true
		}
	}

	return false
}

// parseProperty parses one line of a file directive's block.
func (f *fileStmt) parseProperty(d *caddyfile.Dispenser) error {
	if d.Val() != "reload" {
		return d.Errf("file: unknown property '%s'", d.Val())
	}
	if f.reload != 0 {
		return d.Err("file: reload given twice")
	}

	return f.parseReload(d)
}

// parseReload parses `reload DURATION`; 0 turns reloading off.
func (f *fileStmt) parseReload(d *caddyfile.Dispenser) error {
	if !d.NextArg() {
		return d.ArgErr()
	}

	dur, err := time.ParseDuration(d.Val())
	if err != nil || dur < 0 {
		return d.Errf("file: reload: %q is not a duration such as 30s, or 0", d.Val())
	}
	f.reload = dur
	if dur == 0 {
		f.reload = -1
	}

	return noMoreArgs(d, "reload")
}

// parseMinimal parses `minimal`.
func (b *serverBlock) parseMinimal(d *caddyfile.Dispenser) error {
	b.opts.minimal = true
	return b.flag(d)
}

// parseLog parses `log`.
func (b *serverBlock) parseLog(d *caddyfile.Dispenser) error {
	b.opts.logQueries = true
	return b.flag(d)
}

// parseErrors parses `errors`.
func (b *serverBlock) parseErrors(d *caddyfile.Dispenser) error {
	b.opts.logErrors = true
	return b.flag(d)
}

// flag checks a directive without arguments that may appear once.
func (b *serverBlock) flag(d *caddyfile.Dispenser) error {
	if err := b.once(d); err != nil {
		return err
	}

	return noMoreArgs(d, d.Val())
}

// parseChaos parses `chaos [VERSION]`.
func (b *serverBlock) parseChaos(d *caddyfile.Dispenser) error {
	if err := b.once(d); err != nil {
		return err
	}

	b.opts.chaos = DefaultChaos
	if d.NextArg() {
		b.opts.chaos = d.Val()
	}
	switch b.opts.chaos {
	case "{":
		return d.Err("chaos: unexpected '{'")
	case "":
		return d.Err("chaos: the version must not be empty")
	}

	return noMoreArgs(d, "chaos")
}
