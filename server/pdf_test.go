package server_test

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pmvspo/site/build"
	"github.com/pmvspo/site/pdf"
	"github.com/pmvspo/site/views"
)

// TestGuidePDF checks each guide's PDF as a reader's browser gets it: linked
// from the guide's page, served with a file name, an ETag and the pages'
// caching, and the very bytes the pdf package renders for the site's origin.
// (What is inside the PDF is checked in the pdf package.)
func TestGuidePDF(t *testing.T) {
	for _, g := range testSite(t).Published(time.Now()).Guides {
		t.Run(g.Slug, func(t *testing.T) {
			hub := get(t, g.URL())
			wantStatus(t, hub, "guide page", http.StatusOK)
			if !hasHref(wantHTML(t, hub, "guide page"), g.PDFURL()) {
				t.Errorf("the guide page %s has no link to %s", g.URL(), g.PDFURL())
			}

			w := get(t, g.PDFURL(), "Accept-Encoding", "br, gzip")
			wantStatus(t, w, g.PDFURL(), http.StatusOK)
			h := w.Result().Header
			if ct := h.Get("Content-Type"); ct != "application/pdf" {
				t.Errorf("Content-Type %q, want application/pdf", ct)
			}
			if cd, want := h.Get("Content-Disposition"), `filename="`+g.Slug+`.pdf"`; !strings.Contains(cd, want) {
				t.Errorf("Content-Disposition %q, want one with %s", cd, want)
			}
			if cc, page := h.Get("Cache-Control"), hub.Result().Header.Get("Cache-Control"); cc != page {
				t.Errorf("Cache-Control %q, want the pages' %q", cc, page)
			}
			if enc := h.Get("Content-Encoding"); enc != "" {
				t.Errorf("Content-Encoding %q: a PDF compresses its own streams and is served as it is", enc)
			}
			if n, _ := strconv.Atoi(h.Get("Content-Length")); n != w.Body.Len() || n == 0 {
				t.Errorf("Content-Length %q for a body of %d bytes", h.Get("Content-Length"), w.Body.Len())
			}
			want, err := pdf.Guide(g, pdf.Options{BaseURL: build.DefaultOrigin, SiteName: views.SiteName})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(w.Body.Bytes(), want) {
				t.Errorf("served %d bytes, not the %d bytes pdf.Guide renders for %s", w.Body.Len(), len(want), build.DefaultOrigin)
			}

			etag := h.Get("Etag")
			if etag == "" {
				t.Fatal("no ETag")
			}
			wantStatus(t, get(t, g.PDFURL(), "If-None-Match", etag), "conditional GET with the ETag", http.StatusNotModified)

			hd := request(t, http.MethodHead, g.PDFURL(), "")
			wantStatus(t, hd, "HEAD", http.StatusOK)
			if hd.Body.Len() != 0 || hd.Result().Header.Get("Content-Length") != h.Get("Content-Length") {
				t.Errorf("HEAD: %d body bytes, Content-Length %q", hd.Body.Len(), hd.Result().Header.Get("Content-Length"))
			}

			p := post(t, g.PDFURL(), "x=1")
			wantStatus(t, p, "POST", http.StatusMethodNotAllowed)
			if allow := p.Result().Header.Get("Allow"); allow != "GET, HEAD" {
				t.Errorf("Allow %q, want GET, HEAD", allow)
			}
		})
	}
}
