package server_test

// Shared test helpers: one site and one handler per test binary, request
// helpers, and a small HTML query kit on top of golang.org/x/net/html.

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/pmvspo/site/accesslog"
	"github.com/pmvspo/site/assess"
	"github.com/pmvspo/site/build"
	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/metrics"
	"github.com/pmvspo/site/server"
)

var (
	setupOnce sync.Once
	theSite   *content.Site
	theH      http.Handler
	setupErr  error
)

// testOptions configure a test site: how it is built and served.
type testOptions struct {
	Logger           *slog.Logger
	AccessLog        *accesslog.Logger
	Origin           string
	TrustedProxies   []string
	SubmitsPerMinute int
	// NoWarm leaves the pages uncompressed.
	NoWarm bool
	// Metrics receives what the server counts.
	Metrics metrics.Recorder
}

// newHandler builds site and serves it with the features cmd/site serves,
// so that tests exercise the real site.
func newHandler(site *content.Site, opts testOptions) (*server.Server, error) {
	snap, err := build.Build(site, build.Options{Origin: opts.Origin})
	if err != nil {
		return nil, err
	}
	if !opts.NoWarm {
		// Tests see every encoding: they wait for the compression a real
		// server does in the background.
		snap.Warm()
		<-snap.Compressed()
	}
	return server.New(snap, server.Options{Logger: opts.Logger, AccessLog: opts.AccessLog, TrustedProxies: opts.TrustedProxies,
		SubmitsPerMinute: opts.SubmitsPerMinute, Features: []server.Feature{assess.Routes}, Metrics: opts.Metrics})
}

// testSite is the embedded content, loaded once per test binary.
func testSite(tb testing.TB) *content.Site {
	tb.Helper()
	setup(tb)
	return theSite
}

// testHandler is the real handler on the embedded content, built once.
func testHandler(tb testing.TB) http.Handler {
	tb.Helper()
	setup(tb)
	return theH
}

func setup(tb testing.TB) {
	tb.Helper()
	setupOnce.Do(func() {
		theSite, setupErr = content.Load(content.Embedded())
		if setupErr != nil {
			return
		}
		theH, setupErr = newHandler(theSite, testOptions{})
	})
	if setupErr != nil {
		tb.Fatalf("building the site: %v", setupErr)
	}
}

// guide is the first guide readers see. Tests derive what they expect from
// it (its paths, articles, FAQ and assessments), never from the words of the
// shipped guide, so that they hold for any valid content: another guide
// copied in beside it, or in its place.
func guide(tb testing.TB) *content.Guide {
	tb.Helper()
	pub := testSite(tb).Published(time.Now())
	if len(pub.Guides) == 0 {
		tb.Fatal("the embedded content has no published guide")
	}
	return pub.Guides[0]
}

// assessment is the first assessment of the first published guide that has
// one. Content without any assessment is valid but gives the assessment
// tests nothing to test: they skip, saying so.
func assessment(tb testing.TB) *content.Assessment {
	tb.Helper()
	for _, g := range testSite(tb).Published(time.Now()).Guides {
		if len(g.Assessments) > 0 {
			return g.Assessments[0]
		}
	}
	tb.Skip("the embedded content has no published assessment to test")
	return nil
}

// remoteCounter gives every test request its own client address, so that a
// per-client rate limit never couples unrelated tests to each other.
var remoteCounter atomic.Uint32

func newRequest(method, target string, body io.Reader) *http.Request {
	r := httptest.NewRequest(method, target, body)
	n := remoteCounter.Add(1)
	r.RemoteAddr = fmt.Sprintf("10.%d.%d.%d:40000", byte(n>>16), byte(n>>8), byte(n))
	return r
}

// do serves one request through h and returns the recorded response.
func do(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// get serves a GET of target; hdr holds header name/value pairs.
func get(tb testing.TB, target string, hdr ...string) *httptest.ResponseRecorder {
	tb.Helper()
	return request(tb, http.MethodGet, target, "", hdr...)
}

// request serves any method with an optional body and header pairs.
func request(tb testing.TB, method, target, body string, hdr ...string) *httptest.ResponseRecorder {
	tb.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := newRequest(method, target, rd)
	if len(hdr)%2 != 0 {
		tb.Fatalf("request: odd header list %q", hdr)
	}
	for i := 0; i < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := do(testHandler(tb), r)
	if w.Code >= 500 {
		tb.Errorf("%s %s: status %d (a server error)", method, target, w.Code)
	}
	return w
}

// formHeaders are the headers a browser sends with a same-origin form post.
var formHeaders = []string{"Content-Type", "application/x-www-form-urlencoded", "Sec-Fetch-Site", "same-origin"}

// post submits a form body the way a browser on the site does.
func post(tb testing.TB, target, body string, extra ...string) *httptest.ResponseRecorder {
	tb.Helper()
	return request(tb, http.MethodPost, target, body, append(append([]string{}, formHeaders...), extra...)...)
}

// wantStatus fails unless the response has the status.
func wantStatus(tb testing.TB, w *httptest.ResponseRecorder, what string, status int) {
	tb.Helper()
	if w.Code != status {
		tb.Fatalf("%s: status %d, want %d; body starts %q", what, w.Code, status, head(w.Body.String(), 300))
	}
}

func head(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// wantHTML fails unless the response is an HTML document.
func wantHTML(tb testing.TB, w *httptest.ResponseRecorder, what string) *html.Node {
	tb.Helper()
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		tb.Fatalf("%s: Content-Type %q, want text/html", what, ct)
	}
	return parseHTML(tb, w.Body.Bytes())
}

// parseHTML parses a document.
func parseHTML(tb testing.TB, b []byte) *html.Node {
	tb.Helper()
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		tb.Fatalf("parsing HTML: %v", err)
	}
	return doc
}

