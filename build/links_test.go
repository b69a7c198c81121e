package build_test

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pmvspo/site/build"
	"github.com/pmvspo/site/content"
)

// shippedFS is a writable copy of the shipped content.
func shippedFS(t *testing.T) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(content.Embedded(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(content.Embedded(), p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestBrokenLinks: a link written in the content to a page or fragment
// that the built site does not have is an error at the file and line where
// it was written, in the words Load uses.
func TestBrokenLinks(t *testing.T) {
	site, _ := shipped(t)
	g := site.Guides[0]
	a := g.Articles[0]
	file := "guides/" + g.Slug + "/articles/" + a.Slug + ".md"
	for _, c := range []struct{ link, msg string }{
		{"#nope", `link "#nope": no element with that id on this page`},
		{"/guides/x/nope", `link "/guides/x/nope": there is no page at /guides/x/nope`},
		{g.CompareURL() + "#row-nope", `link "` + g.CompareURL() + `#row-nope": the page ` + g.CompareURL() + ` has no element with id "row-nope"`},
		{g.FAQURL("no-such-question"), `link "` + g.FAQURL("no-such-question") + `": there is no page at ` + g.FAQURL("no-such-question")},
		{"/sitemap.xml#top", `link "/sitemap.xml#top": /sitemap.xml is not a page, so it has no #top`},
	} {
		t.Run(c.link, func(t *testing.T) {
			m := shippedFS(t)
			src := strings.TrimRight(string(m[file].Data), "\n")
			src += "\n\nA paragraph with a link to [somewhere](" + c.link + ").\n"
			m[file].Data = []byte(src)
			line := strings.Count(src, "\n")
			site, err := content.Load(m)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			_, err = build.Build(site, build.Options{})
			es, ok := content.AsErrors(err)
			if !ok || len(es) != 1 {
				t.Fatalf("Build: want one located error, got %v", err)
			}
			if es[0].File != file || es[0].Line != line || es[0].Msg != c.msg {
				t.Errorf("got  %s\nwant %s:%d: %s", es[0], file, line, c.msg)
			}
		})
	}
}

// TestLinksToRenderedIDs: a link may name any id the views render, such as
// the table of contents of an article, with no list of ids kept in Go.
func TestLinksToRenderedIDs(t *testing.T) {
	site, _ := shipped(t)
	a := site.Guides[0].Articles[0]
	file := "guides/" + a.Guide.Slug + "/articles/" + a.Slug + ".md"
	for _, id := range []string{"main", "toc"} {
		m := shippedFS(t)
		m[file].Data = append(m[file].Data, []byte("\n\nBack to [the top]("+a.URL()+"#"+id+").\n")...)
		s2, err := content.Load(m)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := build.Build(s2, build.Options{}); err != nil {
			t.Errorf("a link to %s#%s, an id the article page renders: %v", a.URL(), id, err)
		}
	}
}
