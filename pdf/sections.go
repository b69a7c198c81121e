package pdf

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/pmvspo/site/content"
)

// writer lays out the sections of one guide.
type writer struct {
	d         *doc
	g         *content.Guide
	canonical string
	base      string // the site's origin, for the articles' URLs
	// resolve makes a link absolute against the page the text is on: the
	// guide's, or the article's being drawn.
	resolve func(string) string
	// outline is the outline level of a section heading: 0, or 1 inside
	// an article.
	outline int
	// printed is where each structured part was drawn, for the
	// cross-reference an article that places it again gets.
	printed map[content.BlockKind]anchor
	// marked is the first heading drawn since mark was armed: the start
	// of the part being drawn.
	marked *anchor
	arming bool
}

var (
	lhBody  = lineHeight(sizeBody)
	lhSmall = lineHeight(sizeSmall)
)

// h2 draws a section heading, first making sure that keep more
// millimetres (the start of what follows) fit under it, so that no heading
// ends a page.
func (w *writer) h2(text string, keep float64) {
	w.d.need(w.h2Need(text, keep))
	w.drawHeading(w.headingPara(text))
}

// h2Need is the height h2 keeps on the page: the heading and keep.
func (w *writer) h2Need(text string, keep float64) float64 {
	p := w.headingPara(text)
	return w.headingSpace() + w.d.height(p) + p.after + keep
}

func (w *writer) headingPara(text string) para {
	return para{spans: plain(text, style{size: sizeH2, color: colText, bold: true}), lh: lineHeight(sizeH2) * 0.95, after: sizeH2 * 0.2}
}

// headingSpace is the space above a section heading drawn at d.y: none at
// the top of a page.
func (w *writer) headingSpace() float64 {
	d := w.d
	if d.y <= d.top+0.01 {
		return 0
	}
	return min(7, max(0, d.bottom-d.y))
}

func (w *writer) drawHeading(p para) {
	w.d.space(w.headingSpace())
	w.mark()
	w.d.bookmark(spansText(p.spans), w.outline)
	w.d.paragraph(p)
}

// titleBlock is the top of the first page: site, title, review date and
// the address of the guide online.
func (w *writer) titleBlock(site string) {
	d, g := w.d, w.g
	// The roles' colours side by side, like the site's mark.
	segW := (d.right - d.left) / float64(len(g.Roles))
	for i, r := range g.Roles {
		d.fill(roleFg(r), d.left+float64(i)*segW, d.y, segW, 1.8)
	}
	d.y += 5
	eyebrow := "GUIDE"
	if site != "" {
		eyebrow = strings.ToUpper(site) + " · GUIDE"
	}
	e := muted
	e.bold = true
	d.paragraph(para{spans: plain(eyebrow, e), lh: lhSmall, after: 1.5})
	d.paragraph(para{spans: plain(g.Title, style{size: sizeH1, color: colText, bold: true}), lh: lineHeight(sizeH1) * 0.92, after: 3})
	link := style{size: sizeSmall + 0.5, color: colLink, link: w.canonical, underline: true}
	m := style{size: sizeSmall + 0.5, color: colMuted}
	d.paragraph(para{spans: []span{
		{"Last reviewed " + longDate(reviewed(g)) + ". Read it online at ", m},
		{w.canonical, link}, {".", m},
	}, lh: lineHeight(sizeSmall + 0.5), after: 4})
}

// shortAnswer is the guide's one short answer, in the shaded panel the
// site uses for the TL;DR: the first article's TL;DR (which that article
// then does not repeat), or the guide's summary when there is none. It
// returns the article whose TL;DR it shows, if any.
func (w *writer) shortAnswer(articles []*content.Article) *content.Article {
	d, g := w.d, w.g
	w.h2(headShort, 25)
	first := firstRole(g)
	d.beginBox(box{bg: roleBg(first), bar: roleFg(first), pad: 3.5})
	defer d.endBox()
	if len(articles) > 0 && len(articles[0].TLDR) > 0 {
		w.tldr(articles[0])
		return articles[0]
	}
	d.paragraph(para{spans: plain(g.Summary, style{size: sizeBody + 0.5, color: colText}), lh: lineHeight(sizeBody + 0.5)})
	return nil
}

