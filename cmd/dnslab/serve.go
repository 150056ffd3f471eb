package main

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"os/signal"
	"slices"
	"time"

	"dnslab/dnsserver"
)

// defaultCorefile is served when serve is given no -conf, no zone flags
// and there is no ./Corefile.
//
//go:embed default.Corefile
var defaultCorefile []byte

// builtinName names the built-in Corefile in logs and errors. NB: it has no
// directory, so the zone file the Corefile names is taken relative to the
// working directory.
const builtinName = "built-in Corefile"

// shutdownTimeout bounds the wait for queries in flight when a server
// stops.
const shutdownTimeout = 5 * time.Second

const serveUsage = `usage: dnslab serve [-conf FILE]
       dnslab serve [-zone FILE] [-origin ZONE] [-addr ADDR]

Serves the zones of a Corefile: FILE, else ./Corefile if there is one, else
the built-in Corefile, which serves testdata/db.emqx-cluster.org (relative
to the working directory) as emqx-cluster.org on 127.0.0.1:1053. Given any
of -zone, -origin or -addr, it serves that one zone instead, without a
Corefile. SIGHUP or SIGUSR1 reads the configuration again and applies it
without dropping a query; SIGINT or SIGTERM stops.

`

// source is where serve's configuration comes from; load reads it afresh.
type source struct {
	name    string // the Corefile's path or builtinName; "" for the flags
	builtin bool
	load    func() ([]dnsserver.Config, error)
}

// runServe runs DNS servers alone until ctx ends, as a Corefile or the
// zone flags say, and applies the configuration again on reloadSignals.
func runServe(ctx context.Context, args []string, stderr io.Writer) error {
	src, err := parseServeFlags(args, stderr)
	if err != nil {
		return err
	}

	reload := make(chan os.Signal, 1)
	if len(reloadSignals) > 0 { // NB: Notify without signals relays every one
		signal.Notify(reload, reloadSignals...)
		defer signal.Stop(reload)
	}

	log := slog.New(slog.NewTextHandler(stderr, nil))

	return serve(ctx, src, reload, log)
}

// parseServeFlags returns the source that serve's command line names.
func parseServeFlags(args []string, stderr io.Writer) (source, error) {
	var zf zoneFlags
	var conf string
	fset := serveFlagSet(&zf, &conf)
	if err := parseFlags(fset, args, stderr); err != nil {
		return source{}, err
	}

	zoneFlagSet := false
	fset.Visit(func(f *flag.Flag) { zoneFlagSet = zoneFlagSet || f.Name != "conf" })
	switch {
	case zoneFlagSet && conf != "":
		fmt.Fprintln(stderr, "dnslab serve: -conf cannot go with -zone, -origin or -addr")
		fset.Usage()
		return source{}, errUsage
	case zoneFlagSet:
		return flagSource(zf), nil
	case conf != "":
		return fileSource(conf), nil
	}

	return defaultSource()
}

// serveFlagSet returns the flags of serve, which set zf and conf.
func serveFlagSet(zf *zoneFlags, conf *string) *flag.FlagSet {
	fset := flag.NewFlagSet("dnslab serve", flag.ContinueOnError)
	zf.register(fset)
	fset.StringVar(conf, "conf", "", "`path` of the Corefile to serve "+
		"(default ./Corefile, else the built-in one)")
	fset.Usage = func() {
		fmt.Fprint(fset.Output(), serveUsage)
		fset.PrintDefaults()
	}

	return fset
}

// flagSource returns the one zone of the zone flags as a source.
func flagSource(zf zoneFlags) source {
	return source{load: func() ([]dnsserver.Config, error) {
		origin, err := zf.zoneOrigin()
		if err != nil {
			return nil, err
		}

		return []dnsserver.Config{{Addr: zf.addr,
			Zones: []dnsserver.ZoneConfig{{Origin: origin, File: zf.zone}}}}, nil
	}}
}

// fileSource returns the Corefile at path as a source.
func fileSource(path string) source {
	return source{name: path, load: func() ([]dnsserver.Config, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()

		return dnsserver.ParseCorefile(path, f)
	}}
}

// defaultSource returns ./Corefile if there is one, else the built-in
// Corefile.
func defaultSource() (source, error) {
	_, err := os.Stat("Corefile")
	switch {
	case err == nil:
		return fileSource("Corefile"), nil
	case !errors.Is(err, fs.ErrNotExist):
		return source{}, err
	}

	return source{name: builtinName, builtin: true, load: func() ([]dnsserver.Config, error) {
		return dnsserver.ParseCorefile(builtinName, bytes.NewReader(defaultCorefile))
	}}, nil
}

// explain adds to an error of the built-in Corefile that the zone file it
// names is relative to the working directory.
func (src source) explain(err error) error {
	if !src.builtin || !errors.Is(err, fs.ErrNotExist) {
		return err
	}

	return fmt.Errorf("%w\n(there is no ./Corefile, and the %s names its zone file "+
		"relative to the working directory: run dnslab serve from the root of dnslab's "+
		"repository, or give it -conf FILE or -zone FILE)", err, builtinName)
}

