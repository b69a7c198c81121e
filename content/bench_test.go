package content

import (
	"io/fs"
	"testing"
)

func BenchmarkLoadEmbedded(b *testing.B) {
	site, err := Load(Embedded())
	if err != nil {
		b.Fatal(err)
	}
	articles := 0
	for _, g := range site.Guides {
		articles += len(g.Articles)
	}
	benchmarkLoad(b, Embedded(), articles)
}

func BenchmarkLoadSynthetic100(b *testing.B)  { benchmarkLoad(b, syntheticFS(100), 100) }
func BenchmarkLoadSynthetic1000(b *testing.B) { benchmarkLoad(b, syntheticFS(1000), 1000) }

// benchmarkLoad times Load on a tree built beforehand, outside the timer.
func benchmarkLoad(b *testing.B, fsys fs.FS, articles int) {
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if _, err := Load(fsys); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(articles), "articles/op")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*articles), "ns/article")
}
