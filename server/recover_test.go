package server

// White-box tests of panic recovery: a route that panics is mounted on the
// real router, behind the real middleware chain that New builds.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/pmvspo/site/accesslog"
	"github.com/pmvspo/site/build"
	"github.com/pmvspo/site/content"
)

// lockedBuffer is a log sink safe for concurrent requests.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

const panicSecret = "panic-canary-7f3e: password=hunter2"

var (
	panicSiteOnce sync.Once
	panicSite     *content.Site
	panicSiteErr  error
)

// panicking builds the site with a logger writing to a buffer and mounts
// routes that panic on its router, after every middleware, as a handler
// bug would.
func panicking(t *testing.T) (*Server, *lockedBuffer) {
	t.Helper()
	panicSiteOnce.Do(func() { panicSite, panicSiteErr = content.Load(content.Embedded()) })
	if panicSiteErr != nil {
		t.Fatal(panicSiteErr)
	}
	snap, err := build.Build(panicSite, build.Options{})
	if err != nil {
		t.Fatal(err)
	}
	logs := &lockedBuffer{}
	// The panicking routes are a feature, mounted like any other after
	// every middleware.
	panics := func(r chi.Router, _ Deps) {
		Get(r, "/test-panic", http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(panicSecret) }))
		r.Get("/test-panic-error", func(http.ResponseWriter, *http.Request) { panic(errors.New(panicSecret)) })
		r.Get("/test-panic-nil-map", func(http.ResponseWriter, *http.Request) {
			var m map[string]int
			//lint:ignore SA5000 a runtime panic is what this route is for
			m[panicSecret]++
		})
		r.Get("/test-abort", func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) })
		r.Post("/test-panic", func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			panic(panicSecret)
		})
	}
	h, err := New(snap, Options{Logger: slog.New(slog.NewTextHandler(logs, nil)), AccessLog: accesslog.New(accesslog.Text, logs), Features: []Feature{panics}})
	if err != nil {
		t.Fatal(err)
	}
	return h, logs
}

var refRe = regexp.MustCompile(`Reference: <code>([^<]+)</code>`)

// wantSecurity is the header set every response carries, 500s included.
var wantSecurity = map[string]string{
	"Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; " +
		"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
	"Strict-Transport-Security":    "max-age=63072000; includeSubDomains",
	"X-Content-Type-Options":       "nosniff",
	"X-Frame-Options":              "DENY",
	"Referrer-Policy":              "strict-origin-when-cross-origin",
	"Cross-Origin-Opener-Policy":   "same-origin",
	"Cross-Origin-Resource-Policy": "same-origin",
}

