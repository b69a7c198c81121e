package server

import (
	"net/http"

	"github.com/pmvspo/site/build"
)

// staticMissing answers a path under /static/ that no asset has, typically
// an old content hash asked for during a rolling deploy. The 404 is
// no-store: a CDN that kept it would serve pages without their styles until
// it expired, even once every replica has the new assets.
func staticMissing(snap *build.Snapshot) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		snap.NotFound.Serve(noStore{w}, r, http.StatusNotFound)
	})
}

// noStore overrides the Cache-Control a resource sets, as its headers are
// written.
type noStore struct{ http.ResponseWriter }

func (w noStore) WriteHeader(code int) {
	w.Header().Set("Cache-Control", "no-store")
	w.ResponseWriter.WriteHeader(code)
}

func (w noStore) Write(b []byte) (int, error) { return w.ResponseWriter.Write(b) }

func (w noStore) Unwrap() http.ResponseWriter { return w.ResponseWriter }
