package content

import (
	"net/url"
	"strconv"
	"strings"
)

// Ref is a resolved reference from an assessment or FAQ answer to a part of
// the guide: a comparison row, an FAQ answer, a profile, an article section
// or an assessment outcome.
type Ref struct {
	Kind    string // "row", "faq", "profile", "article" or "outcome"
	Label   string // what the part is called on the page
	URL     string // path and fragment
	Outcome *OutcomeRef
}

// pendingRef is a reference read from a file, resolved once every part of
// the guide is loaded.
type pendingRef struct {
	file        string
	line        int
	raw         string
	guide       *Guide
	set         func(Ref)
	outcomeOnly bool
}

func (l *loader) resolveRefs(site *Site) {
	for _, p := range l.refs {
		ref, msg := resolveRef(p.guide, p.raw, p.outcomeOnly)
		if msg != "" {
			l.c.add(p.file, p.line, "reference %q: %s", p.raw, msg)
			continue
		}
		p.set(ref)
	}
}

// resolveRef reads "row:<id>", "faq:<id>", "profile:<role>",
// "article:<slug>[#<heading>]" or "<assessment>:<outcome>".
func resolveRef(g *Guide, raw string, outcomeOnly bool) (Ref, string) {
	kind, id, ok := strings.Cut(raw, ":")
	if !ok || id == "" {
		return Ref{}, "write it as kind:id, for example row:time-horizon, faq:which-pays-more or article:difference#when-to-split"
	}
	if outcomeOnly {
		a := g.Assessment(kind)
		if a == nil {
			return Ref{}, "unknown assessment " + strconv.Quote(kind) + " (write <assessment>:<outcome>, for example fit:product-manager)"
		}
		o := a.Outcome(id)
		if o == nil {
			return Ref{}, "assessment " + strconv.Quote(kind) + " has no outcome " + strconv.Quote(id)
		}
		return Ref{Kind: "outcome", Label: o.Title, URL: a.URL(), Outcome: &OutcomeRef{Assessment: a, Outcome: o}}, ""
	}
	switch kind {
	case "row":
		for _, d := range g.Comparison.Dimensions {
			if d.ID == id {
				return Ref{Kind: kind, Label: d.Name, URL: g.CompareURL() + "#" + d.Anchor()}, ""
			}
		}
		return Ref{}, "comparison.yaml has no dimension " + strconv.Quote(id)
	case "faq":
		f := g.FAQItem(id)
		if f == nil {
			return Ref{}, "faq.yaml has no item " + strconv.Quote(id)
		}
		return Ref{Kind: kind, Label: f.Question, URL: g.FAQHome.URL() + "#" + f.Anchor()}, ""
	case "profile":
		r := g.Role(id)
		if r == nil {
			return Ref{}, "guide.yaml has no role " + strconv.Quote(id)
		}
		return Ref{Kind: kind, Label: r.Name + " profile", URL: g.CompareURL() + "#" + ProfileAnchor(r.ID)}, ""
	case "article":
		slug, frag, _ := strings.Cut(id, "#")
		a := g.Article(slug)
		if a == nil {
			if now := g.renamed(slug); now != nil {
				return Ref{}, "the article " + strconv.Quote(slug) + " is now " + strconv.Quote(now.Slug) + " (its aliases keep the old address): write article:" + now.Slug + strings.TrimPrefix(id, slug)
			}
			return Ref{}, "the guide has no article " + strconv.Quote(slug)
		}
		if frag == "" {
			return Ref{Kind: kind, Label: a.Title, URL: a.URL()}, ""
		}
		for _, t := range a.TOC {
			if t.ID == frag {
				return Ref{Kind: kind, Label: t.Text, URL: a.URL() + "#" + frag}, ""
			}
		}
		return Ref{}, "article " + strconv.Quote(slug) + " has no section " + strconv.Quote(frag)
	}
	return Ref{}, "unknown kind " + strconv.Quote(kind) + ": use row, faq, profile or article"
}

// PageIDs maps every page's path to the fragment ids it carries. Link checks
// use it, and the site tests compare it with the rendered pages.
func (s *Site) PageIDs() map[string]map[string]bool { return fragmentsByPage(s.Guides) }

