package server_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestHealthz: the health check answers plainly.
func TestHealthz(t *testing.T) {
	w := get(t, "/healthz")
	wantStatus(t, w, "GET /healthz", http.StatusOK)
	if !strings.Contains(w.Body.String(), "ok") {
		t.Errorf("/healthz body %q", w.Body.String())
	}
	if cc := w.Header().Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("/healthz Cache-Control %q: a health check must not be cached", cc)
	}
}
