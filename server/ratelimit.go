package server

import (
	"fmt"
	"net/http"
	"net/netip"
	"time"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/httprate"
)

// defaultSubmitsPerMinute is generous for a person and tight for a script.
const defaultSubmitsPerMinute = 30

// newLimiter builds the per-client limit on submissions and result pages.
// The key is the client address: the TCP peer, or the address a trusted
// proxy reports; never a header the client controls. It is made once per
// server, so a rebuild of the site does not reset anyone's count.
func (s *Server) newLimiter(opts Options) (func(http.Handler) http.Handler, error) {
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
			s.serveError(w, r, &Error{Status: http.StatusTooManyRequests, Heading: "Too many requests",
				Message: "You have sent a lot of answers in a short time. Please wait a minute and try again; your answers are not lost if you go back."})
		}),
	)
	// Only rate-limited routes need the client address, so only they pay
	// for working it out.
	return func(next http.Handler) http.Handler { return clientIP(limit(next)) }, nil
}
