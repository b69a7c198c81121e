package content

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

// withOtherFront adds front-matter lines to the mini guide's second article.
func withOtherFront(lines string) func(*testing.T, fstest.MapFS) {
	return replaceIn(miniOtherFile, "order: 2\n", "order: 2\n"+lines)
}

// Each defect of aliases and moved anchors, with its exact message at the
// line that holds it.
func TestAliasDefects(t *testing.T) {
	base := miniGuide()
	firstLine := func(file, marker string) int { return lineWith(t, fileText(t, base, file), marker) }
	cases := []defect{
		{name: "alias that is not a clean path",
			mutate: withOtherFront("aliases: [/guides/mini/Old-Name/]\n"),
			file:   miniOtherFile, at: "aliases:",
			msg: `alias "/guides/mini/Old-Name/" is neither an old slug nor a clean path: write the page's old slug (a-z, 0-9 and hyphens), or its old address as a path such as /guides/<guide>/<old-slug>, starting with /, with only a-z, 0-9 and hyphens between single slashes, and no trailing slash, query or #`},
		{name: "alias that is a malformed slug",
			mutate: withOtherFront("aliases: [Old_Name]\n"),
			file:   miniOtherFile, at: "aliases:", msg: `alias "Old_Name" is neither an old slug nor a clean path`},
		{name: "an old slug is a path in the page's folder: it can clash with a page there",
			mutate: withOtherFront("aliases: [main]\n"),
			file:   miniOtherFile, at: "aliases:", msg: `alias "/guides/mini/main" is the address of a page of the site`},
		{name: "alias with a query",
			mutate: withOtherFront("aliases: [\"/guides/mini/old?x=1\"]\n"),
			file:   miniOtherFile, at: "aliases:", msg: `alias "/guides/mini/old?x=1" is neither an old slug nor a clean path`},
		{name: "alias under a path the site uses for itself",
			mutate: withOtherFront("aliases: [/static/old]\n"),
			file:   miniOtherFile, at: "aliases:", msg: `alias "/static/old" is under /static, which the site uses for itself: no reader could reach it there`},
		{name: "alias that is a page of the site",
			mutate: withOtherFront("aliases: [/guides/mini/main]\n"),
			file:   miniOtherFile, at: "aliases:", msg: `alias "/guides/mini/main" is the address of a page of the site: an alias must be an old address that no page uses any more`},
		{name: "alias that is an assessment's result pages",
			mutate: withOtherFront("aliases: [/guides/mini/fit/result]\n"),
			file:   miniOtherFile, at: "aliases:", msg: `alias "/guides/mini/fit/result" is the address of a page of the site`},
		{name: "alias given to two pages",
			mutate: func(t *testing.T, m fstest.MapFS) {
				edit(t, m, miniGuideFile, "order: 1\n", "order: 1\naliases:\n  - /guides/old\n")
				withOtherFront("aliases: [/guides/old]\n")(t, m)
			},
			file: miniOtherFile, at: "aliases:",
			msg: fmt.Sprintf(`alias "/guides/old" is also an alias of /guides/mini (%s:%d): one old address can lead to one page only`, miniGuideFile, firstLine(miniGuideFile, "order: 1")+2)},
		{name: "link to an old address",
			mutate: func(t *testing.T, m fstest.MapFS) {
				withOtherFront("aliases: [/guides/mini/old-other]\n")(t, m)
				edit(t, m, miniMainFile, "(/guides/mini/other#details)", "(/guides/mini/old-other#details)")
			},
			file: miniMainFile, at: "/guides/mini/old-other#details",
			msg: `link "/guides/mini/old-other#details" links to an old address; use /guides/mini/other#details`},
		{name: "reference to a renamed article by its old slug",
			mutate: func(t *testing.T, m fstest.MapFS) {
				withOtherFront("aliases: [/guides/mini/older]\n")(t, m)
				edit(t, m, miniFitFile, "basis: article:main#overview", "basis: article:older#details")
			},
			file: miniFitFile, at: "article:older#details",
			msg: `reference "article:older#details": the article "older" is now "other" (its aliases keep the old address): write article:other#details`},
		{name: "moved FAQ on the article that places it",
			mutate: replaceIn(miniMainFile, "order: 1\n", "order: 1\nmoved_anchors: [faq]\n"),
			file:   miniMainFile, at: "moved_anchors:",
			msg: "moved_anchors: faq: this article places the FAQ ({{faq}}), so its answers have not moved away from it"},
		{name: "moved anchor naming an unknown FAQ answer",
			mutate: withOtherFront("moved_anchors: [faq:nope]\n"),
			file:   miniOtherFile, at: "moved_anchors:", msg: `moved_anchors: "faq:nope": faq.yaml has no item "nope"`},
		{name: "moved anchor still on this article",
			mutate: withOtherFront("moved_anchors: [article:other#details]\n"),
			file:   miniOtherFile, at: "moved_anchors:",
			msg: `moved_anchors: "article:other#details" is on this article: only parts now on another page can be listed as moved`},
		{name: "moved anchor whose id the article still has",
			mutate: withOtherFront("moved_anchors: [profile:alpha]\n"),
			file:   miniOtherFile, at: "moved_anchors:",
			msg: `moved_anchors: "profile:alpha": this article already has an element with the id "profile-alpha", so the old link still lands on it`},
		{name: "moved anchor listed twice",
			mutate: withOtherFront("moved_anchors:\n  - faq\n  - faq:first-question\n"),
			file:   miniOtherFile, at: "  - faq:first-question",
			msg: fmt.Sprintf("moved_anchors: #faq-first-question is listed twice (first on line %d)", firstLine(miniOtherFile, "order: 2")+2)},
		{name: "moved anchor naming a whole page",
			mutate: withOtherFront("moved_anchors: [article:main]\n"),
			file:   miniOtherFile, at: "moved_anchors:",
			msg: `moved_anchors: "article:main" is a whole page, not a part of one: name a section, for example article:<slug>#<heading>`},
		{name: "heading that takes the Moved note's id",
			mutate: replaceIn(miniOtherFile, "## Details {#details}", "## Details {#details}\n\n## Moved {#moved}"),
			file:   miniOtherFile, at: "{#moved}", msg: `heading id "moved" is already used by the page`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := miniGuide()
			c.mutate(t, m)
			es := loadErrors(t, m)
			want := fmt.Sprintf("%s:%d: %s", c.file, lineWithNth(t, fileText(t, m, c.file), c.at, c.nth), c.msg)
			found := false
			for _, e := range es {
				found = found || strings.HasPrefix(e.Error(), want)
			}
			if !found {
				t.Errorf("no defect starts with\n\t%s\ngot:\n%v", want, es)
			}
			if len(es) != 1 {
				t.Errorf("got %d defects, want exactly 1:\n%v", len(es), es)
			}
		})
	}
}

