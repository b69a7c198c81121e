package handlers

import (
	"errors"
	"net/http"

	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/views"
)

// httpError is an error with what the reader should see: a status and plain
// words. The cause is logged for 5xx and never shown.
type httpError struct {
	status  int
	heading string
	message string
	cause   error
	// assessment, when set, makes the page offer to take it again.
	assessment *content.Assessment
}

func (e *httpError) Error() string {
	if e.cause != nil {
		return e.heading + ": " + e.cause.Error()
	}
	return e.heading
}

// handle adapts a handler that returns an error: the error becomes a
// rendered error page with the right status.
func (s *server) handle(fn func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.serveError(w, r, err)
		}
	}
}

func (s *server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	var he *httpError
	if !errors.As(err, &he) {
		he = &httpError{status: http.StatusInternalServerError, heading: "Something went wrong on our side",
			message: "The error has been logged. Please try again in a moment.", cause: err}
	}
	id := ""
	if he.status >= 500 {
		id = requestIDOf(w)
		s.log.Error("server error", "request_id", id, "path", r.URL.Path, "err", err)
	}
	m := views.Meta{Title: he.heading, NoIndex: true, Assets: s.assets}
	page := views.ErrorPage(m, s.site.Guides, he.status, he.heading, he.message, id)
	if he.assessment != nil {
		page = views.AssessmentErrorPage(m, s.site, he.assessment, he.heading, he.message)
	}
	b, rerr := render(r.Context(), page)
	if rerr != nil {
		s.log.Error("rendering error page", "err", rerr)
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	plainResource(b, htmlType, cachePrivate).serve(w, r, he.status)
}
