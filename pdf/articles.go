package pdf

import (
	"strconv"
	"time"

	"github.com/pmvspo/site/content"
)

// The articles, in the guide's order, each from a new page: title, byline,
// TL;DR, then its text with the structured parts it places ({{comparison}},
// {{decisions}} …) drawn where it places them. A part is printed once in
// the whole PDF: an article that places a part already printed gets a line
// pointing to its page instead. The parts no article places follow the
// articles.

// Headings of sections that are not named in the content: the same words
// as the site's (content's table-of-contents entries for placed parts).
const (
	headShort      = "In short"
	headComparison = "Side-by-side comparison"
	headProfiles   = "Role profiles"
	headFAQ        = "Frequently asked questions"
	headTools      = "Check where you stand"
	headSources    = "Sources"
)

// anchor is a place in the PDF a link can go to.
type anchor struct {
	page  int
	title string
	link  int
}

// mark records the heading about to be drawn as the start of the part
// being drawn, when one is.
func (w *writer) mark() {
	if !w.arming {
		return
	}
	w.arming = false
	d := w.d
	id := d.f.AddLink()
	d.f.SetLink(id, d.y, d.f.PageNo())
	w.marked = &anchor{page: d.f.PageNo(), link: id}
}

// published are g's articles that readers can see at now, in order.
func published(g *content.Guide, now time.Time) []*content.Article {
	var out []*content.Article
	for _, a := range g.Articles {
		if a.Status(now) == content.Published {
			out = append(out, a)
		}
	}
	return out
}

// article draws a, from a new page. shortDone says its TL;DR is already
// the short answer on the first page.
func (w *writer) article(a *content.Article, shortDone bool) {
	d := w.d
	if d.y > d.top+0.01 {
		d.newPage()
	}
	url := w.base + a.URL()
	resolve := w.resolve
	w.resolve = resolver(url)
	w.outline = 1
	defer func() { w.resolve, w.outline = resolve, 0 }()

	d.bookmark(a.Title, 0)
	d.paragraph(para{spans: plain(a.Title, style{size: sizeArticle, bold: true, color: colText}), lh: lineHeight(sizeArticle) * 0.95, after: 2.5})
	m := style{size: sizeSmall + 0.5, color: colMuted}
	by := ""
	if a.Author != "" {
		by = "By " + a.Author + " · "
	}
	by += "Published " + longDate(a.Published)
	if !a.Updated.IsZero() && !a.Updated.Equal(a.Published) {
		by += " · Updated " + longDate(a.Updated)
	}
	if a.ReadingMinutes > 0 {
		by += " · " + strconv.Itoa(a.ReadingMinutes) + " min read"
	}
	d.paragraph(para{spans: plain(by, m), lh: lineHeight(m.size), after: 0.5})
	link := m
	link.color, link.link, link.underline = colLink, url, true
	d.paragraph(para{spans: []span{{"Online at ", m}, {url, link}}, lh: lineHeight(m.size), after: 4})
	if !shortDone && len(a.TLDR) > 0 {
		d.beginBox(box{bg: colSurface, bar: colMuted, pad: 3})
		e := muted
		e.bold = true
		d.paragraph(para{spans: plain("TL;DR", e), lh: lhSmall, after: 1})
		w.tldr(a)
		d.endBox()
		d.space(3)
	}
	for _, b := range a.Blocks {
		if b.Kind == content.BlockHTML {
			w.prose(b.HTML, body, 0, w.outline)
			d.space(2.2)
			continue
		}
		w.part(b.Kind)
		d.space(2.2)
	}
}

// part draws the structured part k, or, if it is already printed, a line
// saying where.
func (w *writer) part(k content.BlockKind) {
	if at, ok := w.printed[k]; ok {
		w.crossRef(at)
		return
	}
	w.arming, w.marked = true, nil
	title := ""
	switch k {
	case content.BlockComparison:
		title = headComparison
		w.comparison()
	case content.BlockProfiles:
		title = headProfiles
		w.profiles()
	case content.BlockFAQ:
		title = headFAQ
		w.faq()
	case content.BlockTools:
		title = headTools
		w.tools()
	case content.BlockDecisions:
		if w.g.Decisions != nil {
			title = w.g.Decisions.Title
		}
		w.decisions()
	case content.BlockWeek:
		if w.g.Week != nil {
			title = w.g.Week.Title
		}
		w.week()
	case content.BlockHiring:
		if w.g.Hiring != nil {
			title = w.g.Hiring.Title
		}
		w.hiring()
	}
	w.arming = false
	if w.marked != nil {
		at := *w.marked
		at.title = title
		w.printed[k] = at
	}
}

// crossRef points to a part printed earlier, by its title and page, the
// page number a link to it.
func (w *writer) crossRef(at anchor) {
	d := w.d
	m := style{size: sizeBody, color: colMuted}
	l := m
	l.color, l.underline, l.dest = colLink, true, at.link
	t := m
	t.italic = true
	p := para{spans: []span{{"See ", m}, {"“" + at.title + "”", t}, {" on ", m}, {"page " + strconv.Itoa(at.page), l}, {".", m}}, lh: lhBody}
	d.paragraph(p)
}

// tools lists the guide's self-assessments with their addresses: on paper
// they are links to follow later.
func (w *writer) tools() {
	d, g := w.d, w.g
	if len(g.Assessments) == 0 {
		return
	}
	entry := func(s *content.Assessment) []para {
		url := w.base + s.URL()
		t := bold
		t.link = url
		u := body
		u.color, u.link, u.underline = colLink, url, true
		n := strconv.Itoa(len(s.Questions)) + " questions"
		if len(s.Questions) == 1 {
			n = "1 question"
		}
		desc := s.Description + " " + n + ", about " + strconv.Itoa(s.Minutes) + " min."
		return []para{
			{spans: plain(s.Title, t), lh: lhBody, indent: 5, marker: plain("•", bold)},
			{spans: plain(desc, body), lh: lhBody, indent: 5},
			{spans: plain(url, u), lh: lhBody, indent: 5, after: 2},
		}
	}
	first := 0.0
	for _, p := range entry(g.Assessments[0]) {
		first += d.height(p) + p.after
	}
	w.h2(headTools, first)
	for _, s := range g.Assessments {
		ps := entry(s)
		h := 0.0
		for _, p := range ps {
			h += d.height(p) + p.after
		}
		d.need(h)
		for _, p := range ps {
			d.paragraph(p)
		}
	}
}
