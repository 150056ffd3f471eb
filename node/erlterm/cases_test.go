package erlterm

import (
	"fmt"
	"strings"
)

// statusPrefix is what EMQX prints before the cluster status term.
const statusPrefix = "Cluster status: "

// nameFunc returns the i-th node name of a naming style.
type nameFunc func(i int) string

// ipv4Name is a node named after an IPv4 address.
func ipv4Name(i int) string { return fmt.Sprintf("emqx@10.0.%d.%d", i/250, i%250+1) }

// lanName is a node named after a 192.168 address.
func lanName(i int) string { return fmt.Sprintf("emqx@192.168.1.%d", 160+i) }

// ipv6Name is a node named after an IPv6 address.
func ipv6Name(i int) string { return fmt.Sprintf("emqx@fd00:a::%x", i+2) }

// hostName is a node named after a Kubernetes headless service host.
func hostName(i int) string {
	return fmt.Sprintf("emqx@emqx-%d.emqx-headless.ns.svc.cluster.local", i)
}

// shortName is a node name that needs no quotes.
func shortName(i int) string { return fmt.Sprintf("emqx@node%d", i+1) }

// mixedName cycles through names of many styles and lengths.
func mixedName(i int) string {
	styles := []nameFunc{
		lanName, ipv6Name, shortName, hostName, ipv4Name,
		func(i int) string { return fmt.Sprintf("emqx@fd00:dead:beef:cafe::%x", i*7919) },
		func(i int) string { return fmt.Sprintf("e%d@h", i) },
	}
	return styles[i%len(styles)](i)
}

// nodes returns n atoms named by f, starting at index from.
func nodes(f nameFunc, from, n int) List {
	l := List{}
	for i := from; i < from+n; i++ {
		l = append(l, Atom(f(i)))
	}
	return l
}

// proplist is the status as [{running_nodes,R},{stopped_nodes,S}]; the
// stopped entry is left out when stopped is nil.
func proplist(running, stopped List) List {
	l := List{Tuple{Atom("running_nodes"), running}}
	if stopped != nil {
		l = append(l, Tuple{Atom("stopped_nodes"), stopped})
	}
	return l
}

// statusMap is the status as #{running_nodes => R, stopped_nodes => S}.
func statusMap(running, stopped List) Map {
	return Map{{Atom("running_nodes"), running}, {Atom("stopped_nodes"), stopped}}
}

// padded returns unquoted node names of exactly the given lengths.
func padded(lengths ...int) List {
	l := List{}
	for _, n := range lengths {
		l = append(l, Atom("emqx@"+strings.Repeat("n", n-5)))
	}
	return l
}

// status makes a case printed after "Cluster status: ".
func status(name string, t Term) erlCase {
	return erlCase{name: name, prefix: statusPrefix, term: t}
}

// goldenCases lists the cases of testdata/pretty.txt.
func goldenCases() []erlCase {
	return append(append(proplistCases(), mapCases()...), otherCases()...)
}

// proplistCases are cluster statuses in the proplist form.
func proplistCases() []erlCase {
	return []erlCase{
		status("proplist/one-running", proplist(nodes(lanName, 2, 1), nil)),
		status("proplist/two-running", proplist(nodes(lanName, 2, 2), nil)),
		status("proplist/one-running-one-stopped",
			proplist(nodes(lanName, 5, 1), nodes(lanName, 2, 1))),
		status("proplist/empty-running", proplist(List{}, nil)),
		status("proplist/empty-both", proplist(List{}, List{})),
		status("proplist/three-ipv4", proplist(nodes(ipv4Name, 0, 3), List{})),
		status("proplist/ten-ipv4", proplist(nodes(ipv4Name, 0, 10), nil)),
		status("proplist/thirty-ipv4", proplist(nodes(ipv4Name, 0, 30), nil)),
		status("proplist/hundred-ipv4", proplist(nodes(ipv4Name, 0, 100), nil)),
		status("proplist/two-hostnames", proplist(nodes(hostName, 0, 2), nil)),
		status("proplist/ten-hostnames", proplist(nodes(hostName, 0, 10), nil)),
		status("proplist/thirty-hostnames", proplist(nodes(hostName, 0, 30), nil)),
		status("proplist/two-ipv6", proplist(nodes(ipv6Name, 0, 2), nil)),
		status("proplist/ten-ipv6", proplist(nodes(ipv6Name, 0, 10), nil)),
		status("proplist/hundred-mixed", proplist(nodes(mixedName, 0, 100), nil)),
		status("proplist/ten-running-ten-stopped",
			proplist(nodes(mixedName, 0, 10), nodes(mixedName, 10, 10))),
		status("proplist/one-running-thirty-stopped",
			proplist(nodes(ipv6Name, 0, 1), nodes(ipv4Name, 0, 30))),
		status("proplist/none-running-five-stopped",
			proplist(List{}, nodes(hostName, 0, 5))),
		status("proplist/thirty-short-names", proplist(nodes(shortName, 0, 30), nil)),
		status("proplist/stopped-listed-first", List{
			Tuple{Atom("stopped_nodes"), nodes(lanName, 2, 1)},
			Tuple{Atom("running_nodes"), nodes(lanName, 5, 1)},
		}),
		status("proplist/62-chars-fit", proplist(padded(20, 21), nil)),
		status("proplist/63-chars-break", proplist(padded(21, 21), nil)),
		status("proplist/single-chain-63-chars", proplist(padded(43), nil)),
		status("proplist/name-longer-than-line", proplist(padded(90), List{})),
	}
}

