package server_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/pmvspo/site/build"
	"github.com/pmvspo/site/content"
)

// movedDir is a test guide whose guide and FAQ article have old paths
// (aliases), and whose second article lost the FAQ (moved_anchors: [faq]).
const movedDir = "../content/testdata/moved"

// movedSite serves the moved-anchors test guide through the real build and
// server, and lists its old paths with the page each leads to, from the model.
func movedSite(t *testing.T) (*content.Site, http.Handler, map[string]string) {
	t.Helper()
	site, err := content.Load(os.DirFS(movedDir))
	if err != nil {
		t.Fatal(err)
	}
	h, err := newHandler(site, testOptions{Origin: "https://guides.example"})
	if err != nil {
		t.Fatal(err)
	}
	aliases := map[string]string{}
	for _, g := range site.Guides {
		for _, al := range g.Aliases {
			aliases[al.Path] = g.URL()
		}
		for _, a := range g.Articles {
			for _, al := range a.Aliases {
				aliases[al.Path] = a.URL()
			}
		}
	}
	if len(aliases) == 0 {
		t.Fatalf("%s has no aliases", movedDir)
	}
	return site, h, aliases
}

// An old path answers 301 to the page's current URL, with the query kept
// and the redirect's own caching; HEAD too; other methods get a 405.
func TestAliasRedirects(t *testing.T) {
	_, h, aliases := movedSite(t)
	for from, to := range aliases {
		for _, target := range []string{from, from + "?utm_source=newsletter&x=1"} {
			w := do(h, newRequest(http.MethodGet, target, nil))
			wantStatus(t, w, "GET "+target, http.StatusMovedPermanently)
			_, query, _ := strings.Cut(target, "?")
			want := to
			if query != "" {
				want += "?" + query
			}
			if loc := w.Header().Get("Location"); loc != want {
				t.Errorf("GET %s: Location %q, want %q", target, loc, want)
			}
			if cc := w.Header().Get("Cache-Control"); cc != build.CacheRedirect {
				t.Errorf("GET %s: Cache-Control %q, want %q", target, cc, build.CacheRedirect)
			}
		}
		wantStatus(t, do(h, newRequest(http.MethodHead, from, nil)), "HEAD "+from, http.StatusMovedPermanently)
		w := do(h, newRequest(http.MethodPost, from, strings.NewReader("a=b")))
		wantStatus(t, w, "POST "+from, http.StatusMethodNotAllowed)
		if allow := w.Header().Get("Allow"); allow != "GET, HEAD" {
			t.Errorf("POST %s: Allow %q, want GET, HEAD", from, allow)
		}
		// A non-canonical form reaches the alias through the canonical one.
		w = do(h, newRequest(http.MethodGet, strings.ToUpper(from)+"/", nil))
		wantStatus(t, w, "GET "+strings.ToUpper(from)+"/", http.StatusMovedPermanently)
		if loc := w.Header().Get("Location"); loc != from {
			t.Errorf("GET %s/: Location %q, want the canonical old path %q", strings.ToUpper(from), loc, from)
		}
		// Where it leads is a page.
		wantStatus(t, do(h, newRequest(http.MethodGet, to, nil)), "GET "+to, http.StatusOK)
	}
}

// Old paths are not pages: they are in neither the sitemap nor the feed,
// and no page links to them.
func TestAliasesNotListed(t *testing.T) {
	_, h, aliases := movedSite(t)
	sitemap := do(h, newRequest(http.MethodGet, "/sitemap.xml", nil))
	wantStatus(t, sitemap, "GET /sitemap.xml", http.StatusOK)
	feed := do(h, newRequest(http.MethodGet, "/feed.atom", nil))
	wantStatus(t, feed, "GET /feed.atom", http.StatusOK)
	for from, to := range aliases {
		if strings.Contains(sitemap.Body.String(), from+"<") {
			t.Errorf("the sitemap lists the old path %s", from)
		}
		if !strings.Contains(sitemap.Body.String(), to+"<") {
			t.Errorf("the sitemap does not list %s (where %s leads)", to, from)
		}
		if strings.Contains(feed.Body.String(), from+`"`) {
			t.Errorf("the feed links the old path %s", from)
		}
	}
}

