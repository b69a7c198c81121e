package build_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/pmvspo/site/build"
	"github.com/pmvspo/site/content"
)

// addArticle adds an article to the first guide, made from the front matter
// of the guide's first article with a new title, a short body and extra
// front-matter lines, and returns its path.
func addArticle(t *testing.T, m fstest.MapFS, slug string, extra ...string) (file, url string) {
	t.Helper()
	site, _ := shipped(t)
	g := site.Guides[0]
	src := string(m["guides/"+g.Slug+"/articles/"+g.Articles[0].Slug+".md"].Data)
	front, _, ok := strings.Cut(strings.TrimPrefix(src, "---\n"), "\n---\n")
	if !ok {
		t.Fatal("the first article has no front matter")
	}
	var lines []string
	skipping := false // inside a field that belongs to the original page only
	for _, l := range strings.Split(front, "\n") {
		if skipping && (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "-")) {
			continue
		}
		skipping = false
		switch {
		case strings.HasPrefix(l, "aliases:"), strings.HasPrefix(l, "moved_anchors:"):
			// The original's old addresses and moved anchors are its own:
			// a copy that kept them would clash with it.
			skipping = true
			continue
		case strings.HasPrefix(l, "title:"):
			l = "title: An article written for the draft test " + slug
		case strings.HasPrefix(l, "description:"):
			l = "description: A description of the test article " + slug + ", which readers must not see while it is unpublished."
		}
		lines = append(lines, l)
	}
	lines = append(lines, extra...)
	file = "guides/" + g.Slug + "/articles/" + slug + ".md"
	m[file] = &fstest.MapFile{Data: []byte("---\n" + strings.Join(lines, "\n") + "\n---\n\nA short body for the test.\n")}
	return file, g.URL() + "/" + slug
}

func buildFS(t *testing.T, m fstest.MapFS, opts build.Options) (*build.Snapshot, error) {
	t.Helper()
	site, err := content.Load(m)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return build.Build(site, opts)
}

// body serves a built page or file and returns its text.
func body(t *testing.T, snap *build.Snapshot, path string) string {
	t.Helper()
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, path, nil)
	switch {
	case snap.Page(path) != nil:
		snap.Page(path).Body.Serve(w, r, http.StatusOK)
	case snap.File(path) != nil:
		snap.File(path).Serve(w, r, http.StatusOK)
	default:
		t.Fatalf("no %s", path)
	}
	b, _ := io.ReadAll(w.Body)
	return string(b)
}

// TestDraftsAndScheduled: a draft or scheduled article is in nothing
// readers and crawlers see; preview shows it with its badge.
func TestDraftsAndScheduled(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name  string
		set   [][2]string
		badge string
	}{
		{"draft", [][2]string{{"draft", "true"}}, "Draft"},
		{"scheduled", [][2]string{{"published", "2099-01-01"}, {"updated", "2099-01-01"}}, "Scheduled: published on January 1, 2099"},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := shippedFS(t)
			file, url := addArticle(t, m, "test-"+c.name)
			for _, kv := range c.set {
				setField(t, m, file, kv[0], kv[1])
			}

			snap, err := buildFS(t, m, build.Options{Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if snap.Page(url) != nil {
				t.Errorf("%s: the published build has the page", url)
			}
			for _, p := range snap.Pages() {
				if strings.Contains(body(t, snap, p.Meta.Path), url) {
					t.Errorf("%s mentions the unpublished %s", p.Meta.Path, url)
				}
			}
			for _, f := range []string{"/sitemap.xml", "/feed.atom"} {
				if strings.Contains(body(t, snap, f), url) {
					t.Errorf("%s lists the unpublished %s", f, url)
				}
			}

			pre, err := buildFS(t, m, build.Options{Now: now, Preview: true})
			if err != nil {
				t.Fatal(err)
			}
			p := pre.Page(url)
			if p == nil {
				t.Fatalf("%s: the preview build has no page", url)
			}
			if b := body(t, pre, url); !strings.HasPrefix(p.Meta.Badge, c.badge) || !strings.Contains(b, c.badge) {
				t.Errorf("%s in preview: badge %q, want one starting %q, shown on the page", url, p.Meta.Badge, c.badge)
			}
			if g := pre.Site.Guides[0]; pre.Page(g.URL()).Meta.Badge != "" {
				t.Errorf("the published guide page has a badge in preview: %q", pre.Page(g.URL()).Meta.Badge)
			}
		})
	}
}

