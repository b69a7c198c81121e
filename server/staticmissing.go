package server

import (
	"net/http"

	"github.com/pmvspo/site/build"
)

// staticMissing answers a path under /static/ that no asset has, typically
// an old content hash asked for during a rolling deploy. The 404 is
// no-store (noStoreWriter, from preview.go): a CDN that kept it would serve
// pages without their styles until it expired, even once every replica has
// the new assets.
func staticMissing(snap *build.Snapshot) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		snap.NotFound.Serve(&noStoreWriter{ResponseWriter: w}, r, http.StatusNotFound)
	})
}
