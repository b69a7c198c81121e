package server_test

import (
	"bufio"
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"

	"github.com/pmvspo/site/content"
)

// The fuzz targets check responses against what the site itself renders:
// the tags and attributes of every kind of page it serves are the only ones
// a response may contain, and a fuzzed string holding '<' may appear in a
// body only where it also appears in those pages (as in "<a").

type baselineT struct {
	text  string          // every baseline body, concatenated
	tags  map[string]bool // element names
	attrs map[string]bool // attribute names
}

var (
	baselineOnce sync.Once
	theBaseline  baselineT
)

func baseline(tb testing.TB) baselineT {
	tb.Helper()
	baselineOnce.Do(func() {
		g := guide(tb)
		targets := []string{"/", g.URL(), g.CompareURL(), "/nope"}
		for _, a := range g.Articles {
			targets = append(targets, a.URL())
		}
		for _, f := range g.FAQ {
			targets = append(targets, g.FAQURL(f.ID))
		}
		var b strings.Builder
		add := func(body []byte) { b.Write(body); b.WriteByte('\n') }
		for _, a := range g.Assessments {
			targets = append(targets, a.URL(), a.ResultURL()+"?"+firstQuery(a), a.ResultURL()+"?"+a.Query(answersBy(a, lastOption)),
				a.ResultURL()+"?x=1", a.ResultURL(), a.URL()+"?"+a.Questions[0].ID+"="+a.Questions[0].Options[0].ID)
			add(post(tb, a.URL(), a.Questions[0].ID+"="+a.Questions[0].Options[0].ID).Body.Bytes()) // 422
			add(post(tb, a.URL(), "x=1").Body.Bytes())                                              // 400
			add(post(tb, a.URL(), strings.Repeat("x", 5000)).Body.Bytes())                          // 413
			add(request(tb, http.MethodPost, a.URL(), "x=1", "Content-Type", "text/plain").Body.Bytes())
			add(request(tb, http.MethodPost, a.URL(), "x=1", "Content-Type", "application/x-www-form-urlencoded", "Sec-Fetch-Site", "cross-site").Body.Bytes())
		}
		add(request(tb, http.MethodPost, "/", "").Body.Bytes()) // 405
		for _, p := range targets {
			add(get(tb, p).Body.Bytes())
		}
		theBaseline = baselineT{text: b.String(), tags: map[string]bool{}, attrs: map[string]bool{}}
		z := html.NewTokenizer(strings.NewReader(theBaseline.text))
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				break
			}
			if tt == html.StartTagToken || tt == html.SelfClosingTagToken {
				tok := z.Token()
				theBaseline.tags[tok.Data] = true
				for _, a := range tok.Attr {
					theBaseline.attrs[a.Key] = true
				}
			}
		}
	})
	return theBaseline
}

// pieces are the fuzz input and the parts a query parser would decode from it.
func pieces(in string) []string {
	out := []string{in}
	for _, part := range strings.FieldsFunc(in, func(r rune) bool { return r == '&' || r == ';' }) {
		k, v, _ := strings.Cut(part, "=")
		for _, s := range []string{part, k, v} {
			out = append(out, s)
			if d, err := url.QueryUnescape(s); err == nil {
				out = append(out, d)
			}
			if d, err := url.PathUnescape(s); err == nil {
				out = append(out, d)
			}
		}
	}
	return out
}

