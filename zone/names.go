package zone

import (
	"github.com/miekg/dns"
)

// Names inside the index are kept in wire form (RFC 1035 §3.1) relative to
// the origin: the owner's labels up to, not including, the origin's, with
// no terminating root label. The apex is the empty name. Comparisons ignore
// ASCII case (RFC 4343).

// maxName is the longest domain name in wire form (RFC 1035 §3.1).
const maxName = 255

// wireName packs a presentation-format name into buf and returns the wire
// form, which ends with the root label.
func wireName(name string, buf []byte) ([]byte, error) {
	off, err := dns.PackDomainName(dns.Fqdn(name), buf, 0, nil, false)
	if err != nil {
		return nil, err
	}

	return buf[:off], nil
}

// relative returns the labels of the absolute wire name abs that come
// before origin (also absolute), or false when abs is not at or below it.
func relative(abs, origin []byte) ([]byte, bool) {
	cut := len(abs) - len(origin)
	if cut < 0 || !equalFold(abs[cut:], origin) || !isLabelStart(abs, cut) {
		return nil, false
	}

	return abs[:cut], true
}

// isLabelStart reports whether off is where a label starts in name.
func isLabelStart(name []byte, off int) bool {
	i := 0
	for i < off {
		i += 1 + int(name[i])
	}

	return i == off
}

// parent returns name without its first label; the apex has no parent.
func parent(name []byte) []byte {
	return name[1+int(name[0]):]
}

// isWildcard reports whether name's first label is "*" (RFC 4592 §2.1.1).
func isWildcard(name []byte) bool {
	return len(name) >= 2 && name[0] == 1 && name[1] == '*'
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}

	return c
}

// equalFold reports whether two wire names are equal ignoring ASCII case.
// Length bytes are below 64 and never change under lower.
func equalFold(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}

	return true
}

// hashName hashes a wire name ignoring ASCII case (FNV-1a).
func hashName(name []byte) uint32 {
	h := uint32(2166136261)
	for _, c := range name {
		h ^= uint32(lower(c))
		h *= 16777619
	}

	return h
}

// compareCanonical orders two relative wire names as RFC 4034 §6.1 does:
// by their labels from the rightmost, each compared as lower-case octets,
// a name sorting before the names below it.
func compareCanonical(a, b []byte) int {
	la, lb := labelStarts(a), labelStarts(b)
	for i, j := len(la)-1, len(lb)-1; i >= 0 && j >= 0; i, j = i-1, j-1 {
		if c := compareLabel(a[la[i]:], b[lb[j]:]); c != 0 {
			return c
		}
	}

	return len(la) - len(lb)
}

// labelStarts returns the offsets where the labels of name start.
func labelStarts(name []byte) []int {
	return appendLabelStarts(nil, name)
}

// appendLabelStarts appends the offsets where the labels of name start.
func appendLabelStarts(starts []int, name []byte) []int {
	for i := 0; i < len(name); i += 1 + int(name[i]) {
		starts = append(starts, i)
	}

	return starts
}

// compareLabel compares the labels at the start of a and b.
func compareLabel(a, b []byte) int {
	x, y := a[1:1+int(a[0])], b[1:1+int(b[0])]
	for i := 0; i < len(x) && i < len(y); i++ {
		if cx, cy := lower(x[i]), lower(y[i]); cx != cy {
			return int(cx) - int(cy)
		}
	}

	return len(x) - len(y)
}
