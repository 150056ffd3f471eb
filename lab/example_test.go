package lab_test

import (
	"fmt"
	"time"

	"dnslab/lab"
)

// A lab on the zone of EMQX's guide: its two nodes cluster at start; one
// stops; the other lists it as stopped until autoclean removes it, five
// minutes later in the 3.x profile.
func Example() {
	l, err := lab.Start(lab.Config{
		ZoneFile: "../testdata/db.emqx-cluster.org",
		DNSAddr:  "127.0.0.1:0",
		NoWatch:  true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer l.Close()

	s, _ := l.Status("emqx@192.168.1.165")
	fmt.Println("running:", s.Running)

	_ = l.StopNode("emqx@192.168.1.162")
	out, _ := l.CLI("emqx@192.168.1.165", "cluster", "status")
	fmt.Print(out)

	l.Sleep(10 * time.Minute)
	s, _ = l.Status("emqx@192.168.1.165")
	fmt.Println("after autoclean:", s.Running, s.Stopped)

	// Output:
	// running: [emqx@192.168.1.162 emqx@192.168.1.165]
	// Cluster status: [{running_nodes,['emqx@192.168.1.165']},
	//                  {stopped_nodes,['emqx@192.168.1.162']}]
	// after autoclean: [emqx@192.168.1.165] []
}
