package server_test

// Hostile input: oversized bodies, headers and URLs, invalid bytes, path
// traversal, script payloads, odd parameters and odd methods. Whatever
// arrives, the answer is a 2xx, 3xx or 4xx of the site's own, nothing from
// the request is reflected unescaped, and the server keeps serving.

import (
	"bufio"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// realServer serves h over TCP on 127.0.0.1 with the limits cmd/site sets,
// so that tests reach net/http's own parsing and limits.
func realServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ReadHeaderTimeout = 5 * time.Second
	srv.Config.ReadTimeout = 10 * time.Second
	srv.Config.WriteTimeout = 30 * time.Second
	srv.Config.IdleTimeout = 120 * time.Second
	srv.Config.MaxHeaderBytes = 32 << 10
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// rawResponse is what came back over a raw connection.
type rawResponse struct {
	status int
	header http.Header
	body   string
}

// rawRequest writes head (the request line and headers, without the blank
// line) and then body, which may be written while the response is read, to
// a fresh connection, and reads one response. body may be nil.
func rawRequest(t *testing.T, addr, head string, body io.Reader) (rawResponse, error) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(20 * time.Second))
	if _, err := io.WriteString(conn, head+"\r\n"); err != nil {
		return rawResponse{}, err
	}
	if body != nil {
		// The server may answer (413) and stop reading long before the body
		// is sent; writing goes on in the background and its error is moot.
		go func() { _, _ = io.Copy(conn, body) }()
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return rawResponse{}, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return rawResponse{status: resp.StatusCode, header: resp.Header, body: string(b)}, nil
}

// checkHealthy fails unless h still answers its health check and an article.
func checkHealthy(t *testing.T, h http.Handler) {
	t.Helper()
	for _, p := range []string{"/healthz", guide(t).Articles[0].URL()} {
		if w := do(h, newRequest(http.MethodGet, p, nil)); w.Code != http.StatusOK {
			t.Errorf("after the hostile requests, GET %s: status %d, want 200", p, w.Code)
		}
	}
}

// checkRealHealthy is checkHealthy over a real connection.
func checkRealHealthy(t *testing.T, srv *httptest.Server) {
	t.Helper()
	for _, p := range []string{"/healthz", guide(t).Articles[0].URL()} {
		resp, err := srv.Client().Get(srv.URL + p)
		if err != nil {
			t.Errorf("after the hostile requests, GET %s: %v", p, err)
			continue
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("after the hostile requests, GET %s: status %d, want 200", p, resp.StatusCode)
		}
	}
}

// unsizedReader hides a reader's length, so a request is sent chunked.
type unsizedReader struct{ io.Reader }

// TestHostileBodies: bodies far beyond the 4 KB a form needs are refused
// with a 413 and never read whole; small odd ones show the form again (422)
// with whatever answers they hold.
func TestHostileBodies(t *testing.T) {
	a := assessment(t)
	valid := formBody(a, answersBy(a, firstOption))
	q0 := a.Questions[0]
	manyFields := func(n int, f func(i int) string) string {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteByte('&')
			}
			b.WriteString(f(i))
		}
		return b.String()
	}
	tests := []struct {
		name   string
		body   string
		sized  bool
		status []int
	}{
		{"10 MB of one byte", strings.Repeat("a", 10<<20), true, []int{413}},
		{"10 MB after a valid form", valid + "&pad=" + strings.Repeat("x", 10<<20), true, []int{413}},
		{"10 MB chunked", strings.Repeat("a", 10<<20), false, []int{413}},
		{"10 MB of NUL bytes", strings.Repeat("\x00", 10<<20), true, []int{413}},
		{"100,000 repeated fields", strings.Repeat(q0.ID+"="+q0.Options[0].ID+"&", 100_000), true, []int{413}},
		{"100,000 distinct fields", manyFields(100_000, func(i int) string { return "f" + strconv.Itoa(i) + "=1" }), true, []int{413}},
		{"100,000 empty fields", strings.Repeat("&", 100_000), true, []int{413}},
		{"1,000 repeated fields within 4 KB", manyFields(1000, func(int) string { return "a=1" }), true, []int{422}},
		{"500 distinct fields within 4 KB", manyFields(500, func(i int) string { return strconv.Itoa(i) + "=" }), true, []int{422}},
		{"1,000 repeats of an answer within 4 KB", manyFields(4000/(len(q0.ID)+len(q0.Options[0].ID)+2), func(int) string { return q0.ID + "=" + q0.Options[0].ID }), true, []int{422}},
		{"4 KB name", strings.Repeat("n", 4000) + "=1", true, []int{422}},
		{"4 KB value", q0.ID + "=" + strings.Repeat("v", 4000), true, []int{422}},
		{"NUL in name and value", "a\x00b=c\x00d", true, []int{422}},
		{"escaped NUL and invalid UTF-8", "%00=%ff&%ff%fe=%00", true, []int{422}},
		{"invalid UTF-8 raw", "\xff\xfe=\xc0\xaf", true, []int{422}},
		{"valid answers then NUL value", valid + "&x=%00", true, []int{303}}, // x is no question: ignored
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var body io.Reader = strings.NewReader(tc.body)
			if !tc.sized {
				body = unsizedReader{body}
			}
			r := newRequest(http.MethodPost, a.URL(), body)
			for i := 0; i < len(formHeaders); i += 2 {
				r.Header.Set(formHeaders[i], formHeaders[i+1])
			}
			w := do(testHandler(t), r)
			checkStatusIn(t, w.Code, tc.status, w.Body.String())
			checkNoRawBytes(t, w.Body.String())
			checkSecurityHeaders(t, tc.name, w.Header())
		})
	}
	checkHealthy(t, testHandler(t))
}

