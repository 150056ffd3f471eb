package zone_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/internal/dnstest"
	"dnslab/zone"
)

// FuzzParse checks that Parse never panics and that a zone it loads reads
// back the same after being written out as text.
func FuzzParse(f *testing.F) {
	seed, err := os.ReadFile(dnstest.SeedFile())
	require.NoError(f, err)
	f.Add(string(seed), "emqx-cluster.org.")
	f.Add(apex+"a.b.c IN A 192.0.2.3\nwww.example.com. IN A 192.0.2.9\n", "example.org")
	f.Add(apex+"@ IN MX 10 mail\nmail IN AAAA 2001:db8::1\nt IN TXT \"a b\" c\n", "example.org")
	f.Add(apex+"x A 1.2.3\n", "example.org.")
	f.Add("$TTL 60\n@ SOA . . 1 2 3 4 5\n@ NS .\n", ".")

	f.Fuzz(func(t *testing.T, text, origin string) {
		// $INCLUDE reads files named by the input, such as /dev/zero.
		if strings.Contains(strings.ToLower(text), "$include") {
			t.Skip("$INCLUDE reads the file system")
		}

		z, err := zone.Parse(strings.NewReader(text), origin, "fuzz")
		if err != nil {
			return
		}

		again, err := zone.Parse(strings.NewReader(writeZone(z)), origin, "again")
		require.NoError(t, err, "zone as written:\n%s", writeZone(z))
		assert.Equal(t, sortedTexts(z), sortedTexts(again))
		assert.Equal(t, z.Len(), again.Len())

		for rr := range z.Records {
			h := rr.Header()
			res := z.Lookup(wireName(t, h.Name), h.Rrtype)
			assert.Contains(t, res.Answer, rr, "lookup of its owner and type")
		}
	})
}

// wireName returns name as a query carries it once unpacked.
func wireName(tb testing.TB, name string) string {
	tb.Helper()

	buf := make([]byte, 256)
	off, err := dns.PackDomainName(name, buf, 0, nil, false)
	require.NoError(tb, err)
	name, _, err = dns.UnpackDomainName(buf[:off], 0)
	require.NoError(tb, err)

	return name
}

// writeZone returns z in master-file format, one record a line.
func writeZone(z *zone.Zone) string {
	var b strings.Builder
	b.WriteString("$ORIGIN " + z.Origin() + "\n")
	for rr := range z.Records {
		b.WriteString(rr.String() + "\n")
	}

	return b.String()
}

func sortedTexts(z *zone.Zone) []string {
	texts := dnstest.Texts(records(z))
	slices.Sort(texts)

	return texts
}