// serve runs the servers of src until ctx ends, applying src again at each
// receive from reload.
func serve(ctx context.Context, src source, reload <-chan os.Signal, log *slog.Logger) error {
	in := newInstance(src, log)
	if err := in.start(); err != nil {
		return err
	}

	for {
		select {
		case <-ctx.Done():
			return in.stop()
		case sig := <-reload:
			_ = in.reload(sig.String()) // logged by reload
		}
	}
}

// instance runs a server per address of a configuration and switches them
// to the next configuration.
type instance struct {
	src     source
	base    *slog.Logger // for the servers, which add their component
	log     *slog.Logger
	servers map[string]*dnsserver.Server // by Config.Addr
}

func newInstance(src source, log *slog.Logger) *instance {
	return &instance{src: src, base: log, log: log.With("component", "serve"),
		servers: make(map[string]*dnsserver.Server)}
}

// start loads the configuration and starts its servers.
func (in *instance) start() error {
	cfgs, err := in.src.load()
	if err == nil {
		err = in.apply(cfgs)
	}
	if err != nil {
		return in.src.explain(err)
	}

	in.log.Info("Corefile loaded", "corefile", in.corefile(), "servers", addrs(cfgs))

	return nil
}

// reload loads the configuration again and applies it. On an error, which
// it logs, the servers go on as they were.
func (in *instance) reload(why string) error {
	cfgs, err := in.src.load()
	if err == nil {
		err = in.apply(cfgs)
	}
	if err != nil {
		in.log.Error("Corefile reload failed; the running configuration stays",
			"corefile", in.corefile(), "signal", why, "err", err)
		return err
	}

	in.log.Info("Corefile reloaded", "corefile", in.corefile(), "signal", why,
		"servers", addrs(cfgs))

	return nil
}

// corefile names the Corefile in logs.
func (in *instance) corefile() string {
	if in.src.name == "" {
		return "none (zone flags)"
	}

	return in.src.name
}

// apply makes the running servers those of cfgs, or fails and leaves them
// as they were: it loads every zone and binds every new address before it
// switches a server. Servers whose address stays keep their sockets.
func (in *instance) apply(cfgs []dnsserver.Config) error {
	staged, err := in.stage(cfgs)
	if err != nil {
		return err
	}
	started, err := in.startNew(cfgs)
	if err != nil {
		return err
	}

	for _, st := range staged {
		st.Commit()
	}
	in.stopRemoved(cfgs)
	maps.Copy(in.servers, started)

	return nil
}

// stage loads the configurations of the addresses served already.
func (in *instance) stage(cfgs []dnsserver.Config) ([]*dnsserver.Staged, error) {
	var staged []*dnsserver.Staged
	for _, cfg := range cfgs {
		srv, ok := in.servers[cfg.Addr]
		if !ok {
			continue
		}

		st, err := srv.Stage(cfg)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", cfg.Addr, err)
		}
		staged = append(staged, st)
	}

	return staged, nil
}

// startNew starts a server for each address of cfgs not served yet. On an
// error it stops those it started.
func (in *instance) startNew(cfgs []dnsserver.Config) (map[string]*dnsserver.Server, error) {
	started := make(map[string]*dnsserver.Server)
	for _, cfg := range cfgs {
		if _, ok := in.servers[cfg.Addr]; ok {
			continue
		}

		srv, err := in.startServer(cfg)
		if err != nil {
			_ = in.shutdown(started) // logged by shutdown
			return nil, err
		}
		started[cfg.Addr] = srv
	}

	return started, nil
}

// startServer starts the server of cfg.
func (in *instance) startServer(cfg dnsserver.Config) (*dnsserver.Server, error) {
	cfg.Logger = in.base.With("server", cfg.Addr)
	srv, err := dnsserver.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.Addr, err)
	}
	if err := srv.Start(); err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.Addr, err)
	}

	return srv, nil
}

// stopRemoved stops the servers whose address cfgs no longer has.
func (in *instance) stopRemoved(cfgs []dnsserver.Config) {
	removed := maps.Clone(in.servers)
	for _, cfg := range cfgs {
		delete(removed, cfg.Addr)
	}

	_ = in.shutdown(removed) // logged by shutdown
	for addr := range removed {
		delete(in.servers, addr)
	}
}

// stop stops every server.
func (in *instance) stop() error {
	err := in.shutdown(in.servers)
	clear(in.servers)

	return err
}

// shutdown stops servers, waiting for the queries in flight for at most
// shutdownTimeout, and logs each server stopped.
func (in *instance) shutdown(servers map[string]*dnsserver.Server) error {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()

	var errs []error
	for _, addr := range slices.Sorted(maps.Keys(servers)) {
		if err := servers[addr].Shutdown(ctx); err != nil {
			in.log.Error("server stopped uncleanly", "server", addr, "err", err)
			errs = append(errs, fmt.Errorf("%s: %w", addr, err))
			continue
		}
		in.log.Info("server stopped", "server", addr)
	}

	return errors.Join(errs...)
}

// addrs returns the addresses of cfgs.
func addrs(cfgs []dnsserver.Config) []string {
	out := make([]string, 0, len(cfgs))
	for _, cfg := range cfgs {
		out = append(out, cfg.Addr)
	}

	return out
}
