package server

import (
	"net/http"
	"net/url"
	"path"
	"strings"
)

// canonicalPath answers non-canonical forms of a path (a trailing slash,
// doubled slashes, dot segments, capital letters) with a 301 to the one
// canonical URL, so links and caches agree on one address per page.
func canonicalPath(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		c := p
		if !strings.HasPrefix(c, "/") {
			c = "/" + c
		}
		if mayNeedCleaning(c) {
			c = path.Clean(c)
		}
		if !strings.HasPrefix(c, "/static/") {
			c = asciiLower(c)
		}
		if c != p && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			u := url.URL{Path: c, RawQuery: r.URL.RawQuery}
			http.Redirect(w, r, u.String(), http.StatusMovedPermanently)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// mayNeedCleaning reports whether path.Clean could change a path that
// starts with "/": only a doubled slash, a "." or ".." segment (each
// starts with "/.") or a trailing slash can. Most paths have none, and
// these searches cost a fraction of Clean's walk.
func mayNeedCleaning(p string) bool {
	return strings.Contains(p, "//") || strings.Contains(p, "/.") || (len(p) > 1 && p[len(p)-1] == '/')
}

// asciiLower lower-cases A-Z only. strings.ToLower would also turn bytes
// that are not UTF-8 into U+FFFD, redirecting to a different path.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