// --- querying -------------------------------------------------------------

// pred selects element nodes.
type pred func(*html.Node) bool

func tag(name string) pred {
	return func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == name }
}

func withID(id string) pred {
	return func(n *html.Node) bool { return n.Type == html.ElementNode && attr(n, "id") == id }
}

func withClass(class string) pred {
	return func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return false
		}
		for _, c := range strings.Fields(attr(n, "class")) {
			if c == class {
				return true
			}
		}
		return false
	}
}

func withAttr(key, val string) pred {
	return func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return false
		}
		v, ok := attrOK(n, key)
		return ok && v == val
	}
}

// and combines predicates.
func and(ps ...pred) pred {
	return func(n *html.Node) bool {
		for _, p := range ps {
			if !p(n) {
				return false
			}
		}
		return true
	}
}

// findAll is every element under n (n included) that p selects, in document order.
func findAll(n *html.Node, p pred) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if p(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

// find is the first element p selects, or nil.
func find(n *html.Node, p pred) *html.Node {
	if p(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, p); f != nil {
			return f
		}
	}
	return nil
}

// mustFind is find that fails the test when nothing matches.
func mustFind(tb testing.TB, n *html.Node, p pred, what string) *html.Node {
	tb.Helper()
	f := find(n, p)
	if f == nil {
		tb.Fatalf("no %s on the page", what)
	}
	return f
}

// inside reports whether n has an ancestor p selects.
func inside(n *html.Node, p pred) bool {
	for a := n.Parent; a != nil; a = a.Parent {
		if p(a) {
			return true
		}
	}
	return false
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

// text is n's text content with white space collapsed.
func text(n *html.Node) string { return joinText(n, " ") }

// joinText is the text nodes under n joined by sep, spaces collapsed.
func joinText(n *html.Node, sep string) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteString(sep)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// ids counts every id on the page.
func ids(n *html.Node) map[string]int {
	out := map[string]int{}
	for _, e := range findAll(n, func(n *html.Node) bool { _, ok := attrOK(n, "id"); return n.Type == html.ElementNode && ok }) {
		out[attr(e, "id")]++
	}
	return out
}

// hrefs lists the href of every <a> under n.
func hrefs(n *html.Node) []string {
	var out []string
	for _, a := range findAll(n, tag("a")) {
		if v, ok := attrOK(a, "href"); ok {
			out = append(out, v)
		}
	}
	return out
}

// links lists every URL a page refers to: <a href>, <link href>, <script src>.
func links(n *html.Node) []string {
	var out []string
	for _, e := range findAll(n, func(n *html.Node) bool { return n.Type == html.ElementNode }) {
		switch e.Data {
		case "a", "link":
			if v, ok := attrOK(e, "href"); ok {
				out = append(out, v)
			}
		case "script":
			if v, ok := attrOK(e, "src"); ok {
				out = append(out, v)
			}
		}
	}
	return out
}

// hasHref reports whether some <a> under n links to href exactly.
func hasHref(n *html.Node, href string) bool {
	for _, h := range hrefs(n) {
		if h == href {
			return true
		}
	}
	return false
}

// h1Text is the text of the page's only <h1>.
func h1Text(tb testing.TB, doc *html.Node) string {
	tb.Helper()
	hs := findAll(doc, tag("h1"))
	if len(hs) != 1 {
		tb.Fatalf("%d <h1> elements, want 1", len(hs))
	}
	return textContent(hs[0])
}

// textContent is n's text as a browser's textContent gives it, with its
// spaces collapsed: unlike text, no space between an element's text and
// the next ("Product Owner</span>." is "Product Owner.").
func textContent(n *html.Node) string { return joinText(n, "") }

// stylesheetURL is the href of the page's <link rel=stylesheet>.
func stylesheetURL(tb testing.TB, doc *html.Node) string {
	tb.Helper()
	l := mustFind(tb, doc, and(tag("link"), withAttr("rel", "stylesheet")), `<link rel="stylesheet">`)
	return attr(l, "href")
}

// resolve makes a link found on page absolute-path form (path?query#frag).
func resolve(tb testing.TB, page, href string) *url.URL {
	tb.Helper()
	base, err := url.Parse(page)
	if err != nil {
		tb.Fatalf("page URL %q: %v", page, err)
	}
	u, err := url.Parse(href)
	if err != nil {
		tb.Fatalf("link %q on %s: %v", href, page, err)
	}
	return base.ResolveReference(u)
}

// firstAnswers reads a form page and answers every question with its first
// option, as a reader clicking down the page would.
func firstAnswers(tb testing.TB, doc *html.Node) url.Values {
	tb.Helper()
	v := url.Values{}
	for _, fs := range findAll(doc, tag("fieldset")) {
		in := find(fs, and(tag("input"), withAttr("type", "radio")))
		if in == nil {
			tb.Fatalf("fieldset %q has no radio input", attr(fs, "id"))
		}
		v.Set(attr(in, "name"), attr(in, "value"))
	}
	if len(v) == 0 {
		tb.Fatal("the form has no questions")
	}
	return v
}
