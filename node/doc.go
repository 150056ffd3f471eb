// Package node simulates EMQX nodes that cluster through DNS, the way
// EMQX and its cluster library ekka do: at boot a node asks DNS for the
// cluster name's records, names its peers "<app>@<address>", pings them,
// joins the oldest and keeps a member list that outlives restarts.
//
// Nodes live on a Network, which carries their messages in process; only
// the DNS queries leave it, over real sockets to a nameserver on loopback.
// Every timer runs on the Network's Clock, a VirtualClock by default, so a
// run is fast and the same seed gives the same run:
//
//	clock := node.NewVirtualClock(node.Epoch)
//	net := node.NewNetwork(node.NetworkConfig{Clock: clock, Seed: 1})
//	cfg := node.Config{
//		Name:      "emqx@192.168.1.162",
//		Discovery: node.DiscoveryDNS,
//		DNSName:   "cluster.emqx-cluster.org",
//		DNSApp:    "emqx",
//		Resolver:  node.Resolver{Nameservers: []string{"127.0.0.1:1053"}},
//	}
//	n, _ := net.NewNode(cfg)
//	_ = n.Start()
//	clock.RunFor(time.Minute)
//	fmt.Print(n.CLI("cluster", "status"))
package node