// checkPanicPage fails unless w is the generic 500 page, and returns the
// request id it shows.
func checkPanicPage(t *testing.T, w *httptest.ResponseRecorder, method string) string {
	t.Helper()
	if w.Code != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500; body starts %q", w.Code, w.Body.String()[:min(200, w.Body.Len())])
	}
	for k, v := range wantSecurity {
		if got := w.Header().Values(k); len(got) != 1 || got[0] != v {
			t.Errorf("%s = %q, want [%q]", k, got, v)
		}
	}
	if pp := w.Header().Get("Permissions-Policy"); !strings.Contains(pp, "camera=()") {
		t.Errorf("Permissions-Policy %q", pp)
	}
	if ct := w.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q, want text/html; charset=utf-8", ct)
	}
	if cc := w.Header().Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("Cache-Control %q: a 500 must not be cached", cc)
	}
	body := w.Body.String()
	if method == http.MethodHead {
		return ""
	}
	for _, s := range []string{"panic-canary", "hunter2", "goroutine", "runtime/debug", ".go:", "panic_internal_test", "assignment to entry in nil map", "runtime error"} {
		if strings.Contains(body, s) {
			t.Errorf("the 500 page shows %q", s)
		}
	}
	if !strings.Contains(body, "site-header") || !strings.Contains(body, "<h1>") {
		t.Errorf("the 500 page is not in the site layout")
	}
	m := refRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the 500 page shows no request id (Reference: <code>…</code>)")
	}
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-z]+$`).MatchString(m[1]) {
		t.Errorf("request id %q has an unexpected form", m[1])
	}
	return m[1]
}

// TestPanicRecovered: a panic is a 500 page with the request id, never the
// panic or its stack; the log has both; the next request is served.
func TestPanicRecovered(t *testing.T) {
	for _, tc := range []struct{ method, path string }{
		{http.MethodGet, "/test-panic"},
		{http.MethodHead, "/test-panic"},
		{http.MethodGet, "/test-panic-error"},
		{http.MethodGet, "/test-panic-nil-map"},
		{http.MethodPost, "/test-panic"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			h, logs := panicking(t)
			r := httptest.NewRequest(tc.method, tc.path, strings.NewReader("a=1"))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			id := checkPanicPage(t, w, tc.method)

			out := logs.String()
			if !strings.Contains(out, "level=ERROR") || !strings.Contains(out, "msg=panic") {
				t.Errorf("no panic at level ERROR in the log:\n%s", out)
			}
			for _, want := range []string{"goroutine ", "recover_test.go", "stack="} {
				if !strings.Contains(out, want) {
					t.Errorf("the log has no %q (the stack):\n%s", want, out)
				}
			}
			if !strings.Contains(out, "panic-canary") && !strings.Contains(out, "nil map") {
				t.Errorf("the log does not say what panicked:\n%s", out)
			}
			if id != "" && !strings.Contains(out, "request_id="+id) {
				t.Errorf("the log does not name request id %s:\n%s", id, out)
			}
			if !regexp.MustCompile(`msg=request .*status=500`).MatchString(out) {
				t.Errorf("the access log has no line with status 500:\n%s", out)
			}

			// The server goes on.
			for _, p := range []string{"/", "/healthz", panicSite.Published(time.Now()).Guides[0].URL()} {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, p, nil))
				if w.Code != http.StatusOK {
					t.Errorf("GET %s after the panic: status %d", p, w.Code)
				}
			}
		})
	}
}

// TestPanicRequestIDs: concurrent panics each get their own id, each in the
// log next to its stack.
func TestPanicRequestIDs(t *testing.T) {
	h, logs := panicking(t)
	const n = 50
	ids := make(chan string, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/test-panic", nil))
			m := refRe.FindStringSubmatch(w.Body.String())
			if w.Code != http.StatusInternalServerError || m == nil {
				ids <- ""
				return
			}
			ids <- m[1]
		})
	}
	wg.Wait()
	close(ids)
	seen := map[string]bool{}
	out := logs.String()
	for id := range ids {
		if id == "" {
			t.Error("a panic without a 500 page and request id")
			continue
		}
		if seen[id] {
			t.Errorf("request id %s given twice", id)
		}
		seen[id] = true
		if !strings.Contains(out, "msg=panic request_id="+id) {
			t.Errorf("no panic log line for %s", id)
		}
	}
}

// TestPanicAbortHandler: http.ErrAbortHandler is how a handler asks
// net/http to drop the connection; recovery must pass it on.
func TestPanicAbortHandler(t *testing.T) {
	h, logs := panicking(t)
	func() {
		defer func() {
			if v := recover(); v != http.ErrAbortHandler {
				t.Errorf("recovered %v, want http.ErrAbortHandler re-panicked", v)
			}
		}()
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/test-abort", nil))
	}()
	if strings.Contains(logs.String(), "msg=panic") {
		t.Errorf("an abort was logged as a panic:\n%s", logs.String())
	}

	// recoverPanic on its own.
	func() {
		defer func() {
			if v := recover(); v != http.ErrAbortHandler {
				t.Errorf("recoverPanic: recovered %v, want http.ErrAbortHandler", v)
			}
		}()
		h.recoverPanic(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) })).
			ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	}()

	// A wrapped ErrAbortHandler is an ordinary panic.
	w := httptest.NewRecorder()
	h.recoverPanic(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic(fmt.Errorf("wrapped: %w", http.ErrAbortHandler))
	})).ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
	if w.Code != http.StatusInternalServerError {
		t.Errorf("a wrapped ErrAbortHandler: status %d, want 500", w.Code)
	}
}

// TestPanicRealServer: over a real connection, a panic is a 500 and an
// abort drops the connection; the server serves on after both.
func TestPanicRealServer(t *testing.T) {
	h, _ := panicking(t)
	var serverLog lockedBuffer
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(&serverLog, "", 0)
	srv.Start()
	defer srv.Close()

	resp, err := srv.Client().Get(srv.URL + "/test-panic")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError || strings.Contains(string(b), "panic-canary") {
		t.Errorf("GET /test-panic: status %d, body shows the panic: %v", resp.StatusCode, strings.Contains(string(b), "panic-canary"))
	}
	if _, err := srv.Client().Get(srv.URL + "/test-abort"); err == nil {
		t.Errorf("GET /test-abort: a response, want the connection dropped")
	}
	if strings.Contains(serverLog.String(), "panic") {
		t.Errorf("net/http logged a panic (the recovery let one through):\n%s", serverLog.String())
	}
	resp, err = srv.Client().Get(srv.URL + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /healthz after the panics: %v %v", resp, err)
	}
	resp.Body.Close()
}
