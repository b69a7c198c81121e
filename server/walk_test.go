package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// walkedPage is what the walk learnt about one address.
type walkedPage struct {
	final  string // the address after redirects
	status int
	html   bool
	ids    map[string]int
}

type fragmentLink struct{ from, href, target, id string }

var locRe = regexp.MustCompile(`<loc>([^<]+)</loc>`)

// TestSiteWalk starts at the home page and the assessment results, follows
// every internal link, and checks that each answers, that each #fragment
// exists on its page, and that each page has the basics every page needs.
func TestSiteWalk(t *testing.T) {
	home := get(t, "/")
	wantStatus(t, home, "GET /", http.StatusOK)
	homeDoc := wantHTML(t, home, "/")

	// Links may be absolute on the site's own origin (canonical and share
	// links); the home page's canonical link names it.
	origin := ""
	if c := find(homeDoc, and(tag("link"), withAttr("rel", "canonical"))); c != nil {
		if u, err := url.Parse(attr(c, "href")); err == nil && u.Host != "" {
			origin = u.Scheme + "://" + u.Host
		}
	}

	queue := []string{"/"}
	for _, a := range guide(t).Assessments {
		form := get(t, a.URL())
		wantStatus(t, form, "GET "+a.URL(), http.StatusOK)
		w := post(t, a.URL(), firstAnswers(t, parseHTML(t, form.Body.Bytes())).Encode())
		wantStatus(t, w, "POST "+a.URL(), http.StatusSeeOther)
		queue = append(queue, w.Header().Get("Location"))
	}

	// The sitemap, when there is one, is a second way in: everything it
	// lists must answer too.
	if sm := get(t, "/sitemap.xml"); sm.Code == http.StatusOK {
		queue = append(queue, "/sitemap.xml")
	}

	pages := map[string]*walkedPage{}
	seen := map[string]bool{}
	for _, q := range queue {
		seen[q] = true
	}
	titles := map[string]string{} // title → page
	var frags []fragmentLink
	linksChecked, external := 0, 0

	// internal returns the site-relative address of a link, or "" for one
	// that leaves the site.
	internal := func(page, href string) (target, frag string, ok bool) {
		u := resolve(t, page, href)
		if u.Scheme != "" || u.Host != "" {
			if origin == "" || u.Scheme+"://"+u.Host != origin {
				return "", "", false
			}
		}
		target = u.EscapedPath()
		if u.RawQuery != "" {
			target += "?" + u.RawQuery
		}
		return target, u.Fragment, true
	}

	for len(queue) > 0 {
		addr := queue[0]
		queue = queue[1:]
		p := &walkedPage{}
		pages[addr] = p

		w := get(t, addr)
		p.final = addr
		for hops := 0; (w.Code == http.StatusMovedPermanently || w.Code == http.StatusSeeOther) && hops < 5; hops++ {
			loc := w.Header().Get("Location")
			next, _, ok := internal(p.final, loc)
			if !ok {
				t.Errorf("%s redirects off the site to %q", addr, loc)
				break
			}
			p.final = next
			w = get(t, next)
		}
		p.status = w.Code
		if w.Code != http.StatusOK {
			t.Errorf("GET %s (final %s): status %d", addr, p.final, w.Code)
			continue
		}
		ct := w.Header().Get("Content-Type")
		if strings.Contains(ct, "xml") {
			for _, m := range locRe.FindAllStringSubmatch(w.Body.String(), -1) {
				target, _, ok := internal(p.final, html.UnescapeString(m[1]))
				if !ok {
					t.Errorf("%s lists %q, which is not on the site", addr, m[1])
					continue
				}
				linksChecked++
				if !seen[target] {
					seen[target] = true
					queue = append(queue, target)
				}
			}
			continue
		}
		if !strings.HasPrefix(ct, "text/html") {
			continue
		}
		p.html = true
		doc := parseHTML(t, w.Body.Bytes())
		p.ids = ids(doc)
		checkPageBasics(t, p.final, doc, titles)

		refs := links(doc)
		// Link previews fetch the share image: it must exist too.
		for _, m := range findAll(doc, and(tag("meta"), withAttr("property", "og:image"))) {
			refs = append(refs, attr(m, "content"))
		}
		for _, href := range refs {
			if strings.HasPrefix(href, "mailto:") {
				continue
			}
			target, frag, ok := internal(p.final, href)
			if !ok {
				external++
				continue
			}
			linksChecked++
			if frag != "" {
				frags = append(frags, fragmentLink{from: p.final, href: href, target: target, id: frag})
			}
			if !seen[target] {
				seen[target] = true
				queue = append(queue, target)
			}
		}
	}

	for _, f := range frags {
		p := pages[f.target]
		if p == nil || p.status != http.StatusOK {
			continue // already reported
		}
		if p.final != f.target {
			p = pages[p.final]
		}
		if p == nil || !p.html {
			t.Errorf("%s links to %q, a fragment of a page that is not HTML", f.from, f.href)
			continue
		}
		if p.ids[f.id] == 0 {
			t.Errorf("%s links to %q, but %s has no element with id %q", f.from, f.href, f.target, f.id)
		}
	}

	htmlPages := 0
	var all []string
	for a, p := range pages {
		if p.html {
			htmlPages++
		}
		all = append(all, a)
	}
	sort.Strings(all)
	if htmlPages < 10 {
		t.Errorf("the walk reached only %d HTML pages: %q", htmlPages, all)
	}
	t.Logf("walked %d addresses (%d HTML pages), checked %d internal links and %d fragments; skipped %d external links",
		len(pages), htmlPages, linksChecked, len(frags), external)
}

// checkPageBasics checks what every HTML page must have.
func checkPageBasics(t *testing.T, page string, doc *html.Node, titles map[string]string) {
	t.Helper()
	if h := findAll(doc, tag("h1")); len(h) != 1 {
		t.Errorf("%s: %d <h1> elements, want exactly 1", page, len(h))
	} else if text(h[0]) == "" {
		t.Errorf("%s: the <h1> is empty", page)
	}
	ts := findAll(doc, tag("title"))
	if len(ts) != 1 || text(ts[0]) == "" {
		t.Errorf("%s: %d <title> elements, want one that is not empty", page, len(ts))
	} else {
		title := text(ts[0])
		if other, dup := titles[title]; dup && other != page {
			t.Errorf("%s and %s share the title %q", other, page, title)
		}
		titles[title] = page
	}
	descs := findAll(doc, and(tag("meta"), withAttr("name", "description")))
	if len(descs) != 1 || strings.TrimSpace(attr(descs[0], "content")) == "" {
		t.Errorf("%s: %d meta descriptions, want one that is not empty", page, len(descs))
	}
	if h := find(doc, tag("html")); h == nil || attr(h, "lang") != "en" {
		t.Errorf(`%s: no <html lang="en">`, page)
	}
	for id, n := range ids(doc) {
		if n > 1 {
			t.Errorf("%s: id %q appears %d times", page, id, n)
		}
		if id == "" {
			t.Errorf("%s: an element has an empty id", page)
		}
	}
}
