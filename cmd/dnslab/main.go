// Command dnslab runs an authoritative DNS server and simulated EMQX nodes
// that cluster through it.
//
//	dnslab lab   [-zone FILE] [-origin ZONE] [-addr ADDR] [-seed N]
//	dnslab serve [-zone FILE] [-origin ZONE] [-addr ADDR]
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
)

const usage = `usage:
  dnslab lab   [-zone FILE] [-origin ZONE] [-addr ADDR] [-seed N]   run the lab console
  dnslab serve [-zone FILE] [-origin ZONE] [-addr ADDR]             run the DNS server alone
`

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "dnslab:", err)
		}
		os.Exit(1)
	}
}

func run(args []string, stdin *os.File, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return flag.ErrHelp
	}

	switch args[0] {
	case "lab":
		return runLab(args[1:], stdin, stdout, stderr)
	case "serve":
		return runServe(args[1:], stderr)
	}
	fmt.Fprint(stderr, usage)

	return fmt.Errorf("unknown command %q", args[0])
}

// zoneFlags are the flags lab and serve share.
type zoneFlags struct {
	zone, origin, addr string
}

func (z *zoneFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&z.zone, "zone", lab.DefaultZoneFile, "zone `file` in BIND master format")
	fs.StringVar(&z.origin, "origin", lab.DefaultOrigin, "the zone's `name`")
	fs.StringVar(&z.addr, "addr", dnsserver.DefaultAddr, "UDP and TCP `address` to serve on")
}

func runLab(args []string, stdin *os.File, stdout, stderr io.Writer) error {
	var zf zoneFlags
	fs := flag.NewFlagSet("dnslab lab", flag.ContinueOnError)
	zf.register(fs)
	seed := fs.Uint64("seed", 1, "seed of the nodes' random choices")
	if err := fs.Parse(args); err != nil {
		return err
	}

	l, err := lab.Start(lab.Config{
		ZoneFile: zf.zone, Origin: zf.origin, DNSAddr: zf.addr, Seed: *seed,
		Logger: slog.New(lab.NewLogHandler(stderr, slog.LevelInfo)),
	})
	if err != nil {
		return err
	}
	defer l.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	done := make(chan error, 1)
	prompt := term.IsTerminal(int(stdin.Fd()))
	go func() { done <- l.Console(stdin, stdout, prompt) }()

	select {
	case err = <-done:
		return err
	case <-ctx.Done():
		return nil
	}
}

func runServe(args []string, stderr io.Writer) error {
	var zf zoneFlags
	fs := flag.NewFlagSet("dnslab serve", flag.ContinueOnError)
	zf.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}

	srv, err := dnsserver.New(dnsserver.Config{
		Addr:   zf.addr,
		Zones:  []dnsserver.ZoneConfig{{Origin: zf.origin, File: zf.zone}},
		Logger: slog.New(slog.NewTextHandler(stderr, nil)),
	})
	if err != nil {
		return err
	}
	if err := srv.Start(); err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()

	return srv.Shutdown(context.Background())
}
