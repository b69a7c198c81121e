package content

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// plain tidies a plain-text field the way goldmark's typographer tidies
// Markdown, so that a table cell and the paragraph beside it use the same
// quotation marks and dashes: straight quotes become curly ones, " -- "
// an en dash and "..." an ellipsis.
func plain(s string) string {
	s = strings.TrimSpace(s)
	if !strings.ContainsAny(s, `"'.-`) {
		return s
	}
	s = strings.ReplaceAll(s, "...", "…")
	s = strings.ReplaceAll(s, " -- ", " – ")
	var b strings.Builder
	b.Grow(len(s) + 8)
	prev := ' '
	for i, r := range s {
		next, _ := utf8.DecodeRuneInString(s[i+utf8.RuneLen(r):])
		opening := unicode.IsSpace(prev) || strings.ContainsRune("([{“‘—–/", prev)
		switch {
		case r == '"' && opening:
			b.WriteRune('“')
		case r == '"':
			b.WriteRune('”')
		case r == '\'' && opening && next != utf8.RuneError && !unicode.IsSpace(next):
			b.WriteRune('‘')
		case r == '\'':
			b.WriteRune('’') // closing quote or apostrophe (it's, the '90s)
		default:
			b.WriteRune(r)
		}
		prev = r
	}
	return b.String()
}
