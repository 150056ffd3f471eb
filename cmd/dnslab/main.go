// Command dnslab runs an authoritative DNS server and simulated EMQX nodes
// that cluster through it.
//
//	dnslab lab   [-zone FILE] [-origin ZONE] [-addr ADDR] [-seed N]
//	dnslab serve [-conf FILE] | [-zone FILE] [-origin ZONE] [-addr ADDR]
//	dnslab check [-o ORIGIN] FILE...
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"

	"dnslab/dnsserver"
	"dnslab/lab"
	"dnslab/node"
)

const usage = `usage:
  dnslab lab   [-zone FILE] [-origin ZONE] [-addr ADDR] [-seed N] [-profile P]
                                                                    run the lab console
  dnslab lab run [-update] [-junit FILE] SCENARIO...                replay lab scenarios
  dnslab serve [-conf FILE]                                         serve a Corefile's zones
  dnslab serve [-zone FILE] [-origin ZONE] [-addr ADDR]             serve one zone, no Corefile
  dnslab check [-o ORIGIN] FILE...                                  check zone files
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()

	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2)
	case errors.Is(err, errFailed):
		os.Exit(1)
	default:
		fmt.Fprintln(os.Stderr, "dnslab:", err)
		os.Exit(1)
	}
}

// errUsage is returned for a command line that was wrong; the usage has
// been printed already.
var errUsage = errors.New("usage")

// run runs one dnslab command until it is done or ctx ends.
func run(ctx context.Context, args []string, stdin *os.File, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}

	switch args[0] {
	case "lab":
		return runLab(ctx, args[1:], stdin, stdout, stderr)
	case "serve":
		return runServe(ctx, args[1:], stderr)
	case "check":
		return runCheck(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "dnslab: unknown command %q\n%s", args[0], usage)

	return errUsage
}

// parseFlags parses args into fs, which takes no positional arguments.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(stderr)

	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return err
	case err != nil:
		return errUsage
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		return errUsage
	}

	return nil
}

// zoneFlags are the flags lab and serve share.
type zoneFlags struct {
	zone, origin, addr string
}

func (z *zoneFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&z.zone, "zone", lab.DefaultZoneFile, "zone `file` in BIND master format")
	fs.StringVar(&z.origin, "origin", "",
		"the zone's `name` (default: NAME of a db.NAME file, else the SOA owner)")
	fs.StringVar(&z.addr, "addr", dnsserver.DefaultAddr, "UDP and TCP `address` to serve on")
}

// zoneOrigin returns the origin given, or the one the zone file implies.
func (z *zoneFlags) zoneOrigin() (string, error) {
	if z.origin != "" {
		return z.origin, nil
	}

	origin, err := guessOrigin(z.zone)
	if err != nil {
		return "", fmt.Errorf("%w (give the zone's name with -origin)", err)
	}

	return origin, nil
}

// runLab starts a lab and runs its console on stdin until EOF, quit or the
// end of ctx.
func runLab(ctx context.Context, args []string, stdin *os.File, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "run" {
		return runScenarios(args[1:], stdout, stderr)
	}

	var zf zoneFlags
	fs := flag.NewFlagSet("dnslab lab", flag.ContinueOnError)
	zf.register(fs)
	seed := fs.Uint64("seed", 1, "seed of the nodes' random choices")
	profile := fs.String("profile", "emqx3",
		"EMQX release the nodes behave as: emqx3, emqx4, emqx5")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	p, err := node.ParseProfile(*profile)
	if err != nil {
		return err
	}
	if zf.origin, err = zf.zoneOrigin(); err != nil {
		return err
	}

	l, err := lab.Start(lab.Config{
		ZoneFile: zf.zone, Origin: zf.origin, DNSAddr: zf.addr, Seed: *seed, Profile: p,
		Logger: slog.New(lab.NewLogHandler(stderr, slog.LevelInfo)),
		Output: stdout,
	})
	if err != nil {
		return err
	}
	defer l.Close()

	return console(ctx, l, stdin, stdout)
}

// console runs the lab's console on stdin until it ends or ctx does: on a
// terminal with line editing and history, otherwise line by line.
func console(ctx context.Context, l *lab.Lab, stdin *os.File, stdout io.Writer) error {
	done := make(chan error, 1)
	go func() {
		if term.IsTerminal(int(stdin.Fd())) {
			done <- l.Terminal(stdin, stdout)
			return
		}
		done <- l.Console(stdin, stdout, false)
	}()

	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return nil
	}
}
