package handlers

import (
	"net/http"
	"strings"
)

// contentSecurityPolicy allows only this origin's own files: no inline
// script or style anywhere, which also keeps pre-rendered pages cacheable
// (no per-request nonces).
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// permissionsPolicy turns off powerful features the site never uses.
const permissionsPolicy = "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), " +
	"fullscreen=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), " +
	"picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), sync-xhr=(), usb=(), " +
	"xr-spatial-tracking=(), browsing-topics=()"

// securityHeaders are set on every response, errors included.
var securityHeaders = [][2]string{
	{"Content-Security-Policy", contentSecurityPolicy},
	{"Strict-Transport-Security", "max-age=63072000; includeSubDomains"},
	{"X-Content-Type-Options", "nosniff"},
	{"X-Frame-Options", "DENY"},
	{"Referrer-Policy", "strict-origin-when-cross-origin"},
	{"Cross-Origin-Opener-Policy", "same-origin"},
	{"Cross-Origin-Resource-Policy", "same-origin"},
	{"Permissions-Policy", permissionsPolicy},
}

// secureHeaders sets the security headers before anything else runs, so
// that every status, including 404, 405, 429 and panics, carries them. It
// also refuses TRACE outright: there is nothing to debug from outside.
func secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for _, kv := range securityHeaders {
			h[kv[0]] = []string{kv[1]}
		}
		next.ServeHTTP(&charsetWriter{ResponseWriter: w}, r)
	})
}

// charsetWriter makes sure every text response names its charset, even one
// written by code that is not ours (a library's default handler).
type charsetWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *charsetWriter) WriteHeader(code int) {
	if !w.wrote {
		w.wrote = true
		h := w.Header()
		if ct := h.Get("Content-Type"); strings.HasPrefix(ct, "text/") && !strings.Contains(ct, "charset") {
			h.Set("Content-Type", ct+"; charset=utf-8")
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *charsetWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", http.DetectContentType(b))
		}
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

func (w *charsetWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
