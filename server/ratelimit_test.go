package server_test

// The per-client limit on submissions: who counts as a client, what is
// limited, and what a limited reader sees.

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// newSite builds a handler of its own, so its rate limits start empty.
func newSite(t *testing.T, opts testOptions) http.Handler {
	t.Helper()
	opts.NoWarm = true
	h, err := newHandler(testSite(t), opts)
	if err != nil {
		t.Fatalf("NewHandler: %v", err)
	}
	return h
}

// submitFrom posts a complete form from addr with extra header pairs.
func submitFrom(t *testing.T, h http.Handler, addr string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	a := assessment(t)
	r := formRequest(a.URL(), formBody(a, answersBy(a, firstOption)), addr)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	return do(h, r)
}

// getFrom sends a GET of target from addr.
func getFrom(h http.Handler, target, addr string, hdr ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, target, nil)
	r.RemoteAddr = addr
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	return do(h, r)
}

func randomIP() string {
	return fmt.Sprintf("%d.%d.%d.%d", 1+rand.IntN(223), rand.IntN(256), rand.IntN(256), 1+rand.IntN(254))
}

// spend sends n submissions from addr, each of which must be let through.
func spend(t *testing.T, h http.Handler, n int, addr string, hdr func() []string) {
	t.Helper()
	for i := range n {
		var extra []string
		if hdr != nil {
			extra = hdr()
		}
		w := submitFrom(t, h, addr, extra...)
		if w.Code != http.StatusSeeOther && w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("submission %d of %d from %s %q: status %d, want 303 or 422", i+1, n, addr, extra, w.Code)
		}
	}
}

// checkLimited fails unless w is a friendly 429: Retry-After, the site's
// layout, plain words, and nothing of the machinery behind it.
func checkLimited(t *testing.T, w *httptest.ResponseRecorder, what string) {
	t.Helper()
	if w.Code != http.StatusTooManyRequests {
		t.Fatalf("%s: status %d, want 429", what, w.Code)
	}
	ra := w.Header().Get("Retry-After")
	if n, err := strconv.Atoi(ra); err != nil || n <= 0 || n > 3600 {
		t.Errorf("%s: Retry-After %q, want a number of seconds", what, ra)
	}
	checkSecurityHeaders(t, what, w.Header())
	if cc := w.Header().Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("%s: Cache-Control %q: a 429 must not be cached", what, cc)
	}
	doc := wantHTML(t, w, what)
	if find(doc, withClass("site-header")) == nil || find(doc, withClass("site-footer")) == nil {
		t.Errorf("%s: the 429 page is not in the site layout", what)
	}
	stylesheetURL(t, doc)
	if h := h1Text(t, doc); h == "" {
		t.Errorf("%s: the 429 page has no heading", what)
	}
	lede := find(doc, withClass("lede"))
	if lede == nil || !strings.Contains(strings.ToLower(text(lede)), "minute") {
		t.Errorf("%s: the 429 page does not say how long to wait: %q", what, textOrNil(lede))
	}
	if !hasHref(doc, "/") {
		t.Errorf("%s: the 429 page does not link home", what)
	}
	body := strings.ToLower(w.Body.String())
	for _, s := range []string{"httprate", "goroutine", "panic", ".go:", "ratelimit", "203.0.113"} {
		if strings.Contains(body, s) {
			t.Errorf("%s: the 429 page mentions %q", what, s)
		}
	}
}

// TestRateLimit: five submissions a minute from one client go through, the
// sixth is a 429; other clients are not affected.
func TestRateLimit(t *testing.T) {
	h := newSite(t, testOptions{SubmitsPerMinute: 5})
	const me, other = "203.0.113.10:4000", "203.0.113.11:4000"
	spend(t, h, 5, me, nil)
	checkLimited(t, submitFrom(t, h, me), "the 6th submission")
	checkLimited(t, submitFrom(t, h, "203.0.113.10:5999"), "the 7th submission, from another port")

	// Incomplete submissions count too: they are requests all the same.
	a := assessment(t)
	w := do(h, formRequest(a.URL(), a.Questions[0].ID+"="+a.Questions[0].Options[0].ID, me))
	checkLimited(t, w, "an incomplete submission after the limit")

	// Result pages are never limited: reading a shared link costs nothing.
	if w := getFrom(h, a.ResultURL()+"?"+firstQuery(a), me); w.Code != http.StatusOK {
		t.Errorf("a result page after the submission limit: status %d, want 200", w.Code)
	}

	// Another client has a budget of its own.
	spend(t, h, 5, other, nil)
	checkLimited(t, submitFrom(t, h, other), "the other client's 6th submission")

	// IPv6 clients are keyed by address too.
	spend(t, h, 5, "[2001:db8::1]:443", nil)
	checkLimited(t, submitFrom(t, h, "[2001:db8::1]:443"), "an IPv6 client's 6th submission")
	spend(t, h, 1, "[2001:db8::2]:443", nil)
}

