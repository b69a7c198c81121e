package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/views"
)

// TestRoutes requests every kind of page and checks what a reader needs
// from it.
func TestRoutes(t *testing.T) {
	g := guide(t)
	if g.FAQHome == nil {
		t.Fatal("the guide has no article placing the FAQ")
	}
	faq := g.FAQ[0]

	tests := []struct {
		name  string
		path  string
		check func(t *testing.T, doc *html.Node)
	}{
		{"home", "/", func(t *testing.T, doc *html.Node) {
			h1Text(t, doc)
			cards := findAll(doc, withClass("guide-card"))
			if pub := testSite(t).Published(time.Now()).Guides; len(cards) != len(pub) {
				t.Errorf("%d guide cards, want one per published guide, %d", len(cards), len(pub))
			}
			titled := false
			for _, a := range findAll(doc, and(tag("a"), withAttr("href", g.URL()))) {
				titled = titled || strings.Contains(text(a), g.Title)
			}
			if !titled {
				t.Errorf("home has no link to %s titled %q", g.URL(), g.Title)
			}
			for _, a := range g.Articles {
				if !hasHref(doc, a.URL()) {
					t.Errorf("home does not list the article %s", a.URL())
				}
			}
		}},
		{"guide hub", g.URL(), func(t *testing.T, doc *html.Node) {
			if got := h1Text(t, doc); got != g.Title {
				t.Errorf("h1 %q, want %q", got, g.Title)
			}
			for _, want := range []string{g.CompareURL()} {
				if !hasHref(doc, want) {
					t.Errorf("guide hub has no link to %s", want)
				}
			}
			for _, a := range g.Articles {
				if !hasHref(doc, a.URL()) {
					t.Errorf("guide hub has no link to article %s", a.URL())
				}
			}
			for _, s := range g.Assessments {
				if !hasHref(doc, s.URL()) {
					t.Errorf("guide hub has no link to assessment %s", s.URL())
				}
			}
			for _, f := range g.FAQ {
				if !hasHref(doc, g.FAQURL(f.ID)) {
					t.Errorf("guide hub has no link to FAQ %s", g.FAQURL(f.ID))
				}
			}
			mustFind(t, doc, withID(content.IDSources), "sources section")
		}},
		{"compare", g.CompareURL(), func(t *testing.T, doc *html.Node) {
			if got := h1Text(t, doc); !strings.Contains(got, g.Title) {
				t.Errorf("h1 %q does not name the guide %q", got, g.Title)
			}
			checkComparisonTable(t, doc, g)
			for _, r := range g.Roles {
				p := mustFind(t, doc, withID(content.ProfileAnchor(r.ID)), "profile of "+r.ID)
				if !strings.Contains(text(p), r.Name) {
					t.Errorf("profile #%s does not name %q", content.ProfileAnchor(r.ID), r.Name)
				}
			}
			src := mustFind(t, doc, withID(content.IDSources), "sources section")
			if n := len(findAll(src, tag("li"))); n != len(g.Sources) {
				t.Errorf("compare page lists %d sources, want %d", n, len(g.Sources))
			}
		}},
		{"FAQ permalink", g.FAQURL(faq.ID), func(t *testing.T, doc *html.Node) {
			if got := h1Text(t, doc); got != faq.Question {
				t.Errorf("h1 %q, want the question %q", got, faq.Question)
			}
			back := g.FAQHome.URL() + "#" + faq.Anchor()
			if !hasHref(doc, back) {
				t.Errorf("FAQ page has no link back to %s; links: %q", back, hrefs(doc))
			}
		}},
	}
	for _, a := range g.Articles {
		tests = append(tests, struct {
			name  string
			path  string
			check func(t *testing.T, doc *html.Node)
		}{"article " + a.Slug, a.URL(), func(t *testing.T, doc *html.Node) {
			checkArticle(t, doc, a)
			// The structured parts an article places are the real components.
			for _, b := range a.Blocks {
				if b.Kind == content.BlockComparison {
					checkComparisonTable(t, doc, g)
				}
			}
			if g.FAQHome == a {
				checkFAQList(t, doc, g)
			}
		}})
	}
	for _, f := range g.FAQ {
		tests = append(tests, struct {
			name  string
			path  string
			check func(t *testing.T, doc *html.Node)
		}{"faq " + f.ID, g.FAQURL(f.ID), func(t *testing.T, doc *html.Node) {
			if got := h1Text(t, doc); got != f.Question {
				t.Errorf("h1 %q, want %q", got, f.Question)
			}
			if !hasHref(doc, g.FAQHome.URL()+"#"+f.Anchor()) {
				t.Errorf("no link back to %s#%s", g.FAQHome.URL(), f.Anchor())
			}
			// The answer's own address, ready to copy (site.js shows the button).
			copyOwn := func(n *html.Node) bool {
				u, err := url.Parse(attr(n, "data-copy"))
				return err == nil && u.IsAbs() && u.Path == g.FAQURL(f.ID)
			}
			if find(doc, and(tag("button"), copyOwn)) == nil {
				t.Errorf("no copy-link button for this answer's address (…%s)", g.FAQURL(f.ID))
			}
		}})
	}
	for _, s := range g.Assessments {
		tests = append(tests, struct {
			name  string
			path  string
			check func(t *testing.T, doc *html.Node)
		}{"assessment " + s.ID, s.URL(), func(t *testing.T, doc *html.Node) {
			if got := h1Text(t, doc); got != s.Title {
				t.Errorf("h1 %q, want %q", got, s.Title)
			}
			if n := len(findAll(doc, tag("fieldset"))); n != len(s.Questions) {
				t.Errorf("%d fieldsets, want %d", n, len(s.Questions))
			}
		}})
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := get(t, tc.path)
			wantStatus(t, w, "GET "+tc.path, http.StatusOK)
			doc := wantHTML(t, w, tc.path)
			tc.check(t, doc)
		})
	}
}

