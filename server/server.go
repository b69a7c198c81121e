// Package server serves a build.Snapshot over HTTP. It holds the current
// snapshot behind an atomic pointer, so a rebuilt site is swapped in
// between two requests (Swap) while everything that must outlive a build
// stays here: the middleware chain, the per-client limiter, readiness, and
// whatever state the features keep.
//
// A request goes through the middleware (security headers, access log,
// panic recovery, canonical paths; one file each), then the router of the
// current snapshot: chi for the fixed routes (static assets, health, the
// routes features register) and, for everything else, a lookup in the
// snapshot's page, file and image maps.
//
// Features are packages that add routes of their own, such as assess
// (self-assessments). A feature is a Feature function, passed in
// Options.Features; see Feature for how to write one.
package server

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/go-chi/chi/v5"

	"github.com/pmvspo/site/accesslog"
	"github.com/pmvspo/site/build"
	"github.com/pmvspo/site/metrics"
)

// Feature adds a feature's routes for one snapshot. The server calls every
// feature once per snapshot, at New and at each Swap, with a fresh router:
// routes may therefore depend on the content (one route per assessment,
// say). Keep state that must survive a rebuild (a store, a cache, a queue)
// in the value whose method you pass, not in the routes:
//
//	type Feature struct{ store Store }
//	func (f *Feature) Routes(r chi.Router, d server.Deps) { r.Post("/subscribe", d.Handle(f.subscribe)) }
//	...
//	server.New(snap, server.Options{Features: []server.Feature{assess.Routes, f.Routes}})
//
// Handlers return errors through d.Handle (a *server.Error becomes a page
// with its status), render per-request pages with WritePage and register
// GET routes with Get (which adds HEAD). Paths a feature registers take
// precedence over the snapshot's pages.
type Feature func(r chi.Router, d Deps)

// Deps is what a feature's routes may use.
type Deps struct {
	// Snapshot is the snapshot these routes serve; it never changes.
	Snapshot *build.Snapshot
	Log      *slog.Logger
	// Limit is the per-client rate limit on expensive or abusable routes
	// (form submissions; never reads such as result pages); one limit shared by every feature
	// and every snapshot.
	Limit func(http.Handler) http.Handler
	// SameOrigin refuses cross-origin form posts with a 403 page before
	// they are counted against anyone's limit.
	SameOrigin func(http.Handler) http.Handler
	// Handle turns a handler returning an error into one rendering the
	// error page (see Error).
	Handle func(func(http.ResponseWriter, *http.Request) error) http.HandlerFunc
	// Metrics counts what the feature does (result-cache hits, say).
	Metrics metrics.Recorder
}

// Options configure New.
type Options struct {
	// Logger receives errors, warnings and the features' lines; nil
	// discards them.
	Logger *slog.Logger
	// AccessLog receives one line per request; nil writes none.
	AccessLog *accesslog.Logger
	// TrustedProxies are the CIDR prefixes of proxies whose X-Forwarded-For
	// may name the client. Empty means the TCP peer is the client, so a
	// forged header can never change whose rate limit a request counts against.
	TrustedProxies []string
	// SubmitsPerMinute limits form submissions per client;
	// zero means the default.
	SubmitsPerMinute int
	// Features add their routes to every snapshot.
	Features []Feature
	// Metrics receives what the server counts; nil means metrics.Discard.
	Metrics metrics.Recorder
	// Preview serves the live preview for editors (see preview.go); the
	// snapshots must be built with build.Options.Preview.
	Preview bool
}

// Server is the whole web site as an http.Handler.
type Server struct {
	log      *slog.Logger
	access   *accesslog.Logger
	features []Feature
	limit    func(http.Handler) http.Handler
	same     func(http.Handler) http.Handler
	clients  clientAddrs
	metrics  metrics.Recorder
	ready    atomic.Bool
	current  atomic.Pointer[state]
	handler  http.Handler // the middleware chain around dispatch
	preview  *preview     // nil outside preview
}

// state is one snapshot with the router built for it.
type state struct {
	snap *build.Snapshot
	mux  *chi.Mux
	// pages are the snapshot's pages at paths no route of mux claims (for
	// any method): the pages most requests are for, served without chi.
	pages map[string]*build.Page
}

// New serves snap.
func New(snap *build.Snapshot, opts Options) (*Server, error) {
	if snap == nil {
		return nil, errors.New("server: no snapshot")
	}
	s := &Server{log: opts.Logger, features: opts.Features}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.access = opts.AccessLog
	s.metrics = opts.Metrics
	if s.metrics == nil {
		s.metrics = metrics.Discard
	}
	var err error
	if s.clients, err = newClientAddrs(opts.TrustedProxies); err != nil {
		return nil, err
	}
	if s.limit, err = s.newLimiter(opts); err != nil {
		return nil, err
	}
	s.same = s.sameOrigin()
	s.ready.Store(true)
	inner := canonicalPath(http.HandlerFunc(s.dispatch))
	if opts.Preview {
		s.preview = newPreview()
		inner = noStore(inner)
	}
	s.handler = secureHeaders(s.accessLog(s.recoverPanic(inner)))
	s.Swap(snap)
	return s, nil
}

// Swap makes snap the snapshot every following request is served from.
// Requests already running finish with the snapshot they started with.
// In preview, open tabs reload.
func (s *Server) Swap(snap *build.Snapshot) {
	s.current.Store(s.router(snap))
	if s.preview != nil {
		s.preview.set(snap.Generation, nil)
	}
}

