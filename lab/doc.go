// Package lab runs dnslab's lab: an authoritative DNS server on a zone
// file and simulated EMQX nodes that find each other through it, on a
// virtual clock. It backs the console of `make lab`, replays scenario files
// (console transcripts) for CI, and serves integration tests:
//
//	func TestMyCluster(t *testing.T) {
//		l := lab.StartT(t, lab.Config{
//			ZoneFile: lab.ZoneFile(t, zoneText),
//			Origin:   "example.org",
//			Profile:  node.EMQX5,
//		})
//		l.StopNode("emqx@10.0.0.2")
//		l.Sleep(25 * time.Hour) // past 5.x's autoclean, in milliseconds
//		s, _ := l.Status("emqx@10.0.0.1")
//		// s.Running, s.Stopped …
//	}
//
// Only DNS queries travel over sockets, to the lab's server on loopback;
// nodes talk to each other in process.
package lab
