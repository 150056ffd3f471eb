package dnsserver_test

import (
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/require"
)

func BenchmarkAnswer(b *testing.B) {
	srv := newServer(b, seedZone())
	req := query("cluster.emqx-cluster.org.", dns.TypeA)
	require.Len(b, srv.Answer(req, true).Answer, 2)

	b.ReportAllocs()
	for b.Loop() {
		srv.Answer(req, true)
	}
}
