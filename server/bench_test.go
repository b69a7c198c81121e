package server_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pmvspo/site/server"
)

func benchGet(b *testing.B, target string, hdr ...string) {
	h := testHandler(b)
	r := newRequest(http.MethodGet, target, nil)
	for i := 0; i < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		b.Fatalf("GET %s: status %d", target, w.Code)
	}
	b.SetBytes(int64(w.Body.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("GET %s: status %d", target, w.Code)
		}
	}
}

// BenchmarkServeArticle serves a pre-compressed article, as most browsers ask for it.
func BenchmarkServeArticle(b *testing.B) {
	benchGet(b, guide(b).Articles[0].URL(), "Accept-Encoding", "br")
}

// BenchmarkServeArticleIdentity serves the same article uncompressed.
func BenchmarkServeArticleIdentity(b *testing.B) {
	benchGet(b, guide(b).Articles[0].URL())
}

// BenchmarkResultPage renders a full result permalink, which is built per request.
// Each request comes from one client address, so raise the submission limit
// to keep the benchmark measuring the page and not the rate limiter's 429.
func BenchmarkResultPage(b *testing.B) {
	a := guide(b).Assessment("fit")
	h, err := newHandler(testSite(b), testOptions{SubmitsPerMinute: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	target := a.ResultURL() + "?" + firstQuery(a)
	r := newRequest(http.MethodGet, target, nil)
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("GET %s: status %d", target, w.Code)
		}
	}
}

// BenchmarkNewHandler is the start-up cost (build and serve): rendering every page, then
// compressing each (compression is lazy, so one brotli GET of every page and
// asset forces it; NoWarm keeps background work out of the measurement).
func BenchmarkNewHandler(b *testing.B) {
	site := testSite(b)
	snap := testHandler(b).(*server.Server).Snapshot()
	var paths []string
	for _, p := range snap.Pages() {
		paths = append(paths, p.Meta.Path)
	}
	paths = append(paths, snap.StaticPaths()...)
	b.Run("render", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := newHandler(site, testOptions{NoWarm: true}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("render+compress", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			h, err := newHandler(site, testOptions{NoWarm: true})
			if err != nil {
				b.Fatal(err)
			}
			for _, p := range paths {
				r := newRequest(http.MethodGet, p, nil)
				r.Header.Set("Accept-Encoding", "br")
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if w.Code != http.StatusOK {
					b.Fatalf("GET %s: status %d", p, w.Code)
				}
			}
		}
		b.ReportMetric(float64(len(paths)), "resources")
	})
}
