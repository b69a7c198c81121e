package server_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

// decode undoes the response's Content-Encoding.
func decode(tb testing.TB, w *httptest.ResponseRecorder) []byte {
	tb.Helper()
	var r io.Reader
	switch enc := w.Header().Get("Content-Encoding"); enc {
	case "":
		return w.Body.Bytes()
	case "br":
		r = brotli.NewReader(bytes.NewReader(w.Body.Bytes()))
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(w.Body.Bytes()))
		if err != nil {
			tb.Fatalf("gzip body: %v", err)
		}
		r = zr
	default:
		tb.Fatalf("unexpected Content-Encoding %q", enc)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		tb.Fatalf("decoding %s body: %v", w.Header().Get("Content-Encoding"), err)
	}
	return b
}

// cachedPages are pages that are the same for every reader.
func cachedPages(tb testing.TB) []string {
	g := guide(tb)
	return []string{"/", g.URL(), g.Articles[0].URL(), g.CompareURL(), g.FAQURL(g.FAQ[0].ID), assessment(tb).URL()}
}

func TestETagAndNotModified(t *testing.T) {
	for _, p := range cachedPages(t) {
		for _, enc := range []string{"", "br", "gzip"} {
			t.Run(p+" "+enc, func(t *testing.T) {
				w := get(t, p, "Accept-Encoding", enc)
				wantStatus(t, w, "GET "+p, http.StatusOK)
				etag := w.Header().Get("ETag")
				if etag == "" || !strings.HasPrefix(strings.TrimPrefix(etag, "W/"), `"`) || !strings.HasSuffix(etag, `"`) {
					t.Fatalf("ETag %q is not a quoted entity tag", etag)
				}
				cc := w.Header().Get("Cache-Control")
				if cc == "" {
					t.Errorf("no Cache-Control")
				}
				if strings.Contains(cc, "private") || strings.Contains(cc, "no-store") {
					t.Errorf("a public page has Cache-Control %q", cc)
				}

				for _, inm := range []string{etag, `"other", ` + etag, "W/" + etag, "*"} {
					nm := get(t, p, "Accept-Encoding", enc, "If-None-Match", inm)
					wantStatus(t, nm, "If-None-Match: "+inm, http.StatusNotModified)
					if nm.Body.Len() != 0 {
						t.Errorf("If-None-Match %s: a 304 with a %d-byte body", inm, nm.Body.Len())
					}
					if got := nm.Header().Get("ETag"); got != etag {
						t.Errorf("If-None-Match %s: the 304 has ETag %q, want %q", inm, got, etag)
					}
					if nm.Header().Get("Cache-Control") != cc {
						t.Errorf("If-None-Match %s: the 304 has Cache-Control %q, the 200 %q", inm, nm.Header().Get("Cache-Control"), cc)
					}
				}
				stale := get(t, p, "Accept-Encoding", enc, "If-None-Match", `"stale"`)
				wantStatus(t, stale, "If-None-Match: stale", http.StatusOK)
				if !bytes.Equal(stale.Body.Bytes(), w.Body.Bytes()) {
					t.Errorf("a stale If-None-Match changed the body")
				}
			})
		}
	}
}

// TestETagPerEncoding: a tag names one representation; the brotli tag does
// not validate the identity body, and the other way round.
func TestETagPerEncoding(t *testing.T) {
	p := guide(t).Articles[0].URL()
	id := get(t, p).Header().Get("ETag")
	br := get(t, p, "Accept-Encoding", "br").Header().Get("ETag")
	gz := get(t, p, "Accept-Encoding", "gzip").Header().Get("ETag")
	if id == br || id == gz || br == gz {
		t.Fatalf("ETags are not per encoding: identity %s, br %s, gzip %s", id, br, gz)
	}
	if w := get(t, p, "If-None-Match", br); w.Code != http.StatusOK {
		t.Errorf("identity request with the brotli ETag: status %d, want 200", w.Code)
	}
	if w := get(t, p, "Accept-Encoding", "br", "If-None-Match", id); w.Code != http.StatusOK {
		t.Errorf("brotli request with the identity ETag: status %d, want 200", w.Code)
	}
}

