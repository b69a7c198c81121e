package export

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pmvspo/site/assess"
	"github.com/pmvspo/site/build"
	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/server"
)

const base = "https://guides.example.org"

func siteHandler(t *testing.T) http.Handler {
	t.Helper()
	site, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	return newSite(t, site, base, server.Options{})
}

// newSite builds the site as `site` serves it: the snapshot, the server and
// its features.
func newSite(t *testing.T, site *content.Site, origin string, opts server.Options) http.Handler {
	t.Helper()
	snap, err := build.Build(site, build.Options{Origin: origin})
	if err != nil {
		t.Fatal(err)
	}
	snap.Warm() // as site export does: every encoding ready before the crawl
	<-snap.Compressed()
	snap.NotFound.Encode()
	opts.Features = []server.Feature{assess.Routes}
	h, err := server.New(snap, opts)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func fetch(h http.Handler, path, encoding string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", base+path, nil)
	req.Header.Set("Accept-Encoding", encoding)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestExportIsWhatTheServerSends: every exported file and sibling holds
// the exact bytes the server sends for that path and encoding, and every
// page of the sitemap is in the export.
func TestExportIsWhatTheServerSends(t *testing.T) {
	h := siteHandler(t)
	dir := filepath.Join(t.TempDir(), "out")
	res, err := Write(dir, h, base)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]File{}
	for _, f := range res.Files {
		names[f.Name] = f
	}
	for _, want := range []string{"index.html", "index.html.br", "index.html.gz", "sitemap.xml", "robots.txt", NotFoundFile} {
		if _, err := os.Stat(filepath.Join(dir, want)); err != nil {
			t.Errorf("the export has no %s", want)
		}
	}

	sitemap := fetch(h, "/sitemap.xml", "identity").Body.String()
	locs := regexp.MustCompile(`<loc>([^<]+)</loc>`).FindAllStringSubmatch(sitemap, -1)
	if len(locs) == 0 {
		t.Fatal("the sitemap lists no pages")
	}
	for _, m := range locs {
		p := strings.TrimPrefix(m[1], base)
		name := strings.TrimPrefix(p+"/index.html", "/")
		if p == "/" {
			name = "index.html"
		}
		if _, ok := names[name]; !ok {
			t.Errorf("sitemap page %s is not exported as %s", p, name)
		}
	}

	compressed := 0
	for _, f := range res.Files {
		if f.URLPath == notFoundProbe {
			continue
		}
		for _, enc := range []struct{ accept, ext string }{{"identity", ""}, {"br", ".br"}, {"gzip", ".gz"}} {
			rec := fetch(h, f.URLPath, enc.accept)
			got, err := os.ReadFile(filepath.Join(dir, f.Name+enc.ext))
			sent := rec.Header().Get("Content-Encoding") == enc.accept || enc.accept == "identity"
			if !sent {
				if err == nil {
					t.Errorf("%s%s exists, but the server sends %s uncompressed", f.Name, enc.ext, f.URLPath)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: the server sends %s, the export has no %s%s", f.URLPath, enc.accept, f.Name, enc.ext)
				continue
			}
			if !bytes.Equal(got, rec.Body.Bytes()) {
				t.Errorf("%s%s differs from what the server sends for %s (%s)", f.Name, enc.ext, f.URLPath, enc.accept)
			}
			if enc.ext != "" {
				compressed++
			}
		}
		if strings.HasPrefix(f.URLPath, "/static/") && !strings.Contains(f.Cache, "immutable") {
			t.Errorf("%s: Cache-Control %q", f.URLPath, f.Cache)
		}
	}
	if compressed == 0 {
		t.Error("no .br or .gz sibling at all")
	}
	nf, _ := os.ReadFile(filepath.Join(dir, NotFoundFile))
	if !bytes.Equal(nf, fetch(h, "/no-such-page", "identity").Body.Bytes()) {
		t.Error("404.html is not the server's 404 page")
	}

	// Every local link of every exported page resolves to an exported file,
	// or is a request the server keeps (a query, a private response).
	href := regexp.MustCompile(`(?:href|src)="(/[^"#?]*)(\?[^"#]*)?(#[^"]*)?"`)
	for _, f := range res.Files {
		if !strings.HasSuffix(f.Name, ".html") {
			continue
		}
		b, _ := os.ReadFile(filepath.Join(dir, f.Name))
		for _, m := range href.FindAllStringSubmatch(string(b), -1) {
			if m[2] != "" || slices.Contains(res.Dynamic, m[1]) {
				continue
			}
			name := strings.TrimPrefix(m[1], "/")
			if fi, err := os.Stat(filepath.Join(dir, name)); err == nil && !fi.IsDir() {
				continue
			}
			if _, err := os.Stat(filepath.Join(dir, name, "index.html")); err != nil {
				t.Errorf("%s links to %s, which is not in the export", f.URLPath, m[1])
			}
		}
	}

	if _, err := Write(dir, h, base); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("a second export into the same folder: %v, want a refusal", err)
	}
}

// TestExportLeavesDynamicResponses uses a small hand-made site to show what
// is and is not exported.
func TestExportLeavesDynamicResponses(t *testing.T) {
	mux := http.NewServeMux()
	page := func(cache, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", cache)
			_, _ = io.WriteString(w, body)
		}
	}
	mux.HandleFunc("GET /{$}", page("public, max-age=300", `<a href="/a">a</a> <a href="/result?x=1">r</a> <a href="/private">p</a>
		<a href="https://elsewhere.example/b">b</a> <link rel="stylesheet" href="/static/s.css"> <img srcset="/img/1.png 1x, /img/2.png 2x">
		<meta property="og:image" content="`+base+`/og/card.png"> <form method="post" action="/submit"></form>`))
	mux.HandleFunc("GET /a", page("public, max-age=300", `<a href="b">relative</a>`))
	mux.HandleFunc("GET /b", page("public", `b`))
	mux.HandleFunc("GET /private", page("private, no-store", `yours`))
	mux.HandleFunc("GET /static/s.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		_, _ = io.WriteString(w, `body{background:url("/static/bg.svg")}`)
	})
	for _, p := range []string{"/static/bg.svg", "/img/1.png", "/img/2.png", "/og/card.png"} {
		mux.HandleFunc("GET "+p, func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "file") })
	}
	mux.HandleFunc("GET /result", func(w http.ResponseWriter, r *http.Request) { t.Error("a link with a query was followed") })
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "not found", http.StatusNotFound) })

	dir := t.TempDir()
	res, err := Write(dir, mux, base)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			got = append(got, filepath.ToSlash(rel))
		}
		return nil
	})
	want := []string{"404.html", "a/index.html", "b/index.html", "img/1.png", "img/2.png", "index.html", "og/card.png", RedirectsFile, "static/bg.svg", "static/s.css"}
	if !slices.Equal(got, want) {
		t.Errorf("exported files\n got %q\nwant %q", got, want)
	}
	if !slices.Equal(res.Dynamic, []string{"/private"}) {
		t.Errorf("left to the server: %q, want /private", res.Dynamic)
	}

	// A link to a page that is not there is a broken site, not an export.
	mux2 := http.NewServeMux()
	mux2.HandleFunc("GET /{$}", page("public", `<a href="/gone">gone</a>`))
	mux2.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "not found", http.StatusNotFound) })
	if _, err := Write(filepath.Join(t.TempDir(), "x"), mux2, base); err == nil || !strings.Contains(err.Error(), "/gone") {
		t.Errorf("a broken link: %v, want an error naming /gone", err)
	}
}
