package lab_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"dnslab/lab"
)

var update = flag.Bool("update", false, "rewrite the scenarios' expected output")

// Every scenario of testdata/scenarios replays exactly.
func TestScenarios(t *testing.T) {
	paths, err := filepath.Glob("../testdata/scenarios/*.txt")
	require.NoError(t, err)
	require.NotEmpty(t, paths)

	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			s, err := lab.LoadScenario(path)
			require.NoError(t, err)

			r := s.Run()
			if *update {
				require.NoError(t, s.Update(r))
				return
			}
			if !r.Passed() {
				t.Errorf("scenario differs (go test ./lab -run TestScenarios -update "+
					"rewrites it):\n%s", r.Diff())
			}
		})
	}
}

// A scenario's zone is named relative to the scenario file, or absolute.
func TestScenarioZonePath(t *testing.T) {
	zone, err := filepath.Abs("../testdata/db.emqx-cluster.org")
	require.NoError(t, err)
	dir := t.TempDir()

	for name, header := range map[string]string{"absolute": zone,
		"relative": "../" + filepath.Base(dir) + "/db.zone"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(zone)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(dir, "db.zone"), data, 0o644))
			path := filepath.Join(dir, "s.txt")
			text := "zone: " + header + "\n\nlab> cluster status\n" +
				"Cluster status: [{running_nodes,['emqx@192.168.1.162','emqx@192.168.1.165']}]\n"
			require.NoError(t, os.WriteFile(path, []byte(text), 0o644))

			s, err := lab.LoadScenario(path)
			require.NoError(t, err)
			r := s.Run()
			require.NoError(t, r.Err)
			require.True(t, r.Passed(), r.Diff())
		})
	}
}
