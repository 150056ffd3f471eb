// Package erlterm renders a small subset of Erlang terms exactly the way
// Erlang/OTP prints them with io:format("~p", [Term]): same atom quoting,
// same map key order and, above all, the same line breaks and indentation
// as the stdlib pretty printer (io_lib_pretty) with the default line
// length of 80 columns.
//
// The main client is the simulated EMQX "cluster status" output, where
// the term follows a fixed prefix on the same line:
//
//	status := erlterm.List{
//		erlterm.Tuple{erlterm.Atom("running_nodes"),
//			erlterm.AtomList("emqx@10.0.0.1", "emqx@10.0.0.2")},
//		erlterm.Tuple{erlterm.Atom("stopped_nodes"), erlterm.List{}},
//	}
//	prefix := "Cluster status: "
//	fmt.Println(prefix + erlterm.Format(status, len(prefix)))
//
// Format takes the number of characters already written on the current
// line, because Erlang uses that column when deciding whether the term
// fits and how far continuation lines are indented.
//
// Supported terms are atoms, integers, strings (character lists),
// binaries, lists, tuples and maps. Maps are printed with their keys in
// Erlang term order, as OTP 25 does for maps of up to 32 keys.
package erlterm
