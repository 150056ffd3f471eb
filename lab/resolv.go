package lab

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// resolvConf returns the path of the resolv.conf file of node name, which
// the lab writes and the node reads at each lookup.
func (l *Lab) resolvConf(name string) string {
	safe := strings.Map(func(r rune) rune {
		if r == '.' || r == '-' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' ||
			'0' <= r && r <= '9' {
			return r
		}
		return '_'
	}, name)

	return filepath.Join(l.dir, safe+".resolv.conf")
}

// writeResolvConf points node name at the cache when it is on and at the
// lab's server when it is not.
func (l *Lab) writeResolvConf(name string) error {
	addr := l.Addr()
	if l.cacheOn {
		addr = l.cache.addr()
	}

	text := fmt.Sprintf("# written by dnslab for %s\nnameserver %s\n", name, addr)

	return os.WriteFile(l.resolvConf(name), []byte(text), 0o644)
}

// setCache puts the caching resolver between the nodes and the server, or
// takes it away (and empties it).
func (l *Lab) setCache(on bool) error {
	l.cacheOn = on
	if !on {
		l.cache.flush()
	}

	for _, nd := range l.net.Nodes() {
		if err := l.writeResolvConf(nd.Name()); err != nil {
			return err
		}
	}

	return nil
}
