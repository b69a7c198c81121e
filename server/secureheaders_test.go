package server_test

// Security headers on every kind of response, and pages that obey the
// Content-Security-Policy they are sent with.

import (
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// wantCSP is the exact policy: only this origin's own files, no inline
// script or style, no framing, no plugins, no <base>.
const wantCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// wantHeaders are the security headers every response must carry, exactly.
var wantHeaders = [][2]string{
	{"Content-Security-Policy", wantCSP},
	{"Strict-Transport-Security", "max-age=63072000; includeSubDomains"},
	{"X-Content-Type-Options", "nosniff"},
	{"X-Frame-Options", "DENY"},
	{"Referrer-Policy", "strict-origin-when-cross-origin"},
	{"Cross-Origin-Opener-Policy", "same-origin"},
	{"Cross-Origin-Resource-Policy", "same-origin"},
}

// checkSecurityHeaders fails unless h carries every security header exactly
// once with its exact value, a Permissions-Policy that turns off at least
// the camera, the microphone and geolocation, no header that names the
// software, and a charset on every textual Content-Type.
func checkSecurityHeaders(t testing.TB, what string, h http.Header) {
	t.Helper()
	for _, kv := range wantHeaders {
		got := h.Values(kv[0])
		if len(got) != 1 || got[0] != kv[1] {
			t.Errorf("%s: %s = %q, want exactly [%q]", what, kv[0], got, kv[1])
		}
	}
	pp := h.Values("Permissions-Policy")
	if len(pp) != 1 {
		t.Errorf("%s: Permissions-Policy = %q, want one header", what, pp)
	} else {
		directives := map[string]string{}
		for _, d := range strings.Split(pp[0], ",") {
			k, v, _ := strings.Cut(strings.TrimSpace(d), "=")
			directives[k] = v
		}
		for _, f := range []string{"camera", "microphone", "geolocation"} {
			if directives[f] != "()" {
				t.Errorf("%s: Permissions-Policy %q does not disable %s (want %s=())", what, pp[0], f, f)
			}
		}
	}
	for _, k := range []string{"Server", "X-Powered-By", "X-AspNet-Version", "X-Runtime"} {
		if v, ok := h[k]; ok {
			t.Errorf("%s: sends %s: %q, which names the software", what, k, v)
		}
	}
	checkCharset(t, what, h.Get("Content-Type"))
}

// textual reports whether a media type is read as characters: text/*, HTML,
// XML or JSON, including the +xml and +json structured syntaxes.
func textual(mt string) bool {
	_, sub, _ := strings.Cut(mt, "/")
	return strings.HasPrefix(mt, "text/") || sub == "html" || sub == "xhtml+xml" ||
		sub == "xml" || strings.HasSuffix(sub, "+xml") || sub == "json" || strings.HasSuffix(sub, "+json") ||
		sub == "javascript" || sub == "ecmascript"
}

// checkCharset fails unless a textual Content-Type says charset=utf-8: a
// response without one leaves the browser to guess, and a guessed charset
// (UTF-7, for one) can turn escaped text back into markup.
func checkCharset(t testing.TB, what, ct string) {
	t.Helper()
	if ct == "" {
		return
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		t.Errorf("%s: Content-Type %q does not parse: %v", what, ct, err)
		return
	}
	if textual(mt) && (params["charset"] != "utf-8" || !strings.Contains(ct, "charset=utf-8")) {
		t.Errorf("%s: Content-Type %q, want charset=utf-8", what, ct)
	}
}

// limitedHandler is a handler whose per-client budget is already spent by
// addr, so its next limited request is a 429.
func limitedHandler(t *testing.T, addr string) http.Handler {
	t.Helper()
	h, err := newHandler(testSite(t), testOptions{SubmitsPerMinute: 1, NoWarm: true})
	if err != nil {
		t.Fatal(err)
	}
	a := assessment(t)
	r := formRequest(a.URL(), formBody(a, answersBy(a, firstOption)), addr)
	if w := do(h, r); w.Code != http.StatusSeeOther {
		t.Fatalf("the first post: status %d, want 303", w.Code)
	}
	return h
}

// formRequest is a same-origin form post from addr.
func formRequest(target, body, addr string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	r.RemoteAddr = addr
	for i := 0; i < len(formHeaders); i += 2 {
		r.Header.Set(formHeaders[i], formHeaders[i+1])
	}
	return r
}

// assetURLs are the hashed URLs of the stylesheet, the script and the icon.
func assetURLs(t *testing.T) (css, js, icon string) {
	t.Helper()
	doc := parseHTML(t, get(t, "/").Body.Bytes())
	css = stylesheetURL(t, doc)
	js = attr(mustFind(t, doc, and(tag("script"), func(n *html.Node) bool { return attr(n, "src") != "" }), "<script src>"), "src")
	icon = attr(mustFind(t, doc, and(tag("link"), withAttr("rel", "icon")), `<link rel="icon">`), "href")
	return css, js, icon
}

// TestSecurityHeaders sends one request of every route kind and status and
// checks the headers of each.
func TestSecurityHeaders(t *testing.T) {
	g := guide(t)
	a := assessment(t)
	valid := formBody(a, answersBy(a, firstOption))
	css, js, icon := assetURLs(t)
	etag := get(t, "/").Header().Get("ETag")
	if etag == "" {
		t.Fatal("GET / has no ETag")
	}
	drained, err := newHandler(testSite(t), testOptions{NoWarm: true})
	if err != nil {
		t.Fatal(err)
	}
	drained.Drain()

	type call func(t *testing.T) *httptest.ResponseRecorder
	getH := func(target string, hdr ...string) call {
		return func(t *testing.T) *httptest.ResponseRecorder { return get(t, target, hdr...) }
	}
	req := func(method, target, body string, hdr ...string) call {
		return func(t *testing.T) *httptest.ResponseRecorder { return request(t, method, target, body, hdr...) }
	}
	postH := func(body string, hdr ...string) call {
		return func(t *testing.T) *httptest.ResponseRecorder {
			if hdr != nil {
				return request(t, http.MethodPost, a.URL(), body, hdr...)
			}
			return post(t, a.URL(), body)
		}
	}
	tests := []struct {
		name   string
		call   call
		status int
		ctype  string // media type the response must have, "" for none
	}{
		{"200 page", getH("/"), 200, "text/html"},
		{"200 page HEAD", req(http.MethodHead, "/", ""), 200, "text/html"},
		{"200 page br", getH("/", "Accept-Encoding", "br"), 200, "text/html"},
		{"200 page gzip", getH("/", "Accept-Encoding", "gzip"), 200, "text/html"},
		{"200 article", getH(g.Articles[0].URL()), 200, "text/html"},
		{"200 comparison", getH(g.CompareURL()), 200, "text/html"},
		{"200 faq", getH(g.FAQURL(g.FAQ[0].ID)), 200, "text/html"},
		{"200 form", getH(a.URL()), 200, "text/html"},
		{"200 form prefilled", getH(a.URL() + "?" + firstQuery(a)), 200, "text/html"},
		{"200 result", getH(a.ResultURL() + "?" + firstQuery(a)), 200, "text/html"},
		{"200 static css", getH(css), 200, "text/css"},
		{"200 static js", getH(js), 200, "text/javascript"},
		{"200 static icon", getH(icon), 200, "image/svg+xml"},
		{"200 image", getH("/og/site.png"), 200, "image/png"},
		{"200 guide image", getH("/og/" + g.Slug + ".png"), 200, "image/png"},
		{"301 capitals", getH(strings.ToUpper(g.URL())), 301, "text/html"},
		{"301 trailing slash", getH(g.URL() + "/"), 301, "text/html"},
		{"301 result tracking", getH(a.ResultURL() + "?" + firstQuery(a) + "&utm_source=x"), 301, "text/html"},
		{"303 after POST", postH(valid), 303, ""},
		{"304", getH("/", "If-None-Match", etag), 304, ""},
		{"301 result with a stray parameter", getH(a.ResultURL() + "?" + firstQuery(a) + "&nope=1"), 301, "text/html"},
		{"400 result", getH(a.ResultURL() + "?" + a.Questions[0].ID + "=no-such-option"), 400, "text/html"},
		{"400 form", getH(a.URL() + "?" + a.Questions[0].ID + "=no-such-option"), 400, "text/html"},
		{"403 cross-origin", postH(valid, "Content-Type", "application/x-www-form-urlencoded", "Sec-Fetch-Site", "cross-site"), 403, "text/html"},
		{"404", getH("/no-such-page"), 404, "text/html"},
		{"404 static", getH("/static/nope.css"), 404, "text/html"},
		{"404 image", getH("/og/nope.png"), 404, "text/html"},
		{"400 result with an answer that fits no option", getH(a.ResultURL() + "?" + a.Questions[0].ID + "=no-such-option"), 400, "text/html"},
		{"405", req(http.MethodPut, "/", "x"), 405, "text/html"},
		{"405 TRACE", req(http.MethodTrace, "/", ""), 405, "text/html"},
		{"405 static", req(http.MethodDelete, css, ""), 405, "text/html"},
		{"413", postH(valid + "&pad=" + strings.Repeat("x", 8<<10)), 413, "text/html"},
		{"415", postH(valid, "Content-Type", "text/plain", "Sec-Fetch-Site", "same-origin"), 415, "text/html"},
		{"422", postH(a.Questions[0].ID + "=" + a.Questions[0].Options[0].ID), 422, "text/html"},
		{"429", func(t *testing.T) *httptest.ResponseRecorder {
			h := limitedHandler(t, "192.0.2.1:1000")
			return do(h, formRequest(a.URL(), valid, "192.0.2.1:1000"))
		}, 429, "text/html"},
		{"200 healthz", getH("/healthz"), 200, "text/plain"},
		{"200 readyz", getH("/readyz"), 200, "text/plain"},
		{"503 readyz draining", func(t *testing.T) *httptest.ResponseRecorder {
			return do(drained, newRequest(http.MethodGet, "/readyz", nil))
		}, 503, "text/plain"},
		{"200 sitemap", getH("/sitemap.xml"), 200, "application/xml"},
		{"200 robots", getH("/robots.txt"), 200, "text/plain"},
		{"200 feed", getH("/feed.atom"), 200, "application/atom+xml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := tc.call(t)
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d; body starts %q", w.Code, tc.status, head(w.Body.String(), 200))
			}
			checkSecurityHeaders(t, tc.name, w.Header())
			ct := w.Header().Get("Content-Type")
			mt, _, _ := mime.ParseMediaType(ct)
			if mt != tc.ctype {
				t.Errorf("Content-Type %q, want media type %q", ct, tc.ctype)
			}
		})
	}
}

