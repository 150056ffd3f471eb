package erlterm_test

import (
	"fmt"

	"dnslab/node/erlterm"
)

func ExampleFormat() {
	status := erlterm.Map{
		{Key: erlterm.Atom("stopped_nodes"), Value: erlterm.List{}},
		{Key: erlterm.Atom("running_nodes"),
			Value: erlterm.AtomList("emqx@10.0.0.1", "emqx@10.0.0.2", "emqx@10.0.0.3")},
	}
	prefix := "Cluster status: "
	fmt.Println(prefix + erlterm.Format(status, len(prefix)))
	// Output:
	// Cluster status: #{running_nodes =>
	//                       ['emqx@10.0.0.1','emqx@10.0.0.2','emqx@10.0.0.3'],
	//                   stopped_nodes => []}
}
