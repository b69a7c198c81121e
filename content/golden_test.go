package content

import (
	"flag"
	"net/url"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
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
func publicIDs(s *Site) []string {
	var out []string
	pages := s.PageIDs()
	for _, g := range s.Guides {
		for page, ids := range pages {
			if page != g.URL() && page != g.CompareURL() && !strings.HasPrefix(page, g.URL()+"/") {
				continue
			}
			out = append(out, page)
			for id := range ids {
				if id != IDMain && id != IDTOC {
					out = append(out, page+"#"+id)
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

func TestPublicIDsGolden(t *testing.T) {
	site := mustLoad(t, Embedded())
	got := publicIDs(site)
	for _, want := range []string{
		"/compare/pm-vs-po#row-time-horizon",
		site.Guide("pm-vs-po").FAQHome.URL() + "#faq-which-pays-more",
		"/guides/pm-vs-po/faq/which-pays-more",
		"/guides/pm-vs-po/strategy-vs-delivery#when-to-split",
		"/guides/pm-vs-po/fit/result?roadmap=me",
		"/guides/pm-vs-po fit:product-manager",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("publicIDs lacks %s", want)
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

	inGot, inWant := map[string]bool{}, map[string]bool{}
	for _, id := range got {
		inGot[id] = true
	}
	for _, id := range want {
		inWant[id] = true
	}
	var removed, added []string
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
	if len(removed) > 0 {
		t.Errorf("%d public ids are gone from the content:\n\t%s\n\n"+
			"Every id above is part of a URL that people have shared, bookmarked or found in search results,\n"+
			"including assessment result permalinks. Renaming or removing one breaks those links.\n"+
			"Keep the old id unless the change is deliberate; if it is, make sure old links still lead\n"+
			"somewhere sensible, then record the change with:\n"+
			"\tgo test ./content -run TestPublicIDsGolden -update",
			len(removed), strings.Join(removed, "\n\t"))
	}
	if len(added) > 0 {
		t.Errorf("%d new public ids are not in %s:\n\t%s\n\n"+
			"New ids break nothing, but once published they are permanent. Check their spelling, then record them with:\n"+
			"\tgo test ./content -run TestPublicIDsGolden -update",
			len(added), goldenFile, strings.Join(added, "\n\t"))
	}
	if !slices.IsSorted(want) {
		t.Errorf("%s is not sorted; rewrite it with -update", goldenFile)
	}
}

// The golden list catches a rename: renaming one row id, and fixing every
// link and reference to it so that the content still loads, changes the list.
func TestPublicIDsCatchRename(t *testing.T) {
	m := mergeFS(t, Embedded())
	edit(t, m, "guides/pm-vs-po/comparison.yaml", "- id: time-horizon", "- id: horizon")
	for p, f := range m {
		s := strings.ReplaceAll(string(f.Data), "#row-time-horizon", "#row-horizon")
		s = strings.ReplaceAll(s, "row:time-horizon", "row:horizon")
		m[p].Data = []byte(s)
	}
	before, after := publicIDs(mustLoad(t, Embedded())), publicIDs(mustLoad(t, m))
	if !slices.Contains(before, "/compare/pm-vs-po#row-time-horizon") || slices.Contains(after, "/compare/pm-vs-po#row-time-horizon") ||
		!slices.Contains(after, "/compare/pm-vs-po#row-horizon") {
		t.Error("renaming the time-horizon row does not change the public ids")
	}
}
