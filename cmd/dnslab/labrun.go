package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"dnslab/lab"
)

// runScenarios is `dnslab lab run [-update] [-junit FILE] FILE…`: it
// replays each scenario in a fresh lab, prints PASS or FAIL with a diff,
// and fails when any differs. With -update it rewrites their output.
func runScenarios(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("dnslab lab run", flag.ContinueOnError)
	update := fs.Bool("update", false,
		"rewrite each scenario's expected output with what it printed")
	junit := fs.String("junit", "", "write a JUnit XML report to `file`")
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return usageOr(err)
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: dnslab lab run [-update] [-junit FILE] FILE…")
		return errUsage
	}

	reports, err := replay(fs.Args(), *update, stdout)
	if err != nil {
		return err
	}
	if *junit != "" {
		if err := writeJUnit(*junit, reports); err != nil {
			return err
		}
	}

	return verdict(reports, *update)
}

// usageOr turns a flag parsing error into errUsage, help aside.
func usageOr(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}

	return errUsage
}

// replay runs each scenario and prints its outcome.
func replay(paths []string, update bool, stdout io.Writer) ([]*lab.Report, error) {
	var reports []*lab.Report
	for _, path := range paths {
		s, err := lab.LoadScenario(path)
		if err != nil {
			r := &lab.Report{Scenario: &lab.Scenario{Path: path}, Err: err}
			reports = append(reports, r)
			fmt.Fprintf(stdout, "FAIL %s\n%s", path, r.Diff())
			continue
		}

		r := s.Run()
		reports = append(reports, r)
		switch {
		case update && r.Err != nil:
			fmt.Fprintf(stdout, "FAIL %s\n%s", path, r.Diff())
		case update:
			if err := s.Update(r); err != nil {
				return reports, err
			}
			fmt.Fprintf(stdout, "updated %s\n", path)
		case r.Passed():
			fmt.Fprintf(stdout, "PASS %s (%s)\n", path, r.Took.Round(1e6))
		default:
			fmt.Fprintf(stdout, "FAIL %s\n%s", path, r.Diff())
		}
	}

	return reports, nil
}

// verdict returns errFailed when a scenario differed or could not run.
func verdict(reports []*lab.Report, update bool) error {
	for _, r := range reports {
		if r.Err != nil || !update && !r.Passed() {
			return errFailed
		}
	}

	return nil
}

func writeJUnit(path string, reports []*lab.Report) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := lab.WriteJUnit(f, reports); err != nil {
		f.Close()
		return err
	}

	return f.Close()
}
