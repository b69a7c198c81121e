package build

import (
	"bytes"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unique"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/pmvspo/site/content"
)

// Links are checked against what was rendered, not against a copy of what
// the views are expected to render: every page is tokenized once for its
// ids and its links, then every internal link written in the content must
// name a page of the snapshot and, with a #fragment, an id on that page.
// Errors name the file and line where the link was written.

// pageLinks is what one rendered page carries.
type pageLinks struct {
	ids   []string // sorted, each once: a page's ids, held for every page until the check
	hrefs []string // <a href> values, as rendered, each once
}

// hasID reports whether the page has an element with the id.
func (pl *pageLinks) hasID(id string) bool {
	_, ok := slices.BinarySearch(pl.ids, id)
	return ok
}

// scan reads a rendered page's ids and links. The strings are interned:
// every page repeats the header's and footer's links and ids, and at 1,000
// guides separate copies of them held over 100 MB until the links were
// checked.
func scan(body []byte) *pageLinks {
	pl := &pageLinks{}
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			slices.Sort(pl.ids)
			pl.ids = slices.Clip(slices.Compact(pl.ids))
			slices.Sort(pl.hrefs)
			pl.hrefs = slices.Clip(slices.Compact(pl.hrefs))
			return pl
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		isA := atom.Lookup(name) == atom.A
		for hasAttr {
			var k, v []byte
			k, v, hasAttr = z.TagAttr()
			switch {
			case string(k) == "id":
				pl.ids = append(pl.ids, unique.Make(string(v)).Value())
			case isA && string(k) == "href":
				pl.hrefs = append(pl.hrefs, unique.Make(string(v)).Value())
			}
		}
	}
}

// checkLinks checks every internal link of the content, then every link
// the views rendered. The first are content errors at file:line; the
// second, left once the content's links are right, are bugs in a view.
func (b *builder) checkLinks(scanned map[string]*pageLinks) error {
	var errs content.Errors
	add := func(k content.Link, format string, args ...any) {
		errs = append(errs, &content.Error{File: k.File, Line: k.Line, Msg: fmt.Sprintf(format, args...)})
	}
	for _, k := range b.site.Links() {
		if b.hidden.written(k) {
			continue // not published: its links lead readers nowhere
		}
		dest := k.Dest
		switch {
		case strings.HasPrefix(dest, "#"):
			if pl := scanned[k.Page]; pl != nil && !pl.hasID(dest[1:]) {
				add(k, "link %q: no element with that id on this page", dest)
			}
		case strings.HasPrefix(dest, "/") && !strings.HasPrefix(dest, "//"):
			u, err := url.Parse(dest)
			if err != nil {
				continue // Load reports malformed links
			}
			if why, ok := b.hidden.has(u.Path); ok {
				add(k, "link %q: %s is %s, so readers would find no page there; publish it first, or link elsewhere", dest, u.Path, why)
				continue
			}
			if !b.snap.exists(u.Path) {
				add(k, "link %q: there is no page at %s", dest, u.Path)
				continue
			}
			if u.Fragment == "" {
				continue
			}
			pl := scanned[u.Path]
			if pl == nil {
				add(k, "link %q: %s is not a page, so it has no #%s", dest, u.Path, u.Fragment)
			} else if !pl.hasID(u.Fragment) {
				add(k, "link %q: the page %s has no element with id %q", dest, u.Path, u.Fragment)
			}
		}
	}
	if len(errs) > 0 {
		return errs
	}
	var bugs []string
	// Every page repeats the header's and footer's links: a link with a
	// path is checked once, not once per page (at 1,000 guides, a million
	// URLs parsed), since its answer does not depend on the page.
	checked := map[string]string{}
	for _, p := range b.snap.order {
		for _, href := range scanned[p.Meta.Path].hrefs {
			msg, ok := checked[href]
			if !ok {
				msg = b.checkRendered(scanned, p.Meta.Path, href)
				if samePage := href == "" || href[0] == '#' || href[0] == '?'; !samePage {
					checked[href] = msg
				}
			}
			if msg != "" {
				bugs = append(bugs, p.Meta.Path+": "+msg)
			}
		}
	}
	if len(bugs) > 0 {
		return fmt.Errorf("rendered pages link to what does not exist (a bug in a view):\n%s", strings.Join(bugs, "\n"))
	}
	return nil
}

// checkRendered checks one rendered internal link; "" means it resolves.
func (b *builder) checkRendered(scanned map[string]*pageLinks, page, href string) string {
	u, err := url.Parse(href)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(href, "//") {
		return "" // external, or not ours to judge
	}
	path := u.Path
	if path == "" {
		path = page
	}
	if why, ok := b.hidden.has(path); ok {
		return fmt.Sprintf("link %q: %s is %s, so readers would find no page there", href, path, why)
	}
	if !b.snap.exists(path) {
		return fmt.Sprintf("link %q: there is no page at %s", href, path)
	}
	if u.Fragment != "" {
		if pl := scanned[path]; pl != nil && !pl.hasID(u.Fragment) {
			return fmt.Sprintf("link %q: the page %s has no element with id %q", href, path, u.Fragment)
		}
	}
	return ""
}

// exists reports whether the snapshot serves something at path.
func (s *Snapshot) exists(path string) bool {
	return s.pages[path] != nil || s.files[path] != nil || s.static[path] != nil || s.images[path] != nil
}
