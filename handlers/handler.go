// Package handlers turns the content model into an HTTP site: routing,
// caching, compression, forms and error pages. Every page that does not
// depend on the request is rendered and compressed once, in NewHandler.
package handlers

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/httprate"

	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/static"
	"github.com/pmvspo/site/views"
)

// Options configure NewHandler.
type Options struct {
	// Logger receives access lines and errors; nil discards them.
	Logger *slog.Logger
	// BaseURL is the public origin, such as https://example.com, used for
	// canonical URLs, link previews, the sitemap and share links. Empty means
	// DefaultBaseURL.
	BaseURL string
	// TrustedProxies are the CIDR prefixes of proxies whose X-Forwarded-For
	// may name the client. Empty means the TCP peer is the client, so a
	// forged header can never change whose rate limit a request counts against.
	TrustedProxies []string
	// SubmitsPerMinute limits form submissions and result pages per client;
	// zero means the default.
	SubmitsPerMinute int
	// NoWarm leaves compression to the first request of each page instead of
	// starting it in the background; benchmarks of start-up use it.
	NoWarm bool
}

// DefaultBaseURL is the origin used for canonical and share links when none is configured.
const DefaultBaseURL = "http://localhost:8080"

// defaultSubmitsPerMinute is generous for a person and tight for a script.
const defaultSubmitsPerMinute = 30

// server is the state behind the handler: the model and everything
// pre-rendered from it.
type server struct {
	site     *content.Site
	log      *slog.Logger
	assets   views.Assets
	router   *chi.Mux
	notFound *resource
	notAllow *resource
	ready    atomic.Bool
	baseURL  string
	limit    func(http.Handler) http.Handler
}

const htmlType = "text/html; charset=utf-8"

// NewHandler builds the whole site. Tests call it too, so they exercise the
// real routes, middleware and pages.
func NewHandler(site *content.Site, opts Options) (*Site, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &server{site: site, log: log, baseURL: strings.TrimSuffix(opts.BaseURL, "/")}
	if s.baseURL == "" {
		s.baseURL = DefaultBaseURL
	}
	s.ready.Store(true)
	r := chi.NewRouter()
	s.router = r
	r.Use(secureHeaders, s.accessLog, s.recoverPanic, canonicalPath)
	var err error
	if s.limit, err = s.newLimiter(opts); err != nil {
		return nil, err
	}

	assets, err := static.Load()
	if err != nil {
		return nil, fmt.Errorf("loading static assets: %w", err)
	}
	s.assets = views.Assets{CSS: assets["site.css"].URL, JS: assets["site.js"].URL, Icon: assets["icon.svg"].URL, AssessJS: assets["assess.js"].URL}
	for _, a := range assets {
		get(r, a.URL, newResource(a.Body, a.ContentType, cacheImmutable).handler(http.StatusOK))
	}

	pageList := s.pages()
	pages, err := s.renderPages(pageList)
	if err != nil {
		return nil, err
	}
	if err := s.routeFeeds(r, pageList); err != nil {
		return nil, err
	}
	s.routeImages(r)
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.serveError(w, r, &httpError{status: http.StatusForbidden, heading: "Submission refused",
			message: "This form can only be sent from this site's own pages. If you followed a link or a form from elsewhere, open the assessment here and answer it directly."})
	}))
	warmList := make([]*resource, 0, len(pages))
	for _, g := range site.Guides {
		for _, a := range g.Assessments {
			s.routeAssessment(r, a, pages[a.URL()], cop)
			warmList = append(warmList, pages[a.URL()])
			delete(pages, a.URL())
		}
	}
	for path, res := range pages {
		get(r, path, res.handler(http.StatusOK))
		warmList = append(warmList, res)
	}
	if !opts.NoWarm {
		warm(warmList)
	}
	if err := s.routeErrors(r); err != nil {
		return nil, err
	}
	s.routeHealth(r)
	return &Site{Handler: r, s: s}, nil
}

// Site is the whole web site as an http.Handler, with the one control the
// server needs: failing readiness before shutdown.
type Site struct {
	http.Handler
	s *server
}

// Drain makes /readyz answer 503 so load balancers stop sending traffic,
// while every other route keeps serving until the server shuts down.
func (h *Site) Drain() { h.s.ready.Store(false) }