// checkStatusIn fails unless code is one of want (and so never a 5xx).
func checkStatusIn(t *testing.T, code int, want []int, body string) {
	t.Helper()
	for _, s := range want {
		if code == s {
			return
		}
	}
	t.Errorf("status %d, want one of %v; body starts %q", code, want, head(body, 200))
}

// checkNoRawBytes fails if a response body holds a NUL byte or invalid
// UTF-8: request bytes must come back escaped, if at all.
func checkNoRawBytes(t *testing.T, body string) {
	t.Helper()
	if strings.ContainsRune(body, 0) {
		t.Errorf("the body holds a NUL byte at %d", strings.IndexByte(body, 0))
	}
	if !utf8.ValidString(body) {
		t.Errorf("the body is not valid UTF-8")
	}
}

// TestHostileQueries: a result link or form link with more parameters than
// any form has, or with bytes no form sends, never costs more than a
// redirect or a small page, and never echoes the bytes back.
func TestHostileQueries(t *testing.T) {
	a := assessment(t)
	fq := firstQuery(a)
	many := func(n int) string {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteByte('&')
			}
			fmt.Fprintf(&b, "p%d=1", i)
		}
		return b.String()
	}
	// Parameters that are no question are ignored (a redirect to the clean
	// address); values that fit no option, and unreadable parts, are a 400
	// that still shows the form with every answer that fits.
	queries := []struct {
		name         string
		query        string
		result, form int
	}{
		// Beyond net/url's limit of 10,000 parameters the query is unreadable.
		{"100,000 parameters", many(100_000), 400, 400},
		{"9,000 parameters", many(9_000), 301, 301},
		{"100,000 repeats of an answer", strings.Repeat(a.Questions[0].ID+"="+a.Questions[0].Options[0].ID+"&", 100_000), 400, 400},
		{"NUL name", fq + "&%00=1", 301, 301},
		{"NUL value", strings.Replace(fq, "="+a.Questions[0].Options[0].ID, "=%00", 1), 400, 400},
		{"invalid UTF-8 name", fq + "&%ff%fe=1", 301, 301},
		{"invalid UTF-8 value", strings.Replace(fq, "="+a.Questions[0].Options[0].ID, "=%c0%af", 1), 400, 400},
		{"overlong dot", fq + "&%c0%ae%c0%ae=1", 301, 301},
		{"malformed escape after every answer", fq + "&x=%zz", 301, 301},
		{"semicolon", strings.Replace(fq, "&", ";", 1), 400, 400},
		{"64 KB value", strings.Replace(fq, "="+a.Questions[0].Options[0].ID, "="+strings.Repeat("v", 64<<10), 1), 400, 400},
	}
	for _, target := range []string{a.ResultURL(), a.URL()} {
		for _, q := range queries {
			t.Run(target+" "+q.name, func(t *testing.T) {
				w := get(t, target+"?"+q.query)
				want := q.form
				if target == a.ResultURL() {
					want = q.result
				}
				checkStatusIn(t, w.Code, []int{want}, w.Body.String())
				if loc := w.Header().Get("Location"); len(loc) > 1000 {
					t.Errorf("a %d-byte redirect: the link is echoed back", len(loc))
				}
				checkNoRawBytes(t, w.Body.String())
				if len(q.query) > 1000 && w.Body.Len() > 64<<10 {
					t.Errorf("a %d-byte error page: the link is echoed back?", w.Body.Len())
				}
			})
		}
	}
	// Pages that read no query ignore it, whatever it holds.
	home := get(t, "/").Body.String()
	for _, q := range []string{"%00", "%ff", "a=%00&b=%ff", many(20_000), "<script>alert(1)</script>"} {
		w := get(t, "/?"+q)
		wantStatus(t, w, "GET /?"+head(q, 40), http.StatusOK)
		if w.Body.String() != home {
			t.Errorf("GET /?%s: a different page from GET /", head(q, 40))
		}
	}
	checkHealthy(t, testHandler(t))
}

