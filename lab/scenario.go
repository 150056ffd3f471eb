package lab

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pmezard/go-difflib/difflib"

	"dnslab/node"
)

// A scenario is a console transcript that replays in CI: a header of
// `key: value` lines (zone, origin, cluster, app, profile, seed, and boot:
// none to start no node at first), then each
// command as `lab> COMMAND` followed by the output it must print. Lines
// starting with # are comments; blank lines at the end of an output do not
// count.
//
//	# EMQX's guide: two nodes cluster, one stops.
//	zone: ../db.emqx-cluster.org
//	profile: emqx3
//	seed: 1
//
//	lab> stop emqx@192.168.1.162
//	lab> cluster status
//	Cluster status: [{running_nodes,['emqx@192.168.1.165']},
//	                 {stopped_nodes,['emqx@192.168.1.162']}]
type Scenario struct {
	Path   string
	Config Config // from the header; the zone file as the header names it
	Steps  []Step
	lines  []string
}

// Step is one command of a scenario and the output it must print.
type Step struct {
	Line    int // of the command in the file
	Command string
	Want    string
	tail    []string // comments and blank lines after the output, kept by Update
}

// prompt starts a command line in a transcript.
const prompt = "lab> "

// LoadScenario reads the scenario file at path.
func LoadScenario(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}

	s := &Scenario{Path: path, lines: strings.Split(string(data), "\n")}
	for i := 0; i < len(s.lines); i++ {
		line := s.lines[i]
		if strings.HasPrefix(line, prompt) {
			i = s.readStep(i) - 1
			continue
		}
		if err := s.readHeader(line, i+1); err != nil {
			return nil, err
		}
	}

	return s, nil
}

// readHeader reads one line before the first command.
func (s *Scenario) readHeader(line string, n int) error {
	line = strings.TrimSpace(line)
	if line == "" || strings.HasPrefix(line, "#") {
		return nil
	}
	if len(s.Steps) > 0 {
		return fmt.Errorf("%s:%d: output before any command", s.Path, n)
	}

	key, value, ok := strings.Cut(line, ":")
	if !ok {
		return fmt.Errorf("%s:%d: %q is not key: value", s.Path, n, line)
	}
	if err := s.setHeader(strings.TrimSpace(key), strings.TrimSpace(value)); err != nil {
		return fmt.Errorf("%s:%d: %w", s.Path, n, err)
	}

	return nil
}

// setHeader applies one header setting.
func (s *Scenario) setHeader(key, value string) error {
	c := &s.Config
	switch key {
	case "zone":
		c.ZoneFile = value
		if !filepath.IsAbs(value) {
			c.ZoneFile = filepath.Join(filepath.Dir(s.Path), value)
		}
	case "origin":
		c.Origin = value
	case "cluster":
		c.ClusterName = value
	case "app":
		c.App = value
	case "profile":
		p, err := node.ParseProfile(value)
		c.Profile = p
		return err
	case "seed":
		seed, err := strconv.ParseUint(value, 10, 64)
		c.Seed = seed
		return err
	case "boot":
		if value != "all" && value != "none" {
			return fmt.Errorf("boot: %q is not all or none", value)
		}
		c.NoBoot = value == "none"
	default:
		return fmt.Errorf("unknown header key %q (zone, origin, cluster, app, profile, "+
			"seed, boot)", key)
	}

	return nil
}

// readStep reads the command at line i and its output, and returns the
// index of the line after them.
func (s *Scenario) readStep(i int) int {
	step := Step{Line: i + 1, Command: strings.TrimPrefix(s.lines[i], prompt)}

	var out []string
	j := i + 1
	for ; j < len(s.lines) && !strings.HasPrefix(s.lines[j], prompt); j++ {
		out = append(out, s.lines[j])
	}

	body, tail := splitTail(out)
	step.Want, step.tail = joinLines(body), tail
	s.Steps = append(s.Steps, step)

	return j
}

// splitTail separates an output block from the comments and blank lines
// at its end.
func splitTail(block []string) (body, tail []string) {
	end := len(block)
	for end > 0 && (strings.TrimSpace(block[end-1]) == "" || strings.HasPrefix(block[end-1], "#")) {
		end--
	}

	for _, line := range block[:end] {
		if !strings.HasPrefix(line, "#") {
			body = append(body, line)
		}
	}

	return body, block[end:]
}

func joinLines(lines []string) string {
	if len(lines) == 0 {
		return ""
	}

	return strings.Join(lines, "\n") + "\n"
}

// Report is the outcome of a scenario run.
type Report struct {
	Scenario *Scenario
	Got      []string // each step's output, as the file writes it
	Took     time.Duration
	Err      error // the lab could not start
}

// Passed reports whether every step printed what it must.
func (r *Report) Passed() bool {
	if r.Err != nil {
		return false
	}
	for i, step := range r.Scenario.Steps {
		if r.Got[i] != step.Want {
			return false
		}
	}

	return true
}

