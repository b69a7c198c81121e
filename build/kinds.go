package build

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/a-h/templ"

	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/views"
)

// registry is every kind of page the site has, in the order they are built.
// Adding a kind of page is one entry here and one component in views: the
// entry says which pages of the model it has and how each is titled,
// described, linked, previewed and listed, and the build does the rest
// (rendering, compression, sitemap, feed, share images, JSON-LD, link checks).
var registry = []pageKind{
	kind[*content.Site]{
		name:        "home",
		of:          func(s *content.Site) []*content.Site { return []*content.Site{s} },
		path:        func(*content.Site) string { return "/" },
		title:       func(*content.Site) string { return views.SiteName },
		description: func(*content.Site) string { return views.SiteDescription },
		image:       siteImage,
		modified: func(s *content.Site) time.Time {
			var t time.Time
			for _, g := range s.Guides {
				if g.Updated.After(t) {
					t = g.Updated
				}
			}
			return t
		},
		component: func(m views.Meta, s *content.Site, _ *content.Site) templ.Component { return views.HomePage(m, s) },
	},
	kind[*content.Site]{
		// The privacy page says what the newsletter stores and how to leave;
		// it is the same for every reader, so it is built like any page.
		name:  "privacy",
		of:    func(s *content.Site) []*content.Site { return []*content.Site{s} },
		path:  func(*content.Site) string { return "/privacy" },
		title: func(*content.Site) string { return "Privacy" },
		description: func(*content.Site) string {
			return "What " + views.SiteName + " stores about newsletter subscribers, and how to leave."
		},
		crumbs: func(*content.Site) []views.Crumb { return nil },
		image:  siteImage,
		// It changes with the code, not with the guides: not in the sitemap.
		noSitemap: true,
		component: func(m views.Meta, s *content.Site, _ *content.Site) templ.Component {
			return views.PrivacyPage(m, s.Guides)
		},
	},
	kind[views.GuideIndex]{
		name: "guide index",
		of:   guideIndexPages,
		path: func(ix views.GuideIndex) string { return views.GuideIndexURL(ix.Page) },
		title: func(ix views.GuideIndex) string {
			if ix.Page > 1 {
				return "All guides, page " + strconv.Itoa(ix.Page) + " of " + strconv.Itoa(ix.Pages)
			}
			return "All guides"
		},
		description: func(ix views.GuideIndex) string {
			n := strconv.Itoa(ix.Total) + " comparisons"
			if ix.Total == 1 {
				n = "1 comparison"
			}
			return "Every guide of " + views.SiteName + ": " + n + " of roles people confuse."
		},
		crumbs: func(views.GuideIndex) []views.Crumb { return nil },
		modified: func(ix views.GuideIndex) time.Time {
			var t time.Time
			for _, g := range ix.Guides {
				if g.Updated.After(t) {
					t = g.Updated
				}
			}
			return t
		},
		image:     func(views.GuideIndex) shareImage { return siteImage(nil) },
		component: views.GuideIndexPage,
	},
	kind[*content.Guide]{
		name:        "guide",
		of:          guides,
		path:        (*content.Guide).URL,
		title:       func(g *content.Guide) string { return g.Title + ": the complete guide" },
		description: func(g *content.Guide) string { return g.Description },
		crumbs:      func(*content.Guide) []views.Crumb { return nil },
		guide:       func(g *content.Guide) *content.Guide { return g },
		image:       guideImage,
		modified:    func(g *content.Guide) time.Time { return g.Updated },
		aliases:     func(g *content.Guide) []content.Alias { return g.Aliases },
		component:   views.GuidePage,
	},
	kind[*content.Guide]{
		name:  "comparison",
		of:    guides,
		path:  (*content.Guide).CompareURL,
		title: func(g *content.Guide) string { return g.Title + ": side-by-side comparison" },
		description: func(g *content.Guide) string {
			return "Every dimension of " + g.Title + " side by side, with " + views.RoleProfilesPhrase(g) + "."
		},
		crumbs:    guideCrumbs,
		guide:     func(g *content.Guide) *content.Guide { return g },
		image:     guideImage,
		modified:  func(g *content.Guide) time.Time { return g.Updated },
		component: views.ComparePage,
	},
	kind[*content.Article]{
		name:        "article",
		of:          articles,
		path:        (*content.Article).URL,
		title:       func(a *content.Article) string { return a.Title },
		description: func(a *content.Article) string { return a.Description },
		crumbs:      func(a *content.Article) []views.Crumb { return guideCrumbs(a.Guide) },
		guide:       func(a *content.Article) *content.Guide { return a.Guide },
		image:       articleImage,
		article:     func(a *content.Article) *content.Article { return a },
		aliases:     func(a *content.Article) []content.Alias { return a.Aliases },
		ld: func(m views.Meta, a *content.Article) []map[string]any {
			nodes := []map[string]any{views.ArticleLD(m.Origin, a, m.Image)}
			if a.Guide.FAQHome == a {
				nodes = append(nodes, views.FAQPageLD(a.Guide.FAQ))
			}
			return nodes
		},
		component: views.ArticlePage,
	},
	kind[faqItem]{
		name:        "faq",
		of:          faqItems,
		path:        func(f faqItem) string { return f.guide.FAQURL(f.ID) },
		title:       func(f faqItem) string { return f.Question + " (" + f.guide.Title + ")" },
		description: func(f faqItem) string { return faqDescription(f.FAQItem) },
		crumbs:      func(f faqItem) []views.Crumb { return guideCrumbs(f.guide) },
		guide:       func(f faqItem) *content.Guide { return f.guide },
		image:       faqImage,
		modified:    func(f faqItem) time.Time { return f.guide.Updated },
		ld: func(_ views.Meta, f faqItem) []map[string]any {
			return []map[string]any{views.FAQPageLD([]*content.FAQItem{f.FAQItem})}
		},
		component: func(m views.Meta, s *content.Site, f faqItem) templ.Component {
			return views.FAQPage(m, s, f.guide, f.FAQItem)
		},
	},
	kind[*content.Assessment]{
		name:        "assessment",
		of:          assessments,
		path:        (*content.Assessment).URL,
		title:       func(a *content.Assessment) string { return a.Title + " (" + a.Guide.Title + ")" },
		description: func(a *content.Assessment) string { return a.Description },
		crumbs:      func(a *content.Assessment) []views.Crumb { return guideCrumbs(a.Guide) },
		guide:       func(a *content.Assessment) *content.Guide { return a.Guide },
		image:       assessmentImage,
		modified:    func(a *content.Assessment) time.Time { return a.Guide.Updated },
		component: func(m views.Meta, s *content.Site, a *content.Assessment) templ.Component {
			return views.AssessmentPage(m, s, a, views.FormState{})
		},
	},
}