var readingTime = regexp.MustCompile(`\b\d+[- ]minutes? read\b`)

// checkArticle checks the parts of every article page.
func checkArticle(t *testing.T, doc *html.Node, a *content.Article) {
	t.Helper()
	if got := h1Text(t, doc); got != a.Title {
		t.Errorf("h1 %q, want the article title %q", got, a.Title)
	}
	tldr := mustFind(t, doc, withClass("tldr"), "TL;DR box")
	if !strings.Contains(text(tldr), "TL;DR") {
		t.Errorf("the TL;DR box is not titled TL;DR: %q", text(tldr))
	}
	if n := len(findAll(tldr, tag("li"))); n != len(a.TLDR) || n == 0 {
		t.Errorf("TL;DR has %d items, want %d (and at least one)", n, len(a.TLDR))
	}
	byline := mustFind(t, doc, withClass("byline"), "byline")
	bt := text(byline)
	if !strings.Contains(bt, a.Author) {
		t.Errorf("byline %q does not name the author %q", bt, a.Author)
	}
	if !readingTime.MatchString(bt) {
		t.Errorf("byline %q has no reading time", bt)
	}
	if find(byline, tag("time")) == nil {
		t.Errorf("byline has no <time>")
	}
	pageIDs := ids(doc)
	toc := mustFind(t, doc, withID(content.IDTOC), "table of contents")
	entries := findAll(toc, tag("a"))
	if len(entries) == 0 || len(entries) != len(a.TOC) {
		t.Errorf("the TOC has %d links, want %d (and at least one)", len(entries), len(a.TOC))
	}
	for _, e := range entries {
		href := attr(e, "href")
		if !strings.HasPrefix(href, "#") || pageIDs[href[1:]] != 1 {
			t.Errorf("TOC entry %q links to %q, which is not exactly one id on the page", text(e), href)
		}
	}
	src := mustFind(t, doc, withID(content.IDSources), "sources section")
	if n := len(findAll(src, tag("li"))); n != len(a.Sources) {
		t.Errorf("the article lists %d sources, want %d", n, len(a.Sources))
	}
}