// The article that lost the FAQ shows where each answer went: an element
// with the answer's old id, naming the question and linking to the answer
// at its new place, which exists there.
func TestMovedAnchorNote(t *testing.T) {
	site, h, _ := movedSite(t)
	n := 0
	for _, g := range site.Guides {
		for _, a := range g.Articles {
			if len(a.Moved) == 0 {
				continue
			}
			doc := getPage(t, h, a.URL())
			note := mustFind(t, doc, and(tag("aside"), withClass("moved")), a.URL()+": the Moved note")
			if heading := text(mustFind(t, note, tag("h2"), "the note's heading")); heading == "" {
				t.Errorf("%s: the Moved note's heading is empty", a.URL())
			}
			for _, m := range a.Moved {
				n++
				item := mustFind(t, doc, withID(m.ID), a.URL()+"#"+m.ID)
				if !inside(item, and(tag("aside"), withClass("moved"))) {
					t.Errorf("%s: #%s is not in the Moved note", a.URL(), m.ID)
				}
				f := g.FAQItem(strings.TrimPrefix(m.ID, "faq-"))
				if f == nil {
					t.Fatalf("%s: moved #%s is not an FAQ answer of the guide", a.URL(), m.ID)
				}
				if got := text(item); !strings.HasPrefix(got, "Moved:") || !strings.Contains(got, "\u201c"+f.Question+"\u201d") || !strings.Contains(got, g.FAQHome.Title) {
					t.Errorf("%s#%s says %q; want \"Moved:\", the question %q and the page %q", a.URL(), m.ID, got, f.Question, g.FAQHome.Title)
				}
				link := mustFind(t, item, tag("a"), "the link to the answer's new place")
				wantHref := g.FAQHome.URL() + "#" + f.Anchor()
				if attr(link, "href") != wantHref {
					t.Errorf("%s#%s links to %q, want %q", a.URL(), m.ID, attr(link, "href"), wantHref)
				}
				target := getPage(t, h, g.FAQHome.URL())
				if find(target, withID(f.Anchor())) == nil {
					t.Errorf("%s has no #%s for the moved link to land on", g.FAQHome.URL(), f.Anchor())
				}
			}
		}
	}
	if n == 0 {
		t.Fatalf("%s has no moved anchors", movedDir)
	}
	// An article without moved anchors has no note.
	for _, g := range site.Guides {
		for _, a := range g.Articles {
			if len(a.Moved) == 0 && find(getPage(t, h, a.URL()), withClass("moved")) != nil {
				t.Errorf("%s shows a Moved note but lists no moved anchors", a.URL())
			}
		}
	}
}

// An alias on a path the build serves but the loader does not know as a
// page (the guide index) is a content error at the alias's line.
func TestAliasOnABuiltPath(t *testing.T) {
	site, err := content.Load(os.DirFS(movedDir))
	if err != nil {
		t.Fatal(err)
	}
	g := site.Guides[0]
	snap, err := build.Build(site, build.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var index string
	for _, p := range snap.Pages() {
		if p.Kind == "guide index" {
			index = p.Meta.Path
		}
	}
	if index == "" {
		t.Fatal("the build has no guide index page")
	}
	al := content.Alias{Path: index, File: "guides/" + g.Slug + "/guide.yaml", Line: 7}
	g.Aliases = append(g.Aliases, al)
	_, err = build.Build(site, build.Options{})
	es, ok := content.AsErrors(err)
	if !ok || len(es) != 1 {
		t.Fatalf("building with the alias %s: %v, want one content error", index, err)
	}
	want := al.File + ":7: alias \"" + index + "\" is the address of something the site serves: an alias must be an old address that nothing uses any more"
	if es[0].Error() != want {
		t.Errorf("got\n\t%s\nwant\n\t%s", es[0], want)
	}
}

// BenchmarkAliasRedirect answers an old path of the moved-anchors test
// guide with its 301, the query kept: a map lookup, like a page.
func BenchmarkAliasRedirect(b *testing.B) {
	site, err := content.Load(os.DirFS(movedDir))
	if err != nil {
		b.Fatal(err)
	}
	h, err := newHandler(site, testOptions{})
	if err != nil {
		b.Fatal(err)
	}
	var from string
	for _, g := range site.Guides {
		for _, a := range g.Articles {
			if len(a.Aliases) > 0 {
				from = a.Aliases[0].Path
			}
		}
	}
	r := newRequest(http.MethodGet, from+"?utm_source=x", nil)
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusMovedPermanently {
			b.Fatalf("GET %s: %d", from, w.Code)
		}
	}
}