// TestHostilePaths: invalid bytes and traversal in the path reach nothing
// but the site's own pages: a 404, or a 301 to a clean path on this site.
func TestHostilePaths(t *testing.T) {
	paths := []string{
		"/static/..%2f..%2fetc/passwd",
		"/static/..%2F..%2F..%2Fetc%2Fpasswd",
		"/static/%2e%2e/",
		"/static/%2e%2e/%2e%2e/etc/passwd",
		"/static/%2E%2E/%2E%2E/etc/passwd",
		"//etc/passwd",
		"///etc/passwd",
		`/static/..\..\etc\passwd`,
		"/static/..%5c..%5cetc%5cpasswd",
		"/static/%252e%252e/%252e%252e/etc/passwd",
		"/static/%252e%252e%252f%252e%252e%252fetc%252fpasswd",
		"/static/....//....//etc/passwd",
		"/static/site.css/../../../etc/passwd",
		"/../../../../etc/passwd",
		"/%2e%2e/%2e%2e/etc/passwd",
		"/static/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
		"/static/%c0%af..%c0%afetc%c0%afpasswd",
		"/static/..%00/etc/passwd",
		"/static/%00",
		"/%00",
		"/%ff",
		"/%ff%fe%fd",
		"/guides/%00/../etc/passwd",
		"/Guides/%00",
		"/Guides/%ff",
		"/og/..%2f..%2fetc%2fpasswd.png",
		"/static/./././site.css",
		"/healthz/../../etc/passwd",
		"/etc/passwd",
		"/proc/self/environ",
		"/.git/config",
		"/.env",
		"/static/.%2e/.%2e/go.mod",
		"/static/%2e%2e%2f%2e%2e%2fgo.mod",
		"/server/server.go",
		"/static/static.go",
	}
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			for _, m := range []string{http.MethodGet, http.MethodHead} {
				w := request(t, m, p, "")
				checkStatusIn(t, w.Code, []int{301, 404, 400}, w.Body.String())
				checkNotLeaked(t, w.Body.String())
				checkNoRawBytes(t, w.Body.String())
				if w.Code == http.StatusMovedPermanently {
					loc := w.Header().Get("Location")
					checkLocalLocation(t, loc)
					// The redirect lands on the site's own 404 (or a page).
					next := request(t, m, loc, "")
					checkStatusIn(t, next.Code, []int{200, 404}, next.Body.String())
					checkNotLeaked(t, next.Body.String())
				}
			}
		})
	}
	checkHealthy(t, testHandler(t))
}

// checkNotLeaked fails if a body looks like a file from the machine or the
// source tree.
func checkNotLeaked(t *testing.T, body string) {
	t.Helper()
	for _, s := range []string{"root:", "daemon:", "package server", "package static", "module github.com", "[core]", "PATH="} {
		if strings.Contains(body, s) {
			t.Errorf("the body contains %q: a file from outside the site was served", s)
		}
	}
}

