package content

import "time"

// Status says whether readers see a guide or an article.
type Status int

const (
	Published Status = iota
	// Draft is marked draft: true.
	Draft
	// Scheduled has a publication date still to come.
	Scheduled
)

// Status is the article's status at now: a draft, scheduled (published
// later than now), or published.
func (a *Article) Status(now time.Time) Status {
	switch {
	case a.Draft:
		return Draft
	case a.Published.After(now):
		return Scheduled
	}
	return Published
}

// Status is the guide's status at now: a draft, scheduled (none of its
// articles is out yet), or published.
func (g *Guide) Status(now time.Time) Status {
	if g.Draft {
		return Draft
	}
	if len(g.Articles) > 0 {
		for _, a := range g.Articles {
			if a.Status(now) == Published {
				return Published
			}
		}
		for _, a := range g.Articles {
			if a.Status(now) == Scheduled {
				return Scheduled
			}
		}
		return Draft // every article a draft: nothing to publish yet
	}
	return Published
}

// Published is the site as readers see it at now: without draft and
// scheduled guides and articles. It shares every unchanged part with s and
// never changes s. A guide's FAQ home keeps pointing to its article even
// when that is hidden, so that the build can report it.
func (s *Site) Published(now time.Time) *Site {
	out := &Site{byslug: map[string]*Guide{}, links: s.links}
	for _, g := range s.Guides {
		if g.Status(now) != Published {
			continue
		}
		g = g.published(now)
		out.Guides = append(out.Guides, g)
		out.byslug[g.Slug] = g
	}
	return out
}

// published is g without its hidden articles: g itself when none is.
func (g *Guide) published(now time.Time) *Guide {
	hidden := false
	for _, a := range g.Articles {
		hidden = hidden || a.Status(now) != Published
	}
	if !hidden {
		return g
	}
	g2 := *g
	g2.Articles, g2.Assessments = nil, nil
	g2.Updated, g2.Published = time.Time{}, time.Time{}
	for _, a := range g.Articles {
		if a.Status(now) != Published {
			continue
		}
		a2 := *a
		a2.Guide = &g2
		g2.Articles = append(g2.Articles, &a2)
		if g.FAQHome == a {
			g2.FAQHome = &a2
		}
		if a2.Updated.After(g2.Updated) {
			g2.Updated = a2.Updated
		}
		if g2.Published.IsZero() || a2.Published.Before(g2.Published) {
			g2.Published = a2.Published
		}
	}
	for _, as := range g.Assessments {
		as2 := *as
		as2.Guide = &g2
		g2.Assessments = append(g2.Assessments, &as2)
	}
	return &g2
}

// NextPublication is the first publication date after now of an article
// that is not a draft, or the zero time when there is none: the moment the
// published site changes by itself.
func (s *Site) NextPublication(now time.Time) time.Time {
	var next time.Time
	for _, g := range s.Guides {
		if g.Draft {
			continue
		}
		for _, a := range g.Articles {
			if !a.Draft && a.Published.After(now) && (next.IsZero() || a.Published.Before(next)) {
				next = a.Published
			}
		}
	}
	return next
}
