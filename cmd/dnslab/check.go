package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/miekg/dns"

	"dnslab/zone"
)

// errFailed is returned by a command that failed after printing why.
var errFailed = errors.New("failed")

// runCheck loads each zone file the way `dnslab serve` would and reports
// the outcome in the manner of named-checkzone: "zone ORIGIN/IN: loaded
// serial N" and "OK" on stdout, or every problem as FILE:LINE: text.
// Warnings go to stderr. It returns errFailed when a file does not load.
func runCheck(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("dnslab check", flag.ContinueOnError)
	origin := fs.String("o", "",
		"the zones' `origin` (default: ORIGIN of a db.ORIGIN file name, else the SOA owner)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: dnslab check [-o ORIGIN] FILE...\n")
		fs.PrintDefaults()
	}
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return usageErr(err)
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "dnslab check: no zone file")
		fs.Usage()
		return errUsage
	}

	ok := true
	for _, file := range fs.Args() {
		ok = checkFile(file, *origin, stdout, stderr) && ok
	}
	if !ok {
		return errFailed
	}

	return nil
}

// usageErr returns the error of runCheck for a flag parsing error err.
func usageErr(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}

	return errUsage
}

// checkFile loads one zone file, with origin if it is set, prints the
// outcome and reports whether the file loaded.
func checkFile(file, origin string, stdout, stderr io.Writer) bool {
	if origin == "" {
		var err error
		if origin, err = guessOrigin(file); err != nil {
			printProblems(stdout, err)
			fmt.Fprintf(stdout, "%s: give the zone's origin with -o\n", file)
			return false
		}
	}

	z, err := zone.Load(file, origin)
	if err != nil {
		printProblems(stdout, err)
		return false
	}

	for _, w := range z.Warnings() {
		fmt.Fprintln(stderr, w)
	}
	fmt.Fprintf(stdout, "zone %s/IN: loaded serial %d\nOK\n", shownOrigin(origin), z.Serial())

	return true
}

// guessOrigin returns the origin of the zone file named file: NAME for a
// file named db.NAME, as in BIND's examples, else the owner of its SOA.
func guessOrigin(file string) (string, error) {
	if name, ok := strings.CutPrefix(filepath.Base(file), "db."); ok && name != "" {
		return name, nil
	}

	return zone.FindOrigin(file)
}

// shownOrigin returns origin as named-checkzone prints it: as given, without
// the final dot, unless it is the root.
func shownOrigin(origin string) string {
	if origin == "." || !dns.IsFqdn(origin) {
		return origin
	}

	return origin[:len(origin)-1]
}

// printProblems prints each problem in err, one a line: the
// *zone.ParseError values a load returns, possibly joined, read FILE:LINE:
// text.
func printProblems(w io.Writer, err error) {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			printProblems(w, e)
		}
		return
	}

	fmt.Fprintln(w, err)
}