// kind is one kind of page over items of type T (a guide, an article, …).
type kind[T any] struct {
	name string
	// of lists the kind's items in a site: one page each.
	of          func(*content.Site) []T
	path        func(T) string
	title       func(T) string
	description func(T) string
	// crumbs is the breadcrumb trail after "Home"; nil crumbs means the
	// page has no trail at all (the home page).
	crumbs func(T) []views.Crumb
	image  func(T) shareImage
	// modified is the page's last change, for the sitemap and link previews.
	modified func(T) time.Time
	// article, when set, makes the page an article: its dates go into link
	// previews and it is an entry of the feed.
	article func(T) *content.Article
	// ld adds JSON-LD nodes to the breadcrumb trail every page with crumbs has.
	ld func(views.Meta, T) []map[string]any
	// guide is the guide the page belongs to, whose draft or scheduled
	// status the page shares (in preview, its badge).
	guide func(T) *content.Guide
	// noSitemap leaves the kind's pages out of the sitemap.
	noSitemap bool
	// aliases are a page's old paths: each answers a 301 to the page
	// (redirects.go); they are in no sitemap, feed or listing.
	aliases   func(T) []content.Alias
	component func(views.Meta, *content.Site, T) templ.Component
}

// pageKind hides the item type of a kind, so that kinds of different types
// share one registry.
type pageKind interface {
	pages(b *builder) []*Page
}

