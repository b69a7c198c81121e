package server

import (
	"net/http"
	"runtime/debug"
)

// recoverPanic turns a panic into a generic 500 page with the request id,
// logs the stack, and lets the server go on serving.
func (s *Server) recoverPanic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic", "request_id", requestIDOf(w), "panic", v, "stack", string(debug.Stack()))
			s.serveError(w, r, errInternal)
		}()
		next.ServeHTTP(w, r)
	})
}