// TestRateLimitDefault: without SubmitsPerMinute the default budget holds
// (30 a minute), so a reader retaking an assessment is never refused.
func TestRateLimitDefault(t *testing.T) {
	h := newSite(t, testOptions{})
	spend(t, h, 30, "203.0.113.20:1", nil)
	checkLimited(t, submitFrom(t, h, "203.0.113.20:1"), "the 31st submission")
}

// TestRateLimitForgedHeaders: without trusted proxies the TCP peer is the
// client, whatever headers it sends.
func TestRateLimitForgedHeaders(t *testing.T) {
	for name, opts := range map[string]testOptions{
		"no proxies":    {SubmitsPerMinute: 5},
		"empty proxies": {SubmitsPerMinute: 5, TrustedProxies: []string{}},
	} {
		t.Run(name, func(t *testing.T) {
			h := newSite(t, opts)
			const me = "198.51.100.7:5555"
			forged := func() []string {
				ip := randomIP()
				return []string{"X-Forwarded-For", ip, "X-Real-Ip", randomIP(), "True-Client-Ip", randomIP(),
					"Forwarded", "for=" + randomIP(), "Cf-Connecting-Ip", randomIP(), "X-Client-Ip", randomIP()}
			}
			spend(t, h, 5, me, forged)
			for i := range 3 {
				checkLimited(t, submitFrom(t, h, me, forged()...), fmt.Sprintf("forged submission %d", 6+i))
			}
		})
	}
}

// TestRateLimitTrustedProxies: behind a trusted proxy the client is the
// address the proxy appended; a peer outside the trusted range is its own
// client whatever it forwards.
func TestRateLimitTrustedProxies(t *testing.T) {
	h := newSite(t, testOptions{SubmitsPerMinute: 5, TrustedProxies: []string{"10.0.0.0/8"}})
	const proxy = "10.1.2.3:1234"

	// Two clients behind the proxy have separate budgets.
	spend(t, h, 5, proxy, func() []string { return []string{"X-Forwarded-For", "203.0.113.1"} })
	checkLimited(t, submitFrom(t, h, proxy, "X-Forwarded-For", "203.0.113.1"), "client A's 6th submission")
	spend(t, h, 5, proxy, func() []string { return []string{"X-Forwarded-For", "203.0.113.2"} })
	checkLimited(t, submitFrom(t, h, proxy, "X-Forwarded-For", "203.0.113.2"), "client B's 6th submission")
	spend(t, h, 1, proxy, func() []string { return []string{"X-Forwarded-For", "203.0.113.3"} })

	// The proxy appends the real client on the right; whatever the client
	// forged on the left is ignored.
	spend(t, h, 5, proxy, func() []string { return []string{"X-Forwarded-For", randomIP() + ", 203.0.113.4"} })
	checkLimited(t, submitFrom(t, h, proxy, "X-Forwarded-For", randomIP()+", 203.0.113.4"), "a forged chain's 6th submission")
	// Hops through further trusted proxies are skipped.
	checkLimited(t, submitFrom(t, h, proxy, "X-Forwarded-For", "203.0.113.4, 10.9.9.9"), "through two proxies")

	// A peer outside 10/8 is not a proxy: its own address is the client.
	const direct = "198.51.100.9:5555"
	spend(t, h, 5, direct, func() []string { return []string{"X-Forwarded-For", randomIP()} })
	for i := range 3 {
		checkLimited(t, submitFrom(t, h, direct, "X-Forwarded-For", randomIP()), fmt.Sprintf("a direct client's forged submission %d", 6+i))
	}
	// The direct client's spent budget is its own: the proxy's clients go on.
	spend(t, h, 1, proxy, func() []string { return []string{"X-Forwarded-For", "203.0.113.5"} })
}

