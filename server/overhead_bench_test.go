package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/pmvspo/site/accesslog"
)

// discardWriter is a ResponseWriter that costs nothing, so the benchmarks
// below measure the handlers and not the recorder.
type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}

// BenchmarkOverhead compares the whole site (router, security headers,
// request id, JSON access line, canonical paths, recovery,
// encoding negotiation) with a bare handler that writes the same headers
// and bytes. The ratio bare/site is the share of a request's CPU that is
// the response itself; run with -count 6 and compare medians.
func BenchmarkOverhead(b *testing.B) {
	h, err := newHandler(testSite(b), testOptions{AccessLog: benchAccessLog()})
	if err != nil {
		b.Fatal(err)
	}
	r := newRequest(http.MethodGet, guide(b).Articles[0].URL(), nil)
	r.Header.Set("Accept-Encoding", "br")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	hdr, body := rec.Header().Clone(), rec.Body.Bytes()
	bare := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		for k, v := range hdr {
			h[k] = v
		}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body)
	})
	for _, c := range []struct {
		name string
		h    http.Handler
	}{{"site", h}, {"bare", bare}} {
		b.Run(c.name, func(b *testing.B) {
			w := &discardWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				c.h.ServeHTTP(w, r)
			}
		})
	}
}

// benchAccessLog writes JSON access lines to nowhere, as the server does
// in production but to a file; BENCH_NOLOG=1 turns them off.
func benchAccessLog() *accesslog.Logger {
	if os.Getenv("BENCH_NOLOG") != "" {
		return nil
	}
	return accesslog.New(accesslog.JSON, io.Discard)
}
