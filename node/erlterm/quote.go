package erlterm

import (
	"strconv"
	"strings"
)

// reserved lists the words that erl_scan (OTP 25, default features)
// treats as keywords, so atoms with these names must be quoted.
var reserved = map[string]bool{
	"after": true, "and": true, "andalso": true, "band": true, "begin": true,
	"bnot": true, "bor": true, "bsl": true, "bsr": true, "bxor": true,
	"case": true, "catch": true, "cond": true, "div": true, "end": true,
	"fun": true, "if": true, "let": true, "not": true, "of": true, "or": true,
	"orelse": true, "receive": true, "rem": true, "try": true, "when": true,
	"xor": true,
}

// controlEscapes maps the control characters that have a letter escape.
var controlEscapes = map[rune]string{
	'\n': `\n`, '\r': `\r`, '\t': `\t`, '\v': `\v`,
	'\b': `\b`, '\f': `\f`, 0x1b: `\e`, 0x7f: `\d`,
}

// atomText returns the atom as Erlang writes it, quoted when needed.
func atomText(name string) string {
	if !needsQuotes(name) {
		return name
	}
	return quoted(name, '\'')
}

// needsQuotes reports whether the atom cannot be written bare.
func needsQuotes(name string) bool {
	if name == "" || reserved[name] {
		return true
	}
	for i, r := range name {
		if i == 0 && !isLowerLetter(r) || !isNameChar(r) {
			return true
		}
	}
	return false
}

// isLowerLetter reports whether r may start an unquoted atom.
func isLowerLetter(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 0xdf && r <= 0xff && r != 0xf7
}

// isNameChar reports whether r may appear inside an unquoted atom.
func isNameChar(r rune) bool {
	switch {
	case isLowerLetter(r), r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	case r >= 0xc0 && r <= 0xde && r != 0xd7:
		return true
	}
	return r == '_' || r == '@'
}

// quoted writes s between q quotes with Erlang's escapes.
func quoted(s string, q rune) string {
	var b strings.Builder
	b.WriteRune(q)
	for _, r := range s {
		b.WriteString(escapeRune(r, q))
	}
	b.WriteRune(q)
	return b.String()
}

// escapeRune returns how Erlang writes r inside a q-quoted text.
func escapeRune(r, q rune) string {
	switch {
	case r == q || r == '\\':
		return `\` + string(r)
	case r >= ' ' && r <= '~', r >= 0xa0 && r <= 0xff:
		return string(r)
	case r > 0xff:
		return `\x{` + strings.ToUpper(strconv.FormatInt(int64(r), 16)) + "}"
	}
	if e, ok := controlEscapes[r]; ok {
		return e
	}
	return `\` + string([]byte{'0' + byte(r>>6), '0' + byte(r>>3&7), '0' + byte(r&7)})
}

// isPrintable reports whether Erlang's ~p shows the character code c as
// part of a string (printable Latin-1 range).
func isPrintable(c int64) bool {
	switch {
	case c >= ' ' && c <= '~', c >= 0xa0 && c <= 0xff:
		return true
	case c == 0x7f:
		return false
	}
	_, ok := controlEscapes[rune(c)]
	return ok
}

// printableInts returns the list as text when it is a non-empty list of
// printable character codes, as Erlang prints such lists as strings.
func printableInts(l List) (string, bool) {
	var b strings.Builder
	for _, t := range l {
		c, ok := t.(Int)
		if !ok || !isPrintable(int64(c)) {
			return "", false
		}
		b.WriteRune(rune(c))
	}
	return b.String(), len(l) > 0
}