// checkLocalLocation fails unless a redirect target stays on this site:
// a path, not a scheme-relative or backslash URL a browser reads as another
// host, and with no raw control characters or markup.
func checkLocalLocation(t *testing.T, loc string) {
	t.Helper()
	if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, `/\`) {
		t.Errorf("Location %q does not stay on this site", loc)
	}
	if strings.ContainsAny(loc, "\x00\r\n\t<>\"' \\") {
		t.Errorf("Location %q holds raw control characters or markup", loc)
	}
	u, err := url.Parse(loc)
	if err != nil || u.Scheme != "" || u.Host != "" {
		t.Errorf("Location %q: parses as scheme %q host %q (err %v)", loc, u.Scheme, u.Host, err)
	}
	for _, seg := range strings.Split(u.Path, "/") {
		if seg == ".." || seg == "." {
			t.Errorf("Location %q keeps a dot segment", loc)
		}
	}
}

// TestOpenRedirect: a canonical redirect never sends a reader to another
// site, whatever the path.
func TestOpenRedirect(t *testing.T) {
	for _, p := range []string{
		"//evil.example/",
		"//Evil.Example/",
		"///evil.example/",
		"/%2f%2fevil.example/",
		"/%2F%2Fevil.example",
		`/\evil.example`,
		`/\Evil.example`,
		"/%5cevil.example",
		"/%5CEvil.example",
		"/%5c%5cevil.example",
		"/.//evil.example",
		"/..//evil.example",
		"/Guides/..//evil.example",
		"/%09/evil.example",
		"/%0d%0aLocation:%20http://evil.example",
		"/Guides/%0d%0aSet-Cookie:%20a=1",
		"/Http:/evil.example",
		"/JavaScript:alert(1)",
		"/Guides/?next=//evil.example",
	} {
		t.Run(p, func(t *testing.T) {
			w := get(t, p)
			checkStatusIn(t, w.Code, []int{301, 404, 400}, w.Body.String())
			if w.Code == http.StatusMovedPermanently {
				loc := w.Header().Get("Location")
				if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, `/\`) {
					t.Errorf("Location %q leaves the site", loc)
				}
				if strings.ContainsAny(loc, "\r\n") {
					t.Errorf("Location %q holds a line break", loc)
				}
			}
			if _, ok := w.Header()["Set-Cookie"]; ok {
				t.Errorf("a Set-Cookie header was injected: %q", w.Header()["Set-Cookie"])
			}
		})
	}
}

// Script payloads, each in the form an attacker would try.
var xssPayloads = []string{
	"<script>alert(1)</script>",
	`"><img src=x onerror=alert(1)>`,
	"javascript:alert(1)",
	`'><svg onload=alert(1)>`,
	"</title><script>alert(1)</script>",
	`" autofocus onfocus="alert(1)`,
}

// checkNoPayload fails if a response carries the payload where a browser
// would act on it: raw in the body, as markup in the parsed page, as a
// script URL, or in a header.
func checkNoPayload(t *testing.T, payload string, w *httptest.ResponseRecorder) {
	t.Helper()
	body := w.Body.String()
	if strings.ContainsAny(payload, `<>"'`) && strings.Contains(body, payload) {
		t.Errorf("the payload %q appears unescaped in the %d response", payload, w.Code)
	}
	for k, vs := range w.Header() {
		for _, v := range vs {
			if strings.Contains(v, payload) && strings.ContainsAny(payload, `<>"' `) {
				t.Errorf("the payload %q appears unescaped in the header %s: %q", payload, k, v)
			}
			if k == "Location" && isScriptURL(v) {
				t.Errorf("Location %q is a script URL", v)
			}
		}
	}
	if !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") || body == "" {
		return
	}
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parsing the %d response: %v", w.Code, err)
	}
	for _, n := range findAll(doc, func(n *html.Node) bool { return n.Type == html.ElementNode }) {
		switch n.Data {
		case "script":
			if attr(n, "type") != "application/ld+json" && (attr(n, "src") == "" || strings.Contains(text(n), "alert")) {
				t.Errorf("an injected inline <script>: %q", text(n))
			}
			if attr(n, "type") == "application/ld+json" && strings.Contains(text(n), "</script") {
				t.Errorf("JSON-LD that closes its script element: %q", text(n))
			}
		case "img":
			if attr(n, "src") == "x" {
				t.Errorf("an injected <img src=x>")
			}
		}
		for _, a := range n.Attr {
			_, ownSummary := attrOK(n, "data-error-summary") // the form's error summary takes focus by design
			if strings.HasPrefix(strings.ToLower(a.Key), "on") || (a.Key == "autofocus" && !ownSummary) {
				t.Errorf("an injected attribute <%s %s=%q>", n.Data, a.Key, a.Val)
			}
		}
		for _, k := range urlAttrs {
			if v, ok := attrOK(n, k); ok && isScriptURL(v) {
				t.Errorf("<%s %s=%q>: an injected script URL", n.Data, k, v)
			}
		}
		if n.Data == "meta" || n.Data == "link" {
			if c := attr(n, "content"); isScriptURL(c) {
				t.Errorf("<%s content=%q>: an injected script URL", n.Data, c)
			}
		}
	}
}

