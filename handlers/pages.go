package handlers

import (
	"fmt"

	"github.com/a-h/templ"

	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/views"
)

// page is one pre-rendered page: what to render and what the sitemap needs.
type page struct {
	component templ.Component
	meta      views.Meta
}

// meta starts the Meta of a page with what every page shares.
func (s *server) meta(title, desc, path string, crumbs ...views.Crumb) views.Meta {
	return views.Meta{Title: title, Description: desc, Path: path, Assets: s.assets, Crumbs: crumbs,
		Origin: s.baseURL, Image: "/og/site.png", ImageAlt: views.SiteName + ": clear comparisons of the roles people confuse"}
}

// withLD adds the breadcrumb trail and any other JSON-LD nodes to m.
func withLD(m views.Meta, nodes ...map[string]any) views.Meta {
	all := []map[string]any{}
	if len(m.Crumbs) > 0 {
		all = append(all, views.Breadcrumbs(m.Origin, m.Crumbs, m.Title, m.Path))
	}
	all = append(all, nodes...)
	if len(all) > 0 {
		m.StructuredData = views.Graph(all...)
	}
	return m
}

func guideImage(g *content.Guide) (string, string) {
	return "/og/" + g.Slug + ".png", g.Title + ": " + g.Description
}

// pages lists every page that is the same for every request.
func (s *server) pages() map[string]page {
	site := s.site
	out := map[string]page{}
	add := func(m views.Meta, c templ.Component) { out[m.Path] = page{component: c, meta: m} }
	home := views.Crumb{Label: "Home", URL: "/"}

	m := s.meta(views.SiteName, "Clear, sourced comparisons of roles people confuse, starting with Product Manager vs Product Owner.", "/")
	add(m, views.HomePage(m, site))
	for _, g := range site.Guides {
		img, alt := guideImage(g)
		guide := views.Crumb{Label: g.Title, URL: g.URL()}

		m := s.meta(g.Title+": the complete guide", g.Description, g.URL(), home)
		m.Image, m.ImageAlt, m.Modified = img, alt, g.Updated
		m = withLD(m)
		add(m, views.GuidePage(m, site, g))

		m = s.meta(g.Title+": side-by-side comparison", "Every dimension of "+g.Title+" side by side, with both role profiles.", g.CompareURL(), home, guide)
		m.Image, m.ImageAlt, m.Modified = img, alt, g.Updated
		m = withLD(m)
		add(m, views.ComparePage(m, site, g))

		for _, a := range g.Articles {
			m := s.meta(a.Title, a.Description, a.URL(), home, guide)
			m.Article, m.Published, m.Modified = true, a.Published, a.Updated
			m.Image, m.ImageAlt = "/og/"+g.Slug+"/"+a.Slug+".png", a.Title
			nodes := []map[string]any{views.ArticleLD(m.Origin, a, m.Image)}
			if g.FAQHome == a {
				nodes = append(nodes, views.FAQPageLD(g.FAQ))
			}
			m = withLD(m, nodes...)
			add(m, views.ArticlePage(m, site, a))
		}
		for _, f := range g.FAQ {
			m := s.meta(f.Question, faqDescription(f), g.FAQURL(f.ID), home, guide)
			m.Image, m.ImageAlt, m.Modified = img, alt, g.Updated
			m = withLD(m, views.FAQPageLD([]*content.FAQItem{f}))
			add(m, views.FAQPage(m, site, g, f))
		}
		for _, a := range g.Assessments {
			m := s.formMeta(a, false)
			m.Image, m.ImageAlt, m.Modified = "/og/"+g.Slug+"/"+a.ID+".png", a.Title, g.Updated
			m = withLD(m)
			add(m, views.AssessmentPage(m, site, a, views.FormState{}))
		}
	}
	return out
}

// renderPages renders and compresses every page in pages.
func (s *server) renderPages(pages map[string]page) (map[string]*resource, error) {
	out := make(map[string]*resource, len(pages))
	for path, p := range pages {
		res, err := s.renderResource(p.component, cachePage)
		if err != nil {
			return nil, fmt.Errorf("rendering %s: %w", path, err)
		}
		out[path] = res
	}
	return out, nil
}

// faqDescription is a one-line summary of an answer for search results.
func faqDescription(f *content.FAQItem) string {
	text := views.PlainText(string(f.Answer))
	if len(text) > 155 {
		cut := 155
		for cut > 0 && text[cut] != ' ' {
			cut--
		}
		text = text[:cut] + "…"
	}
	return text
}