func TestCompression(t *testing.T) {
	tests := []struct {
		accept string
		want   string // Content-Encoding
	}{
		{"", ""},
		{"identity", ""},
		{"br", "br"},
		{"gzip", "gzip"},
		{"x-gzip", "gzip"},
		{"gzip, deflate, br", "br"},
		{"gzip, deflate, br, zstd", "br"},
		{"br;q=0, gzip", "gzip"},
		{"br; q=0, gzip", "gzip"},
		{"br;q=0.0, gzip;q=0.5", "gzip"},
		{"gzip;q=1.0, br;q=0.5", "gzip"},
		{"gzip;q=0.5, br;q=0.9", "br"},
		{"br;q=0", ""},
		{"gzip;q=0, br;q=0", ""},
		{"BR", "br"},
		{"GZip", "gzip"},
		{"*", "br"},
		{"*;q=0", ""},
		{"deflate", ""},
		{"zstd", ""},
	}
	for _, p := range cachedPages(t) {
		ident := get(t, p)
		wantStatus(t, ident, "GET "+p, http.StatusOK)
		for _, tc := range tests {
			t.Run(p+" "+tc.accept, func(t *testing.T) {
				w := get(t, p, "Accept-Encoding", tc.accept)
				wantStatus(t, w, "GET "+p, http.StatusOK)
				if got := w.Header().Get("Content-Encoding"); got != tc.want {
					t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", tc.accept, got, tc.want)
				}
				if !bytes.Equal(decode(t, w), ident.Body.Bytes()) {
					t.Errorf("Accept-Encoding %q: the body does not decode to the identity body", tc.accept)
				}
				if tc.want != "" && w.Body.Len() >= ident.Body.Len() {
					t.Errorf("the %s body (%d bytes) is not smaller than the identity body (%d)", tc.want, w.Body.Len(), ident.Body.Len())
				}
				if cl := w.Header().Get("Content-Length"); cl != "" && cl != strconv.Itoa(w.Body.Len()) {
					t.Errorf("Content-Length %s, body %d bytes", cl, w.Body.Len())
				}
				if !varyHas(w.Header(), "Accept-Encoding") {
					t.Errorf("Vary %q lacks Accept-Encoding", w.Header().Values("Vary"))
				}
				if ct := w.Header().Get("Content-Type"); ct != ident.Header().Get("Content-Type") {
					t.Errorf("Content-Type %q, identity %q", ct, ident.Header().Get("Content-Type"))
				}
			})
		}
	}
}

// TestAcceptEncodingWeightCase: parameter names, q included, are
// case-insensitive (RFC 9110 §5.6.6, §12.4.2), so "br;Q=0" refuses brotli.
func TestAcceptEncodingWeightCase(t *testing.T) {
	p := guide(t).CompareURL()
	for accept, want := range map[string]string{"br;Q=0, gzip": "gzip", "gzip;Q=0": "", "gzip;Q=0.5, br;Q=0.1": "gzip"} {
		w := get(t, p, "Accept-Encoding", accept)
		wantStatus(t, w, "GET "+p, http.StatusOK)
		if got := w.Header().Get("Content-Encoding"); got != want {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", accept, got, want)
		}
	}
}

// TestAcceptEncodingWildcard: "*" stands for the codings the header does
// not name (RFC 9110 §12.5.3), so it never revives one refused by name.
func TestAcceptEncodingWildcard(t *testing.T) {
	p := guide(t).CompareURL()
	for accept, want := range map[string]string{
		"br;q=0, *":           "gzip",
		"*, br;q=0":           "gzip",
		"br;q=0, *;q=0.5":     "gzip",
		"gzip;q=0, *":         "br",
		"*;q=0, gzip":         "gzip",
		"br;q=0, gzip;q=0, *": "",
	} {
		w := get(t, p, "Accept-Encoding", accept)
		wantStatus(t, w, "GET "+p, http.StatusOK)
		if got := w.Header().Get("Content-Encoding"); got != want {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", accept, got, want)
		}
	}
}

// TestVaryOnNotModified: caches need Vary on the 304 too.
func TestVaryOnNotModified(t *testing.T) {
	p := guide(t).CompareURL()
	w := get(t, p, "Accept-Encoding", "br")
	nm := get(t, p, "Accept-Encoding", "br", "If-None-Match", w.Header().Get("ETag"))
	wantStatus(t, nm, "conditional GET", http.StatusNotModified)
	if !varyHas(nm.Header(), "Accept-Encoding") {
		t.Errorf("the 304 has no Vary: Accept-Encoding")
	}
}

// TestPrivatePagesNotShared: pages that hold a reader's answers stay out of shared caches.
func TestPrivatePagesNotShared(t *testing.T) {
	fit := assessment(t)
	for _, p := range []string{
		fit.ResultURL() + "?" + firstQuery(fit),
		fit.URL() + "?" + firstQuery(fit),
		fit.ResultURL() + "?" + fit.Questions[0].ID + "=nope",
	} {
		w := get(t, p)
		if cc := w.Header().Get("Cache-Control"); !strings.Contains(cc, "private") && !strings.Contains(cc, "no-store") {
			t.Errorf("GET %s (%d): Cache-Control %q lets shared caches keep a reader's answers", p, w.Code, cc)
		}
	}
}

func varyHas(h http.Header, name string) bool {
	for _, v := range h.Values("Vary") {
		for _, f := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(f), name) || strings.TrimSpace(f) == "*" {
				return true
			}
		}
	}
	return false
}
