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

var _ = os.Remove
