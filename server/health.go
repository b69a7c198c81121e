package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

// routeHealth adds /healthz (the process is alive) and /readyz (it wants
// traffic; 503 once shutdown begins). Neither is rate limited.
func (s *Server) routeHealth(r chi.Router) {
	text := func(w http.ResponseWriter, status int, body string) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
	Get(r, "/healthz", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { text(w, http.StatusOK, "ok\n") }))
	Get(r, "/readyz", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.ready.Load() {
			text(w, http.StatusServiceUnavailable, "shutting down\n")
			return
		}
		text(w, http.StatusOK, "ready\n")
	}))
}
