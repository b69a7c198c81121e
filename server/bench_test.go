package server_test

import (
	"github.com/pmvspo/site/content"
	"net/http"
	"net/http/httptest"
	"testing"
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

// BenchmarkResultPage serves a result link from the result cache (the first
// request renders and compresses it; the loop measures every later one),
// with and without compression. NoWarm keeps the background compression of
// the built pages out of the measurement.
func BenchmarkResultPage(b *testing.B) {
	a := assessment(b)
	h, err := newHandler(testSite(b), testOptions{NoWarm: true})
	if err != nil {
		b.Fatal(err)
	}
	target := a.ResultURL() + "?" + firstQuery(a)
	for _, enc := range []string{"br", "identity"} {
		b.Run(enc, func(b *testing.B) {
			r := newRequest(http.MethodGet, target, nil)
			r.Header.Set("Accept-Encoding", enc)
			h.ServeHTTP(httptest.NewRecorder(), r)
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if w.Code != http.StatusOK {
					b.Fatalf("GET %s: status %d", target, w.Code)
				}
			}
		})
	}
}

// BenchmarkResultFirstRender is the cost of a result nobody has opened yet:
// scoring, rendering, and compressing it with gzip and brotli, once.
func BenchmarkResultFirstRender(b *testing.B) {
	a := assessment(b)
	h, err := newHandler(testSite(b), testOptions{NoWarm: true})
	if err != nil {
		b.Fatal(err)
	}
	// Distinct answer sets, so that every iteration misses the cache.
	var links []string
	idx := make([]int, len(a.Questions))
	for len(links) < 5000 {
		ans := content.Answers{}
		for i, q := range a.Questions {
			ans[q.ID] = q.Options[idx[i]%len(q.Options)].ID
		}
		links = append(links, a.ResultURL()+"?"+a.Query(ans))
		for i := range idx { // an odometer over the options
			idx[i]++
			if idx[i] < len(a.Questions[i].Options) {
				break
			}
			idx[i] = 0
		}
	}
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, newRequest(http.MethodGet, links[n%len(links)], nil))
		n++
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
	}
}

// BenchmarkNewHandler is the start-up cost (build and serve): rendering and
// checking every page, then compressing each (the background work of Warm,
// waited for here).
func BenchmarkNewHandler(b *testing.B) {
	site := testSite(b)
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
			if _, err := newHandler(site, testOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
