package content

import (
	"net/url"
	"strings"
)

// Renaming a page breaks the links people have shared and bookmarked. Two
// front-matter fields keep those links working:
//
//   - aliases: the page's old paths (in guide.yaml for the guide's landing
//     page, in an article's front matter for the article). Each old path
//     answers 301 to the page's current URL; the build turns them into the
//     snapshot's redirects and `site export` into nginx's redirects.conf.
//   - moved_anchors: parts of the guide that used to be on this article and
//     now live on another page. A #fragment never reaches the server, so the
//     article carries a short "Moved" note with an element of each old id,
//     and a link to where the part is now.

// Alias is an old path of a page, with where it was written.
type Alias struct {
	Path string
	File string
	Line int
}

// MovedAnchor is an anchor that used to be on an article and now lives on
// another page: the article keeps an element with the old id that says so.
type MovedAnchor struct {
	// ID is the old fragment id, the same id the part carries at its new place.
	ID string
	// Kind is what moved: "faq", "row", "profile" or "article" (a section).
	Kind string
	// Label names the part: the question, the row, the section heading.
	Label string
	// URL is the part's current path and fragment.
	URL string
	// Page is the title of the page it is on now.
	Page string

	raw  string
	file string
	line int
}

// movedFAQ is the moved_anchors entry meaning "every FAQ answer": the FAQ
// used to be placed by this article, and its answers' anchors followed it.
const movedFAQ = "faq"

// aliasReservedRoots are first path segments the site uses for itself: an
// old path there would never be reached.
var aliasReservedRoots = map[string]bool{"static": true, "og": true, "healthz": true, "readyz": true,
	"subscribe": true, "privacy": true, "sitemap": true, "feed": true}

// aliases reads an aliases list. Each is either an old slug of the page
// (a-z, 0-9 and single hyphens), which stays in the folder the page is in
// now (dir: "/guides" for a guide, the guide's URL for an article), or a
// clean path: /, then such segments separated by single slashes, with no
// trailing slash, query or #fragment (the server redirects the
// non-canonical forms to the clean one before it looks aliases up). An old
// slug is what a rename usually needs, and it follows the page when an
// editor copies the guide's folder to start a new guide.
func (l *loader) aliases(doc *yamlDoc, dir string, raws []string) []Alias {
	var out []Alias
	for i, raw := range raws {
		line := doc.line("aliases", i)
		p := strings.TrimSpace(raw)
		if validID(p) {
			p = dir + "/" + p
		}
		if !cleanPath(p) {
			l.c.add(doc.file, line, "alias %q is neither an old slug nor a clean path: write the page's old slug (a-z, 0-9 and hyphens), "+
				"or its old address as a path such as /guides/<guide>/<old-slug>, "+
				"starting with /, with only a-z, 0-9 and hyphens between single slashes, and no trailing slash, query or #", raw)
			continue
		}
		if root, _, _ := strings.Cut(p[1:], "/"); aliasReservedRoots[root] {
			l.c.add(doc.file, line, "alias %q is under /%s, which the site uses for itself: no reader could reach it there", p, root)
			continue
		}
		out = append(out, Alias{Path: p, File: doc.file, Line: line})
	}
	return out
}

// cleanPath reports whether p is / followed by one or more valid slugs
// separated by single slashes.
func cleanPath(p string) bool {
	if !strings.HasPrefix(p, "/") || p == "/" {
		return false
	}
	for _, seg := range strings.Split(p[1:], "/") {
		if !validID(seg) {
			return false
		}
	}
	return true
}

// movedAnchors reads an article's moved_anchors list: references in the
// syntax of assessments' links (faq:<id>, row:<id>, profile:<role>,
// article:<slug>#<heading>), or "faq" for every FAQ answer. They are
// resolved once the whole guide is loaded (checkMoved).
func (l *loader) movedAnchors(doc *yamlDoc, a *Article, raws []string) {
	for i, raw := range raws {
		line := doc.line("moved_anchors", i)
		a.Moved = append(a.Moved, &MovedAnchor{raw: strings.TrimSpace(raw), file: doc.file, line: line})
	}
}

