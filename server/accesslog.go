package server

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/pmvspo/site/accesslog"
)

var (
	idPrefix  = newIDPrefix()
	idCounter atomic.Uint64
)

func newIDPrefix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// newRequestID is a random per-process prefix and a counter: unique across
// instances, and cheap enough for every request (one allocation: the
// string itself).
func newRequestID() string {
	var b [32]byte // 8 hex digits, "-", at most 13 base-36 digits
	id := append(b[:0], idPrefix...)
	id = append(id, '-')
	id = strconv.AppendUint(id, idCounter.Add(1), 36)
	return string(id)
}

// maxRequestIDLen bounds an id taken from a request: nginx's $request_id is
// 32 characters, a UUID 36, a W3C trace id 32.
const maxRequestIDLen = 128

// requestIDFrom is the request's X-Request-Id when it is short and made of
// the characters ids are made of (so a proxy's id joins its log line to
// ours), otherwise a new id. Letters, digits and "-._:+/=" cover hex, UUIDs,
// base64 and trace ids; nothing that could break a log line or read as
// markup where the id is shown.
func requestIDFrom(r *http.Request) string {
	id := headerValue(r.Header, "X-Request-Id")
	if id == "" || len(id) > maxRequestIDLen {
		return newRequestID()
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._:+/=", c) >= 0) {
			return newRequestID()
		}
	}
	return id
}

// statusWriter records what a handler wrote, for the access log, and
// carries the request's id and route. Keeping them here rather than in the
// request's context spares every request a copy of the *http.Request.
type statusWriter struct {
	http.ResponseWriter
	// idH is the request id as the value of its response header: one
	// allocation (this writer) holds both.
	idH     [1]string
	pattern string // the chi route pattern that matched, set by recordRoute
	status  int
	bytes   int
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
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// statusWriterOf finds the access log's writer in w, through any wrappers.
func statusWriterOf(w http.ResponseWriter) *statusWriter {
	for {
		if sw, ok := w.(*statusWriter); ok {
			return sw
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return nil
		}
		w = u.Unwrap()
	}
}

// requestIDOf finds the request id in w, through any wrappers.
func requestIDOf(w http.ResponseWriter) string {
	if sw := statusWriterOf(w); sw != nil {
		return sw.idH[0]
	}
	return ""
}

// recordRoute is chi middleware that hands the matched route pattern to the
// access log; chi knows it only once the route has run.
func recordRoute(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		if sw := statusWriterOf(w); sw != nil {
			if rc := chi.RouteContext(r.Context()); rc != nil {
				sw.pattern = rc.RoutePattern()
			}
		}
	})
}

// accessLog gives the request its id (the proxy's, if it sent a valid one),
// returns it in X-Request-Id, and writes one line per request (see
// package accesslog): the client address as the rate limiter resolves it,
// the id, method, route and path, status, bytes and milliseconds. The query
// is left out: result links carry a reader's answers. The same figures go
// to the metrics.
func (s *Server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		sw.idH[0] = requestIDFrom(r)
		w.Header()["X-Request-Id"] = sw.idH[:]
		next.ServeHTTP(sw, r)
		end := time.Now()
		d := end.Sub(start)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		route := s.routeOf(r.URL.Path, sw.pattern)
		s.metrics.Request(route, r.Method, sw.status, headerValue(w.Header(), "Content-Encoding"), d)
		if s.access == nil {
			return
		}
		s.access.Log(&accesslog.Entry{Time: end, Client: s.clients.of(r), RequestID: sw.idH[0], Method: r.Method,
			Route: route, Path: r.URL.Path, Status: sw.status, Bytes: sw.bytes, Duration: d})
	})
}

// headerValue is h.Get(key) for a key already in canonical form, as
// net/http stores the names of the headers it reads and Header.Set stores
// any name: Get would canonicalise the key again on every call.
func headerValue(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// routeOf names what answered a request with a bounded set of names, for
// the log and the metrics: the chi pattern of a fixed route (all static
// assets as one), the kind of a built page ("article"), the path of a built
// file (sitemap, feed), "image" for share images, else "unmatched" (404s,
// redirects to the canonical path).
func (s *Server) routeOf(path, pattern string) string {
	switch {
	case strings.HasPrefix(pattern, "/static/"):
		return "/static/*"
	case pattern != "" && pattern != "/*":
		return pattern
	}
	snap := s.Snapshot()
	if p := snap.Page(path); p != nil {
		return p.Kind
	}
	if snap.File(path) != nil {
		return path
	}
	if snap.HasImage(path) {
		return "image"
	}
	return "unmatched"
}
