package server_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"image/png"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/pmvspo/site/views"
)

// jsonLD returns the page's JSON-LD nodes by @type.
func jsonLD(t *testing.T, doc *html.Node) map[string]map[string]any {
	t.Helper()
	s := find(doc, and(tag("script"), withAttr("type", "application/ld+json")))
	if s == nil {
		t.Fatal("no JSON-LD script on the page")
	}
	var graph struct {
		Context string           `json:"@context"`
		Graph   []map[string]any `json:"@graph"`
	}
	if err := json.Unmarshal([]byte(text(s)), &graph); err != nil {
		t.Fatalf("JSON-LD does not parse: %v", err)
	}
	if graph.Context != "https://schema.org" {
		t.Errorf("@context = %q", graph.Context)
	}
	out := map[string]map[string]any{}
	for _, n := range graph.Graph {
		out[n["@type"].(string)] = n
	}
	return out
}

// squash normalises white space, including the space the test helper
// text() puts between inline elements and the punctuation after them.
func squash(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return spaceBeforePunct.ReplaceAllString(s, "$1")
}

var spaceBeforePunct = regexp.MustCompile(` ([,.;:?!)])`)

// TestFAQJSONLDMatchesVisibleFAQ proves that the questions and answers
// search engines read are the ones on the page, in the same order.
func TestFAQJSONLDMatchesVisibleFAQ(t *testing.T) {
	g := guide(t)
	doc := wantHTML(t, get(t, g.FAQHome.URL()), "FAQ home article")
	ld := jsonLD(t, doc)
	faq, ok := ld["FAQPage"]
	if !ok {
		t.Fatalf("no FAQPage in the JSON-LD of %s", g.FAQHome.URL())
	}
	entities := faq["mainEntity"].([]any)
	items := findAll(doc, and(tag("details"), withClass("faq-item")))
	if len(entities) != len(items) || len(items) != len(g.FAQ) {
		t.Fatalf("JSON-LD has %d questions, the page shows %d, the model has %d", len(entities), len(items), len(g.FAQ))
	}
	for i, it := range items {
		q := entities[i].(map[string]any)
		visibleQ := squash(text(mustFind(t, it, tag("summary"), "summary")))
		if q["name"] != visibleQ {
			t.Errorf("question %d: JSON-LD %q, page %q", i, q["name"], visibleQ)
		}
		// The visible answer without its footer of links.
		answer := mustFind(t, it, withClass("faq-a"), "answer")
		var visible []string
		for c := answer.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && attr(c, "class") == "faq-links" {
				continue
			}
			visible = append(visible, text(c))
		}
		got := q["acceptedAnswer"].(map[string]any)["text"].(string)
		// Compared without whitespace: the test's text() puts a space after
		// every text node, so "(<a>x</a>)" reads "( x )" here.
		if noSpace(strings.Join(visible, "")) != noSpace(got) {
			t.Errorf("answer %d differs:\n JSON-LD: %s\n page:    %s", i, got, squash(strings.Join(visible, " ")))
		}
	}
}

// TestArticleMetadata checks the head of every article: canonical URL,
// Open Graph, Twitter card, Article and BreadcrumbList JSON-LD that agree
// with the visible page.
func TestArticleMetadata(t *testing.T) {
	g := guide(t)
	for _, a := range g.Articles {
		doc := wantHTML(t, get(t, a.URL()), a.URL())
		meta := func(attrKey, name string) string {
			m := find(doc, and(tag("meta"), withAttr(attrKey, name)))
			if m == nil {
				t.Errorf("%s: no <meta %s=%q>", a.URL(), attrKey, name)
				return ""
			}
			return attr(m, "content")
		}
		canonical := attr(mustFind(t, doc, and(tag("link"), withAttr("rel", "canonical")), "canonical"), "href")
		if !strings.HasPrefix(canonical, "http") || !strings.HasSuffix(canonical, a.URL()) {
			t.Errorf("%s: canonical %q is not the absolute URL of the page", a.URL(), canonical)
		}
		for prop, want := range map[string]string{"og:type": "article", "og:title": a.Title, "og:url": canonical,
			"og:image:width": "1200", "og:image:height": "630", "article:published_time": a.Published.Format("2006-01-02")} {
			if got := meta("property", prop); got != want {
				t.Errorf("%s: %s = %q, want %q", a.URL(), prop, got, want)
			}
		}
		if meta("property", "og:image:alt") == "" || meta("name", "description") != a.Description {
			t.Errorf("%s: missing image alt or wrong description", a.URL())
		}
		if got := meta("name", "twitter:card"); got != "summary_large_image" {
			t.Errorf("%s: twitter:card = %q", a.URL(), got)
		}
		ld := jsonLD(t, doc)
		if art := ld["Article"]; art == nil || art["headline"] != h1Text(t, doc) || art["datePublished"] != a.Published.Format("2006-01-02") {
			t.Errorf("%s: Article JSON-LD %v does not match the page", a.URL(), art)
		}
		crumbs := ld["BreadcrumbList"]["itemListElement"].([]any)
		visible := findAll(mustFind(t, doc, and(tag("nav"), withAttr("aria-label", "Breadcrumb")), "breadcrumb"), tag("a"))
		if len(crumbs) != len(visible)+1 {
			t.Errorf("%s: %d breadcrumbs in JSON-LD, %d links on the page (+ the page itself)", a.URL(), len(crumbs), len(visible))
		}
		img := meta("property", "og:image")
		if rec := get(t, strings.TrimPrefix(img, canonical[:strings.Index(canonical, a.URL())])); rec.Code != http.StatusOK {
			t.Errorf("%s: og:image %s answers %d", a.URL(), img, rec.Code)
		}
	}
}

