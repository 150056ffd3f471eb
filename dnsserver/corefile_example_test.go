package dnsserver_test

import (
	"fmt"
	"strings"

	"dnslab/dnsserver"
)

func ExampleParseCorefile() {
	const corefile = `
example.org {
    file db.example.org
    log
}

example.net:1053 {
    file db.example.net
    log
}

example.org:5353 {
    bind 127.0.0.1 ::1
    file db.example.org
    minimal
}
`
	cfgs, err := dnsserver.ParseCorefile("/etc/dnslab/Corefile", strings.NewReader(corefile))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, cfg := range cfgs {
		fmt.Println(cfg.Addr, "minimal:", cfg.Minimal, "log:", cfg.LogQueries)
		for _, zc := range cfg.Zones {
			fmt.Println("  ", zc.Origin, zc.File)
		}
	}

	_, err = dnsserver.ParseCorefile("Corefile", strings.NewReader("example.org {\n\tproxy\n}\n"))
	fmt.Println(err)
	// Output:
	// 127.0.0.1:1053 minimal: false log: true
	//    example.org. /etc/dnslab/db.example.org
	//    example.net. /etc/dnslab/db.example.net
	// 127.0.0.1:5353 minimal: true log: false
	//    example.org. /etc/dnslab/db.example.org
	// [::1]:5353 minimal: true log: false
	//    example.org. /etc/dnslab/db.example.org
	// Corefile:2 - Error during parsing: unknown directive 'proxy'
}