func (k kind[T]) pages(b *builder) []*Page {
	var out []*Page
	for _, item := range k.of(b.site) {
		img := k.image(item)
		m := views.Meta{
			Title: k.title(item), Description: k.description(item), Path: k.path(item),
			Assets: b.assets, Origin: b.origin, Image: img.path, ImageAlt: img.alt,
		}
		if k.crumbs != nil {
			m.Crumbs = append([]views.Crumb{HomeCrumb}, k.crumbs(item)...)
		}
		if k.modified != nil {
			m.Modified = k.modified(item)
		}
		var art *content.Article
		if k.article != nil {
			art = k.article(item)
			m.Article, m.Published, m.Modified = true, art.Published, art.Updated
		}
		if b.preview && k.guide != nil {
			m.Badge = badge(b.now, k.guide(item), art)
		}
		b.addImage(img)
		p := &Page{Kind: k.name, Meta: m, Article: art, InSitemap: !k.noSitemap && !m.NoIndex,
			component: func() templ.Component {
				// The JSON-LD graph is made only when the page is rendered,
				// and only the body keeps it: made up front for every page,
				// it held tens of MB through a build of 1,000 guides.
				m := m
				var nodes []map[string]any
				if len(m.Crumbs) > 0 {
					nodes = append(nodes, views.Breadcrumbs(m.Origin, m.Crumbs, m.Title, m.Path))
				}
				if k.ld != nil {
					nodes = append(nodes, k.ld(m, item)...)
				}
				if len(nodes) > 0 {
					m.StructuredData = views.Graph(nodes...)
				}
				return k.component(m, b.site, item)
			}}
		if k.aliases != nil {
			p.aliases = k.aliases(item)
		}
		out = append(out, p)
	}
	return out
}

// HomeCrumb starts every breadcrumb trail.
var HomeCrumb = views.Crumb{Label: "Home", URL: "/"}

func guideCrumbs(g *content.Guide) []views.Crumb { return []views.Crumb{GuideCrumb(g)} }

// GuideCrumb is a guide's item in a breadcrumb trail, for the pages built
// here and those a feature renders per request.
func GuideCrumb(g *content.Guide) views.Crumb {
	return views.Crumb{Label: g.Title, Short: g.ShortTitle(), URL: g.URL()}
}

// The item lists of the kinds.

func guides(s *content.Site) []*content.Guide { return s.Guides }

func articles(s *content.Site) []*content.Article {
	var out []*content.Article
	for _, g := range s.Guides {
		out = append(out, g.Articles...)
	}
	return out
}

// guideIndexPages splits the guides into the pages of the index.
func guideIndexPages(s *content.Site) []views.GuideIndex {
	n := max(1, (len(s.Guides)+views.GuidesPerIndexPage-1)/views.GuidesPerIndexPage)
	out := make([]views.GuideIndex, n)
	for i := range out {
		lo := i * views.GuidesPerIndexPage
		out[i] = views.GuideIndex{Guides: s.Guides[lo:min(len(s.Guides), lo+views.GuidesPerIndexPage)],
			Page: i + 1, Pages: n, Total: len(s.Guides)}
	}
	return out
}

// faqItem is an FAQ answer with the guide it belongs to.
type faqItem struct {
	*content.FAQItem
	guide *content.Guide
}

func faqItems(s *content.Site) []faqItem {
	var out []faqItem
	for _, g := range s.Guides {
		for _, f := range g.FAQ {
			out = append(out, faqItem{f, g})
		}
	}
	return out
}

func assessments(s *content.Site) []*content.Assessment {
	var out []*content.Assessment
	for _, g := range s.Guides {
		out = append(out, g.Assessments...)
	}
	return out
}

// faqDescription is a one-line summary of an answer for search results:
// the answer's first sentences that fit in maxDescription, or, when even
// the first does not, its words up to there and an ellipsis.
func faqDescription(f *content.FAQItem) string {
	return summary(views.PlainText(string(f.Answer)), maxDescription)
}

// maxDescription is about what search results show of a description.
const maxDescription = 155

func summary(text string, limit int) string {
	if len(text) <= limit {
		return text
	}
	// The last sentence end within the limit, if it leaves enough to read.
	best := -1
	for i := 0; i < limit; i++ {
		if c := text[i]; (c == '.' || c == '?' || c == '!') && i+1 < len(text) && text[i+1] == ' ' {
			best = i + 1
		}
	}
	if best >= limit/2 {
		return text[:best]
	}
	cut := strings.LastIndexByte(text[:limit], ' ')
	if cut <= 0 {
		cut = limit
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
	}
	return strings.TrimRight(text[:cut], " ,;:–—-") + "…"
}