// Snapshot is the snapshot being served.
func (s *Server) Snapshot() *build.Snapshot { return s.current.Load().snap }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Drain makes /readyz answer 503 so load balancers stop sending traffic,
// while every other route keeps serving until the server shuts down.
func (s *Server) Drain() {
	s.ready.Store(false)
	if s.preview != nil {
		s.preview.once.Do(func() { close(s.preview.stop) }) // end the preview's event streams
	}
}

// dispatch serves a request from the current snapshot: a built page that no
// route claims straight from the snapshot (most requests, and they need
// nothing of chi's), everything else through the snapshot's router.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	st := s.current.Load()
	if s.preview != nil && s.servePreview(w, r, st.snap) {
		return
	}
	if p := st.pages[r.URL.Path]; p != nil && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		p.Body.Serve(w, r, http.StatusOK)
		return
	}
	st.mux.ServeHTTP(w, r)
}

// router builds the routes of one snapshot.
func (s *Server) router(snap *build.Snapshot) *state {
	r := chi.NewRouter()
	r.Use(recordRoute)
	for _, p := range snap.StaticPaths() {
		Get(r, p, resourceHandler(snap.Static(p)))
	}
	Get(r, "/static/*", staticMissing(snap))
	s.routeHealth(r)
	d := Deps{Snapshot: snap, Log: s.log, Limit: s.limit, SameOrigin: s.same, Handle: s.Handle, Metrics: s.metrics}
	for _, f := range s.features {
		f(r, d)
	}
	st := &state{snap: snap, mux: r}
	r.NotFound(func(w http.ResponseWriter, r *http.Request) { s.serveBuilt(w, r, st) })
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) { s.notAllowed(w, r, st) })
	st.pages = unrouted(r, snap.Pages())
	return st
}

// unrouted are the pages at paths that mux has no route for, whatever the
// method: for those, chi would only end up in serveBuilt, which serves them
// exactly as dispatch does (a feature's route at a page's path keeps
// precedence, since that page is left out).
func unrouted(mux *chi.Mux, pages []*build.Page) map[string]*build.Page {
	out := make(map[string]*build.Page, len(pages))
	methods := []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace}
	for _, p := range pages {
		routed := false
		for _, m := range methods {
			if mux.Match(chi.NewRouteContext(), m, p.Meta.Path) {
				routed = true
				break
			}
		}
		if !routed {
			out[p.Meta.Path] = p
		}
	}
	return out
}

// serveBuilt serves what the snapshot built for a path: a page, a file
// (sitemap, robots.txt, feed) or a share image; else the 404 page.
func (s *Server) serveBuilt(w http.ResponseWriter, r *http.Request, st *state) {
	if !built(st.snap, r.URL.Path) {
		st.snap.NotFound.Serve(w, r, http.StatusNotFound)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		s.notAllowed(w, r, st)
		return
	}
	path := r.URL.Path
	if rd := st.snap.Redirect(path); rd != nil {
		serveRedirect(w, r, rd)
		return
	}
	if p := st.snap.Page(path); p != nil {
		p.Body.Serve(w, r, http.StatusOK)
		return
	}
	if f := st.snap.File(path); f != nil {
		f.Serve(w, r, http.StatusOK)
		return
	}
	if _, err := st.snap.ServeImage(w, r, path); err != nil {
		panic(err) // recoverPanic logs it and answers 500
	}
}

// built reports whether the snapshot has a page, file, image or redirect at path.
func built(snap *build.Snapshot, path string) bool {
	return snap.Page(path) != nil || snap.File(path) != nil || snap.HasImage(path) || snap.Redirect(path) != nil
}

// serveRedirect answers an old path of a page (an alias) with a 301 to its
// current path, keeping the query; the browser keeps the #fragment.
func serveRedirect(w http.ResponseWriter, r *http.Request, rd *build.Redirect) {
	u := url.URL{Path: rd.To, RawQuery: r.URL.RawQuery}
	w.Header().Set("Cache-Control", build.CacheRedirect)
	http.Redirect(w, r, u.String(), http.StatusMovedPermanently)
}

// notAllowed answers a method a path does not accept: 405 with the methods
// it does accept, or 404 when it accepts none (chi sends methods it does
// not know here without looking the path up).
func (s *Server) notAllowed(w http.ResponseWriter, r *http.Request, st *state) {
	allow := allowed(st, r.URL.Path)
	if allow == "" {
		st.snap.NotFound.Serve(w, r, http.StatusNotFound)
		return
	}
	w.Header().Set("Allow", allow)
	st.snap.NotAllowed.Serve(w, r, http.StatusMethodNotAllowed)
}

// allowed lists the methods a path answers, for the Allow header of a 405.
func allowed(st *state, path string) string {
	var out []string
	isBuilt := built(st.snap, path)
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost} {
		if st.mux.Match(chi.NewRouteContext(), m, path) || (isBuilt && m != http.MethodPost) {
			out = append(out, m)
		}
	}
	return strings.Join(out, ", ")
}

// sameOrigin refuses cross-origin posts with a page saying why.
func (s *Server) sameOrigin() func(http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.serveError(w, r, &Error{Status: http.StatusForbidden, Heading: "Submission refused",
			Message: "This form can only be sent from this site's own pages. If you followed a link or a form from elsewhere, open the page here and send it directly."})
	}))
	return cop.Handler
}

// Get routes GET and HEAD to h (net/http drops the body of HEAD responses).
func Get(r chi.Router, path string, h http.Handler) {
	r.Method(http.MethodGet, path, h)
	r.Method(http.MethodHead, path, h)
}

func resourceHandler(res *build.Resource) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { res.Serve(w, r, http.StatusOK) })
}
