package views

import (
	"net/url"
	"strings"
)

// mailtoURL builds a mailto: link with a subject and a body (RFC 6068).
// Mail programs split the query on "&" before they decode it, so every
// reserved character in the values ("&", "=", "?", "#", "%", "+") must be
// percent-encoded: url.PathEscape leaves "&" and "=" alone, which cut a
// result link's answers off at the first one. Spaces become %20, not "+",
// which mail programs would show literally.
func mailtoURL(subject, body string) string {
	return "mailto:?subject=" + mailtoEscape(subject) + "&body=" + mailtoEscape(body)
}

func mailtoEscape(s string) string {
	// QueryEscape encodes a literal "+" as %2B, so every "+" left in its
	// output stands for a space.
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}
