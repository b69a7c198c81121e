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
	as := assessment(t)
	q := as.Questions[0].ID + "=" + as.Questions[0].Options[0].ID
	s := g.Slug
	tests := []struct{ from, to string }{
		{g.URL() + "/", g.URL()},
		{a.URL() + "/", a.URL()},
		{"/guides//" + s, g.URL()},
		{"//guides/" + s, g.URL()},
		{"/guides/" + s + "//" + a.Slug, a.URL()},
		{"/Guides/" + strings.ToUpper(s), g.URL()},
		{"/COMPARE/" + s, g.CompareURL()},
		{"/guides/" + s + "/../" + s, g.URL()},
		{"/guides/./" + s, g.URL()},
		{"/compare/" + s + "/../../guides/" + s + "/" + a.Slug, a.URL()},
		{g.URL() + "/?utm_source=x&b=2", g.URL() + "?utm_source=x&b=2"},
		{"/GUIDES/" + s + "?Keep=Case", g.URL() + "?Keep=Case"},
		{as.ResultURL() + "/?" + q, as.ResultURL() + "?" + q},
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