// TestShareImage checks a share image is a 1200×630 PNG with an ETag that
// answers 304 when the client already has it.
func TestShareImage(t *testing.T) {
	g := guide(t)
	for _, path := range []string{"/og/site.png", "/og/" + g.Slug + ".png", "/og/" + g.Slug + "/" + g.Articles[0].Slug + ".png"} {
		rec := get(t, path)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "image/png" {
			t.Fatalf("%s: %d %s", path, rec.Code, rec.Header().Get("Content-Type"))
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(rec.Body.Bytes()))
		if err != nil || cfg.Width != 1200 || cfg.Height != 630 {
			t.Errorf("%s: %dx%d (%v), want 1200x630", path, cfg.Width, cfg.Height, err)
		}
		etag := rec.Header().Get("ETag")
		if again := get(t, path, "If-None-Match", etag); etag == "" || again.Code != http.StatusNotModified {
			t.Errorf("%s: ETag %q, revalidation %d", path, etag, again.Code)
		}
	}
}

// TestSitemapRobotsFeed checks the sitemap lists every indexable page with
// a lastmod and no result links, robots.txt points to it, and the Atom feed
// has one entry per article.
func TestSitemapRobotsFeed(t *testing.T) {
	var sm struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	rec := get(t, "/sitemap.xml")
	if err := xml.Unmarshal(rec.Body.Bytes(), &sm); err != nil {
		t.Fatal(err)
	}
	locs := map[string]bool{}
	for _, u := range sm.URLs {
		if u.LastMod == "" || strings.Contains(u.Loc, "/result") || strings.Contains(u.Loc, "?") {
			t.Errorf("sitemap entry %+v: needs a lastmod and must not be a result link", u)
		}
		locs[u.Loc[strings.Index(u.Loc[8:], "/")+8:]] = true
	}
	site := testSite(t).Published(time.Now()) // what readers and crawlers see
	want := []string{"/"}
	for n := 1; n == 1 || (n-1)*views.GuidesPerIndexPage < len(site.Guides); n++ {
		want = append(want, views.GuideIndexURL(n))
	}
	for _, g := range site.Guides {
		want = append(want, g.URL(), g.CompareURL())
		for _, a := range g.Articles {
			want = append(want, a.URL())
		}
		for _, f := range g.FAQ {
			want = append(want, g.FAQURL(f.ID))
		}
		for _, a := range g.Assessments {
			want = append(want, a.URL())
		}
	}
	for _, p := range want {
		if !locs[p] {
			t.Errorf("sitemap lacks %s", p)
		}
	}
	if len(locs) != len(want) {
		t.Errorf("sitemap has %d pages, want %d", len(locs), len(want))
	}
	if robots := get(t, "/robots.txt").Body.String(); !strings.Contains(robots, "Sitemap: http") || !strings.Contains(robots, "/sitemap.xml") {
		t.Errorf("robots.txt does not point to the sitemap:\n%s", robots)
	}
	var feed struct {
		Entries []struct {
			Title string `xml:"title"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(get(t, "/feed.atom").Body.Bytes(), &feed); err != nil {
		t.Fatal(err)
	}
	articles := 0
	for _, g := range site.Guides {
		articles += len(g.Articles)
	}
	if len(feed.Entries) != articles {
		t.Errorf("feed has %d entries, want one per published article, %d", len(feed.Entries), articles)
	}
	home := wantHTML(t, get(t, "/"), "home")
	if find(home, and(tag("link"), withAttr("type", "application/atom+xml"))) == nil {
		t.Error("the page head does not advertise the feed")
	}
}

// noSpace drops all whitespace, so texts compare by their words and
// punctuation alone.
func noSpace(s string) string { return strings.Join(strings.Fields(s), "") }