// TestScriptPayloads puts each payload in every query parameter of the
// result link and the form link, in paths, in POST field names and values
// and in request headers.
func TestScriptPayloads(t *testing.T) {
	g := guide(t)
	for _, payload := range xssPayloads {
		esc := url.QueryEscape(payload)
		for _, a := range g.Assessments {
			ans := answersBy(a, firstOption)
			type tc struct {
				name, method, target, body string
				status                     []int
			}
			var cases []tc
			for i, q := range a.Questions {
				// The payload as the answer to question i.
				v := url.Values{}
				for _, q2 := range a.Questions {
					v.Set(q2.ID, ans[q2.ID])
				}
				v.Set(q.ID, payload)
				cases = append(cases,
					tc{fmt.Sprintf("result value %d", i), "GET", a.ResultURL() + "?" + v.Encode(), "", []int{400}},
					tc{fmt.Sprintf("form value %d", i), "GET", a.URL() + "?" + v.Encode(), "", []int{400}},
					tc{fmt.Sprintf("post value %d", i), "POST", a.URL(), v.Encode(), []int{422}},
				)
			}
			fq := a.Query(ans)
			cases = append(cases,
				tc{"result name", "GET", a.ResultURL() + "?" + fq + "&" + esc + "=1", "", []int{301}},
				tc{"result name only", "GET", a.ResultURL() + "?" + esc, "", []int{301}},
				tc{"result tracking value", "GET", a.ResultURL() + "?" + fq + "&utm_source=" + esc, "", []int{301}},
				tc{"result fbclid value", "GET", a.ResultURL() + "?" + fq + "&fbclid=" + esc, "", []int{301}},
				// Raw, the payload is parameter names (ignored: 301) or an unreadable escape (400).
				tc{"result raw", "GET", a.ResultURL() + "?" + strings.NewReplacer(" ", "%20", "\"", "%22").Replace(payload), "", []int{301, 400}},
				tc{"form name", "GET", a.URL() + "?" + esc + "=1", "", []int{301}},
				tc{"form tracking value", "GET", a.URL() + "?utm_campaign=" + esc, "", []int{301}},
				tc{"post name", "POST", a.URL(), formBody(a, ans) + "&" + esc + "=1", []int{303}},
				tc{"post name only", "POST", a.URL(), esc, []int{422}},
				tc{"post raw", "POST", a.URL(), payload, []int{422}},
				tc{"post query", "POST", a.URL() + "?" + esc + "=1", formBody(a, ans), []int{303}},
			)
			for _, c := range cases {
				t.Run(payload+" "+a.ID+" "+c.name, func(t *testing.T) {
					var hdr []string
					if c.method == "POST" {
						hdr = formHeaders
					}
					w := request(t, c.method, c.target, c.body, hdr...)
					checkStatusIn(t, w.Code, c.status, w.Body.String())
					checkNoPayload(t, payload, w)
					if w.Code == http.StatusMovedPermanently || w.Code == http.StatusSeeOther {
						loc := w.Header().Get("Location")
						if strings.Contains(loc, esc) || strings.Contains(loc, "alert") {
							t.Errorf("the redirect keeps the payload: %q", loc)
						}
					}
				})
			}
		}
		for _, p := range []string{
			"/" + url.PathEscape(payload),
			"/guides/" + url.PathEscape(payload),
			"/Guides/" + url.PathEscape(payload),
			"/static/" + url.PathEscape(payload),
			"/og/" + url.PathEscape(payload) + ".png",
			g.URL() + "/" + url.PathEscape(payload),
			"/" + strings.NewReplacer(" ", "%20", "\"", "%22", "<", "%3C", ">", "%3E").Replace(payload) + "/",
		} {
			t.Run(payload+" path "+p, func(t *testing.T) {
				w := get(t, p)
				checkStatusIn(t, w.Code, []int{301, 404}, w.Body.String())
				checkNoPayload(t, payload, w)
			})
		}
		t.Run(payload+" headers", func(t *testing.T) {
			a := assessment(t)
			for _, target := range []string{"/", "/nope", a.ResultURL() + "?nope=1", a.ResultURL() + "?" + firstQuery(a)} {
				w := get(t, target, "Referer", "https://evil.example/"+payload, "User-Agent", payload,
					"Accept-Language", payload, "X-Forwarded-For", payload, "X-Forwarded-Host", payload,
					"Cookie", "a="+payload, "X-Request-Id", payload)
				checkNoPayload(t, payload, w)
				if strings.Contains(w.Body.String(), "evil.example") {
					t.Errorf("GET %s: the Referer is reflected", target)
				}
			}
		})
	}
	// The Host header names no one: links are built from the configured origin.
	w := get(t, "/", "Host", "evil.example")
	if strings.Contains(w.Body.String(), "evil.example") {
		t.Errorf("GET / with Host: evil.example reflects the host")
	}
	checkHealthy(t, testHandler(t))
}

