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
package dnsserver