// checkComparisonTable checks the side-by-side table of a guide.
func checkComparisonTable(t *testing.T, doc *html.Node, g *content.Guide) {
	t.Helper()
	table := mustFind(t, doc, tag("table"), "comparison <table>")
	cap := mustFind(t, table, tag("caption"), "table <caption>")
	if got := text(cap); got != g.Comparison.Caption {
		t.Errorf("caption %q, want %q", got, g.Comparison.Caption)
	}
	thead := mustFind(t, table, tag("thead"), "<thead>")
	cols := findAll(thead, and(tag("th"), withAttr("scope", "col")))
	if len(cols) != len(g.Roles)+1 {
		t.Errorf("%d column headers with scope=col, want %d", len(cols), len(g.Roles)+1)
	}
	for i, r := range g.Roles {
		if i+1 < len(cols) && text(cols[i+1]) != r.Name {
			t.Errorf("column %d is %q, want %q", i+1, text(cols[i+1]), r.Name)
		}
	}
	// Each dimension is a <tbody>: its row, then any row-level note.
	rows := findAll(table, and(tag("tr"), func(n *html.Node) bool { return strings.HasPrefix(attr(n, "id"), "row-") }))
	if len(rows) != len(g.Comparison.Dimensions) {
		t.Fatalf("%d table rows, want one per dimension (%d)", len(rows), len(g.Comparison.Dimensions))
	}
	for i, d := range g.Comparison.Dimensions {
		tr := rows[i]
		if got, want := attr(tr, "id"), "row-"+d.ID; got != want {
			t.Errorf("row %d has id %q, want %q", i, got, want)
		}
		th := find(tr, and(tag("th"), withAttr("scope", "row")))
		if th == nil {
			t.Errorf("row %s has no <th scope=row>", d.ID)
			continue
		}
		if !strings.Contains(text(th), d.Name) {
			t.Errorf("row header %q does not name %q", text(th), d.Name)
		}
		if !hasHref(tr, "#row-"+d.ID) {
			t.Errorf("row %s has no link to #row-%s", d.ID, d.ID)
		}
		tds := findAll(tr, tag("td"))
		if len(tds) != len(g.Roles) {
			t.Errorf("row %s has %d cells, want %d", d.ID, len(tds), len(g.Roles))
			continue
		}
		for j, v := range d.Values {
			if !strings.Contains(text(tds[j]), v) {
				t.Errorf("row %s, %s: cell %q does not hold %q", d.ID, g.Roles[j].ID, text(tds[j]), v)
			}
		}
	}
}

// checkFAQList checks the FAQ as placed in an article.
func checkFAQList(t *testing.T, doc *html.Node, g *content.Guide) {
	t.Helper()
	sec := mustFind(t, doc, withID(content.IDFAQ), "FAQ section")
	details := findAll(sec, tag("details"))
	if len(details) != len(g.FAQ) {
		t.Fatalf("%d <details>, want one per question (%d)", len(details), len(g.FAQ))
	}
	for i, f := range g.FAQ {
		ans := find(doc, withID(f.Anchor()))
		if ans == nil {
			t.Errorf("no element with id %s", f.Anchor())
			continue
		}
		if ans.Data == "details" || !inside(ans, func(n *html.Node) bool { return n == details[i] }) {
			t.Errorf("#%s is not inside the <details> of its question", f.Anchor())
		}
		sum := find(details[i], tag("summary"))
		if sum == nil || text(sum) != f.Question {
			t.Errorf("details %d: summary %q, want the question %q", i, textOrNil(sum), f.Question)
		}
		if inside(ans, tag("summary")) {
			t.Errorf("#%s is inside the <summary>; it should be the answer", f.Anchor())
		}
	}
}

func textOrNil(n *html.Node) string {
	if n == nil {
		return "<nil>"
	}
	return text(n)
}

// TestNotFound: unknown addresses get the site's 404 page, which offers the guides.
func TestNotFound(t *testing.T) {
	g := guide(t)
	for _, p := range []string{
		"/nope",
		"/guides/page/1000000",
		"/guides/nope",
		g.URL() + "/nope",
		g.URL() + "/faq/nope",
		g.URL() + "/faq",
		"/compare/nope",
		"/compare",
		assessment(t).ResultURL() + "/extra",
		"/static/nope.css",
		"/favicon.ico",
	} {
		t.Run(p, func(t *testing.T) {
			w := get(t, p)
			wantStatus(t, w, "GET "+p, http.StatusNotFound)
			doc := wantHTML(t, w, p)
			h1Text(t, doc)
			if !hasHref(doc, g.URL()) || !hasHref(doc, "/") {
				t.Errorf("the 404 page does not link to the home page and the guide %s", g.URL())
			}
			if main := mustFind(t, doc, tag("main"), "main"); find(main, and(tag("a"), withAttr("href", views.GuideIndexURL(1)))) == nil {
				t.Errorf("the 404 page's own links do not include the list of all guides (%s)", views.GuideIndexURL(1))
			}
			for _, a := range g.Assessments {
				if !hasHref(doc, a.URL()) {
					t.Errorf("the 404 page does not offer the guide's tool %s", a.URL())
				}
			}
			if find(doc, and(tag("meta"), withAttr("name", "robots"), withAttr("content", "noindex"))) == nil {
				t.Errorf("the 404 page is not noindex")
			}
			if find(doc, withClass("site-header")) == nil || find(doc, withClass("site-footer")) == nil {
				t.Errorf("the 404 page is not in the site layout")
			}
		})
	}
}