// The test guide with aliases and moved anchors loads: its old paths are in
// the model, and the article that lost the FAQ carries one moved anchor per
// answer, with the answer's id, pointing at where the FAQ is now.
func TestAliasesAndMovedAnchorsLoad(t *testing.T) {
	site, err := Load(os.DirFS("testdata/moved"))
	if err != nil {
		t.Fatal(err)
	}
	aliases, moved := 0, 0
	for _, g := range site.Guides {
		aliases += len(g.Aliases)
		for _, a := range g.Articles {
			aliases += len(a.Aliases)
			if len(a.Moved) == 0 {
				continue
			}
			moved++
			if a == g.FAQHome {
				t.Errorf("%s holds the FAQ and lists it as moved", a.URL())
			}
			if len(a.Moved) != len(g.FAQ) {
				t.Errorf("%s: %d moved anchors, want one per FAQ answer (%d)", a.URL(), len(a.Moved), len(g.FAQ))
			}
			for i, m := range a.Moved {
				f := g.FAQ[min(i, len(g.FAQ)-1)]
				if m.ID != f.Anchor() || m.URL != g.FAQHome.URL()+"#"+f.Anchor() || m.Label != f.Question || m.Page != g.FAQHome.Title {
					t.Errorf("%s: moved anchor %+v, want #%s to %s#%s (%q on %q)", a.URL(), *m, f.Anchor(), g.FAQHome.URL(), f.Anchor(), f.Question, g.FAQHome.Title)
				}
				if !a.IDs[m.ID] || !site.PageIDs()[a.URL()][m.ID] {
					t.Errorf("%s does not list the id %q among its page's ids", a.URL(), m.ID)
				}
			}
		}
	}
	if aliases == 0 || moved == 0 {
		t.Fatalf("testdata/moved has %d aliases and %d articles with moved anchors; it should have both", aliases, moved)
	}
}

// An old slug stays in the folder the page is in now: an article's in its
// guide, a guide's under /guides. So a guide folder copied to a new slug
// carries aliases of its own, which cannot clash with the original's.
func TestAliasOldSlug(t *testing.T) {
	m := miniGuide()
	withOtherFront("aliases: [old-other]\n")(t, m)
	edit(t, m, miniGuideFile, "order: 1\n", "order: 1\naliases: [old-mini]\n")
	s := mustLoad(t, m)
	g := s.Guides[0]
	if len(g.Aliases) != 1 || g.Aliases[0].Path != "/guides/old-mini" {
		t.Errorf("guide aliases = %+v, want /guides/old-mini", g.Aliases)
	}
	for _, a := range g.Articles {
		if a.Slug == "other" && (len(a.Aliases) != 1 || a.Aliases[0].Path != g.URL()+"/old-other") {
			t.Errorf("article aliases = %+v, want %s/old-other", a.Aliases, g.URL())
		}
	}
}