// TestSecurityHeadersRealServer: the headers survive a real connection,
// where net/http adds its own (and must not add a Server header).
func TestSecurityHeadersRealServer(t *testing.T) {
	srv := httptest.NewServer(testHandler(t))
	defer srv.Close()
	for _, p := range []string{"/", "/nope", "/healthz", "/og/site.png", "/Guides"} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+p, nil)
		resp, err := noRedirect(srv.Client()).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		checkSecurityHeaders(t, "GET "+p, resp.Header)
	}
}

// noRedirect is c that returns redirects instead of following them.
func noRedirect(c *http.Client) *http.Client {
	cc := *c
	cc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &cc
}

// urlAttrs are the attributes that hold a URL a browser may load or follow.
var urlAttrs = []string{"href", "src", "action", "formaction", "srcset", "poster", "data", "xlink:href"}

// checkCSPClean fails for anything on a page that its own
// Content-Security-Policy would block or that would need 'unsafe-inline':
// inline scripts, event handler attributes, style attributes and elements,
// javascript: URLs, resources from other origins, <base>, plugins and frames.
func checkCSPClean(t *testing.T, page string, doc *html.Node) {
	t.Helper()
	local := func(u string) bool {
		return strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") && !strings.HasPrefix(u, `/\`)
	}
	for _, n := range findAll(doc, func(n *html.Node) bool { return n.Type == html.ElementNode }) {
		switch n.Data {
		case "script":
			if attr(n, "type") == "application/ld+json" {
				if _, ok := attrOK(n, "src"); ok {
					t.Errorf("%s: a JSON-LD script has a src", page)
				}
				continue
			}
			src, ok := attrOK(n, "src")
			if !ok || strings.TrimSpace(text(n)) != "" {
				t.Errorf("%s: an inline <script> (the CSP blocks it): %q", page, head(text(n), 80))
			} else if !local(src) {
				t.Errorf("%s: <script src=%q> is not from this origin", page, src)
			}
		case "style":
			t.Errorf("%s: a <style> element (the CSP blocks it): %q", page, head(text(n), 80))
		case "link":
			rel := strings.ToLower(attr(n, "rel"))
			if (strings.Contains(rel, "stylesheet") || strings.Contains(rel, "icon") || strings.Contains(rel, "preload")) && !local(attr(n, "href")) {
				t.Errorf("%s: <link rel=%q href=%q> is not from this origin", page, rel, attr(n, "href"))
			}
		case "img":
			if !local(attr(n, "src")) {
				t.Errorf("%s: <img src=%q> is not from this origin", page, attr(n, "src"))
			}
		case "form":
			if act, ok := attrOK(n, "action"); ok && act != "" && !local(act) {
				t.Errorf("%s: <form action=%q> posts off the site (form-action 'self')", page, act)
			}
		case "base", "iframe", "frame", "object", "embed", "applet":
			t.Errorf("%s: a <%s> element", page, n.Data)
		case "meta":
			if strings.EqualFold(attr(n, "http-equiv"), "refresh") || strings.EqualFold(attr(n, "http-equiv"), "content-security-policy") {
				t.Errorf("%s: <meta http-equiv=%q>", page, attr(n, "http-equiv"))
			}
		}
		for _, a := range n.Attr {
			k := strings.ToLower(a.Key)
			if k == "style" {
				t.Errorf("%s: <%s style=%q> (the CSP blocks inline style)", page, n.Data, a.Val)
			}
			if strings.HasPrefix(k, "on") {
				t.Errorf("%s: <%s %s=%q> (an inline event handler; the CSP blocks it)", page, n.Data, a.Key, a.Val)
			}
		}
		for _, k := range urlAttrs {
			if v, ok := attrOK(n, k); ok && isScriptURL(v) {
				t.Errorf("%s: <%s %s=%q>", page, n.Data, k, v)
			}
		}
	}
}

