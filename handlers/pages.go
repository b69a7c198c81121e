package handlers

import (
	"fmt"

	"github.com/a-h/templ"

	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/views"
)

// renderPages renders every page that is the same for every request.
func (s *server) renderPages() (map[string]*resource, error) {
	site := s.site
	pages := map[string]templ.Component{}
	meta := func(title, desc, path string, crumbs ...views.Crumb) views.Meta {
		return views.Meta{Title: title, Description: desc, Path: path, Assets: s.assets, Crumbs: crumbs}
	}
	home := views.Crumb{Label: "Home", URL: "/"}
	pages["/"] = views.HomePage(meta(views.SiteName, "Clear, sourced comparisons of roles people confuse, starting with Product Manager vs Product Owner.", "/"), site)
	for _, g := range site.Guides {
		guide := views.Crumb{Label: g.Title, URL: g.URL()}
		pages[g.URL()] = views.GuidePage(meta(g.Title+": the complete guide", g.Description, g.URL(), home), site, g)
		pages[g.CompareURL()] = views.ComparePage(meta(g.Title+": side-by-side comparison", g.Description, g.CompareURL(), home, guide), site, g)
		for _, a := range g.Articles {
			pages[a.URL()] = views.ArticlePage(meta(a.Title, a.Description, a.URL(), home, guide), site, a)
		}
		for _, a := range g.Assessments {
			pages[a.URL()] = views.AssessmentPage(s.formMeta(a, false), site, a, views.FormState{})
		}
		for _, f := range g.FAQ {
			pages[g.FAQURL(f.ID)] = views.FAQPage(meta(f.Question, faqDescription(f), g.FAQURL(f.ID), home, guide), site, g, f)
		}
	}
	out := make(map[string]*resource, len(pages))
	for path, c := range pages {
		res, err := s.renderResource(c, cachePage)
		if err != nil {
			return nil, fmt.Errorf("rendering %s: %w", path, err)
		}
		out[path] = res
	}
	return out, nil
}

// faqDescription is a one-line summary of an answer for search results.
func faqDescription(f *content.FAQItem) string {
	return "The short answer to “" + f.Question + "”, from a sourced comparison of the two roles."
}
