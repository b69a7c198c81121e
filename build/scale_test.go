package build_test

import (
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pmvspo/site/build"
	"github.com/pmvspo/site/content"
)

// synthetic is n copies of the first shipped guide under new slugs and
// titles, as bench/scale.sh makes them.
func synthetic(tb testing.TB, n int) fstest.MapFS {
	tb.Helper()
	site, err := content.Load(content.Embedded())
	if err != nil {
		tb.Fatal(err)
	}
	g := site.Guides[0]
	titleRe := regexp.MustCompile(`(?m)\Atitle: .*$`)
	orderRe := regexp.MustCompile(`(?m)^order: .*$`)
	m := fstest.MapFS{}
	err = fs.WalkDir(content.Embedded(), "guides/"+g.Slug, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(content.Embedded(), p)
		if err != nil {
			return err
		}
		for i := 1; i <= n; i++ {
			slug := fmt.Sprintf("g%04d-vs", i)
			text := strings.ReplaceAll(string(b), g.Slug, slug)
			if strings.HasSuffix(p, "/guide.yaml") {
				text = titleRe.ReplaceAllString(text, fmt.Sprintf("title: Synthetic guide %d, %s", i, g.Title))
				text = orderRe.ReplaceAllString(text, fmt.Sprintf("order: %d", i))
			}
			m[strings.Replace(p, "guides/"+g.Slug, "guides/"+slug, 1)] = &fstest.MapFile{Data: []byte(text)}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// BenchmarkBuild is the cost of a start or a rebuild: loading, rendering
// and link-checking the site, without compression (which runs later, in
// the background).
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1, 10, 100} {
		m := synthetic(b, n)
		b.Run(fmt.Sprintf("guides=%d/load", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := content.Load(m); err != nil {
					b.Fatal(err)
				}
			}
		})
		site, err := content.Load(m)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("guides=%d/build", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := build.Build(site, build.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
