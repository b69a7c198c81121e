// Package build turns the content model into a Snapshot: every page of the
// site rendered, with its compressed encodings, the sitemap, the feed, the
// share-image set and the error pages. A Snapshot is a value: it never
// changes after Build returns, so a server can hold one, build the next from
// edited content and swap the two without a request ever seeing half of each.
//
// Which pages exist is decided in one place, the registry of page kinds in
// kinds.go. Share-image paths (images.go) and the site's own copy
// (views.SiteName and friends) are defined once and used by every page.
package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/a-h/templ"

	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/static"
	"github.com/pmvspo/site/views"
)

// DefaultOrigin is the origin used for canonical and share links when none is configured.
const DefaultOrigin = "http://localhost:8080"

// PreviewScript is the path of the live preview's reload script, which the
// server serves in preview.
const PreviewScript = "/_preview/reload.js"

// HTMLType is the content type of every page.
const HTMLType = "text/html; charset=utf-8"

// Options configure Build.
type Options struct {
	// Origin is the public origin, such as https://example.com, used for
	// canonical URLs, link previews, the sitemap and share links. Empty
	// means DefaultOrigin.
	Origin string
	// Preview builds for the editors' live preview: every page loads the
	// preview's reload script, and nothing is compressed (a rebuild must
	// be quick, and the pages never leave the editor's machine).
	Preview bool
	// Generation numbers the build, so that a preview tab can tell whether
	// it shows the latest one.
	Generation uint64
	// Now is the moment the build is for: articles published later are
	// scheduled, not out yet. Zero means the current time.
	Now time.Time
}

// Snapshot is the built site. Its fields and maps are never written after
// Build returns; the only work left is compressing (Warm) and drawing share
// images on first request, each guarded by its own sync.Once.
type Snapshot struct {
	// Site is the model the snapshot was built from, as readers see it
	// (without drafts, except in preview); features (assess) read it to
	// route and render their own pages.
	Site *content.Site
	// Origin is the public origin, without a trailing slash.
	Origin string
	// Assets are the hashed URLs of the static files every page links.
	Assets views.Assets
	// Generation is Options.Generation.
	Generation uint64
	// NextChange is when the published site changes by itself (a scheduled
	// article comes out), or zero: the server rebuilds then.
	NextChange time.Time
	// NotFound and NotAllowed are the 404 and 405 pages.
	NotFound, NotAllowed *Resource

	pages  map[string]*Page
	order  []*Page              // pages in registry order, for listings and tests
	files  map[string]*Resource // sitemap, robots.txt, feed
	static map[string]*Resource // hashed static assets
	images map[string]*lazyImage
	// redirects maps each old path (an alias) to the page it leads to.
	redirects map[string]*Redirect

	warmOnce   sync.Once
	compressed chan struct{}
}

// Page is one built page.
type Page struct {
	// Kind names the registry entry the page comes from, such as "article".
	Kind string
	// Meta is the page's metadata, without its StructuredData: the JSON-LD
	// graph is made as the page is rendered, and kept only in the body.
	Meta views.Meta
	// Article is the article the page shows, for article pages.
	Article   *content.Article
	InSitemap bool
	Body      *Resource

	component func() templ.Component // nil once rendered
	aliases   []content.Alias
}

// Page returns the page at path, or nil.
func (s *Snapshot) Page(path string) *Page { return s.pages[path] }

// Pages lists every page, in registry order.
func (s *Snapshot) Pages() []*Page { return s.order }

// File returns the sitemap, robots.txt or the feed at path, or nil.
func (s *Snapshot) File(path string) *Resource { return s.files[path] }

// Static returns the static asset at its hashed path, or nil.
func (s *Snapshot) Static(path string) *Resource { return s.static[path] }

