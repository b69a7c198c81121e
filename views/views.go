// Package views holds the site's templ components. They are pure: a typed
// model in, HTML out, with no I/O and no globals, so every page can be
// rendered once at start-up and tested by parsing its HTML.
package views

import (
	"html/template"
	"net/url"
	"strconv"
	"time"

	"github.com/a-h/templ"

	"github.com/pmvspo/site/content"
)

// The site's own copy, defined once: the header, titles, the home page,
// the feed and link previews all use these.
const (
	// SiteName is shown in the header, titles and link previews.
	SiteName = "Role Compass"
	// SiteTagline is the home page's heading and the site's share image.
	SiteTagline = "Clear comparisons of the roles people confuse"
	// SiteDescription describes the site to search engines and link previews.
	SiteDescription = "Clear, sourced comparisons of the roles people confuse: what each one does, where the sources disagree, and which fits you."
)

// HomeFeatured is how many guides the home page shows in full, and
// HomeMore how many more it names; the guide index lists the rest,
// GuidesPerIndexPage at a time.
const (
	HomeFeatured       = 4
	HomeMore           = 12
	GuidesPerIndexPage = 40
)

func featured(gs []*content.Guide) []*content.Guide { return gs[:min(len(gs), HomeFeatured)] }

func moreGuides(gs []*content.Guide) []*content.Guide {
	return gs[min(len(gs), HomeFeatured):min(len(gs), HomeFeatured+HomeMore)]
}

// GuideIndexURL is the path of page n of the guide index.
func GuideIndexURL(n int) string {
	if n <= 1 {
		return "/guides"
	}
	return "/guides/page/" + strconv.Itoa(n)
}

// Featured is the few guides a page that cannot list them all names (the
// home page's first, the error pages' suggestions).
func Featured(gs []*content.Guide) []*content.Guide { return featured(gs) }

// Assets are the content-hashed URLs of the static files every page uses.
type Assets struct {
	CSS  string
	JS   string
	Icon string
	// AssessJS enhances the assessment forms (a count of answered questions).
	AssessJS string
	// Preview, in the editors' live preview only, is the reload script's
	// path, and Build the number of the build the page belongs to.
	Preview, Build string
}

// Meta is what the layout needs to know about a page.
type Meta struct {
	Title       string // the page's own title; the layout appends the site name
	Description string
	Path        string // canonical path, for example /guides/pm-vs-po
	NoIndex     bool
	Assets      Assets
	// Crumbs is the breadcrumb trail above the page heading, without the page itself.
	Crumbs []Crumb

	// Origin is the public origin (https://example.com) for absolute URLs.
	Origin string
	// Article marks the page as an article for link previews, with its dates.
	Article   bool
	Published time.Time
	Modified  time.Time
	// Image is the path of the page's 1200×630 share image, with its text equivalent.
	Image    string
	ImageAlt string
	// StructuredData is the page's JSON-LD graph (see seo.go), or nil.
	StructuredData any
	// Badge, in the editors' preview only, says that readers do not see the
	// page yet (a draft, or scheduled), and why.
	Badge string
}

// abs makes a path absolute with the public origin.
func (m Meta) abs(path string) string { return m.Origin + path }

func (m Meta) ogType() string {
	if m.Article {
		return "article"
	}
	return "website"
}

// Crumb is one link of a breadcrumb trail.
type Crumb struct {
	Label string
	// Short, when set, is shown instead of Label on narrow screens, so
	// that a trail fits a phone's width in a line or two (a guide's
	// "PM vs PO" for "Product Manager vs Product Owner").
	Short string
	URL   string
}

// sep separates the items of a byline or an eyebrow: the no-break space
// before the "·" keeps it on the line of the item before it, so no line
// starts with one (browser/layout_test.go checks).
const sep = "\u00a0· "

// fullTitle is the document title: unique per page, site name last.
func (m Meta) fullTitle() string {
	if m.Title == "" || m.Title == SiteName {
		return SiteName
	}
	return m.Title + " · " + SiteName
}

// html hands rendered Markdown to templ. It is the one place where HTML
// produced by goldmark (raw HTML off) enters the page unescaped.
func html(h template.HTML) templ.Component { return templ.Raw(string(h)) }

// roleClass names the colour class of a role, by its position.
func roleClass(r *content.Role) string { return "role-" + string(rune('a'+r.Index)) }

func date(t time.Time) string { return t.Format("January 2, 2006") }

func isoDate(t time.Time) string { return t.Format("2006-01-02") }

func minutes(n int) string {
	if n == 1 {
		return "1 minute"
	}
	return strconv.Itoa(n) + " minutes"
}

// readingTime reads "7-minute read".
func readingTime(n int) string { return strconv.Itoa(n) + "-minute read" }

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// sourceLine describes a source for the sources list.
func sourceLine(s *content.Source) string {
	out := ""
	if s.Author != "" {
		out = s.Author
	}
	if !s.Published.IsZero() {
		if out != "" {
			out += ", "
		}
		out += "published " + date(s.Published)
	}
	return out
}

// otherArticles lists a guide's articles except a.
func otherArticles(a *content.Article) []*content.Article {
	var out []*content.Article
	for _, o := range a.Guide.Articles {
		if o != a {
			out = append(out, o)
		}
	}
	return out
}

func statusText(code int) string { return strconv.Itoa(code) }

// shareLinks are plain share URLs: no third-party script runs on our pages.
type shareLink struct{ Label, URL string }

func shareLinks(url, title string) []shareLink {
	u, t := queryEscape(url), queryEscape(title)
	return []shareLink{
		{"LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?url=" + u},
		{"X", "https://x.com/intent/post?url=" + u + "&text=" + t},
		{"Email", mailtoURL(title, url)},
	}
}

func queryEscape(s string) string { return url.QueryEscape(s) }

// tocItemAttrs marks a subsection's entry in the contents; a section's
// entry has no class at all (templ.KV would write class="" on each).
func tocItemAttrs(t content.TOCEntry) templ.Attributes {
	if t.Level == 3 {
		return templ.Attributes{"class": "toc-sub"}
	}
	return templ.Attributes{}
}