// mapCases are cluster statuses in the map form.
func mapCases() []erlCase {
	return []erlCase{
		status("map/two-running-one-stopped",
			statusMap(nodes(ipv4Name, 0, 2), nodes(ipv4Name, 2, 1))),
		status("map/three-running-none-stopped", statusMap(nodes(ipv4Name, 0, 3), List{})),
		status("map/one-running", statusMap(nodes(lanName, 2, 1), List{})),
		status("map/empty-both", statusMap(List{}, List{})),
		status("map/ten-ipv4", statusMap(nodes(ipv4Name, 0, 10), List{})),
		status("map/thirty-running-five-stopped",
			statusMap(nodes(ipv4Name, 0, 30), nodes(ipv4Name, 30, 5))),
		status("map/hundred-ipv4", statusMap(nodes(ipv4Name, 0, 100), List{})),
		status("map/ten-hostnames", statusMap(nodes(hostName, 0, 10), nodes(hostName, 10, 2))),
		status("map/three-hostnames", statusMap(nodes(hostName, 0, 3), List{})),
		status("map/ten-ipv6", statusMap(nodes(ipv6Name, 0, 10), List{})),
		status("map/thirty-ipv6", statusMap(nodes(ipv6Name, 0, 30), nodes(ipv6Name, 30, 3))),
		status("map/fifty-fifty-mixed",
			statusMap(nodes(mixedName, 0, 50), nodes(mixedName, 50, 50))),
		status("map/keys-given-in-reverse", Map{
			{Atom("stopped_nodes"), nodes(ipv4Name, 2, 1)},
			{Atom("running_nodes"), nodes(ipv4Name, 0, 2)},
		}),
		status("map/thirty-short-names", statusMap(nodes(shortName, 0, 30), List{})),
		status("map/long-stopped-list", statusMap(List{}, nodes(mixedName, 0, 20))),
		status("map/62-chars-fit", statusMap(padded(20), List{})),
		status("map/63-chars-break", statusMap(padded(21), List{})),
		status("map/name-longer-than-line", statusMap(padded(90), padded(70))),
	}
}

// otherCases cover the other supported terms and other columns.
func otherCases() []erlCase {
	return []erlCase{
		status("other/error-string", Tuple{Atom("error"), String("Node not running")}),
		status("other/binary-reason", Tuple{Atom("error"), Binary("nodedown\n")}),
		status("other/quoted-atoms", List{Atom("and"), Atom(""), Atom("A"), Atom("o'k"),
			Atom("a b"), Atom("x\ny"), Atom("caf\u00e9"), Atom("\u0100")}),
		status("other/integers-and-strings", List{Int(-5), Int(0), Int(1883),
			String(""), String("a\"b\\c"), String("tab\there"), String("\x01\x7f")}),
		status("other/lists-as-strings", List{List{Int(104), Int(105)}, List{Int(1), Int(2)}}),
		status("other/binaries", List{Binary(""), Binary("abc"),
			Binary("\x00\x01\xff"), Binary(strings.Repeat("\x80\x81", 40))}),
		status("other/map-key-order", Map{
			{Binary("b"), Int(1)}, {String("s"), Int(2)}, {List{}, Int(3)}, {Map{}, Int(4)},
			{Tuple{Atom("x")}, Int(5)}, {Atom("b"), Int(6)}, {Int(1), Int(7)}, {Int(-3), Int(8)},
		}),
		status("other/long-tag", List{Tuple{Atom(strings.Repeat("t", 50)),
			nodes(ipv4Name, 0, 8), Atom("last")}}),
		status("other/nested-maps", Map{{Atom(strings.Repeat("k", 40)),
			Map{{Atom(strings.Repeat("v", 30)), nodes(shortName, 0, 20)}}}}),
		{name: "other/column-zero", prefix: "", term: proplist(nodes(ipv4Name, 0, 12), List{})},
		{name: "other/column-forty", prefix: strings.Repeat(".", 40),
			term: statusMap(nodes(lanName, 0, 4), nodes(lanName, 4, 2))},
	}
}
