package erlterm

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestAgainstErl prints pseudo-random cluster statuses and other terms
// and compares each with what a live erl prints. All cases go through a
// single erl run.
func TestAgainstErl(t *testing.T) {
	requireErl(t)
	rng := rand.New(rand.NewPCG(2024, 80))
	var cases []erlCase
	for i := range 400 {
		cases = append(cases, randomStatus(rng, fmt.Sprintf("status-%03d", i)))
	}
	for i := range 300 {
		cases = append(cases, randomTermCase(rng, fmt.Sprintf("term-%03d", i)))
	}
	outputs := runErl(t, cases)
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.printed(); got != outputs[i] {
				t.Errorf("term %s\n got:\n%s\nwant:\n%s", erlSource(c.term), got, outputs[i])
			}
		})
	}
}

// nameStyles are the node naming styles of the random statuses.
var nameStyles = []nameFunc{ipv4Name, lanName, ipv6Name, hostName, shortName, mixedName}

// randomStatus makes a cluster status in proplist or map form.
func randomStatus(rng *rand.Rand, name string) erlCase {
	running, stopped := randomNodes(rng), randomNodes(rng)
	if rng.IntN(2) == 0 {
		return status(name, statusMap(running, stopped))
	}
	if len(stopped) == 0 && rng.IntN(2) == 0 {
		stopped = nil
	}
	return status(name, proplist(running, stopped))
}

// randomNodes makes a list of node names, mostly short, sometimes long.
func randomNodes(rng *rand.Rand) List {
	counts := []int{0, 1, 2, 3, 4, 5, 8, 10, 30, 100}
	n := counts[rng.IntN(len(counts))]
	if rng.IntN(4) == 0 {
		n = rng.IntN(120)
	}
	l := List{}
	for range n {
		style := nameStyles[rng.IntN(len(nameStyles))]
		l = append(l, Atom(style(rng.IntN(400))))
	}
	return l
}

// randomTermCase makes a random term printed after a random prefix,
// with the default line length or a random one.
func randomTermCase(rng *rand.Rand, name string) erlCase {
	prefix := strings.Repeat("x", rng.IntN(50))
	c := erlCase{name: name, prefix: prefix, term: randomTerm(rng, 4)}
	if rng.IntN(3) == 0 {
		c.width = 20 + rng.IntN(100)
	}
	return c
}

// randomTerm makes a random term at most depth containers deep.
func randomTerm(rng *rand.Rand, depth int) Term {
	if depth == 0 || rng.IntN(3) == 0 {
		return randomLeaf(rng)
	}
	switch rng.IntN(4) {
	case 0:
		return List(randomTerms(rng, depth, 10))
	case 1:
		return Tuple(randomTerms(rng, depth, 5))
	case 2:
		return append(Tuple{randomAtom(rng)}, randomTerms(rng, depth, 4)...)
	}
	return randomMap(rng, depth)
}

// randomTerms makes up to maxLen random terms.
func randomTerms(rng *rand.Rand, depth, maxLen int) []Term {
	terms := []Term{}
	for range rng.IntN(maxLen + 1) {
		terms = append(terms, randomTerm(rng, depth-1))
	}
	return terms
}

// randomMap makes a map of up to 6 distinct keys.
func randomMap(rng *rand.Rand, depth int) Map {
	m := Map{}
	for range rng.IntN(7) {
		k := randomTerm(rng, 1)
		if !hasKey(m, k) {
			m = append(m, KV{k, randomTerm(rng, depth-1)})
		}
	}
	return m
}

// hasKey reports whether the map already has a key equal to k.
func hasKey(m Map, k Term) bool {
	for _, kv := range m {
		if Compare(kv.Key, k) == 0 {
			return true
		}
	}
	return false
}

// randomLeaf makes an atom, integer, string or binary.
func randomLeaf(rng *rand.Rand) Term {
	switch rng.IntN(6) {
	case 0:
		return Int(rng.Int64N(1<<40) - 1<<20)
	case 1:
		return String(randomText(rng, " abc\"\\\n\u00e9"))
	case 2:
		return Binary(randomText(rng, "abc xyz\t"))
	case 3:
		return Binary(randomBytes(rng))
	}
	return randomAtom(rng)
}

// randomAtom picks an atom name, quoted or not, short or long.
func randomAtom(rng *rand.Rand) Atom {
	names := []string{"ok", "error", "running_nodes", "stopped_nodes", "A", "emqx@node1",
		"emqx@10.0.0.1", "emqx@fd00:a::2", "emqx@emqx-0.emqx-headless.ns.svc.cluster.local",
		"a_rather_long_tag_name_for_a_tuple", "and", "it's"}
	return Atom(names[rng.IntN(len(names))])
}

// randomText makes a string of up to 30 characters from chars.
func randomText(rng *rand.Rand, chars string) string {
	runes := []rune(chars)
	var b strings.Builder
	for range rng.IntN(31) {
		b.WriteRune(runes[rng.IntN(len(runes))])
	}
	return b.String()
}

// randomBytes makes up to 80 arbitrary bytes.
func randomBytes(rng *rand.Rand) string {
	b := make([]byte, rng.IntN(81))
	for i := range b {
		b[i] = byte(rng.IntN(256))
	}
	return string(b)
}