// TestResultParameters: a result link holds one answer per question. Extra
// parameters and harmless repeats redirect to the canonical link; answers
// that fit no option are a 400 showing the form with the rest; a link that
// lacks answers opens the form pre-filled (200), unless the only answers it
// lacks have an assumed value (then it redirects to the result with them).
func TestResultParameters(t *testing.T) {
	for _, a := range guide(t).Assessments {
		fq := firstQuery(a)
		q0 := a.Questions[0]
		lacksQ0 := 200 // a question in capitals is no answer to it
		if q0.Assumed != "" {
			lacksQ0 = 301
		}
		tests := []struct {
			name   string
			query  string
			status int
		}{
			{"repeated, same value", fq + "&" + q0.ID + "=" + q0.Options[0].ID, 301},
			{"repeated, other value", fq + "&" + q0.ID + "=" + q0.Options[1].ID, 400},
			{"repeated, one empty", fq + "&" + q0.ID + "=", 301},
			{"repeated first", q0.ID + "=" + q0.Options[1].ID + "&" + fq, 400},
			{"unknown", fq + "&nope=1", 301},
			{"unknown, empty", fq + "&nope=", 301},
			{"unknown, no value", fq + "&nope", 301},
			{"unknown only", "nope=1", 301},
			{"question in capitals", strings.Replace(fq, q0.ID+"=", strings.ToUpper(q0.ID)+"=", 1), lacksQ0},
			{"option in capitals", strings.Replace(fq, "="+q0.Options[0].ID, "="+strings.ToUpper(q0.Options[0].ID), 1), 400},
			{"unknown option", strings.Replace(fq, "="+q0.Options[0].ID, "=nope", 1), 400},
			{"question id with a space", fq + "&" + url.QueryEscape(q0.ID+" ") + "=" + q0.Options[0].ID, 301},
			{"tracking only", "utm_source=x", 301},
			{"repeated tracking", fq + "&utm_source=a&utm_source=b", 301},
		}
		for _, tc := range tests {
			t.Run(a.ID+" "+tc.name, func(t *testing.T) {
				w := get(t, a.ResultURL()+"?"+tc.query)
				wantStatus(t, w, tc.name, tc.status)
				checkSecurityHeaders(t, tc.name, w.Header())
			})
		}
	}
}

// TestEveryMethod sends every method to every route kind: each is a 2xx,
// 3xx or 4xx that fits, never a 5xx, and TRACE echoes nothing.
func TestEveryMethod(t *testing.T) {
	g := guide(t)
	a := assessment(t)
	css, _, _ := assetURLs(t)
	valid := formBody(a, answersBy(a, firstOption))
	routes := []struct {
		name, path string
		found      bool // the path exists (GET is 200)
		post       bool // the path takes POST
	}{
		{"home", "/", true, false},
		{"article", g.Articles[0].URL(), true, false},
		{"guide", g.URL(), true, false},
		{"static", css, true, false},
		{"image", "/og/site.png", true, false},
		{"form", a.URL(), true, true},
		{"result", a.ResultURL() + "?" + firstQuery(a), true, false},
		{"healthz", "/healthz", true, false},
		{"readyz", "/readyz", true, false},
		{"sitemap", "/sitemap.xml", true, false},
		{"robots", "/robots.txt", true, false},
		{"feed", "/feed.atom", true, false},
		{"missing", "/nope", false, false},
	}
	methods := []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodTrace, http.MethodConnect, "FOO", "PROPFIND", "get"}
	const canary = "trace-canary-8c1f"
	for _, rt := range routes {
		for _, m := range methods {
			t.Run(m+" "+rt.name, func(t *testing.T) {
				r := newRequest(m, rt.path, strings.NewReader(valid+"&"+canary+"=1"))
				if m == http.MethodPost && rt.post {
					r = newRequest(m, rt.path, strings.NewReader(valid))
				}
				for i := 0; i < len(formHeaders); i += 2 {
					r.Header.Set(formHeaders[i], formHeaders[i+1])
				}
				r.Header.Set("X-Canary", canary)
				r.Header.Set("Cookie", "session="+canary)
				w := do(testHandler(t), r)
				var want []int
				switch {
				case (m == http.MethodGet || m == http.MethodHead) && rt.found:
					want = []int{200}
				case m == http.MethodPost && rt.post:
					want = []int{303}
				case rt.found:
					want = []int{405}
				default:
					// No resource here, whatever the method: a 404 (or a
					// 501 for a method the server does not know), never a
					// 405 that claims the page exists.
					want = []int{404, 501}
				}
				checkStatusIn(t, w.Code, want, w.Body.String())
				if strings.Contains(w.Body.String(), canary) {
					t.Errorf("%s %s echoes the request", m, rt.path)
				}
				if ct := w.Header().Get("Content-Type"); strings.HasPrefix(ct, "message/http") {
					t.Errorf("%s %s answers with %q", m, rt.path, ct)
				}
				if w.Code == http.StatusMethodNotAllowed && w.Header().Get("Allow") == "" {
					t.Errorf("a 405 with an empty Allow header (RFC 9110: it lists the methods the resource supports)")
				}
				if w.Code == http.StatusMethodNotAllowed && rt.found {
					allow := w.Header().Get("Allow")
					want := "GET, HEAD"
					if rt.post {
						want = "GET, HEAD, POST"
					}
					if allow != want {
						t.Errorf("Allow %q, want %q", allow, want)
					}
				}
				checkSecurityHeaders(t, m+" "+rt.path, w.Header())
			})
		}
	}
	checkHealthy(t, testHandler(t))
}