// Run replays the scenario in a fresh lab: the zone file is copied first,
// so that zone edits leave it alone, and served on a free port.
func (s *Scenario) Run() *Report {
	start := time.Now()
	r := &Report{Scenario: s}

	l, err := s.start()
	if err != nil {
		r.Err = err
		return r
	}
	defer l.Close()

	for _, step := range s.Steps {
		r.Got = append(r.Got, l.transcript(step.Command))
	}
	r.Took = time.Since(start)

	return r
}

// start starts the scenario's lab.
func (s *Scenario) start() (*Lab, error) {
	cfg := s.Config
	if cfg.ZoneFile == "" {
		return nil, fmt.Errorf("%s: the header names no zone", s.Path)
	}

	data, err := os.ReadFile(cfg.ZoneFile)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "dnslab-scenario-")
	if err != nil {
		return nil, err
	}
	copyPath := filepath.Join(dir, filepath.Base(cfg.ZoneFile))
	if err := os.WriteFile(copyPath, data, 0o644); err != nil {
		return nil, err
	}

	cfg.ZoneFile, cfg.DNSAddr, cfg.NoWatch = copyPath, "127.0.0.1:0", true
	l, err := Start(cfg)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	l.cleanup = append(l.cleanup, func() { os.RemoveAll(dir) })

	return l, nil
}

// transcript runs one command and returns what the console shows for it.
func (l *Lab) transcript(command string) string {
	var out bytes.Buffer
	l.out.swap(&out)
	defer l.out.swap(l.cfg.Output)

	if err := l.Exec(&out, command); err != nil && err != errQuit {
		fmt.Fprintf(&out, "error: %v\n", err)
	}

	body, _ := splitTail(strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n"))

	return joinLines(body)
}

// Diff returns the differences between the scenario and the run, as a
// unified diff of each step that differs, or "" when it passed.
func (r *Report) Diff() string {
	if r.Err != nil {
		return r.Err.Error() + "\n"
	}

	var b strings.Builder
	for i, step := range r.Scenario.Steps {
		if r.Got[i] == step.Want {
			continue
		}
		diff, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
			A: difflib.SplitLines(step.Want), B: difflib.SplitLines(r.Got[i]),
			FromFile: fmt.Sprintf("%s:%d want", r.Scenario.Path, step.Line),
			ToFile:   "got", Context: 3,
		})
		fmt.Fprintf(&b, "%s:%d: lab> %s\n%s", r.Scenario.Path, step.Line, step.Command, diff)
	}

	return b.String()
}

// Update rewrites the scenario file with the output of the run.
func (s *Scenario) Update(r *Report) error {
	if r.Err != nil {
		return r.Err
	}

	var b strings.Builder
	first := len(s.lines)
	if len(s.Steps) > 0 {
		first = s.Steps[0].Line - 1
	}
	for _, line := range s.lines[:first] {
		b.WriteString(line + "\n")
	}
	for i, step := range s.Steps {
		b.WriteString(prompt + step.Command + "\n" + r.Got[i])
		for _, line := range step.tail {
			b.WriteString(line + "\n")
		}
	}

	return os.WriteFile(s.Path, []byte(strings.TrimSuffix(b.String(), "\n")), 0o644)
}

// WriteJUnit writes reports as a JUnit XML report, for CI systems.
func WriteJUnit(w io.Writer, reports []*Report) error {
	type failure struct {
		Message string `xml:"message,attr"`
		Text    string `xml:",chardata"`
	}
	type testcase struct {
		Name      string   `xml:"name,attr"`
		ClassName string   `xml:"classname,attr"`
		Time      float64  `xml:"time,attr"`
		Failure   *failure `xml:"failure,omitempty"`
	}
	type testsuite struct {
		XMLName  xml.Name   `xml:"testsuite"`
		Name     string     `xml:"name,attr"`
		Tests    int        `xml:"tests,attr"`
		Failures int        `xml:"failures,attr"`
		Cases    []testcase `xml:"testcase"`
	}

	suite := testsuite{Name: "dnslab lab scenarios", Tests: len(reports)}
	for _, r := range reports {
		c := testcase{Name: r.Scenario.Path, ClassName: "scenario", Time: r.Took.Seconds()}
		if !r.Passed() {
			suite.Failures++
			c.Failure = &failure{Message: "output differs", Text: r.Diff()}
		}
		suite.Cases = append(suite.Cases, c)
	}

	bw := bufio.NewWriter(w)
	bw.WriteString(xml.Header)
	enc := xml.NewEncoder(bw)
	enc.Indent("", "  ")
	if err := enc.Encode(suite); err != nil {
		return err
	}
	bw.WriteString("\n")

	return bw.Flush()
}
