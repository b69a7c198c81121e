package build

import (
	"fmt"
	"strings"
	"time"

	"github.com/pmvspo/site/content"
)

// Drafts and scheduled articles. A published build is made from
// content.Site.Published: draft and scheduled guides and articles are not
// in it at all, so no page, card, sitemap entry, feed entry or JSON-LD can
// name them. What they would have been is kept here, only to explain a
// link to one. A preview build keeps them and badges their pages.

// hiddenSet maps the paths of hidden pages to why they are hidden, and
// holds the content folders of hidden guides.
type hiddenSet struct {
	pages  map[string]string
	guides []string // "guides/<slug>/"
}

func (h hiddenSet) has(path string) (string, bool) {
	why, ok := h.pages[path]
	return why, ok
}

// written reports whether a link was written in hidden content: a hidden
// article, or any file of a hidden guide.
func (h hiddenSet) written(k content.Link) bool {
	if _, ok := h.pages[k.Page]; ok && k.Page != "" {
		return true
	}
	for _, dir := range h.guides {
		if strings.HasPrefix(k.File, dir) {
			return true
		}
	}
	return false
}

// hidden lists what full has and published does not.
func hidden(full *content.Site, now time.Time) hiddenSet {
	h := hiddenSet{pages: map[string]string{}}
	for _, g := range full.Guides {
		if st := g.Status(now); st != content.Published {
			why := describe(st, g.Published)
			h.guides = append(h.guides, "guides/"+g.Slug+"/")
			h.pages[g.URL()], h.pages[g.CompareURL()] = why, why
			for _, a := range g.Articles {
				h.pages[a.URL()] = why
			}
			for _, f := range g.FAQ {
				h.pages[g.FAQURL(f.ID)] = why
			}
			for _, a := range g.Assessments {
				h.pages[a.URL()] = why
			}
			continue
		}
		for _, a := range g.Articles {
			if st := a.Status(now); st != content.Published {
				h.pages[a.URL()] = describe(st, a.Published)
			}
		}
	}
	return h
}

func describe(st content.Status, published time.Time) string {
	if st == content.Scheduled {
		return "scheduled for " + published.Format("January 2, 2006")
	}
	return "a draft"
}

// badge is what a preview page says about its status, or "" when readers see it.
func badge(now time.Time, g *content.Guide, a *content.Article) string {
	st, when := content.Published, time.Time{}
	if g != nil {
		st, when = g.Status(now), g.Published
	}
	if a != nil && st == content.Published {
		st, when = a.Status(now), a.Published
	}
	switch st {
	case content.Draft:
		return "Draft: readers and search engines do not see this page until draft: true is removed."
	case content.Scheduled:
		return "Scheduled: published on " + when.Format("January 2, 2006") + "; until then readers and search engines do not see this page."
	}
	return ""
}

// checkFAQHomes refuses a published guide whose FAQ lives in a hidden
// article: its FAQ pages and links would lead nowhere.
func (b *builder) checkFAQHomes() error {
	var errs content.Errors
	for _, g := range b.site.Guides {
		if g.FAQHome == nil {
			continue
		}
		if why, ok := b.hidden.has(g.FAQHome.URL()); ok {
			errs = append(errs, &content.Error{File: "guides/" + g.Slug + "/articles/" + g.FAQHome.Slug + ".md",
				Msg: fmt.Sprintf("this article places the FAQ, which the guide's published pages link to, so it cannot be %s while the guide is published", why)})
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}
