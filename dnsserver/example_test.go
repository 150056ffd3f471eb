package dnsserver_test

import (
	"context"
	"fmt"

	"github.com/miekg/dns"

	"dnslab/dnsserver"
	"dnslab/internal/dnstest"
)

func ExampleServer() {
	srv, err := dnsserver.New(dnsserver.Config{
		Addr:  "127.0.0.1:0",
		Zones: []dnsserver.ZoneConfig{{Origin: "emqx-cluster.org", File: dnstest.SeedFile()}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := srv.Start(); err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Shutdown(context.Background())

	req := new(dns.Msg).SetQuestion("cluster.emqx-cluster.org.", dns.TypeA)
	resp, err := dns.Exchange(req, srv.Addr())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(dns.RcodeToString[resp.Rcode], "AA:", resp.Authoritative)
	for _, rr := range resp.Answer {
		fmt.Println(rr.(*dns.A).A)
	}
	// Output:
	// NOERROR AA: true
	// 192.168.1.162
	// 192.168.1.165
}
