package views

import (
	"net/url"
	"strings"
	"testing"
)

// decodeMailto reads a mailto: link the way a mail program does: split the
// query on "&", split each part at the first "=", then percent-decode the
// value ("+" stays a plus sign).
func decodeMailto(t *testing.T, link string) map[string]string {
	t.Helper()
	rest, ok := strings.CutPrefix(link, "mailto:")
	if !ok {
		t.Fatalf("%q is not a mailto: link", link)
	}
	_, query, _ := strings.Cut(rest, "?")
	out := map[string]string{}
	for _, part := range strings.Split(query, "&") {
		k, v, _ := strings.Cut(part, "=")
		dv, err := url.PathUnescape(v)
		if err != nil {
			t.Fatalf("%q: field %s does not decode: %v", link, k, err)
		}
		if _, dup := out[k]; dup {
			t.Fatalf("%q: field %s appears twice", link, k)
		}
		out[k] = dv
	}
	return out
}

func TestMailtoRoundTrips(t *testing.T) {
	for _, c := range []struct{ subject, body string }{
		{"Which role fits you?", "https://example.com/guides/g/fit/result?a=1&b=two&c=x-y"},
		{"A & B = C, 100% + more #1", "http://localhost:8080/x?q=a%20b&r=é"},
		{"Ünïcödé “quotes” …", "plain text with spaces & ampersands"},
	} {
		link := mailtoURL(c.subject, c.body)
		got := decodeMailto(t, link)
		if len(got) != 2 || got["subject"] != c.subject || got["body"] != c.body {
			t.Errorf("mailtoURL(%q, %q) = %q\n decodes to %q", c.subject, c.body, link, got)
		}
		if strings.Contains(link, "+") {
			t.Errorf("%q holds a '+', which mail programs show literally instead of a space", link)
		}
	}
}