// checkResponse fails on a server error, an unsafe redirect or markup that
// the input put into the page.
func checkResponse(t *testing.T, in string, code int, hdr http.Header, body []byte) {
	t.Helper()
	if code >= 500 {
		t.Fatalf("input %q: status %d", in, code)
	}
	if loc := hdr.Get("Location"); loc != "" {
		if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, `/\`) {
			t.Fatalf("input %q: redirect to %q, which may leave the site", in, loc)
		}
	}
	if !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") || hdr.Get("Content-Encoding") != "" {
		return
	}
	base := baseline(t)
	for _, p := range pieces(in) {
		if strings.Contains(p, "<") && bytes.Contains(body, []byte(p)) && !strings.Contains(base.text, p) {
			t.Fatalf("input %q: %q appears unescaped in the %d response", in, p, code)
		}
	}
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		if !base.tags[tok.Data] {
			t.Fatalf("input %q: the %d response has a <%s> element no page of the site has", in, code, tok.Data)
		}
		for _, a := range tok.Attr {
			if !base.attrs[a.Key] || strings.HasPrefix(a.Key, "on") {
				t.Fatalf("input %q: the %d response has an attribute %q no page of the site has", in, code, a.Key)
			}
		}
		if tok.Data == "script" {
			src, typ := "", ""
			for _, a := range tok.Attr {
				switch a.Key {
				case "src":
					src = a.Val
				case "type":
					typ = a.Val
				}
			}
			if !strings.HasPrefix(src, "/static/") && typ != "application/ld+json" {
				t.Fatalf("input %q: a script that is not the site's own (src %q, type %q)", in, src, typ)
			}
		}
	}
}

// querySeeds are result-link queries and form bodies worth starting from.
func querySeeds(a *content.Assessment) []string {
	first, last := firstQuery(a), a.Query(answersBy(a, lastOption))
	q0 := a.Questions[0]
	parts := strings.Split(first, "&")
	var rev []string
	for i := len(parts) - 1; i >= 0; i-- {
		rev = append(rev, parts[i])
	}
	return []string{
		first,
		last,
		strings.Join(rev, "&"),
		first + "&" + parts[0],
		first + "&" + q0.ID + "=" + q0.Options[1].ID,
		first + "&nope=1",
		"nope=1",
		q0.ID + "=nope",
		q0.ID + "=" + strings.Repeat("a", 10000),
		strings.Repeat("a", 10000) + "=1",
		first + "&" + q0.ID + "=\xff\xfe",
		"\xff=\xfe",
		q0.ID + "=%ff%fe",
		q0.ID + "=\x00",
		"%00=%00",
		"%",
		"%zz",
		"a%",
		";",
		strings.ReplaceAll(first, "&", ";"),
		q0.ID + "=" + scriptPayload,
		url.QueryEscape(scriptPayload) + "=1",
		scriptPayload,
		"<a href=x>",
		q0.ID + "=<b>",
		q0.ID + "=../../etc/passwd",
		"../=..%2F",
		"",
		"&&&",
		"=",
		"==&==",
		q0.ID,
		q0.ID + "=",
		"+=+",
		strings.ToUpper(first),
	}
}

func FuzzResultPermalink(f *testing.F) {
	a := assessment(f)
	for _, s := range querySeeds(a) {
		f.Add(s)
	}
	h := testHandler(f)
	baseline(f)
	target := a.ResultURL()
	f.Fuzz(func(t *testing.T, q string) {
		r := newRequest(http.MethodGet, target, nil)
		r.URL.RawQuery = q
		r.RequestURI = target + "?" + q
		w := do(h, r)
		checkResponse(t, q, w.Code, w.Header(), w.Body.Bytes())
	})
}

func FuzzSubmit(f *testing.F) {
	a := assessment(f)
	for _, s := range querySeeds(a) {
		f.Add(s)
	}
	h := testHandler(f)
	baseline(f)
	f.Fuzz(func(t *testing.T, body string) {
		r := newRequest(http.MethodPost, a.URL(), strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Sec-Fetch-Site", "same-origin")
		w := do(h, r)
		checkResponse(t, body, w.Code, w.Header(), w.Body.Bytes())
		if w.Code == http.StatusSeeOther {
			loc := w.Header().Get("Location")
			if !strings.HasPrefix(loc, a.ResultURL()+"?") {
				t.Fatalf("body %q: 303 to %q", body, loc)
			}
			res := do(h, newRequest(http.MethodGet, loc, nil))
			if res.Code != http.StatusOK {
				t.Fatalf("body %q: the result link %s answers %d", body, loc, res.Code)
			}
		}
	})
}

func FuzzPath(f *testing.F) {
	g := guide(f)
	a := assessment(f)
	q := a.Questions[0].ID + "=" + a.Questions[0].Options[0].ID
	seeds := []string{"", "/", g.URL(), g.URL() + "/", g.CompareURL(), g.Articles[0].URL(), g.FAQURL(g.FAQ[0].ID),
		a.URL(), a.ResultURL(), "/healthz", "/static/site.css",
		"//evil.example", "/\\evil.example", "/\\EVIL.example", "/..", "/../../etc/passwd", g.URL() + "/../" + g.Slug,
		"/guides/%2e%2e/" + g.Slug, "/guides%2f" + g.Slug, "/%00", "/\x00", "/\xff\xfe", "/%ff", "/%", "/%zz", "/;", "/guides;x=1",
		"/" + scriptPayload, "/guides/" + url.PathEscape(scriptPayload), "/GUIDES/" + scriptPayload,
		"/" + strings.Repeat("a", 5000), "/" + strings.Repeat("a/", 500), g.URL() + "?x=<b>", "/static/../guides",
		"/STATIC/SITE.CSS", a.ResultURL() + "?" + q, "*", "http://evil.example/", "/ guides", "/a b",
	}
	for i, s := range seeds {
		f.Add(uint8(i), s)
	}
	h := testHandler(f)
	baseline(f)
	methods := []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodGet}
	f.Fuzz(func(t *testing.T, m uint8, s string) {
		method := methods[int(m)%len(methods)]
		var r *http.Request
		// As a raw request-target, when it is one; otherwise as a decoded
		// path, percent-encoded for the wire.
		raw := "GET " + s + " HTTP/1.1\r\nHost: example.com\r\n\r\n"
		if rr, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw))); err == nil && strings.HasPrefix(rr.URL.Path, "/") && rr.URL.Host == "" {
			r = newRequest(method, "/", nil)
			r.URL, r.RequestURI = rr.URL, rr.RequestURI
		} else {
			p := s
			if !strings.HasPrefix(p, "/") {
				p = "/" + p
			}
			u := &url.URL{Path: p}
			r = newRequest(method, "/", nil)
			r.URL = u
			r.RequestURI = u.EscapedPath()
		}
		if method == http.MethodPost {
			r.Body = http.NoBody
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.Header.Set("Sec-Fetch-Site", "same-origin")
		}
		w := do(h, r)
		checkResponse(t, s, w.Code, w.Header(), w.Body.Bytes())
		if method == http.MethodHead && w.Body.Len() > 0 && w.Code != http.StatusOK {
			t.Fatalf("HEAD %q: %d with a %d-byte body", s, w.Code, w.Body.Len())
		}
	})
}