// StaticPaths lists the hashed paths of the static assets.
func (s *Snapshot) StaticPaths() []string {
	out := make([]string, 0, len(s.static))
	for p := range s.static {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// ImagePaths lists every share image the snapshot serves.
func (s *Snapshot) ImagePaths() []string {
	out := make([]string, 0, len(s.images))
	for p := range s.images {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Meta starts the Meta of a page rendered outside the build (a feature's
// per-request page): the site's assets, origin and default share image.
func (s *Snapshot) Meta(title, desc, path string, crumbs ...views.Crumb) views.Meta {
	img := siteImage(s.Site)
	return views.Meta{Title: title, Description: desc, Path: path, Assets: s.Assets, Crumbs: crumbs,
		Origin: s.Origin, Image: img.path, ImageAlt: img.alt}
}

// Warm compresses every page and file in the background (see Resource), so
// a server can listen at once and never compress on a request's path.
// Compressed reports when it is done. Warm does nothing the second time.
func (s *Snapshot) Warm() {
	s.warmOnce.Do(s.warm)
}

// Compressed is closed once Warm has compressed everything.
func (s *Snapshot) Compressed() <-chan struct{} { return s.compressed }

func (s *Snapshot) warm() {
	list := make([]*Resource, 0, len(s.pages)+len(s.files)+len(s.static))
	for _, p := range s.order {
		list = append(list, p.Body)
	}
	for _, r := range s.files {
		list = append(list, r)
	}
	for _, r := range s.static {
		list = append(list, r)
	}
	warm(list, s.compressed)
}

// builder is the state of one Build.
type builder struct {
	site   *content.Site
	origin string
	assets views.Assets
	snap   *Snapshot
	// preview leaves everything uncompressed and shows drafts.
	preview bool
	now     time.Time
	// hidden is what a published build leaves out (see drafts.go).
	hidden hiddenSet
}

// resource prepares a body for serving: compressed encodings too, except in preview.
func (b *builder) resource(body []byte, ctype, cacheControl string) *Resource {
	if b.preview {
		return PlainResource(body, ctype, cacheControl)
	}
	return NewResource(body, ctype, cacheControl)
}

// Build renders every page of site and checks every link against the
// rendered pages. A broken link written in the content is a content.Errors
// naming its file and line, like the errors of content.Load; any other
// error is a bug in Go.
func Build(site *content.Site, opts Options) (*Snapshot, error) {
	origin := strings.TrimSuffix(opts.Origin, "/")
	if origin == "" {
		origin = DefaultOrigin
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	var hid hiddenSet
	next := site.NextPublication(now)
	if !opts.Preview {
		hid = hidden(site, now)
		site = site.Published(now)
	}
	snap := &Snapshot{Site: site, Origin: origin, Generation: opts.Generation, NextChange: next, compressed: make(chan struct{}), pages: map[string]*Page{}, files: map[string]*Resource{},
		static: map[string]*Resource{}, images: map[string]*lazyImage{}, redirects: map[string]*Redirect{}}
	assets, err := static.Load()
	if err != nil {
		return nil, fmt.Errorf("loading static assets: %w", err)
	}
	for _, a := range assets {
		snap.static[a.URL] = NewResource(a.Body, a.ContentType, CacheImmutable)
	}
	snap.Assets = views.Assets{CSS: assets["site.css"].URL, JS: assets["site.js"].URL, Icon: assets["icon.svg"].URL, AssessJS: assets["assess.js"].URL}
	if opts.Preview {
		snap.Assets.Preview, snap.Assets.Build = PreviewScript, strconv.FormatUint(opts.Generation, 10)
	}
	b := &builder{site: site, origin: origin, assets: snap.Assets, snap: snap, preview: opts.Preview, now: now, hidden: hid}
	if err := b.checkFAQHomes(); err != nil {
		return nil, err
	}

	for _, k := range registry {
		for _, p := range k.pages(b) {
			if _, dup := snap.pages[p.Meta.Path]; dup {
				return nil, fmt.Errorf("two pages have the path %s", p.Meta.Path)
			}
			snap.pages[p.Meta.Path] = p
			snap.order = append(snap.order, p)
		}
	}
	for _, a := range assessments(site) {
		for _, o := range a.Outcomes {
			b.addImage(outcomeImage(a, o))
		}
	}
	scanned, err := b.render(snap.order)
	if err != nil {
		return nil, err
	}
	if err := b.feeds(snap.order); err != nil {
		return nil, err
	}
	b.pdfs()
	if err := b.checkLinks(scanned); err != nil {
		return nil, err
	}
	if err := b.redirects(); err != nil {
		return nil, err
	}
	if err := b.errorPages(); err != nil {
		return nil, err
	}
	return snap, nil
}

// render renders every page and reads its ids and links, on every CPU.
func (b *builder) render(pages []*Page) (map[string]*pageLinks, error) {
	scanned := make([]*pageLinks, len(pages))
	errs := make([]error, len(pages))
	work := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				p := pages[i]
				body, err := Render(context.Background(), p.component())
				if err != nil {
					errs[i] = fmt.Errorf("rendering %s: %w", p.Meta.Path, err)
					continue
				}
				p.Body = b.resource(body, HTMLType, CachePage)
				p.component = nil
				scanned[i] = scan(body)
			}
		}()
	}
	for i := range pages {
		work <- i
	}
	close(work)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	out := make(map[string]*pageLinks, len(pages))
	for i, p := range pages {
		out[p.Meta.Path] = scanned[i]
	}
	return out, nil
}

// errorPages renders the 404 and 405 pages.
func (b *builder) errorPages() error {
	page := func(title string, status int, heading, message, cc string) (*Resource, error) {
		m := views.Meta{Title: title, NoIndex: true, Assets: b.assets}
		body, err := Render(context.Background(), views.ErrorPage(m, views.Featured(b.site.Guides), status, heading, message, ""))
		if err != nil {
			return nil, err
		}
		return b.resource(body, HTMLType, cc), nil
	}
	var err error
	b.snap.NotFound, err = page("Page not found", http.StatusNotFound, "We could not find that page",
		"The address may be mistyped, or the page may have moved. The links below lead back into the guides.", "public, max-age=60")
	if err != nil {
		return err
	}
	b.snap.NotAllowed, err = page("Method not allowed", http.StatusMethodNotAllowed, "This page cannot do that",
		"The page exists, but it does not accept this kind of request. Open it in your browser instead.", CachePrivate)
	return err
}

// Render renders a component into memory, so a failed render never sends
// half a page.
func Render(ctx context.Context, c templ.Component) ([]byte, error) {
	buf := scratch.Get().(*bytes.Buffer)
	defer putScratch(buf)
	if err := c.Render(ctx, buf); err != nil {
		return nil, err
	}
	// At its exact size: the snapshot keeps thousands of these.
	return bytes.Clone(buf.Bytes()), nil
}

// Load loads the content in fsys and builds it: what start-up, site check
// and every rebuild do. For defects in the content the error is a
// content.Errors listing each as file:line: message.
func Load(fsys fs.FS, opts Options) (*Snapshot, error) {
	site, err := content.Load(fsys)
	if err != nil {
		return nil, err
	}
	snap, err := Build(site, opts)
	if err == nil {
		// Parsing and rendering leave several times the snapshot's size in
		// garbage (YAML trees, Markdown syntax trees, render buffers: at
		// 1,000 guides ~400 MB over a ~500 MB snapshot). Collect it and
		// return it to the system once, before the snapshot is served,
		// rather than count it in the process's memory until the runtime
		// gets to it. At one guide this costs about a millisecond.
		debug.FreeOSMemory()
	}
	return snap, err
}