// tldr is an article's TL;DR items as a list, inside the current panel.
// Its links are made absolute against the article's page.
func (w *writer) tldr(a *content.Article) {
	resolve := w.resolve
	w.resolve = resolver(w.base + a.URL())
	defer func() { w.resolve = resolve }()
	for i, t := range a.TLDR {
		after := 1.0
		if i == len(a.TLDR)-1 {
			after = 0
		}
		w.d.paragraph(para{spans: inline(t, body, w.resolve), indent: 5, marker: plain("•", bold), lh: lhBody, after: after})
	}
}

func firstRole(g *content.Guide) *content.Role {
	if len(g.Roles) == 0 {
		return &content.Role{}
	}
	return g.Roles[0]
}

// roleCards sets the roles side by side: name, tagline and core question.
func (w *writer) roleCards() {
	d, g := w.d, w.g
	n := len(g.Roles)
	if n == 0 {
		return
	}
	const gap, pad = 4.0, 3.0
	cw := (d.right - d.left - gap*float64(n-1)) / float64(n)
	type card struct {
		name, tag, q []line
	}
	cards := make([]card, n)
	hMax := 0.0
	for i, r := range g.Roles {
		c := card{
			name: d.wrap(plain(r.Name+" ("+r.Short+")", style{size: sizeH3, bold: true, color: roleFg(r)}), cw-2*pad),
			tag:  d.wrap(plain(r.Tagline, style{size: sizeCell, italic: true, color: colText}), cw-2*pad),
			q: d.wrap([]span{{"Core question: ", style{size: sizeCell, bold: true, color: colText}},
				{"“" + r.Profile.CoreQuestion + "”", style{size: sizeCell, color: colText}}}, cw-2*pad),
		}
		cards[i] = c
		h := float64(len(c.name))*lineHeight(sizeH3) + float64(len(c.tag)+len(c.q))*lineHeight(sizeCell) + 2
		hMax = max(hMax, h)
	}
	total := hMax + 2*pad + 1.2
	d.space(5)
	d.need(total)
	top := d.y
	for i, r := range g.Roles {
		x := d.left + float64(i)*(cw+gap)
		d.fill(roleBg(r), x, top, cw, total)
		d.fill(roleFg(r), x, top, cw, 1.2)
		y := top + 1.2 + pad
		for _, l := range cards[i].name {
			d.drawLine(l, x+pad, y, lineHeight(sizeH3))
			y += lineHeight(sizeH3)
		}
		for _, l := range cards[i].tag {
			d.drawLine(l, x+pad, y, lineHeight(sizeCell))
			y += lineHeight(sizeCell)
		}
		y += 2
		for _, l := range cards[i].q {
			d.drawLine(l, x+pad, y, lineHeight(sizeCell))
			y += lineHeight(sizeCell)
		}
	}
	d.y = top + total
}

// richBlocks draws rendered Markdown in the flow, its headings out of the outline.
func (w *writer) richBlocks(h template.HTML, base style, indent float64) {
	w.prose(h, base, indent, -1)
}

// richHeight is the height of rendered Markdown in the flow.
func (w *writer) richHeight(h template.HTML, base style) float64 {
	return w.proseHeight(w.proseItems(h, base, 0))
}

// richFirstLines is how much of h must fit under a heading placed above it.
func (w *writer) richFirstLines(h template.HTML, base style) float64 {
	items := w.proseItems(h, base, 0)
	if len(items) == 0 {
		return 0
	}
	return w.itemFirst(items, 0, 0)
}

// faq is every question with its whole answer.
func (w *writer) faq() {
	d, g := w.d, w.g
	if len(g.FAQ) == 0 {
		return
	}
	w.h2(headFAQ, w.faqKeep())
	for i, f := range g.FAQ {
		p := questionPara(f)
		if i > 0 {
			d.space(5)
		}
		d.need(d.height(p) + p.after + w.richFirstLines(f.Answer, body))
		d.bookmark(f.Question, w.outline+1)
		d.paragraph(p)
		w.richBlocks(f.Answer, body, 0)
	}
}

func questionPara(f *content.FAQItem) para {
	return para{spans: plain(f.Question, style{size: sizeH3, bold: true, color: colText}), lh: lineHeight(sizeH3), after: 1.2}
}