// TestMethodNotAllowed: pages only read; writing to them is a 405 that says what is allowed.
func TestMethodNotAllowed(t *testing.T) {
	g := guide(t)
	fit := assessment(t)
	paths := []string{"/", g.URL(), g.Articles[0].URL(), g.CompareURL(), g.FAQURL(g.FAQ[0].ID), "/healthz", fit.ResultURL()}
	for _, p := range paths {
		for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch} {
			t.Run(m+" "+p, func(t *testing.T) {
				w := request(t, m, p, "x=1", "Content-Type", "application/x-www-form-urlencoded", "Sec-Fetch-Site", "same-origin")
				wantStatus(t, w, m+" "+p, http.StatusMethodNotAllowed)
				if got := w.Header().Get("Allow"); got != "GET, HEAD" {
					t.Errorf("Allow %q, want %q", got, "GET, HEAD")
				}
				doc := wantHTML(t, w, p)
				h1Text(t, doc)
			})
		}
	}
	// The form takes posts too.
	for _, m := range []string{http.MethodPut, http.MethodDelete} {
		w := request(t, m, fit.URL(), "")
		wantStatus(t, w, m+" "+fit.URL(), http.StatusMethodNotAllowed)
		allow := w.Header().Get("Allow")
		for _, want := range []string{"GET", "HEAD", "POST"} {
			if !strings.Contains(allow, want) {
				t.Errorf("%s %s: Allow %q lacks %s", m, fit.URL(), allow, want)
			}
		}
	}
}

// TestHead: HEAD answers with GET's headers and no body, over a real connection.
func TestHead(t *testing.T) {
	g := guide(t)
	srv := httptest.NewServer(testHandler(t))
	defer srv.Close()
	cl := srv.Client()
	fit := assessment(t)
	paths := []string{"/", g.URL(), g.Articles[0].URL(), g.CompareURL(), g.FAQURL(g.FAQ[0].ID), fit.URL(), "/healthz", "/nope",
		fit.ResultURL() + "?" + firstQuery(fit)}
	for _, p := range paths {
		for _, enc := range []string{"", "br", "gzip"} {
			t.Run(p+" "+enc, func(t *testing.T) {
				fetch := func(method string) (*http.Response, []byte) {
					req, _ := http.NewRequest(method, srv.URL+p, nil)
					req.Header.Set("Accept-Encoding", enc)
					if enc == "" {
						req.Header.Set("Accept-Encoding", "identity")
					}
					resp, err := cl.Do(req)
					if err != nil {
						t.Fatal(err)
					}
					defer resp.Body.Close()
					var buf strings.Builder
					_, _ = io.Copy(&buf, resp.Body)
					return resp, []byte(buf.String())
				}
				g1, _ := fetch(http.MethodGet)
				g2, _ := fetch(http.MethodGet)
				h, body := fetch(http.MethodHead)
				if h.StatusCode != g1.StatusCode {
					t.Fatalf("HEAD status %d, GET %d", h.StatusCode, g1.StatusCode)
				}
				if len(body) != 0 {
					t.Errorf("HEAD has a body of %d bytes", len(body))
				}
				for k := range g1.Header {
					if k == "Date" || strings.Join(g1.Header[k], ",") != strings.Join(g2.Header[k], ",") {
						continue // differs from request to request
					}
					if got, want := strings.Join(h.Header[k], ","), strings.Join(g1.Header[k], ","); got != want {
						t.Errorf("header %s: HEAD %q, GET %q", k, got, want)
					}
				}
				for k := range h.Header {
					if _, ok := g1.Header[k]; !ok {
						t.Errorf("HEAD sends %s, GET does not", k)
					}
				}
			})
		}
	}
}

