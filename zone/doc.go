// Package zone loads DNS zones from master files (RFC 1035 §5, with BIND's
// extensions as miekg/dns's ZoneParser reads them) into immutable, indexed
// snapshots and looks names up in them.
//
// A Zone never changes once built: a reload builds a new Zone beside the old
// one and the caller swaps the pointer. The package neither logs nor touches
// the network; problems come back as errors that name the file and line.
//
//	z, err := zone.Load("testdata/db.emqx-cluster.org", "emqx-cluster.org.")
//	if err != nil {
//		return err // e.g. "testdata/db.emqx-cluster.org:12: bad A A: ..."
//	}
//	res := z.Lookup("cluster.emqx-cluster.org.", dns.TypeA)
//	fmt.Println(res.Kind, res.Answer)
package zone