// faqKeep is what the FAQ's heading keeps with it: the first question and
// the start of its answer.
func (w *writer) faqKeep() float64 {
	if len(w.g.FAQ) == 0 {
		return 0
	}
	f := w.g.FAQ[0]
	q := questionPara(f)
	return w.d.firstLines(q) + q.after + w.richFirstLines(f.Answer, body)
}

// sources lists the material the guide is built from, with full URLs.
// Each entry is short and kept whole on a page, the heading with the first.
func (w *writer) sources() {
	d, g := w.d, w.g
	if len(g.Sources) == 0 {
		return
	}
	entries := make([][]para, len(g.Sources))
	heights := make([]float64, len(g.Sources))
	for i, s := range g.Sources {
		entries[i] = sourceEntry(i, s)
		for k, p := range entries[i] {
			if k > 0 {
				heights[i] += sourceGap
			}
			heights[i] += d.height(p)
		}
	}
	w.h2(headSources, heights[0])
	for i, e := range entries {
		if i > 0 {
			d.space(3)
		}
		d.need(heights[i])
		for k, p := range e {
			if k > 0 {
				d.space(sourceGap)
			}
			d.paragraph(p)
		}
	}
}

const sourceGap = 0.6

// sourceEntry is a source's numbered title (linked when it has a URL),
// author and date, URL in full, and note.
func sourceEntry(i int, s *content.Source) []para {
	const indent = 7
	title := bold
	if s.URL != "" {
		title.link = s.URL
	}
	out := []para{{spans: plain(s.Title, title), lh: lhBody, indent: indent, marker: plain(strconv.Itoa(i+1)+".", bold)}}
	meta := s.Author
	if !s.Published.IsZero() {
		if meta != "" {
			meta += ", "
		}
		meta += "published " + longDate(s.Published)
	}
	if meta != "" {
		out = append(out, para{spans: plain(meta, body), lh: lhBody, indent: indent})
	}
	if s.URL != "" {
		u := body
		u.color, u.link, u.underline = colLink, s.URL, true
		out = append(out, para{spans: plain(s.URL, u), lh: lhBody, indent: indent})
	}
	if s.Note != "" {
		n := muted
		n.size = sizeSmall + 0.5
		out = append(out, para{spans: plain(s.Note, n), lh: lineHeight(n.size), indent: indent})
	}
	return out
}

// tocEntry is a line of the contents: a title and, once the layout is
// done, where it starts.
type tocEntry struct {
	title   string
	article bool
	at      anchor
	// where the line is kept: page, top, laid-out title
	page  int
	y     float64
	lines []line
	lh    float64
}

const tocNumW = 14 // the page-number column, millimetres

func tocStyle(e *tocEntry) style {
	return style{size: sizeBody, bold: e.article, color: colText}
}

// reserveContents heads the contents and keeps a place for each entry,
// page numbers to come. An entry is kept whole on a page.
func (w *writer) reserveContents(entries []*tocEntry) {
	d := w.d
	if len(entries) == 0 {
		return
	}
	width := d.right - d.left - tocNumW
	for _, e := range entries {
		e.lh = lhBody
		e.lines = d.wrap(plain(e.title, tocStyle(e)), width)
	}
	d.space(4)
	w.h2(headContents, float64(len(entries[0].lines))*lhBody)
	for _, e := range entries {
		h := float64(len(e.lines)) * e.lh
		d.need(h)
		e.page, e.y = d.f.PageNo(), d.y
		d.y += h
		d.space(1.6)
	}
}

// drawContents draws the entries in their places, each title and page
// number a link to where the entry starts.
func (w *writer) drawContents(entries []*tocEntry) {
	d := w.d
	for _, e := range entries {
		if e.at.page == 0 {
			continue // nothing was drawn for it
		}
		d.f.SetPage(e.page)
		d.cur = fontKey{}
		y := e.y
		for i, l := range e.lines {
			for k := range l.pieces {
				l.pieces[k].st.dest = e.at.link
			}
			d.drawLine(l, d.left, y, e.lh)
			if i == len(e.lines)-1 {
				num := strconv.Itoa(e.at.page)
				n := style{size: sizeBody, color: colMuted, dest: e.at.link}
				nl := d.place(tokens(plain(num, n)))
				d.drawLine(nl, d.right-nl.w, y, e.lh)
			}
			y += e.lh
		}
	}
}
