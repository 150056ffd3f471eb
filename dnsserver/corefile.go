package dnsserver

import (
	"bytes"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/coredns/caddy/caddyfile"
	"github.com/miekg/dns"
)

// Corefile defaults: where a server block listens unless it says otherwise.
const (
	DefaultPort = 1053        // of a key without a port
	DefaultBind = "127.0.0.1" // of a block without bind
)

// DefaultChaos is the version `chaos` without an argument answers with.
const DefaultChaos = "dnslab"

// ParseCorefile reads a Corefile in CoreDNS's syntax, for the directives
// dnslab knows (bind, file, minimal, chaos, log and errors), and returns
// one Config per address listened on, in the order the Corefile first
// names them. Server blocks that listen on the same address share its
// Config, their zones served together. name is the Corefile's name in
// errors, which read "name:LINE - Error during parsing: …", and relative
// zone file names are taken from name's directory. It reads nothing else:
// zone files are loaded by New.
func ParseCorefile(name string, r io.Reader) ([]Config, error) {
	blocks, err := parseBlocks(name, r)
	if err != nil {
		return nil, err
	}

	ls := group(blocks)
	if err := validate(name, ls); err != nil {
		return nil, err
	}

	return configs(ls), nil
}

// serverBlock is one server block of a Corefile, as written.
type serverBlock struct {
	file  string         // the Corefile's name
	line  int            // where its keys are
	zones []string       // of its keys, canonical
	port  uint16         // of its keys
	binds []netip.Addr   // empty for DefaultBind
	files []fileStmt     // its file directives
	opts  blockOptions   // its other directives
	seen  map[string]int // directives that may appear once → their line
}

// fileStmt is one file directive.
type fileStmt struct {
	line   int
	path   string
	zones  []string      // canonical
	reload time.Duration // as Config.ReloadInterval: 0 default, negative off
}

// blockOptions are what dnslab applies per address; the blocks sharing one
// must agree on them.
type blockOptions struct {
	minimal    bool
	chaos      string
	logQueries bool
	logErrors  bool
}

// parseBlocks parses every server block of the Corefile.
func parseBlocks(name string, r io.Reader) ([]*serverBlock, error) {
	text, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}

	d := caddyfile.NewDispenser(name, bytes.NewReader(text))
	var blocks []*serverBlock
	for d.Next() {
		b, err := parseBlock(&d)
		if err != nil {
			return nil, err
		}
		blocks = append(blocks, b)
	}

	return blocks, nil
}

// parseBlock parses the server block whose first key d is at, up to its
// closing brace.
func parseBlock(d *caddyfile.Dispenser) (*serverBlock, error) {
	b := &serverBlock{file: d.File(), line: d.Line(), seen: make(map[string]int)}
	if err := b.parseKeys(d); err != nil {
		return nil, err
	}

	for d.Next() {
		if d.Val() == "}" {
			return b, nil
		}
		if err := b.parseDirective(d); err != nil {
			return nil, err
		}
	}

	return nil, d.Errf("the server block of line %d has no closing '}'", b.line)
}

// parseKeys parses the keys of a block, [dns://]ZONE[:PORT] each, up to
// the '{' that must end their line.
func (b *serverBlock) parseKeys(d *caddyfile.Dispenser) error {
	for d.Val() != "{" {
		if d.Val() == "}" {
			return d.Err("unexpected '}' outside a server block")
		}
		if err := b.parseKey(d.Val(), d); err != nil {
			return err
		}
		if !d.NextArg() {
			return d.Errf("expected '{' after the zones of a server block")
		}
	}
	if len(b.zones) == 0 {
		return d.Err("a server block needs a zone before '{'")
	}

	return nil
}

// parseKey adds the zone and port of one key.
func (b *serverBlock) parseKey(key string, d *caddyfile.Dispenser) error {
	host, port, err := splitKey(key, d)
	switch {
	case err != nil:
		return err
	case len(b.zones) > 0 && port != b.port:
		return d.Errf("%s: the zones of one server block must share a port (%d)", key, b.port)
	case !isZoneName(host):
		return d.Errf("%s: %q is not a zone name", key, host)
	}

	b.zones, b.port = append(b.zones, dns.CanonicalName(host)), port

	return nil
}

// splitKey returns the zone and port of a key, [dns://]ZONE[:PORT].
func splitKey(key string, d *caddyfile.Dispenser) (string, uint16, error) {
	rest := strings.TrimPrefix(strings.ToLower(key), "dns://")
	if strings.Contains(rest, "://") {
		return "", 0, d.Errf("%s: only dns:// servers are supported", key)
	}

	host, portText, hasPort := strings.Cut(rest, ":")
	if !hasPort {
		return host, DefaultPort, nil
	}
	port, err := strconv.ParseUint(portText, 10, 16)
	if err != nil {
		return "", 0, d.Errf("%s: %q is not a port", key, portText)
	}

	return host, uint16(port), nil
}

// isZoneName reports whether name is a domain name of letters, digits,
// hyphens and underscores, such as example.org or the root, ".".
func isZoneName(name string) bool {
	if _, ok := dns.IsDomainName(name); !ok || name == "" {
		return false
	}
	bad := func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			r == '-' || r == '_' || r == '.')
	}

	return strings.IndexFunc(name, bad) < 0
}
