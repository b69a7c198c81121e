// Package export writes the parts of the site that do not depend on the
// request into a folder that any static host or CDN serves as it is: each
// page at a/b/index.html, every other file under its own path, each with the
// .br and .gz siblings the server would send.
//
// It asks the real site handler for every file, so the folder holds exactly
// the bytes the server sends (same rendering, same compression). It finds the
// files by crawling from the home page, the sitemap, the feed and robots.txt.
// A response the server marks private or no-store (a result page, a form
// pre-filled from its query) depends on the request and stays with the
// server, as does anything reached only with a query string or a POST.
package export

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/net/html"
)

// NotFoundFile is the site's 404 page in the export, for hosts that serve a
// file of their own for missing paths (object storage error documents).
const NotFoundFile = "404.html"

// notFoundProbe is a path no page has, to fetch the 404 page.
const notFoundProbe = "/.export/not-found"

// start are the paths the crawl begins with; a site without one of the
// optional ones is fine.
var start = []string{"/", "/sitemap.xml", "/feed.atom", "/robots.txt"}

// File is one exported response.
type File struct {
	URLPath     string   // as requested, such as /guides/pm-vs-po
	Name        string   // in the folder, such as guides/pm-vs-po/index.html
	ContentType string   // the server's Content-Type
	Cache       string   // the server's Cache-Control
	Size        int      // bytes of the identity body
	Encodings   []string // the siblings written: br, gz
}

// Result is what Write did.
type Result struct {
	Files []File
	// Dynamic are the paths found that stay with the server: private or
	// no-store responses.
	Dynamic []string
	// Redirects are the old paths (aliases) written to RedirectsFile, with
	// where the server sends each.
	Redirects []Redirect
}

// Redirect is an old path and the Location the server answers it with.
type Redirect struct{ From, To string }

// Write exports the site served by h, whose public origin is baseURL (as
// given to the server), into dir, which must be empty or not exist: stale
// files of an older export would be served as if current. aliases are the
// site's old paths (build.Snapshot.Redirects): no page links to them, so
// the crawl cannot find them; each must answer a 301, and goes into
// RedirectsFile.
func Write(dir string, h http.Handler, baseURL string, aliases ...string) (*Result, error) {
	base, err := url.Parse(strings.TrimSuffix(baseURL, "/"))
	if err != nil || base.Host == "" {
		return nil, fmt.Errorf("export: base URL %q is not an origin", baseURL)
	}
	if err := emptyDir(dir); err != nil {
		return nil, err
	}
	c := &crawler{h: h, base: base, seen: map[string]bool{}}
	for _, p := range start {
		c.queue(p)
	}
	res := &Result{}
	for len(c.todo) > 0 {
		p := c.todo[0]
		c.todo = c.todo[1:]
		plain := c.get(p, "identity")
		switch {
		case plain.Code == http.StatusNotFound && slices.Contains(start[1:], p):
			continue // an optional start file this site does not have
		case plain.Code != http.StatusOK:
			return nil, fmt.Errorf("export: GET %s: status %d (a link to it is on the site)", p, plain.Code)
		}
		if dynamic(plain.Header()) {
			res.Dynamic = append(res.Dynamic, p)
			continue
		}
		f, err := c.write(dir, p, fileName(p, plain.Header()), plain)
		if err != nil {
			return nil, err
		}
		res.Files = append(res.Files, f)
		c.links(p, plain.Header().Get("Content-Type"), plain.Body.Bytes())
	}

	nf := c.get(notFoundProbe, "identity")
	if nf.Code != http.StatusNotFound {
		return nil, fmt.Errorf("export: GET %s: status %d, want the 404 page", notFoundProbe, nf.Code)
	}
	f, err := c.write(dir, notFoundProbe, NotFoundFile, nf)
	if err != nil {
		return nil, err
	}
	res.Files = append(res.Files, f)
	if res.Redirects, err = c.redirects(aliases); err != nil {
		return nil, err
	}
	if err := writeFile(dir, RedirectsFile, nginxRedirects(res.Redirects)); err != nil {
		return nil, err
	}
	return res, nil
}

// emptyDir makes sure dir exists and holds nothing.
func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("export: %s is not empty; export into a new or empty folder, so no stale file is served", dir)
	}
	return nil
}

