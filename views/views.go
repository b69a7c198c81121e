// Package views holds the site's templ components. They are pure: a typed
// model in, HTML out, with no I/O and no globals, so every page can be
// rendered once at start-up and tested by parsing its HTML.
package views

import (
	"html/template"
	"strconv"
	"time"

	"github.com/a-h/templ"

	"github.com/pmvspo/site/content"
)

// SiteName is shown in the header, titles and link previews.
const SiteName = "Role Compass"

// Assets are the content-hashed URLs of the static files every page uses.
type Assets struct {
	CSS  string
	JS   string
	Icon string
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
}

// Crumb is one link of a breadcrumb trail.
type Crumb struct {
	Label string
	URL   string
}

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

func date(t time.Time) string { return t.Format("2 January 2006") }

func isoDate(t time.Time) string { return t.Format("2006-01-02") }

func minutes(n int) string {
	if n == 1 {
		return "1 minute"
	}
	return strconv.Itoa(n) + " minutes"
}

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