// TestStaticAssets: the hashed names the pages use are served for ever;
// any other name is a 404.
func TestStaticAssets(t *testing.T) {
	w := get(t, "/")
	wantStatus(t, w, "GET /", http.StatusOK)
	doc := wantHTML(t, w, "/")
	css := stylesheetURL(t, doc)
	if !regexp.MustCompile(`^/static/site\.[0-9a-f]{6,}\.css$`).MatchString(css) {
		t.Fatalf("stylesheet URL %q is not a hashed /static/ name", css)
	}
	for _, enc := range []string{"", "br", "gzip"} {
		r := get(t, css, "Accept-Encoding", enc)
		wantStatus(t, r, "GET "+css, http.StatusOK)
		if got := r.Header().Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
			t.Errorf("%s (%q): Cache-Control %q", css, enc, got)
		}
		if got := r.Header().Get("Content-Type"); !strings.HasPrefix(got, "text/css") {
			t.Errorf("%s: Content-Type %q, want text/css", css, got)
		}
	}
	body := decode(t, get(t, css, "Accept-Encoding", "br"))
	if len(body) == 0 || string(body) != get(t, css).Body.String() {
		t.Errorf("%s: the brotli body does not decode to the identity body", css)
	}

	script := attr(mustFind(t, doc, and(tag("script"), func(n *html.Node) bool { return attr(n, "src") != "" }), "<script src>"), "src")
	icon := attr(mustFind(t, doc, and(tag("link"), withAttr("rel", "icon")), `<link rel="icon">`), "href")
	for _, u := range []string{script, icon} {
		r := get(t, u)
		wantStatus(t, r, "GET "+u, http.StatusOK)
		if got := r.Header().Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q", u, got)
		}
	}
	if ct := get(t, script).Header().Get("Content-Type"); !strings.Contains(ct, "javascript") {
		t.Errorf("%s: Content-Type %q", script, ct)
	}
	if ct := get(t, icon).Header().Get("Content-Type"); !strings.HasPrefix(ct, "image/svg+xml") {
		t.Errorf("%s: Content-Type %q", icon, ct)
	}

	dot := strings.LastIndex(css, ".")
	hashStart := strings.LastIndex(css[:dot], ".")
	hash := css[hashStart+1 : dot]
	wrong := []byte(hash)
	if wrong[0] == '0' {
		wrong[0] = '1'
	} else {
		wrong[0] = '0'
	}
	paths := []string{
		"/static/site.css",
		"/static/site.js",
		"/static/icon.svg",
		css[:hashStart+1] + string(wrong) + css[dot:],
		css + ".map",
		"/static/",
		"/static",
	}
	// A hash in capitals is not the asset's name either (unless the hash
	// happens to be all digits, as it sometimes is).
	if upper := strings.ToUpper(hash); upper != hash {
		paths = append(paths, css[:hashStart+1]+upper+css[dot:])
	}
	for _, p := range paths {
		r := get(t, p)
		if r.Code == http.StatusMovedPermanently {
			r = get(t, r.Header().Get("Location"))
		}
		wantStatus(t, r, "GET "+p, http.StatusNotFound)
		if cc := r.Header().Get("Cache-Control"); strings.Contains(cc, "immutable") {
			t.Errorf("%s: a 404 is cached as immutable (%q)", p, cc)
		}
	}
}

// TestReadNext: the end of an article offers the guide's other articles,
// the comparison and its tools, unless the article has placed the tools
// already; either way every tool is linked from the page once.
func TestReadNext(t *testing.T) {
	g := guide(t)
	for _, a := range g.Articles {
		t.Run(a.Slug, func(t *testing.T) {
			w := get(t, a.URL())
			wantStatus(t, w, "GET "+a.URL(), http.StatusOK)
			doc := wantHTML(t, w, a.URL())
			next := hrefs(mustFind(t, doc, withClass("read-next"), "the read-next links"))
			has := func(p string) bool {
				for _, h := range next {
					if h == p {
						return true
					}
				}
				return false
			}
			for _, o := range g.Articles {
				if o != a && !has(o.URL()) {
					t.Errorf("Keep reading does not offer the article %s", o.URL())
				}
			}
			if !has(g.CompareURL()) {
				t.Errorf("Keep reading does not offer the comparison %s", g.CompareURL())
			}
			placed := a.Places(content.BlockTools)
			for _, s := range g.Assessments {
				if has(s.URL()) == placed {
					t.Errorf("Keep reading links to %s: %v; the article places the tools: %v (a tool is offered once)", s.URL(), has(s.URL()), placed)
				}
				if !hasHref(doc, s.URL()) {
					t.Errorf("the article does not link to the tool %s", s.URL())
				}
			}
		})
	}
}
