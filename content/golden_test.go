package content

import (
	"flag"
	"io/fs"
	"net/url"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/public-ids.golden from the shipped content")

const goldenFile = "testdata/public-ids.golden"

const goldenHeader = `# Every public id of the shipped content: page paths, fragment ids on each page,
# assessment result permalinks (one per question and option) and assessment outcomes
# (as written in see_also). People share these in links, bookmarks and search results,
# so renaming one breaks them. This file is checked by TestPublicIDsGolden; rewrite it
# with: go test ./content -run TestPublicIDsGolden -update
`

// publicIDs lists every id of the site that ends up in a URL someone can
// share. The layout's landmark ids (main, toc), present on every page and
// fixed in Go, are left out.
// Drafts and scheduled articles are not public yet: they are left out, so
// that publishing one only adds ids and hiding a published one removes them.
func publicIDs(s *Site) []string {
	var out []string
	s = s.Published(time.Now())
	pages := s.PageIDs()
	for _, g := range s.Guides {
		// A renamed page keeps its old address as an alias, which answers
		// 301 to the page (the browser keeps the #fragment): its old ids
		// still resolve, through the alias.
		aliases := map[string][]Alias{g.URL(): g.Aliases}
		for _, a := range g.Articles {
			aliases[a.URL()] = a.Aliases
		}
		for page, ids := range pages {
			if page != g.URL() && page != g.CompareURL() && !strings.HasPrefix(page, g.URL()+"/") {
				continue
			}
			for _, at := range append([]string{page}, aliasPaths(aliases[page])...) {
				out = append(out, at)
				for id := range ids {
					if id != IDMain && id != IDTOC {
						out = append(out, at+"#"+id)
					}
				}
			}
		}
		for _, a := range g.Assessments {
			for _, q := range a.Questions {
				for _, o := range q.Options {
					out = append(out, a.ResultURL()+"?"+url.QueryEscape(q.ID)+"="+url.QueryEscape(o.ID))
				}
			}
			for _, o := range a.Outcomes {
				out = append(out, g.URL()+" "+a.ID+":"+o.ID)
			}
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

func aliasPaths(as []Alias) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Path)
	}
	return out
}

func TestPublicIDsGolden(t *testing.T) {
	site := mustLoad(t, Embedded())
	got := publicIDs(site)
	// Every kind of public id is in the list: a page, a row, an FAQ answer
	// on its home and on its own page, an article section, a result
	// permalink and an outcome, for each guide.
	for _, g := range site.Published(time.Now()).Guides {
		want := []string{g.URL(), g.CompareURL() + "#" + g.Comparison.Dimensions[0].Anchor()}
		if len(g.FAQ) > 0 {
			want = append(want, g.FAQHome.URL()+"#"+g.FAQ[0].Anchor(), g.FAQURL(g.FAQ[0].ID))
		}
		for _, a := range g.Articles {
			for _, e := range a.TOC {
				want = append(want, a.URL()+"#"+e.ID)
			}
		}
		for _, a := range g.Assessments {
			q := a.Questions[0]
			want = append(want, a.ResultURL()+"?"+url.QueryEscape(q.ID)+"="+url.QueryEscape(q.Options[0].ID),
				g.URL()+" "+a.ID+":"+a.Outcomes[0].ID)
		}
		for _, id := range want {
			if !slices.Contains(got, id) {
				t.Errorf("publicIDs lacks %s", id)
			}
		}
	}

	if *update {
		if err := os.WriteFile(goldenFile, []byte(goldenHeader+strings.Join(got, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %d ids to %s", len(got), goldenFile)
		return
	}
	b, err := os.ReadFile(goldenFile)
	if err != nil {
		t.Fatalf("%v (create it with: go test ./content -run TestPublicIDsGolden -update)", err)
	}
	var want []string
	for _, l := range strings.Split(string(b), "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			want = append(want, l)
		}
	}

	removed, added := goldenDiff(want, got)
	if len(removed) > 0 {
		t.Errorf("%d public ids are gone from the content:\n\t%s\n\n"+
			"Every id above is part of a URL that people have shared, bookmarked or found in search results,\n"+
			"including assessment result permalinks. Renaming or removing one breaks those links.\n"+
			"Keep the old id unless the change is deliberate; if it is, make sure old links still lead\n"+
			"somewhere sensible, then record the change with:\n"+
			"\tgo test ./content -run TestPublicIDsGolden -update",
			len(removed), strings.Join(removed, "\n\t"))
	}
	// New ids (a new guide, row or question) break nothing: they are only
	// logged, and recorded by the next -update so that renaming them later
	// is caught.
	if len(added) > 0 {
		t.Logf("%d new public ids are not yet in %s (record them with: go test ./content -run TestPublicIDsGolden -update):\n\t%s",
			len(added), goldenFile, strings.Join(added, "\n\t"))
	}
	if !slices.IsSorted(want) {
		t.Errorf("%s is not sorted; rewrite it with -update", goldenFile)
	}
}

// goldenDiff compares the recorded ids (want) with the content's (got):
// removed is what the content no longer has (shared links it breaks),
// added what it has that is not recorded yet (breaks nothing).
func goldenDiff(want, got []string) (removed, added []string) {
	inGot, inWant := map[string]bool{}, map[string]bool{}
	for _, id := range got {
		inGot[id] = true
	}
	for _, id := range want {
		inWant[id] = true
	}
	for _, id := range want {
		if !inGot[id] {
			removed = append(removed, id)
		}
	}
	for _, id := range got {
		if !inWant[id] {
			added = append(added, id)
		}
	}
	return removed, added
}

// TestPublicIDsGoldenOnlyRemovals: against a record of the shipped content,
// a new guide (the first shipped one copied to a new slug, as an editor
// adds one) only adds ids, which the golden test lets pass; taking that
// guide away again removes exactly its ids, which it fails on.
var topTitle = regexp.MustCompile(`(?m)\A((?:---\n)?title: "?)`)

func TestPublicIDsGoldenOnlyRemovals(t *testing.T) {
	shipped := Embedded()
	m := fstest.MapFS{}
	err := fs.WalkDir(shipped, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(shipped, p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	base := mustLoad(t, m)
	first := base.Published(time.Now()).Guides[0]
	const slug = "golden-copy"
	from := "guides/" + first.Slug + "/"
	for p, f := range m {
		if rest, ok := strings.CutPrefix(p, from); ok {
			// Links within the guide follow it to its new slug.
			data := strings.NewReplacer(first.URL(), "/guides/"+slug, first.CompareURL(), "/compare/"+slug,
				"guide: "+first.Slug+"\n", "guide: "+slug+"\n").Replace(string(f.Data))
			// Titles of its own, as the loader requires of a new guide and
			// its articles (only the top-level title of each file).
			data = topTitle.ReplaceAllString(data, "${1}Copy of ")
			m["guides/"+slug+"/"+rest] = &fstest.MapFile{Data: []byte(data)}
		}
	}
	before, after := publicIDs(base), publicIDs(mustLoad(t, m))

	removed, added := goldenDiff(before, after)
	if len(removed) > 0 {
		t.Errorf("adding a guide removes public ids: %q", removed)
	}
	if !slices.Contains(added, "/guides/"+slug) || !slices.Contains(added, "/compare/"+slug) {
		t.Errorf("adding the guide %s adds no ids for its pages: %d added", slug, len(added))
	}

	removed, added = goldenDiff(after, before)
	if len(added) > 0 {
		t.Errorf("removing a guide adds public ids: %q", added)
	}
	if !slices.Contains(removed, "/guides/"+slug) || !slices.Contains(removed, "/compare/"+slug) {
		t.Errorf("removing the guide %s is not seen as removed ids: %q", slug, removed)
	}
	for _, id := range removed {
		if !strings.Contains(id, "/"+slug) {
			t.Errorf("removing the guide %s reports %s as removed too", slug, id)
		}
	}
}

// The golden list catches a rename: renaming one row id, and fixing every
// link and reference to it so that the content still loads, removes the old
// id from the list.
func TestPublicIDsCatchRename(t *testing.T) {
	m := miniGuide()
	edit(t, m, miniCmpFile, "- id: scope", "- id: reach")
	for p, f := range m {
		s := strings.ReplaceAll(string(f.Data), "#row-scope", "#row-reach")
		m[p] = &fstest.MapFile{Data: []byte(strings.ReplaceAll(s, "row:scope", "row:reach"))}
	}
	before, after := publicIDs(mustLoad(t, miniGuide())), publicIDs(mustLoad(t, m))
	if !slices.Contains(before, "/compare/mini#row-scope") || slices.Contains(after, "/compare/mini#row-scope") ||
		!slices.Contains(after, "/compare/mini#row-reach") {
		t.Error("renaming the scope row does not change the public ids")
	}
}