// newLimiter builds the per-client limit on submissions and result pages.
// The key is the client address: the TCP peer, or the address a trusted
// proxy reports; never a header the client controls.
func (s *server) newLimiter(opts Options) (func(http.Handler) http.Handler, error) {
	clientIP := middleware.ClientIPFromRemoteAddr
	if len(opts.TrustedProxies) > 0 {
		for _, p := range opts.TrustedProxies {
			if _, err := netip.ParsePrefix(p); err != nil {
				return nil, fmt.Errorf("trusted proxy %q is not a CIDR prefix such as 10.0.0.0/8", p)
			}
		}
		clientIP = middleware.ClientIPFromXFF(opts.TrustedProxies...)
	}
	perMinute := opts.SubmitsPerMinute
	if perMinute <= 0 {
		perMinute = defaultSubmitsPerMinute
	}
	limit := httprate.LimitBy(perMinute, time.Minute,
		func(r *http.Request) (string, error) {
			if ip := middleware.GetClientIP(r.Context()); ip != "" {
				return ip, nil
			}
			return "unknown", nil
		},
		httprate.WithLimitHandler(func(w http.ResponseWriter, r *http.Request) {
			s.serveError(w, r, &httpError{status: http.StatusTooManyRequests, heading: "Too many requests",
				message: "You have sent a lot of answers in a short time. Please wait a minute and try again; your answers are not lost if you go back."})
		}),
	)
	// Only rate-limited routes need the client address, so only they pay
	// for working it out.
	return func(next http.Handler) http.Handler { return clientIP(limit(next)) }, nil
}

// routeErrors renders the 404 and 405 pages once and routes them.
func (s *server) routeErrors(r *chi.Mux) error {
	var err error
	s.notFound, err = s.renderResource(views.ErrorPage(views.Meta{Title: "Page not found", NoIndex: true, Assets: s.assets},
		s.site.Guides, http.StatusNotFound, "We could not find that page",
		"The address may be mistyped, or the page may have moved. These are the guides we have:", ""), "public, max-age=60")
	if err != nil {
		return err
	}
	s.notAllow, err = s.renderResource(views.ErrorPage(views.Meta{Title: "Method not allowed", NoIndex: true, Assets: s.assets},
		s.site.Guides, http.StatusMethodNotAllowed, "This page cannot do that",
		"The page exists, but it does not accept this kind of request. Open it in your browser instead.", ""), cachePrivate)
	if err != nil {
		return err
	}
	r.NotFound(func(w http.ResponseWriter, r *http.Request) { s.notFound.serve(w, r, http.StatusNotFound) })
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		allow := allowed(s.router, r.URL.Path)
		if allow == "" {
			// chi sends methods it does not know here without looking the
			// path up; a path that answers nothing is simply not found.
			s.notFound.serve(w, r, http.StatusNotFound)
			return
		}
		w.Header().Set("Allow", allow)
		s.notAllow.serve(w, r, http.StatusMethodNotAllowed)
	})
	return nil
}

// routeHealth adds /healthz (the process is alive) and /readyz (it wants
// traffic; 503 once shutdown begins). Neither is rate limited.
func (s *server) routeHealth(r chi.Router) {
	text := func(w http.ResponseWriter, status int, body string) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
	get(r, "/healthz", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { text(w, http.StatusOK, "ok\n") }))
	get(r, "/readyz", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.ready.Load() {
			text(w, http.StatusServiceUnavailable, "shutting down\n")
			return
		}
		text(w, http.StatusOK, "ready\n")
	}))
}

// get routes GET and HEAD to h (net/http drops the body of HEAD responses).
func get(r chi.Router, path string, h http.Handler) {
	r.Method(http.MethodGet, path, h)
	r.Method(http.MethodHead, path, h)
}

// allowed lists the methods a path answers, for the Allow header of a 405.
func allowed(mux *chi.Mux, path string) string {
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost} {
		if mux.Match(chi.NewRouteContext(), m, path) {
			out = append(out, m)
		}
	}
	return strings.Join(out, ", ")
}

func (res *resource) handler(status int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { res.serve(w, r, status) })
}

// render renders a component into memory, so a failed render never sends
// half a page.
func render(ctx context.Context, c templ.Component) ([]byte, error) {
	var buf bytes.Buffer
	if err := c.Render(ctx, &buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// renderDynamic renders a page built for this request and writes it with a
// status. Such pages are private: they hold a reader's answers.
func (s *server) renderDynamic(w http.ResponseWriter, r *http.Request, status int, c templ.Component) error {
	b, err := render(r.Context(), c)
	if err != nil {
		return err
	}
	w.Header().Set("X-Robots-Tag", "noindex")
	cc := cachePrivateResult
	if status != http.StatusOK {
		cc = cachePrivate
	}
	plainResource(b, htmlType, cc).serve(w, r, status)
	return nil
}

func (s *server) renderResource(c templ.Component, cacheControl string) (*resource, error) {
	b, err := render(context.Background(), c)
	if err != nil {
		return nil, err
	}
	return newResource(b, htmlType, cacheControl), nil
}