// dynamic reports whether a response depends on its request, by the
// server's own caching: such responses are never shared.
func dynamic(h http.Header) bool {
	cc := strings.ToLower(h.Get("Cache-Control"))
	return strings.Contains(cc, "private") || strings.Contains(cc, "no-store") || strings.Contains(cc, "no-cache")
}

// fileName maps a URL path to its file: an HTML page to index.html in a
// folder of its path, anything else to its own path.
func fileName(p string, h http.Header) string {
	p = strings.TrimPrefix(p, "/")
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	if mt == "text/html" {
		return path.Join(p, "index.html")
	}
	return p
}

type crawler struct {
	h    http.Handler
	base *url.URL
	seen map[string]bool
	todo []string
}

func (c *crawler) queue(p string) {
	if !c.seen[p] {
		c.seen[p] = true
		c.todo = append(c.todo, p)
	}
}

// get asks the site for p as a browser at the public origin would.
func (c *crawler) get(p, encoding string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, c.base.Scheme+"://"+c.base.Host+p, nil)
	req.Header.Set("Accept-Encoding", encoding)
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	return rec
}

// write stores the identity body of p as name, and a .br and a .gz sibling
// for each encoding the server sends for it.
func (c *crawler) write(dir, p, name string, plain *httptest.ResponseRecorder) (File, error) {
	f := File{URLPath: p, Name: name, ContentType: plain.Header().Get("Content-Type"),
		Cache: plain.Header().Get("Cache-Control"), Size: plain.Body.Len()}
	if err := writeFile(dir, name, plain.Body.Bytes()); err != nil {
		return f, err
	}
	for _, enc := range []struct{ coding, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
		r := c.get(p, enc.coding)
		if r.Code != plain.Code {
			return f, fmt.Errorf("export: GET %s with Accept-Encoding %s: status %d, without: %d", p, enc.coding, r.Code, plain.Code)
		}
		if r.Header().Get("Content-Encoding") != enc.coding {
			continue // the server sends this file uncompressed
		}
		if err := writeFile(dir, name+enc.ext, r.Body.Bytes()); err != nil {
			return f, err
		}
		f.Encodings = append(f.Encodings, strings.TrimPrefix(enc.ext, "."))
	}
	return f, nil
}

func writeFile(dir, name string, body []byte) error {
	full := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := os.WriteFile(full, body, 0o644); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// cssURL finds url(...) references in a stylesheet.
var cssURL = regexp.MustCompile(`url\(\s*['"]?([^'")\s]+)`)

// links queues every same-origin path the body refers to.
func (c *crawler) links(from, ctype string, body []byte) {
	mt, _, _ := mime.ParseMediaType(ctype)
	switch {
	case mt == "text/html":
		c.htmlLinks(from, body)
	case mt == "text/css":
		for _, m := range cssURL.FindAllSubmatch(body, -1) {
			c.ref(from, string(m[1]))
		}
	}
	// Absolute links anywhere: the sitemap, the feed, robots.txt, and
	// link-preview images in a page's <meta> tags.
	origin := c.base.Scheme + "://" + c.base.Host
	abs := regexp.MustCompile(regexp.QuoteMeta(origin) + `(/[^\s"'<>()]*)?`)
	for _, m := range abs.FindAll(body, -1) {
		c.ref(from, html.UnescapeString(string(m)))
	}
}

func (c *crawler) htmlLinks(from string, body []byte) {
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		for {
			k, v, more := z.TagAttr()
			switch string(k) {
			case "href", "src":
				c.ref(from, string(v))
			case "srcset":
				for _, cand := range strings.Split(string(v), ",") {
					if fields := strings.Fields(cand); len(fields) > 0 {
						c.ref(from, fields[0])
					}
				}
			}
			if !more {
				break
			}
		}
	}
}

// ref queues a reference if it is a path on this site without a query.
func (c *crawler) ref(from, ref string) {
	u, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		return
	}
	fromURL := &url.URL{Scheme: c.base.Scheme, Host: c.base.Host, Path: from}
	u = fromURL.ResolveReference(u)
	if u.Scheme != c.base.Scheme || u.Host != c.base.Host || u.RawQuery != "" || u.ForceQuery {
		return // another site, or a request that depends on its query
	}
	if u.Path == "" {
		u.Path = "/"
	}
	c.queue(u.Path)
}
