package server_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestCanonicalRedirects: every page has one address; other spellings redirect to it.
func TestCanonicalRedirects(t *testing.T) {
	g := guide(t)
	a := g.Articles[0]
	tests := []struct{ from, to string }{
		{g.URL() + "/", g.URL()},
		{a.URL() + "/", a.URL()},
		{"/guides//pm-vs-po", g.URL()},
		{"//guides/pm-vs-po", g.URL()},
		{"/guides/pm-vs-po//" + a.Slug, a.URL()},
		{"/Guides/PM-vs-PO", g.URL()},
		{"/COMPARE/pm-vs-po", g.CompareURL()},
		{"/guides/pm-vs-po/../pm-vs-po", g.URL()},
		{"/guides/./pm-vs-po", g.URL()},
		{"/compare/pm-vs-po/../../guides/pm-vs-po/" + a.Slug, a.URL()},
		{g.URL() + "/?utm_source=x&b=2", g.URL() + "?utm_source=x&b=2"},
		{"/GUIDES/pm-vs-po?Keep=Case", g.URL() + "?Keep=Case"},
		{"/guides/pm-vs-po/fit/result/?roadmap=me", "/guides/pm-vs-po/fit/result?roadmap=me"},
	}
	for _, tc := range tests {
		for _, m := range []string{http.MethodGet, http.MethodHead} {
			t.Run(m+" "+tc.from, func(t *testing.T) {
				w := request(t, m, tc.from, "")
				wantStatus(t, w, m+" "+tc.from, http.StatusMovedPermanently)
				if got := w.Header().Get("Location"); got != tc.to {
					t.Errorf("Location %q, want %q", got, tc.to)
				}
			})
		}
		// The canonical address itself answers.
		to := get(t, tc.to)
		if to.Code != http.StatusOK && !strings.Contains(tc.to, "/result") {
			t.Errorf("GET %s (a redirect target): status %d", tc.to, to.Code)
		}
	}
}
