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
	headContents   = "In this guide"
)

// blockGap is the space between an article's blocks.
const blockGap = 2.2

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

// article draws a, from a new page, and returns where it starts.
// shortDone says its TL;DR is already the short answer on the first page.
func (w *writer) article(a *content.Article, shortDone bool) anchor {
	d := w.d
	if d.y > d.top+0.01 {
		d.newPage()
	}
	start := anchor{page: d.f.PageNo(), title: a.Title, link: d.f.AddLink()}
	d.f.SetLink(start.link, d.y, start.page)
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
	for i, b := range a.Blocks {
		if b.Kind == content.BlockHTML {
			// A heading or a short paragraph just before a placed part
			// keeps the part's start (its heading and first lines, or the
			// line pointing to it) on its page.
			tail := 0.0
			if i+1 < len(a.Blocks) {
				tail = blockGap + w.partFirst(a.Blocks[i+1].Kind)
			}
			w.drawProse(w.proseItems(b.HTML, body, 0), w.outline, tail)
			d.space(blockGap)
			continue
		}
		if b.Kind == content.BlockGlance {
			// The short table has no heading of its own: it prints as the
			// table it is, under the article's heading.
			w.drawProse(w.proseItems(glanceHTML(w.g), body, 0), w.outline, 0)
			d.space(blockGap)
			continue
		}
		w.part(b.Kind)
		d.space(blockGap)
	}
	return start
}

// partTitle is the heading of the structured part k, or "" when the
// guide has nothing to show for it.
func partTitle(g *content.Guide, k content.BlockKind) string {
	switch k {
	case content.BlockComparison:
		if len(g.Comparison.Dimensions) > 0 {
			return headComparison
		}
	case content.BlockProfiles:
		if len(g.Roles) > 0 {
			return headProfiles
		}
	case content.BlockFAQ:
		if len(g.FAQ) > 0 {
			return headFAQ
		}
	case content.BlockTools:
		if len(g.Assessments) > 0 {
			return headTools
		}
	case content.BlockDecisions:
		if ds := g.Decisions; ds != nil && len(ds.Decisions) > 0 && len(ds.Setups) > 0 {
			return ds.Title
		}
	case content.BlockWeek:
		if wk := g.Week; wk != nil && len(wk.Days) > 0 {
			return wk.Title
		}
	case content.BlockHiring:
		if g.Hiring != nil {
			return g.Hiring.Title
		}
	}
	return ""
}

// appendix are the parts that follow the articles when no article places
// them, in the order of the comparison page. (The assessments are not
// among them: they are links an article offers where it suits it.)
var appendix = []content.BlockKind{content.BlockComparison, content.BlockDecisions, content.BlockProfiles,
	content.BlockWeek, content.BlockHiring, content.BlockFAQ}

// unplaced are the parts of the appendix that no article places.
func unplaced(g *content.Guide, articles []*content.Article) []content.BlockKind {
	placed := map[content.BlockKind]bool{}
	for _, a := range articles {
		for _, b := range a.Blocks {
			placed[b.Kind] = true
		}
	}
	var out []content.BlockKind
	for _, k := range appendix {
		if !placed[k] && partTitle(g, k) != "" {
			out = append(out, k)
		}
	}
	return out
}

// partFirst is the height part k needs on the page it starts on (what its
// first line of defence, its heading's need, asks for); a part already
// printed is a one-line pointer.
func (w *writer) partFirst(k content.BlockKind) float64 {
	if _, done := w.printed[k]; done {
		return lhBody
	}
	var s *sectionSpec
	switch k {
	case content.BlockComparison:
		s = w.comparisonSection()
	case content.BlockDecisions:
		s = w.decisionsSection()
	case content.BlockWeek:
		s = w.weekSection()
	case content.BlockHiring:
		if s = w.signalsSection(); s == nil && w.g.Hiring != nil {
			return w.h2Need(w.g.Hiring.Title, hiringKeep)
		}
	case content.BlockProfiles:
		return w.h2Need(headProfiles, profilesKeep)
	case content.BlockFAQ:
		return w.h2Need(headFAQ, w.faqKeep())
	case content.BlockTools:
		return w.h2Need(headTools, w.toolsKeep())
	}
	if s == nil {
		return 0
	}
	return w.sectionFirst(s)
}

// part draws the structured part k, or, if it is already printed, a line
// saying where.
func (w *writer) part(k content.BlockKind) {
	if at, ok := w.printed[k]; ok {
		w.crossRef(at)
		return
	}
	title := partTitle(w.g, k)
	if title == "" {
		return
	}
	w.arming, w.marked = true, nil
	switch k {
	case content.BlockComparison:
		w.comparison()
	case content.BlockProfiles:
		w.profiles()
	case content.BlockFAQ:
		w.faq()
	case content.BlockTools:
		w.tools()
	case content.BlockDecisions:
		w.decisions()
	case content.BlockWeek:
		w.week()
	case content.BlockHiring:
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
	w.h2(headTools, w.toolsKeep())
	for _, s := range g.Assessments {
		ps := w.toolEntry(s)
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

// toolsKeep is what the heading of the assessments keeps with it: the first.
func (w *writer) toolsKeep() float64 {
	if len(w.g.Assessments) == 0 {
		return 0
	}
	h := 0.0
	for _, p := range w.toolEntry(w.g.Assessments[0]) {
		h += w.d.height(p) + p.after
	}
	return h
}

// toolEntry is an assessment's title, what it asks and its address.
func (w *writer) toolEntry(s *content.Assessment) []para {
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
