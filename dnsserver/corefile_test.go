package dnsserver_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/dnsserver"
)

// corefileCase is a Corefile and the Configs it makes, or the error.
type corefileCase struct {
	name     string
	corefile string
	want     []dnsserver.Config
	err      string // the error's text after "Corefile:", when it fails
}

// zones returns the ZoneConfigs of origin and file pairs.
func zones(pairs ...string) []dnsserver.ZoneConfig {
	var out []dnsserver.ZoneConfig
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, dnsserver.ZoneConfig{Origin: pairs[i], File: pairs[i+1]})
	}

	return out
}

var corefileCases = []corefileCase{
	{
		name:     "defaults",
		corefile: "example.org {\n\tfile db.example.org\n}\n",
		want: []dnsserver.Config{{Addr: "127.0.0.1:1053",
			Zones: zones("example.org.", "conf/db.example.org")}},
	},
	{
		name: "port, binds and dns scheme",
		corefile: "dns://Example.ORG:5353 {\n\tbind 127.0.0.1 ::1\n\tbind 127.0.0.1\n" +
			"\tfile /srv/db.example.org\n}\n",
		want: []dnsserver.Config{
			{Addr: "127.0.0.1:5353", Zones: zones("example.org.", "/srv/db.example.org")},
			{Addr: "[::1]:5353", Zones: zones("example.org.", "/srv/db.example.org")},
		},
	},
	{
		name: "blocks on one address share it",
		corefile: "example.org {\n\tfile db.example.org\n\tlog\n}\n" +
			"example.net:1053 {\n\tbind 127.0.0.1\n\tfile db.example.net\n\tlog\n}\n",
		want: []dnsserver.Config{{Addr: "127.0.0.1:1053", LogQueries: true,
			Zones: zones("example.org.", "conf/db.example.org",
				"example.net.", "conf/db.example.net")}},
	},
	{
		name: "one zone on two addresses",
		corefile: "example.org {\n\tfile db.example.org\n}\n" +
			"example.org:5353 {\n\tfile db.example.org\n\tminimal\n}\n" +
			"example.org {\n\tbind ::1\n\tfile db.example.org\n}\n",
		want: []dnsserver.Config{
			{Addr: "127.0.0.1:1053", Zones: zones("example.org.", "conf/db.example.org")},
			{Addr: "127.0.0.1:5353", Zones: zones("example.org.", "conf/db.example.org"),
				Minimal: true},
			{Addr: "[::1]:1053", Zones: zones("example.org.", "conf/db.example.org")},
		},
	},
	{
		name: "file zones: several, below the block's, from the root block",
		corefile: "example.org example.net {\n\tfile db.shared\n}\n" +
			". {\n\tbind ::1\n\tfile db.sub sub.example.org\n" +
			"\tfile db.example.net example.net\n}\n",
		want: []dnsserver.Config{
			{Addr: "127.0.0.1:1053", Zones: zones("example.org.", "conf/db.shared",
				"example.net.", "conf/db.shared")},
			{Addr: "[::1]:1053", Zones: zones("sub.example.org.", "conf/db.sub",
				"example.net.", "conf/db.example.net")},
		},
	},
	{
		name: "reload, and 0 turning it off",
		corefile: "example.org {\n\tfile db.example.org {\n\t\treload 30s\n\t}\n}\n" +
			"example.net:5353 {\n\tfile db.example.net example.net {\n\t\treload 0\n\t}\n}\n",
		want: []dnsserver.Config{
			{Addr: "127.0.0.1:1053", Zones: zones("example.org.", "conf/db.example.org"),
				ReloadInterval: 30 * time.Second},
			{Addr: "127.0.0.1:5353", Zones: zones("example.net.", "conf/db.example.net"),
				ReloadInterval: -1},
		},
	},
	{
		name: "reload given as the default agrees with none",
		corefile: "example.org {\n\tfile db.example.org\n}\n" +
			"example.net {\n\tfile db.example.net {\n\t\treload 1s\n\t}\n}\n",
		want: []dnsserver.Config{{Addr: "127.0.0.1:1053", Zones: zones(
			"example.org.", "conf/db.example.org", "example.net.", "conf/db.example.net")}},
	},
	{
		name: "options, comments and quotes",
		corefile: "# a comment\nexample.org {\n\tfile \"db example.org\" # the zone\n" +
			"\tminimal\n\tchaos \"dnslab 1.0\"\n\tlog\n\terrors\n}\n" +
			"example.net:5353 {\n\tfile db.example.net\n\tchaos\n}\n",
		want: []dnsserver.Config{
			{Addr: "127.0.0.1:1053", Zones: zones("example.org.", "conf/db example.org"),
				Minimal: true, Chaos: "dnslab 1.0", LogQueries: true, LogErrors: true},
			{Addr: "127.0.0.1:5353", Zones: zones("example.net.", "conf/db.example.net"),
				Chaos: "dnslab"},
		},
	},

	{name: "empty", corefile: "# nothing\n", err: " no server blocks"},
	{name: "unknown directive", corefile: "example.org {\n\tforward . 192.0.2.53\n}\n",
		err: "2 - Error during parsing: unknown directive 'forward'"},
	{name: "file without a file", corefile: "example.org {\n\tfile\n}\n",
		err: "2 - Error during parsing: Wrong argument count or unexpected line ending " +
			"after 'file'"},
	{name: "file with a block but no file", corefile: "example.org {\n\tfile {\n\t}\n}\n",
		err: "2 - Error during parsing: Unexpected token '{', expecting argument"},
	{name: "argument to minimal", corefile: "example.org {\n\tfile db\n\tminimal yes\n}\n",
		err: "3 - Error during parsing: minimal: unexpected 'yes'"},
	{name: "argument to log", corefile: "example.org {\n\tfile db\n\tlog stdout\n}\n",
		err: "3 - Error during parsing: log: unexpected 'stdout'"},
	{name: "block after errors", corefile: "example.org {\n\tfile db\n\terrors {\n\t}\n}\n",
		err: "3 - Error during parsing: errors: unexpected '{'"},
	{name: "two versions", corefile: "example.org {\n\tfile db\n\tchaos 1.0 2.0\n}\n",
		err: "3 - Error during parsing: chaos: unexpected '2.0'"},
	{name: "empty version", corefile: "example.org {\n\tfile db\n\tchaos \"\"\n}\n",
		err: "3 - Error during parsing: chaos: the version must not be empty"},
	{name: "minimal twice", corefile: "example.org {\n\tminimal\n\tfile db\n\tminimal\n}\n",
		err: "4 - Error during parsing: minimal given twice in a server block " +
			"(first on line 2)"},
	{name: "reload without unit",
		corefile: "example.org {\n\tfile db {\n\t\treload 10\n\t}\n}\n",
		err: "3 - Error during parsing: file: reload: \"10\" is not a duration " +
			"such as 30s, or 0"},
	{name: "negative reload",
		corefile: "example.org {\n\tfile db {\n\t\treload -1s\n\t}\n}\n",
		err: "3 - Error during parsing: file: reload: \"-1s\" is not a duration " +
			"such as 30s, or 0"},
	{name: "reload twice",
		corefile: "example.org {\n\tfile db {\n\t\treload 1s\n\t\treload 2s\n\t}\n}\n",
		err:      "4 - Error during parsing: file: reload given twice"},
	{name: "reload without duration",
		corefile: "example.org {\n\tfile db {\n\t\treload\n\t}\n}\n",
		err: "3 - Error during parsing: Wrong argument count or unexpected line ending " +
			"after 'reload'"},
	{name: "unknown file property",
		corefile: "example.org {\n\tfile db {\n\t\ttransfer to *\n\t}\n}\n",
		err:      "3 - Error during parsing: file: unknown property 'transfer'"},
	{name: "file zone outside the block",
		corefile: "example.org {\n\tfile db example.org\n\tfile db2 example.net\n}\n",
		err: "3 - Error during parsing: file: zone example.net. is outside the zones " +
			"of its server block (example.org.)"},
	{name: "bad file zone", corefile: "example.org {\n\tfile db exa$mple.org\n}\n",
		err: "2 - Error during parsing: file: \"exa$mple.org\" is not a zone name"},
	{name: "zone twice in a block",
		corefile: "example.org {\n\tfile db example.org\n\tfile db2 example.org\n}\n",
		err: "3 - Error during parsing: zone example.org. is served twice on " +
			"127.0.0.1:1053 (first on line 2)"},
	{name: "zone twice on an address",
		corefile: ". {\n\tfile db example.org\n}\nexample.org {\n\tfile db\n}\n",
		err: "5 - Error during parsing: zone example.org. is served twice on " +
			"127.0.0.1:1053 (first on line 2)"},
	{name: "key twice on an address",
		corefile: "example.org {\n\tfile db\n}\nexample.org:1053 {\n\tfile db2 a.example.org\n}\n",
		err: "4 - Error during parsing: zone example.org. is already a key of the server " +
			"block of line 1 on 127.0.0.1:1053"},
	{name: "options differ on an address",
		corefile: "example.org {\n\tfile db\n\tminimal\n}\n\nexample.net {\n\tfile db2\n}\n",
		err: "6 - Error during parsing: minimal differs from the server block of line 1, " +
			"which also listens on 127.0.0.1:1053: dnslab applies it to every zone " +
			"of an address"},
	{name: "reload differs on an address",
		corefile: "example.org example.net {\n\tfile db example.org\n" +
			"\tfile db2 example.net {\n\t\treload 5s\n\t}\n}\n",
		err: "3 - Error during parsing: file: reload differs from line 2, which also " +
			"serves 127.0.0.1:1053: dnslab reloads every zone of an address alike"},
	{name: "block without file", corefile: "example.org {\n\tlog\n}\n",
		err: "1 - Error during parsing: the server block serves no zone: " +
			"it needs a file directive"},
	{name: "bind to a name", corefile: "example.org {\n\tbind localhost\n\tfile db\n}\n",
		err: "2 - Error during parsing: bind: \"localhost\" is not an IP address"},
	{name: "bind without address", corefile: "example.org {\n\tbind\n\tfile db\n}\n",
		err: "2 - Error during parsing: Wrong argument count or unexpected line ending " +
			"after 'bind'"},
	{name: "port by name", corefile: "example.org:domain {\n\tfile db\n}\n",
		err: "1 - Error during parsing: example.org:domain: \"domain\" is not a port"},
	{name: "port too large", corefile: "\nexample.org:70000 {\n\tfile db\n}\n",
		err: "2 - Error during parsing: example.org:70000: \"70000\" is not a port"},
	{name: "other scheme", corefile: "tls://example.org {\n\tfile db\n}\n",
		err: "1 - Error during parsing: tls://example.org: only dns:// servers " +
			"are supported"},
	{name: "ports differ in a block",
		corefile: "example.org:1053 example.net:5353 {\n\tfile db\n}\n",
		err: "1 - Error during parsing: example.net:5353: the zones of one server block " +
			"must share a port (1053)"},
	{name: "bad zone", corefile: "example.org, example.net {\n\tfile db\n}\n",
		err: "1 - Error during parsing: example.org,: \"example.org,\" is not a zone name"},
	{name: "no zone", corefile: "{\n\tfile db\n}\n",
		err: "1 - Error during parsing: a server block needs a zone before '{'"},
	{name: "no brace", corefile: "example.org\n\tfile db\n",
		err: "1 - Error during parsing: expected '{' after the zones of a server block"},
	{name: "extra closing brace", corefile: "example.org {\n\tfile db\n}\n}\n",
		err: "4 - Error during parsing: unexpected '}' outside a server block"},
	{name: "no closing brace", corefile: "example.org {\n\tfile db\n",
		err: "2 - Error during parsing: the server block of line 1 has no closing '}'"},
}

