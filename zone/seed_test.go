package zone_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"dnslab/internal/dnstest"
)

// seedText is the zone of EMQX's "Auto-cluster by DNS" guide, exactly as
// the guide writes it: tabs and spaces mixed, a comment after each SOA
// number, a blank line and trailing blanks inside the parentheses, a blank
// owner on the NS line.
const seedText = "$TTL    604800\n" +
	"@\tIN\tSOA\tns1.emqx-cluster.org. root.emqx-cluster.org. (\n" +
	"\t\t2018042201      ;Serial\n" +
	"    3600    ;Refresh\n" +
	"    1800    ;Retry\n" +
	"    604800  ;Expire\n" +
	"    86400   ;Minimum TTL      \n" +
	"\n" +
	")   \n" +
	";\n" +
	"\t  IN\tNS\tns1.emqx-cluster.org.\n" +
	"ns1\tIN\tA\t192.168.1.162\n" +
	"cluster\t\tIN\tA\t192.168.1.162\n" +
	"cluster\t\tIN\tA\t192.168.1.165\n"

// testdata/db.emqx-cluster.org holds the guide's zone byte for byte. The
// lab's zone add and zone del rewrite the file `make lab` serves; after
// playing with them, `git checkout testdata/db.emqx-cluster.org` restores
// it, which this and other tests need.
func TestSeedZoneIsTheGuides(t *testing.T) {
	data, err := os.ReadFile(dnstest.SeedFile())
	require.NoError(t, err)
	assert.Equal(t, seedText, string(data), "testdata/db.emqx-cluster.org was edited "+
		"(make lab's zone add and zone del rewrite it); git checkout "+
		"testdata/db.emqx-cluster.org restores it")
}
