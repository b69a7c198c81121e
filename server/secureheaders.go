package server

import (
	"net/http"
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

// securityHeaders are set on every response, errors included. The value
// slices are built once and shared (len == cap, so nothing can append to them
// in place).
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

// securityHeaderValues are securityHeaders with canonical names and their
// values as header slices, in a slice: cheaper to walk than a map.
var securityHeaderValues = func() []headerValues {
	out := make([]headerValues, len(securityHeaders))
	for i, kv := range securityHeaders {
		out[i] = headerValues{http.CanonicalHeaderKey(kv[0]), []string{kv[1]}}
	}
	return out
}()

type headerValues struct {
	name   string
	values []string
}

// secureHeaders sets the security headers before anything else runs, so
// that every status, including 404, 405, 429 and panics, carries them.
// Every response of ours names its charset itself (the tests check each
// route and status), so no wrapper is needed for that.
func secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for _, hv := range securityHeaderValues {
			h[hv.name] = hv.values
		}
		next.ServeHTTP(w, r)
	})
}
