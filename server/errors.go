package server

import (
	"errors"
	"net/http"

	"github.com/a-h/templ"

	"github.com/pmvspo/site/build"
	"github.com/pmvspo/site/views"
)

// Error is an error with what the reader should see: a status and plain
// words. The cause is logged for 5xx and never shown. Handlers of features
// return one (through Handle) instead of writing an error response
// themselves, so every error page looks and behaves the same.
type Error struct {
	Status  int
	Heading string
	Message string
	Cause   error
	// Page, when set, draws the error page instead of the generic one, for a
	// feature whose error page offers its own way on (such as taking an
	// assessment again). It gets the page's Meta and the error.
	Page func(m views.Meta, e *Error) templ.Component
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return e.Heading + ": " + e.Cause.Error()
	}
	return e.Heading
}

func (e *Error) Unwrap() error { return e.Cause }

// errInternal is what a reader sees of a bug.
var errInternal = &Error{Status: http.StatusInternalServerError, Heading: "Something went wrong on our side",
	Message: "The error has been logged. Please try again in a moment."}

// Handle adapts a handler that returns an error: the error becomes a
// rendered error page with the right status. Any error that is not an
// *Error is a 500 whose cause is logged with the request id.
func (s *Server) Handle(fn func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.serveError(w, r, err)
		}
	}
}

func (s *Server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	var he *Error
	if !errors.As(err, &he) {
		he = &Error{Status: errInternal.Status, Heading: errInternal.Heading, Message: errInternal.Message, Cause: err}
	}
	id := ""
	if he.Status >= 500 {
		id = requestIDOf(w)
		s.log.Error("server error", "request_id", id, "path", r.URL.Path, "err", err)
	}
	snap := s.Snapshot()
	m := views.Meta{Title: he.Heading, NoIndex: true, Assets: snap.Assets}
	page := views.ErrorPage(m, snap.Site.Guides, he.Status, he.Heading, he.Message, id)
	if he.Page != nil {
		page = he.Page(m, he)
	}
	b, rerr := build.Render(r.Context(), page)
	if rerr != nil {
		s.log.Error("rendering error page", "err", rerr)
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	build.PlainResource(b, build.HTMLType, build.CachePrivate).Serve(w, r, he.Status)
}

// WritePage renders a page built for this request and writes it with a
// status. Such pages are private (they hold a reader's answers) and kept
// out of search engines.
func WritePage(w http.ResponseWriter, r *http.Request, status int, c templ.Component) error {
	b, err := build.Render(r.Context(), c)
	if err != nil {
		return err
	}
	w.Header().Set("X-Robots-Tag", "noindex")
	cc := build.CachePrivateResult
	if status != http.StatusOK {
		cc = build.CachePrivate
	}
	build.PlainResource(b, build.HTMLType, cc).Serve(w, r, status)
	return nil
}