func TestParseCorefile(t *testing.T) {
	for _, tc := range corefileCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := dnsserver.ParseCorefile("conf/Corefile", strings.NewReader(tc.corefile))

			if tc.err != "" {
				assert.EqualError(t, err, "conf/Corefile:"+tc.err)
				assert.Nil(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

// A Corefile without a directory takes relative zone files from the
// working directory, as they are written.
func TestParseCorefileRelativePaths(t *testing.T) {
	const corefile = "example.org {\n\tfile testdata/db.example.org\n}\n"

	got, err := dnsserver.ParseCorefile("Corefile", strings.NewReader(corefile))

	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, zones("example.org.", "testdata/db.example.org"), got[0].Zones)
}

// FuzzCorefile checks that ParseCorefile never panics and that what it
// accepts is a list of servers with zones, each on its own address.
func FuzzCorefile(f *testing.F) {
	for _, tc := range corefileCases {
		f.Add(tc.corefile)
	}

	f.Fuzz(func(t *testing.T, corefile string) {
		cfgs, err := dnsserver.ParseCorefile("Corefile", strings.NewReader(corefile))
		if err != nil {
			assert.Contains(t, err.Error(), "Corefile")
			return
		}

		addrs := make(map[string]bool)
		for _, cfg := range cfgs {
			assert.NotEmpty(t, cfg.Zones)
			assert.False(t, addrs[cfg.Addr], "address %s twice", cfg.Addr)
			addrs[cfg.Addr] = true
		}
	})
}