// isScriptURL reports whether a URL runs script when followed, the way a
// browser reads it (ignoring leading spaces, tabs and newlines, and case).
func isScriptURL(v string) bool {
	v = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, strings.TrimSpace(v))
	v = strings.ToLower(v)
	return strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "vbscript:") || strings.HasPrefix(v, "data:text/html")
}

var sitemapLoc = regexp.MustCompile(`<loc>([^<]+)</loc>`)

// TestPagesObeyCSP walks every page reachable from the home page and the
// sitemap, every result page and every error page, and checks that none
// needs what the CSP forbids.
func TestPagesObeyCSP(t *testing.T) {
	g := guide(t)
	queue := []string{"/"}
	for _, m := range sitemapLoc.FindAllStringSubmatch(get(t, "/sitemap.xml").Body.String(), -1) {
		u, err := url.Parse(html.UnescapeString(m[1]))
		if err != nil {
			t.Fatalf("sitemap <loc> %q: %v", m[1], err)
		}
		queue = append(queue, u.RequestURI())
	}
	if len(queue) < 5 {
		t.Fatalf("the sitemap lists %d pages; is it broken?", len(queue)-1)
	}
	for _, a := range g.Assessments {
		queue = append(queue, a.ResultURL()+"?"+firstQuery(a), a.ResultURL()+"?"+a.Query(answersBy(a, lastOption)),
			a.URL()+"?"+firstQuery(a))
	}
	seen := map[string]bool{}
	checked := 0
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		w := get(t, p)
		if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
			continue // redirects and files are followed by the site walk
		}
		doc := parseHTML(t, w.Body.Bytes())
		checkCSPClean(t, p, doc)
		checked++
		for _, href := range links(doc) {
			u := resolve(t, p, href)
			if u.Scheme != "" || u.Host != "" {
				continue
			}
			u.Fragment = ""
			if next := u.RequestURI(); !seen[next] {
				queue = append(queue, next)
			}
		}
	}
	if checked < 10 {
		t.Errorf("only %d pages checked; the walk is broken", checked)
	}

	// Error pages share the layout and must obey the same policy.
	a := assessment(t)
	valid := formBody(a, answersBy(a, firstOption))
	errorPages := map[string]*httptest.ResponseRecorder{
		"404":          get(t, "/nope"),
		"405":          request(t, http.MethodPut, "/", ""),
		"400 result":   get(t, a.ResultURL()+"?nope=1"),
		"404 result":   get(t, a.ResultURL()),
		"400 post":     post(t, a.URL(), "nope=1"),
		"422 post":     post(t, a.URL(), a.Questions[0].ID+"="+a.Questions[0].Options[0].ID),
		"413 post":     post(t, a.URL(), valid+"&pad="+strings.Repeat("x", 8<<10)),
		"403 post":     request(t, http.MethodPost, a.URL(), valid, "Content-Type", "application/x-www-form-urlencoded", "Sec-Fetch-Site", "cross-site"),
		"415 post":     request(t, http.MethodPost, a.URL(), valid, "Content-Type", "text/plain"),
		"429 post":     do(limitedHandler(t, "192.0.2.2:1"), formRequest(a.URL(), valid, "192.0.2.2:1")),
		"301 redirect": get(t, "/Guides"),
	}
	for name, w := range errorPages {
		if w.Body.Len() == 0 {
			t.Errorf("%s: an empty body", name)
			continue
		}
		checkCSPClean(t, name, parseHTML(t, w.Body.Bytes()))
	}
}