func fragmentsByPage(guides []*Guide) map[string]map[string]bool {
	pages := map[string]map[string]bool{"/": {IDMain: true}}
	for _, g := range guides {
		pages[g.URL()] = map[string]bool{IDMain: true}
		cmp := map[string]bool{IDMain: true, IDSources: true}
		for _, k := range []BlockKind{BlockComparison, BlockProfiles} {
			for _, id := range componentIDs(g, k) {
				cmp[id] = true
			}
		}
		pages[g.CompareURL()] = cmp
		for _, a := range g.Articles {
			pages[a.URL()] = a.IDs
		}
		for _, f := range g.FAQ {
			pages[g.FAQURL(f.ID)] = map[string]bool{IDMain: true}
		}
		for _, a := range g.Assessments {
			ids := map[string]bool{IDMain: true}
			for _, q := range a.Questions {
				ids[q.Anchor()] = true
			}
			pages[a.URL()] = ids
		}
	}
	return pages
}

// Link is a link written in the content, with where it was written. The
// build checks every internal one against the rendered pages (whether the
// page exists and carries the #fragment); Load checks only its form.
type Link struct {
	File string // path relative to the content root
	Line int
	Dest string // as written: /compare/pm-vs-po#row-scope, #details, https://…
	// Page is the path of the page the link appears on, or "" when its text
	// is shown on several pages.
	Page string
}

// Links lists every link written in the content's Markdown, in file order.
func (s *Site) Links() []Link { return s.links }

func (l *loader) exportLinks(site *Site) {
	site.links = make([]Link, len(l.links))
	for i, k := range l.links {
		site.links[i] = Link{File: k.file, Line: k.line, Dest: k.dest, Page: k.page}
	}
}

// checkLinks checks the form of every link in every Markdown text. With
// pages it also checks that each internal link's page and fragment exist;
// Load does that only for the "#fragment" links of pages that loaded when
// some other file has defects (samePageOnly), so that an editor sees those
// too. On a clean load the build checks every link against the rendered
// pages instead.
func (l *loader) checkLinks(pages map[string]map[string]bool, samePageOnly bool) {
	// Files with defects of their own, whose other problems may be knock-on.
	bad := map[string]bool{}
	for _, e := range l.c.errs {
		bad[e.File] = true
	}
	for _, k := range l.links {
		dest := k.dest
		if samePageOnly && (!strings.HasPrefix(dest, "#") || pages[k.page] == nil || bad[k.file] || partID(dest[1:])) {
			continue
		}
		switch {
		case strings.HasPrefix(dest, "https://"), strings.HasPrefix(dest, "http://"), strings.HasPrefix(dest, "mailto:"):
			continue
		case strings.HasPrefix(dest, "#"):
			if k.page == "" {
				l.c.add(k.file, k.line, "link %q: this text appears on several pages, so write the full path, for example /compare/<guide>#row-<id>", dest)
				continue
			}
			if pages != nil && !pages[k.page][dest[1:]] {
				l.c.add(k.file, k.line, "link %q: no element with that id on this page", dest)
			}
		case strings.HasPrefix(dest, "/") && !strings.HasPrefix(dest, "//"):
			u, err := url.Parse(dest)
			if err != nil {
				l.c.add(k.file, k.line, "link %q is not a valid URL", dest)
				continue
			}
			if pages == nil {
				continue
			}
			ids, ok := pages[u.Path]
			if !ok {
				l.c.add(k.file, k.line, "link %q: there is no page at %s", dest, u.Path)
				continue
			}
			if u.Fragment != "" && !ids[u.Fragment] {
				l.c.add(k.file, k.line, "link %q: the page %s has no element with id %q", dest, u.Path, u.Fragment)
			}
		default:
			l.c.add(k.file, k.line, "link %q: write internal links as paths starting with / (or a full https:// address)", dest)
		}
	}
}

// partID reports whether id belongs to a structured part or the layout,
// which another file's defect can remove from a page.
func partID(id string) bool {
	for _, p := range []string{"row-", "faq-", profilePrefix, "q-", decisionPrefix, weekPrefix, signalPrefix, interviewPrefix} {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	switch id {
	case IDMain, IDTOC, IDSources, IDComparison, IDProfiles, IDFAQ, IDTools, IDStructuredData, IDDecisions, IDWeek, IDHiring, IDMoved:
		return true
	}
	return false
}
