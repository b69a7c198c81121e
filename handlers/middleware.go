package handlers

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
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
// instances, and cheap enough for every request.
func newRequestID() string {
	return idPrefix + "-" + strconv.FormatUint(idCounter.Add(1), 36)
}

// statusWriter records what a handler wrote, for the access log, and
// carries the request's id. Keeping the id here rather than in the request's
// context spares every request a copy of the *http.Request.
type statusWriter struct {
	http.ResponseWriter
	id     string
	status int
	bytes  int
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

// requestIDOf finds the request id in w, through any wrappers.
func requestIDOf(w http.ResponseWriter) string {
	for {
		if sw, ok := w.(*statusWriter); ok {
			return sw.id
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return ""
		}
		w = u.Unwrap()
	}
}

// accessLog gives the request its id and writes one line per request. The query is left out: result
// links carry a reader's answers.
func (s *server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, id: newRequestID()}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", sw.status),
			slog.Int("bytes", sw.bytes),
			slog.Duration("duration", time.Since(start)),
			slog.String("request_id", sw.id),
		)
	})
}

// recoverPanic turns a panic into a generic 500 page with the request id,
// logs the stack, and lets the server go on serving.
func (s *server) recoverPanic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic", "request_id", requestIDOf(w), "panic", v, "stack", string(debug.Stack()))
			s.serveError(w, r, &httpError{status: http.StatusInternalServerError,
				heading: "Something went wrong on our side", message: "The error has been logged. Please try again in a moment."})
		}()
		next.ServeHTTP(w, r)
	})
}

// canonicalPath answers non-canonical forms of a path (a trailing slash,
// doubled slashes, dot segments, capital letters) with a 301 to the one
// canonical URL, so links and caches agree on one address per page.
func canonicalPath(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		c := p
		if !strings.HasPrefix(c, "/") {
			c = "/" + c
		}
		c = path.Clean(c) // returns its argument, without allocating, when already clean
		if !strings.HasPrefix(c, "/static/") {
			c = asciiLower(c)
		}
		if c != p && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			u := url.URL{Path: c, RawQuery: r.URL.RawQuery}
			http.Redirect(w, r, u.String(), http.StatusMovedPermanently)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// asciiLower lower-cases A-Z only. strings.ToLower would also turn bytes
// that are not UTF-8 into U+FFFD, redirecting to a different path.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
