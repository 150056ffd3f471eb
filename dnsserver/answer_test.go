package dnsserver_test

import (
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
)

// TestAnswerRejects covers what miekg/dns's server turns away before the
// handler sees it, for callers of Answer such as an in-process network.
func TestAnswerRejects(t *testing.T) {
	noQuestion := query("cluster.emqx-cluster.org.", dns.TypeA)
	noQuestion.Question = nil

	tests := []queryCase{
		{
			name:  "UPDATE is NOTIMP",
			req:   new(dns.Msg).SetUpdate("emqx-cluster.org."),
			rcode: dns.RcodeNotImplemented,
		},
		{
			name:  "UPDATE with EDNS is NOTIMP with OPT",
			req:   withEDNS(new(dns.Msg).SetUpdate("emqx-cluster.org."), true),
			rcode: dns.RcodeNotImplemented,
		},
		{
			name:  "two questions are FORMERR",
			req:   twoQuestions(),
			rcode: dns.RcodeFormatError,
		},
		{
			name:  "two questions with EDNS are FORMERR with OPT",
			req:   withEDNS(twoQuestions(), false),
			rcode: dns.RcodeFormatError,
		},
		{
			name:   "no question is FORMERR",
			req:    noQuestion,
			rcode:  dns.RcodeFormatError,
			noEcho: true,
		},
	}
	srv := newServer(t, seedZone())
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := srv.Answer(tc.req, true)

			if !tc.noEcho {
				// Only the first question is echoed (RFC 9619 §3 asks for
				// none or the one there is).
				tc.req = tc.req.Copy()
				tc.req.Question = tc.req.Question[:1]
			}
			checkReply(t, tc, resp)
		})
	}
}

func TestAnswerLeavesTheQueryAlone(t *testing.T) {
	srv := newServer(t, seedZone())
	req := withEDNS(query("cluster.emqx-cluster.org.", dns.TypeA), true)
	before := req.String()

	srv.Answer(req, true)

	assert.Equal(t, before, req.String())
}