// TestHostileRealServer sends what only a real connection can carry:
// oversized headers and URLs, raw bytes in the request line, bodies the
// server must stop reading, and a client that never finishes its headers.
func TestHostileRealServer(t *testing.T) {
	// Every request comes from 127.0.0.1: a handler of its own, with a
	// budget no test spends, keeps the rate limit out of the answers.
	srv := realServer(t, newSite(t, testOptions{SubmitsPerMinute: 100_000}))
	addr := srv.Listener.Addr().String()
	a := assessment(t)
	postHead := func(extra string) string {
		return "POST " + a.URL() + " HTTP/1.1\r\nHost: " + addr + "\r\nContent-Type: application/x-www-form-urlencoded\r\nSec-Fetch-Site: same-origin\r\n" + extra
	}
	tests := []struct {
		name   string
		head   string
		body   io.Reader
		status []int
		note   string
	}{
		{"64 KB header", "GET / HTTP/1.1\r\nHost: x\r\nX-Pad: " + strings.Repeat("a", 64<<10) + "\r\n", nil, []int{431}, ""},
		{"64 KB of small headers", "GET / HTTP/1.1\r\nHost: x\r\n" + strings.Repeat("X-Pad: aaaaaaaaaaaaaaaaaaaaaaaa\r\n", 64<<10/32), nil, []int{431}, ""},
		{"64 KB cookie", "GET / HTTP/1.1\r\nHost: x\r\nCookie: a=" + strings.Repeat("b", 64<<10) + "\r\n", nil, []int{431}, ""},
		{"16 KB path", "GET /" + strings.Repeat("a", 16<<10) + " HTTP/1.1\r\nHost: x\r\n", nil, []int{404, 414, 431, 400},
			"a 16 KB request line is within MaxHeaderBytes (32 KB, plus net/http's 4 KB slack), so it reaches the router: 404"},
		{"16 KB result query", "GET " + a.ResultURL() + "?" + strings.Repeat("a", 16<<10) + "=1 HTTP/1.1\r\nHost: x\r\n", nil, []int{301, 414, 431},
			"reaches the handler, which ignores the unknown parameter: a 301 to the form"},
		{"40 KB path", "GET /" + strings.Repeat("a", 40<<10) + " HTTP/1.1\r\nHost: x\r\n", nil, []int{431, 414},
			"beyond MaxHeaderBytes net/http answers 431 (it has no separate request-line limit, so never 414)"},
		{"raw NUL in path", "GET /a\x00b HTTP/1.1\r\nHost: x\r\n", nil, []int{400}, "net/http refuses control characters in the URL"},
		{"raw CR in path", "GET /a\rb HTTP/1.1\r\nHost: x\r\n", nil, []int{400}, ""},
		{"raw DEL in path", "GET /a\x7fb HTTP/1.1\r\nHost: x\r\n", nil, []int{400}, ""},
		{"raw invalid UTF-8 in path", "GET /\xff\xfe HTTP/1.1\r\nHost: x\r\n", nil, []int{400, 404, 301},
			"canonicalPath lower-cases the path, and strings.ToLower turns each invalid byte into U+FFFD: a 301 to /%EF%BF%BD%EF%BF%BD, which is a 404"},
		{"raw invalid UTF-8 in query", "GET " + a.ResultURL() + "?\xff=\xfe HTTP/1.1\r\nHost: x\r\n", nil, []int{400, 301}, "net/http refuses it (400), or the handler ignores the parameter (301)"},
		{"NUL in header value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n", nil, []int{400}, ""},
		{"no Host", "GET / HTTP/1.1\r\n", nil, []int{400}, ""},
		{"two Content-Lengths", postHead("Content-Length: 5\r\nContent-Length: 6\r\n"), strings.NewReader("aaaaaa"), []int{400}, ""},
		{"smuggling: CL and TE", postHead("Content-Length: 4\r\nTransfer-Encoding: chunked\r\n"), strings.NewReader("0\r\n\r\n"), []int{400, 422, 303}, ""},
		{"TRACE", "TRACE / HTTP/1.1\r\nHost: x\r\nX-Canary: trace-canary-8c1f\r\n", nil, []int{405}, ""},
		{"CONNECT authority", "CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n", nil, []int{400, 404, 405}, ""},
		{"absolute URL", "GET http://evil.example/ HTTP/1.1\r\nHost: evil.example\r\n", nil, []int{200}, ""},
		{"10 MB body", postHead("Content-Length: " + strconv.Itoa(10<<20) + "\r\n"), strings.NewReader(strings.Repeat("a", 10<<20)), []int{413}, ""},
		{"10 MB chunked body", postHead("Transfer-Encoding: chunked\r\n"), chunked(strings.Repeat("a", 10<<20)), []int{413}, ""},
		{"1 GB declared, 8 KB sent", postHead("Content-Length: " + strconv.Itoa(1<<30) + "\r\n"), strings.NewReader(strings.Repeat("a", 8<<10)), []int{413}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := rawRequest(t, addr, tc.head, tc.body)
			if err != nil {
				t.Fatalf("no response: %v", err)
			}
			checkStatusIn(t, resp.status, tc.status, resp.body)
			if tc.note != "" {
				t.Logf("status %d: %s", resp.status, tc.note)
			}
			if strings.Contains(resp.body, "trace-canary") {
				t.Errorf("the request is echoed")
			}
			if _, ok := resp.header["Server"]; ok {
				t.Errorf("a Server header: %q", resp.header.Get("Server"))
			}
			checkNotLeaked(t, resp.body)
			checkNoRawBytes(t, resp.body)
		})
	}

	t.Run("slow headers", func(t *testing.T) {
		if testing.Short() {
			t.Skip("waits for ReadHeaderTimeout (5s)")
		}
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		start := time.Now()
		_, _ = io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\n")
		_ = conn.SetDeadline(time.Now().Add(15 * time.Second))
		// Trickle a header byte a second: the server must hang up at
		// ReadHeaderTimeout, not wait for the client.
		done := make(chan struct{})
		go func() {
			defer close(done)
			for range 12 {
				if _, err := io.WriteString(conn, "X"); err != nil {
					return
				}
				time.Sleep(time.Second)
			}
		}()
		b, _ := io.ReadAll(conn)
		elapsed := time.Since(start)
		if elapsed > 8*time.Second {
			t.Errorf("the server waited %v for headers, beyond its 5s ReadHeaderTimeout", elapsed)
		}
		if len(b) > 0 && !strings.HasPrefix(string(b), "HTTP/1.1 4") {
			t.Errorf("the server answered a half-sent request with %q", head(string(b), 60))
		}
		conn.Close()
		<-done
	})

	// The same hostile requests through an HTTP client, for good measure,
	// then the server still serves.
	huge := strings.Repeat("a", 10<<20)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+a.URL(), strings.NewReader(huge))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp, err := srv.Client().Do(req); err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("a 10 MB post through a client: status %d, want 413", resp.StatusCode)
		}
	} else {
		t.Logf("a 10 MB post through a client: %v (the server hung up before the body was sent)", err)
	}
	checkRealHealthy(t, srv)
}

