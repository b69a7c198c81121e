package build_test

import (
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/pmvspo/site/build"
	"github.com/pmvspo/site/content"
)

// synthetic is n copies of the first shipped guide under new slugs and
// titles (the guide's and its articles'), as bench/scale.sh makes them.
func synthetic(tb testing.TB, n int) fstest.MapFS {
	tb.Helper()
	site, err := content.Load(content.Embedded())
	if err != nil {
		tb.Fatal(err)
	}
	g := site.Guides[0]
	titleRe := regexp.MustCompile(`(?m)\Atitle: .*$`)
	orderRe := regexp.MustCompile(`(?m)^order: .*$`)
	articleTitleRe := regexp.MustCompile(`(?m)\A(---\ntitle: )("?)(.*?)"?$`)
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
			if strings.HasSuffix(p, ".md") {
				// Articles need titles of their own too (the loader refuses repeats).
				text = articleTitleRe.ReplaceAllString(text, fmt.Sprintf("${1}${2}${3} (%d)${2}", i))
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

// BenchmarkBuild is the cost of a start or a rebuild at 1, 100 and 1,000
// guides: loading, rendering and link-checking the site, without
// compression (which runs later, in the background). ms/guide (wall) and
// cpu-ms/guide (the process's CPU on every core, which other work on a
// shared machine barely changes) are the cost per guide, which stays flat
// if the cost grows linearly; heap-MB/guide is
// the live heap of the model and the built snapshot (before compression,
// with every page's identity body), per guide. Run it with -benchtime 1x:
//
//	go test -run XXX -bench Build -benchtime 1x ./build
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1, 100, 1000} {
		// On disk, as a server reads it: fstest.MapFS lists a folder by
		// going through every file of the tree, which would add a cost
		// that grows with the square of the number of guides.
		dir := b.TempDir()
		if err := os.CopyFS(dir, synthetic(b, n)); err != nil {
			b.Fatal(err)
		}
		var m fs.FS = os.DirFS(dir)
		b.Run(fmt.Sprintf("guides=%d/load", n), func(b *testing.B) {
			cpu := processCPU()
			for b.Loop() {
				if _, err := content.Load(m); err != nil {
					b.Fatal(err)
				}
			}
			reportPerGuide(b, n, processCPU()-cpu)
		})
		site, err := content.Load(m)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("guides=%d/build", n), func(b *testing.B) {
			var snap *build.Snapshot
			cpu := processCPU()
			for b.Loop() {
				if snap, err = build.Build(site, build.Options{}); err != nil {
					b.Fatal(err)
				}
			}
			reportPerGuide(b, n, processCPU()-cpu)
			b.ReportMetric(liveHeapMB(snap)/float64(n), "heap-MB/guide")
		})
	}
}

// reportPerGuide reports the wall and CPU time of one run per guide.
func reportPerGuide(b *testing.B, guides int, cpu time.Duration) {
	runs := float64(b.N * guides)
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/runs, "ms/guide")
	b.ReportMetric(float64(cpu.Microseconds())/1000/runs, "cpu-ms/guide")
}

// liveHeapMB is the heap in use after a collection, with keep still held.
func liveHeapMB(keep any) float64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	runtime.KeepAlive(keep)
	return float64(ms.HeapAlloc) / (1 << 20)
}