// TestRateLimitOnlySubmissions: reading is never limited, even for a client
// whose submission budget is spent.
func TestRateLimitOnlySubmissions(t *testing.T) {
	h := newSite(t, testOptions{SubmitsPerMinute: 5})
	const me = "203.0.113.30:1"
	spend(t, h, 5, me, nil)
	checkLimited(t, submitFrom(t, h, me), "the 6th submission")
	g := guide(t)
	a := assessment(t)
	paths := map[string]int{
		"/":                           100,
		g.Articles[0].URL():           100,
		"/healthz":                    100,
		"/readyz":                     100,
		a.URL():                       20, // the form itself
		a.URL() + "?" + firstQuery(a): 20, // the form pre-filled from a result
		g.CompareURL():                20,
		"/sitemap.xml":                20,
		"/og/site.png":                5,
	}
	for p, n := range paths {
		for i := range n {
			if w := getFrom(h, p, me); w.Code != http.StatusOK {
				t.Fatalf("GET %s #%d from a limited client: status %d, want 200", p, i+1, w.Code)
			}
		}
	}
	// A fresh handler: 100 article reads and health checks before any
	// submission do not spend the budget either.
	h = newSite(t, testOptions{SubmitsPerMinute: 5})
	for range 100 {
		for _, p := range []string{g.Articles[0].URL(), "/healthz", "/readyz"} {
			if w := getFrom(h, p, me); w.Code != http.StatusOK {
				t.Fatalf("GET %s: status %d", p, w.Code)
			}
		}
	}
	spend(t, h, 5, me, nil)
}

// TestTrustedProxiesInvalid: a bad prefix is an error from NewHandler, not a
// panic when the middleware is built.
func TestTrustedProxiesInvalid(t *testing.T) {
	for _, p := range []string{"10.0.0.0", "not-a-cidr", "10.0.0.0/33", "", " 10.0.0.0/8", "10.0.0.0/8,192.168.0.0/16", "::1/129", "10.0.0.0/-1"} {
		t.Run(p, func(t *testing.T) {
			defer func() {
				if v := recover(); v != nil {
					t.Errorf("NewHandler with TrustedProxies [%q] panicked: %v", p, v)
				}
			}()
			h, err := newHandler(testSite(t), testOptions{NoWarm: true, TrustedProxies: []string{"192.168.0.0/16", p}})
			if err == nil {
				t.Errorf("NewHandler with TrustedProxies [%q]: no error", p)
			}
			if h != nil {
				t.Errorf("NewHandler with TrustedProxies [%q]: a handler as well as an error", p)
			}
			if err != nil && !strings.Contains(err.Error(), "CIDR") {
				t.Errorf("the error %q does not say what is expected", err)
			}
		})
	}
	for _, p := range []string{"10.0.0.0/8", "::1/128", "0.0.0.0/0", "2001:db8::/32", "192.168.1.1/32"} {
		if _, err := newHandler(testSite(t), testOptions{NoWarm: true, TrustedProxies: []string{p}}); err != nil {
			t.Errorf("TrustedProxies [%q]: %v", p, err)
		}
	}
}

// TestRateLimitRefusedCrossOrigin: a post the site refuses as cross-origin
// must not spend the reader's budget. Otherwise any page a reader visits
// can send them (and everyone behind the same NAT) a handful of hidden
// cross-site form posts and lock them out of submitting for a minute.
func TestRateLimitRefusedCrossOrigin(t *testing.T) {
	h := newSite(t, testOptions{SubmitsPerMinute: 5})
	const me = "203.0.113.40:1"
	a := assessment(t)
	for i := range 10 {
		r := formRequest(a.URL(), formBody(a, answersBy(a, firstOption)), me)
		r.Header.Set("Sec-Fetch-Site", "cross-site")
		r.Header.Set("Origin", "https://evil.example")
		if w := do(h, r); w.Code != http.StatusForbidden {
			t.Fatalf("cross-site post %d: status %d, want 403", i+1, w.Code)
		}
	}
	if w := submitFrom(t, h, me); w.Code != http.StatusSeeOther {
		t.Errorf("the reader's own submission after 10 refused cross-site posts: status %d, want 303", w.Code)
	}
}
