package server

import (
	"net/http"
	"time"

	"github.com/go-chi/httprate"
)

// defaultSubmitsPerMinute is generous for a person and tight for a script.
const defaultSubmitsPerMinute = 30

// newLimiter builds the per-client limit on submissions and result pages.
// The key is the client address (clientAddrs): the TCP peer, or the address
// a trusted proxy reports; never a header the client controls. It is made once per
// server, so a rebuild of the site does not reset anyone's count.
func (s *Server) newLimiter(opts Options) (func(http.Handler) http.Handler, error) {
	perMinute := opts.SubmitsPerMinute
	if perMinute <= 0 {
		perMinute = defaultSubmitsPerMinute
	}
	limit := httprate.LimitBy(perMinute, time.Minute,
		func(r *http.Request) (string, error) { return s.clients.of(r), nil },
		httprate.WithLimitHandler(func(w http.ResponseWriter, r *http.Request) {
			s.metrics.RateLimited()
			s.serveError(w, r, &Error{Status: http.StatusTooManyRequests, Heading: "Too many requests",
				Message: "You have sent a lot of answers in a short time. Please wait a minute and try again; your answers are not lost if you go back."})
		}),
	)
	return limit, nil
}
