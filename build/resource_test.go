package build

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/andybalholm/brotli"
)

func serve(res *Resource, accept string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	if accept != "" {
		r.Header.Set("Accept-Encoding", accept)
	}
	w := httptest.NewRecorder()
	res.Serve(w, r, http.StatusOK)
	return w
}

// TestResourceNeverWaits: before compression a resource is served as
// identity, then as gzip, then as brotli; an identity client is served the
// same bytes throughout, even after the identity copy is dropped.
func TestResourceNeverWaits(t *testing.T) {
	body := []byte(strings.Repeat("<p>A paragraph of a page, repeated to make it worth compressing.</p>\n", 200))
	res := NewResource(body, HTMLType, CachePage)

	check := func(stage, accept, wantEnc string) {
		t.Helper()
		w := serve(res, accept)
		if got := w.Header().Get("Content-Encoding"); got != wantEnc {
			t.Errorf("%s, Accept-Encoding %q: Content-Encoding %q, want %q", stage, accept, got, wantEnc)
		}
		if w.Header().Get("Vary") != "Accept-Encoding" {
			t.Errorf("%s: no Vary", stage)
		}
		if cl := w.Header().Get("Content-Length"); cl != strconv.Itoa(w.Body.Len()) {
			t.Errorf("%s, %q: Content-Length %s for %d bytes", stage, accept, cl, w.Body.Len())
		}
		if wantEnc == "" && !bytes.Equal(w.Body.Bytes(), body) {
			t.Errorf("%s, %q: the identity body differs", stage, accept)
		}
	}
	check("before compression", "br, gzip", "")
	res.gzipNow()
	check("after gzip", "br, gzip", "gzip")
	if res.identity.Load() != nil {
		t.Error("the identity copy of a large body is kept after gzip")
	}
	check("after gzip", "", "")
	res.brotliNow()
	check("after brotli", "br, gzip", "br")
	check("after brotli", "gzip", "gzip")
	check("after brotli", "identity", "")

	etag := serve(res, "").Header().Get("Etag")
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("If-None-Match", etag)
	w := httptest.NewRecorder()
	res.Serve(w, r, http.StatusOK)
	if w.Code != http.StatusNotModified {
		t.Errorf("identity revalidation with %s: %d, want 304", etag, w.Code)
	}
}

// TestLazyResourceMadeOnce: a lazy resource (a guide's PDF) is made on its
// first request only, however many requests come at once, and each gets
// the whole body with its ETag; a failure reaches every request, not once.
func TestLazyResourceMadeOnce(t *testing.T) {
	body := []byte("%PDF-1.4 a small document")
	var made atomic.Int32
	res := LazyResource(func() (*Resource, error) {
		made.Add(1)
		return PlainResource(body, PDFType, CachePage), nil
	})
	if made.Load() != 0 {
		t.Fatal("the resource was made before anyone asked for it")
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			w := serve(res, "br, gzip")
			if w.Code != http.StatusOK || !bytes.Equal(w.Body.Bytes(), body) || w.Header().Get("Etag") == "" {
				t.Errorf("a request got %d %q (ETag %q), want 200 with the body and an ETag", w.Code, w.Body.Bytes(), w.Header().Get("Etag"))
			}
		})
	}
	wg.Wait()
	if n := made.Load(); n != 1 {
		t.Errorf("made %d times for 8 requests, want once", n)
	}

	failing := LazyResource(func() (*Resource, error) { return nil, errors.New("no fonts") })
	for i := range 2 {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("request %d: a failed resource was served without an error", i+1)
				}
			}()
			serve(failing, "")
		}()
	}
}

// TestEncodingsDecodeToTheBody: compressors are reused from page to page,
// so every gzip and brotli body must still decode to its own page, never
// to a mix with the one compressed before it.
func TestEncodingsDecodeToTheBody(t *testing.T) {
	var bodies [][]byte
	for i := range 24 {
		// Sizes on both sides of window boundaries, each body its own text.
		n := 600 << (i % 8)
		var b bytes.Buffer
		for b.Len() < n {
			fmt.Fprintf(&b, "<p>page %d, paragraph %d: %s</p>\n", i, b.Len(), strings.Repeat(strconv.Itoa(i), i%5+1))
		}
		bodies = append(bodies, b.Bytes())
	}
	res := make([]*Resource, len(bodies))
	for i, b := range bodies {
		res[i] = NewResource(b, HTMLType, CachePage)
	}
	done := make(chan struct{})
	warm(res, done)
	<-done
	for i, r := range res {
		for _, enc := range []string{"br", "gzip", ""} {
			w := serve(r, enc)
			var rd io.Reader = w.Body
			switch got := w.Header().Get("Content-Encoding"); {
			case got != enc:
				t.Fatalf("page %d, Accept-Encoding %q: Content-Encoding %q", i, enc, got)
			case enc == "br":
				rd = brotli.NewReader(w.Body)
			case enc == "gzip":
				zr, err := gzip.NewReader(w.Body)
				if err != nil {
					t.Fatalf("page %d: %v", i, err)
				}
				rd = zr
			}
			got, err := io.ReadAll(rd)
			if err != nil || !bytes.Equal(got, bodies[i]) {
				t.Fatalf("page %d, %q: decodes to %d bytes (err %v), want its own %d", i, enc, len(got), err, len(bodies[i]))
			}
		}
	}
}