// chunked encodes s as a chunked body in 32 KB chunks.
func chunked(s string) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		for len(s) > 0 {
			n := min(len(s), 32<<10)
			if _, err := fmt.Fprintf(pw, "%x\r\n%s\r\n", n, s[:n]); err != nil {
				pw.CloseWithError(err)
				return
			}
			s = s[n:]
		}
		_, _ = io.WriteString(pw, "0\r\n\r\n")
		pw.Close()
	}()
	return pr
}

// TestHostileConcurrent: many hostile requests at once leave the server
// healthy and every answer below 500.
func TestHostileConcurrent(t *testing.T) {
	srv := realServer(t, newSite(t, testOptions{SubmitsPerMinute: 100_000}))
	a := assessment(t)
	targets := []string{
		"/static/..%2f..%2fetc/passwd", "/%00", "/%ff", a.ResultURL() + "?%3Cscript%3E=1",
		a.URL() + "?" + strings.Repeat("x=1&", 5000), "/Guides/%2e%2e/", "/og/nope.png", "/og/site.png",
	}
	errs := make(chan error, 200)
	sem := make(chan struct{}, 16)
	for i := range 200 {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			resp, err := noRedirect(srv.Client()).Get(srv.URL + targets[i%len(targets)])
			if err != nil {
				errs <- err
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode >= 500 {
				errs <- fmt.Errorf("GET %s: status %d", targets[i%len(targets)], resp.StatusCode)
				return
			}
			errs <- nil
		}()
	}
	for range 200 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	checkRealHealthy(t, srv)
}
