package server

import (
	_ "embed"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pmvspo/site/build"
	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/views"
)

// The live preview for editors (Options.Preview): every page carries a
// small script from this origin that listens on /_preview/events and
// reloads the tab when the site has been rebuilt; a failed rebuild makes
// every HTML page an error page listing the content's defects, until the
// next good build. Nothing is cached: an editor must never see an old page.

// PreviewScript is the path of the preview's reload script.
const PreviewScript = build.PreviewScript

//go:embed preview.js
var previewJS []byte

// preview is the state of the live preview: which build the tabs should
// show and, when the last rebuild failed, why.
type preview struct {
	mu      sync.Mutex
	gen     uint64
	failure error
	changed chan struct{} // closed at the next change
	stop    chan struct{} // closed when the server drains
	once    sync.Once
	script  *build.Resource
}

func newPreview() *preview {
	return &preview{changed: make(chan struct{}), stop: make(chan struct{}),
		script: build.PlainResource(previewJS, "text/javascript; charset=utf-8", build.CachePrivate)}
}

// set records build gen (and its failure, if any) and wakes every listener.
func (p *preview) set(gen uint64, failure error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.gen, p.failure = gen, failure
	close(p.changed)
	p.changed = make(chan struct{})
}

func (p *preview) state() (gen uint64, changed <-chan struct{}, failure error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.gen, p.changed, p.failure
}

// Failed records that rebuild gen of the content failed with err. In
// preview, every HTML page then shows err until the next Swap; outside
// preview the last good snapshot simply goes on serving.
func (s *Server) Failed(gen uint64, err error) {
	if s.preview != nil {
		s.preview.set(gen, err)
	}
}

// events streams the current build number (Server-Sent Events) to the
// preview script, then each new one as it happens.
func (p *preview) events(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // the stream outlives the server's WriteTimeout
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	for {
		gen, changed, _ := p.state()
		if _, err := w.Write([]byte("retry: 500\ndata: " + strconv.FormatUint(gen, 10) + "\n\n")); err != nil {
			return
		}
		if rc.Flush() != nil {
			return
		}
		select {
		case <-changed:
		case <-r.Context().Done():
			return
		case <-p.stop:
			return
		}
	}
}

// servePreview answers the preview's own routes and, after a failed
// rebuild, every HTML page. It reports whether it answered.
func (s *Server) servePreview(w http.ResponseWriter, r *http.Request, snap *build.Snapshot) bool {
	p := s.preview
	switch r.URL.Path {
	case "/_preview/events":
		p.events(w, r)
		return true
	case PreviewScript:
		p.script.Serve(w, r, http.StatusOK)
		return true
	}
	gen, _, failure := p.state()
	if failure == nil || (r.Method != http.MethodGet && r.Method != http.MethodHead) || !htmlPath(snap, r.URL.Path) {
		return false
	}
	m := views.Meta{Title: "The content has errors", NoIndex: true, Assets: snap.Assets}
	m.Assets.Build = strconv.FormatUint(gen, 10)
	page := views.PreviewErrorPage(m, previewErrors(failure))
	b, err := build.Render(r.Context(), page)
	if err != nil {
		s.serveError(w, r, err)
		return true
	}
	build.PlainResource(b, build.HTMLType, build.CachePrivate).Serve(w, r, http.StatusInternalServerError)
	return true
}

// htmlPath reports whether path would answer with a page (or the 404
// page), rather than a file, an image, an asset or a health check.
func htmlPath(snap *build.Snapshot, path string) bool {
	switch {
	case snap.File(path) != nil, snap.Static(path) != nil, snap.HasImage(path),
		path == "/healthz", path == "/readyz", strings.HasPrefix(path, "/_preview/"):
		return false
	}
	return true
}

// previewErrors lists a failed build's defects, one file:line: message each.
func previewErrors(err error) []string {
	if es, ok := content.AsErrors(err); ok {
		out := make([]string, len(es))
		for i, e := range es {
			out[i] = e.Error()
		}
		return out
	}
	return strings.Split(err.Error(), "\n")
}

// noStore keeps every preview response out of every cache, and answers no
// conditional request with 304: an edited page must show at once. Static
// assets are the exception: their names are content hashes, so a cached
// one is never stale, and a reload need not fetch them again.
func noStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/static/") {
			next.ServeHTTP(w, r)
			return
		}
		r.Header.Del("If-None-Match")
		next.ServeHTTP(&noStoreWriter{ResponseWriter: w}, r)
	})
}

type noStoreWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *noStoreWriter) WriteHeader(code int) {
	if !w.wrote {
		w.wrote = true
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Del("Etag")
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *noStoreWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

func (w *noStoreWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
