package metrics

import (
	"net/http"
	"time"
)

// Middleware records every request in r. route names the route pattern that
// matched, asked after the handler has run (chi knows it only then); it must
// never return the raw path.
//
// A server that already wraps the ResponseWriter (for its access log) can
// call r.Request itself instead and spare a second wrapper.
func Middleware(r Requests, route func(*http.Request) string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			start := time.Now()
			sw := &statusWriter{ResponseWriter: w}
			next.ServeHTTP(sw, req)
			r.Request(route(req), req.Method, sw.statusOr200(), w.Header().Get("Content-Encoding"), time.Since(start))
		})
	}
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) statusOr200() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}