// checkAliases runs once every guide is loaded and its references are
// resolved: it resolves moved anchors, and checks that no alias is the
// address of a page or of another alias, and that no link in the content
// points at an old address.
func (l *loader) checkAliases(site *Site) {
	for _, g := range site.Guides {
		for _, a := range g.Articles {
			l.checkMoved(a)
		}
	}

	pages := map[string]bool{}
	for p := range fragmentsByPage(site.Guides) {
		pages[p] = true
	}
	targets := map[string]string{} // alias path -> current URL
	first := map[string]Alias{}
	check := func(al Alias, to string) {
		switch prev, dup := first[al.Path]; {
		case pages[al.Path]:
			l.c.add(al.File, al.Line, "alias %q is the address of a page of the site: an alias must be an old address that no page uses any more", al.Path)
		case dup:
			l.c.add(al.File, al.Line, "alias %q is also an alias of %s (%s:%d): one old address can lead to one page only", al.Path, targets[al.Path], prev.File, prev.Line)
		default:
			first[al.Path], targets[al.Path] = al, to
		}
	}
	for _, g := range site.Guides {
		for _, as := range g.Assessments {
			pages[as.ResultURL()] = true
		}
	}
	for _, g := range site.Guides {
		for _, al := range g.Aliases {
			check(al, g.URL())
		}
		for _, a := range g.Articles {
			for _, al := range a.Aliases {
				check(al, a.URL())
			}
		}
	}
	if len(targets) == 0 {
		return
	}
	for _, k := range l.links {
		if !strings.HasPrefix(k.dest, "/") || strings.HasPrefix(k.dest, "//") {
			continue
		}
		u, err := url.Parse(k.dest)
		if err != nil {
			continue // checkLinks reports it
		}
		to, old := targets[u.Path]
		if !old {
			continue
		}
		now := url.URL{Path: to, Fragment: u.Fragment}
		l.c.add(k.file, k.line, "link %q links to an old address; use %s", k.dest, now.String())
	}
}

// checkMoved resolves an article's moved anchors and checks that each
// names a part now on another page, once, with an id the article does not
// already carry; each becomes an id of the article.
func (l *loader) checkMoved(a *Article) {
	g := a.Guide
	seen := map[string]int{}
	var ok, list []*MovedAnchor
	for _, m := range a.Moved {
		if m.raw != movedFAQ {
			list = append(list, m)
			continue
		}
		if g.FAQHome == a {
			l.c.add(m.file, m.line, "moved_anchors: faq: this article places the FAQ ({{faq}}), so its answers have not moved away from it")
			continue
		}
		for _, f := range g.FAQ {
			list = append(list, &MovedAnchor{raw: "faq:" + f.ID, file: m.file, line: m.line})
		}
	}
	for _, m := range list {
		if m.raw == "" {
			l.c.add(m.file, m.line, "moved_anchors: an entry is empty: write faq (every FAQ answer), or faq:<id>, row:<id>, profile:<role> or article:<slug>#<heading>")
			continue
		}
		ref, msg := resolveRef(g, m.raw, false)
		if msg != "" {
			l.c.add(m.file, m.line, "moved_anchors: %q: %s", m.raw, msg)
			continue
		}
		u, err := url.Parse(ref.URL)
		if err != nil || u.Fragment == "" {
			l.c.add(m.file, m.line, "moved_anchors: %q is a whole page, not a part of one: name a section, for example article:<slug>#<heading>", m.raw)
			continue
		}
		if u.Path == a.URL() {
			l.c.add(m.file, m.line, "moved_anchors: %q is on this article: only parts now on another page can be listed as moved", m.raw)
			continue
		}
		if prev, dup := seen[u.Fragment]; dup {
			l.c.add(m.file, m.line, "moved_anchors: #%s is listed twice (first on line %d)", u.Fragment, prev)
			continue
		}
		seen[u.Fragment] = m.line
		if a.IDs[u.Fragment] {
			l.c.add(m.file, m.line, "moved_anchors: %q: this article already has an element with the id %q, so the old link still lands on it", m.raw, u.Fragment)
			continue
		}
		m.ID, m.Kind, m.Label, m.URL, m.Page = u.Fragment, ref.Kind, ref.Label, ref.URL, pageTitle(g, u.Path)
		a.IDs[m.ID] = true
		ok = append(ok, m)
	}
	a.Moved = ok
	if len(ok) > 0 {
		a.IDs[IDMoved] = true
	}
}

// IDMoved is the id of an article's "Moved" note.
const IDMoved = "moved"

// pageTitle names the page of the guide at path, for the "Moved" note.
func pageTitle(g *Guide, path string) string {
	if path == g.CompareURL() {
		return "the side-by-side comparison"
	}
	for _, a := range g.Articles {
		if a.URL() == path {
			return a.Title
		}
	}
	return g.Title
}

// renamed is the article of g that lists the old article slug among its
// aliases, or nil: references by slug can then say what to write.
func (g *Guide) renamed(slug string) *Article {
	for _, a := range g.Articles {
		for _, al := range a.Aliases {
			if al.Path == g.URL()+"/"+slug {
				return a
			}
		}
	}
	return nil
}
