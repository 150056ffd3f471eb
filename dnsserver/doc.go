// Package dnsserver is dnslab's authoritative DNS server: it answers
// queries over UDP and TCP from zones loaded by package zone, the way BIND,
// NSD and Knot answer them.
//
// A Server is built from a plain Config, so one process can run several:
//
//	srv, err := dnsserver.New(dnsserver.Config{
//		Addr:  "127.0.0.1:0",
//		Zones: []dnsserver.ZoneConfig{{Origin: "example.org.", File: "db.example.org"}},
//	})
//	if err != nil {
//		return err
//	}
//	if err := srv.Start(); err != nil {
//		return err
//	}
//	defer srv.Shutdown(context.Background())
//	fmt.Println("serving on", srv.Addr())
//
// A Corefile, in CoreDNS's syntax, gives one Config per listen address
// through ParseCorefile; Reconfigure (or Stage and Commit) applies a new
// Config to a running server without closing its sockets. The server
// watches its zone files and reloads them as they change; Faults make it
// fail queries on purpose, for a lab.
//
// Queries of the usual shape (opcode QUERY, one question of class IN, at
// most an OPT record) are answered straight from the packet into wire form
// by zone.AppendAnswer, without allocation; Answer handles every other
// query, with the same results.
package dnsserver