// TestLinkToDraft: a published page linking to a draft is a defect at the
// line of the link, in plain words.
func TestLinkToDraft(t *testing.T) {
	m := shippedFS(t)
	_, url := addArticle(t, m, "test-draft", "draft: true")
	site, _ := shipped(t)
	a := site.Guides[0].Articles[0]
	from := "guides/" + a.Guide.Slug + "/articles/" + a.Slug + ".md"
	src := strings.TrimRight(string(m[from].Data), "\n") + "\n\nRead [the draft](" + url + ").\n"
	m[from].Data = []byte(src)
	_, err := buildFS(t, m, build.Options{})
	es, ok := content.AsErrors(err)
	want := from + ":" + strconv.Itoa(strings.Count(src, "\n")) + `: link "` + url + `": ` + url + " is a draft, so readers would find no page there"
	if !ok || len(es) != 1 || !strings.HasPrefix(es[0].Error(), want) {
		t.Errorf("got %v\nwant %s…", err, want)
	}
	// The preview shows the draft, so the link works there.
	if _, err := buildFS(t, m, build.Options{Preview: true}); err != nil {
		t.Errorf("preview: %v", err)
	}
}

// TestDraftGuide: a draft guide has no page in the published build, and
// its pages carry the badge in preview.
func TestDraftGuide(t *testing.T) {
	m := shippedFS(t)
	site, _ := shipped(t)
	// A guide that another guide links to cannot become a draft (the
	// build refuses the links): take one that no other guide links to.
	var g *content.Guide
	for _, c := range site.Guides {
		if g == nil && !linkedFromOtherGuides(m, c) {
			g = c
		}
	}
	if g == nil {
		t.Skip("every guide of the shipped content is linked from another guide: none can become a draft on its own")
	}
	f := m["guides/"+g.Slug+"/guide.yaml"]
	f.Data = append([]byte("draft: true\n"), f.Data...)
	snap, err := buildFS(t, m, build.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range snap.Pages() {
		// Whole path segments: /guides/a is not a prefix of /guides/a-copy.
		if p.Meta.Path == g.URL() || strings.HasPrefix(p.Meta.Path, g.URL()+"/") || p.Meta.Path == g.CompareURL() {
			t.Errorf("the draft guide's page %s is published", p.Meta.Path)
		}
	}
	if home := body(t, snap, "/"); strings.Contains(home, `href="`+g.URL()+`"`) || strings.Contains(home, `href="`+g.URL()+`/`) {
		t.Error("the home page links to the draft guide")
	}
	pre, err := buildFS(t, m, build.Options{Preview: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{g.URL(), g.CompareURL(), g.Articles[0].URL()} {
		if p := pre.Page(path); p == nil || !strings.HasPrefix(p.Meta.Badge, "Draft") {
			t.Errorf("%s in preview: no Draft badge", path)
		}
	}
}

// linkedFromOtherGuides reports whether a file outside g's folder links to
// one of g's pages.
func linkedFromOtherGuides(m fstest.MapFS, g *content.Guide) bool {
	for name, f := range m {
		if strings.HasPrefix(name, "guides/"+g.Slug+"/") {
			continue
		}
		if regexp.MustCompile(`(` + regexp.QuoteMeta(g.URL()) + `|` + regexp.QuoteMeta(g.CompareURL()) + `)([^a-z0-9-]|$)`).Match(f.Data) {
			return true
		}
	}
	return false
}

// setField sets a front-matter field of an article, adding it if absent.
func setField(t *testing.T, m fstest.MapFS, file, key, value string) {
	t.Helper()
	front, rest, ok := strings.Cut(strings.TrimPrefix(string(m[file].Data), "---\n"), "\n---\n")
	if !ok {
		t.Fatalf("%s has no front matter", file)
	}
	lines := strings.Split(front, "\n")
	found := false
	for i, l := range lines {
		if strings.HasPrefix(l, key+":") {
			lines[i], found = key+": "+value, true
		}
	}
	if !found {
		lines = append(lines, key+": "+value)
	}
	m[file].Data = []byte("---\n" + strings.Join(lines, "\n") + "\n---\n" + rest)
}
