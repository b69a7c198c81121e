package pdf

import (
	"github.com/pmvspo/site/content"
)

// profilesKeep is what the profiles' heading keeps with it: the first
// role's name, tagline and facts.
const profilesKeep = 45

// profiles draws each role's profile, one after another across the column.
func (w *writer) profiles() {
	d, g := w.d, w.g
	if len(g.Roles) == 0 {
		return
	}
	w.h2(headProfiles, profilesKeep)
	for i, r := range g.Roles {
		if i > 0 {
			d.space(6)
		}
		w.profile(r)
	}
}

// profile is one role: its name in its colour, the three facts, then the
// lists, each heading kept with its first item.
func (w *writer) profile(r *content.Role) {
	d := w.d
	fg := roleFg(r)
	p := r.Profile
	facts := []para{
		factPara("Focus", p.Focus),
		factPara("Core question", "“"+p.CoreQuestion+"”"),
		factPara("Mindset", p.Mindset),
	}
	name := para{spans: []span{
		{r.Name + " ", style{size: 14, bold: true, color: fg}},
		{"(" + r.Short + ")", style{size: 14, color: colMuted}},
	}, lh: lineHeight(14), after: 0.5}
	tagline := para{spans: plain(r.Tagline, style{size: sizeBody, italic: true, color: colText}), lh: lhBody, after: 2.5}
	// Start a profile where its name, tagline and facts fit together.
	need := 3.2 + d.height(name) + name.after + d.height(tagline) + tagline.after
	for _, f := range facts {
		need += d.height(f) + f.after
	}
	d.need(need)
	d.bookmark(r.Name, w.outline+1)
	d.fill(fg, d.left, d.y, d.right-d.left, 1.2)
	d.y += 3.2
	d.paragraph(name)
	d.paragraph(tagline)
	for _, f := range facts {
		d.paragraph(f)
	}
	w.list("Owns", fg, p.Owns)
	w.list("Where the day goes", fg, p.LivesIn)
	w.list("Core responsibilities", fg, p.Responsibilities)
	w.points("Strengths", fg, p.Strengths)
	w.points("Where it struggles", fg, p.Struggles)
}

func factPara(label, text string) para {
	return para{spans: []span{{label + ": ", bold}, {text, body}}, lh: lhBody, after: 1.2}
}

func bullet(spans []span) para {
	return para{spans: spans, indent: 5, marker: plain("•", style{size: sizeBody, color: colMuted}), lh: lhBody, after: 0.8}
}

// subheading draws a list's title, kept with the start of the list.
func (w *writer) subheading(text string, c rgb, items []para) {
	d := w.d
	h := para{spans: plain(text, style{size: sizeBody + 0.5, bold: true, color: c}), lh: lineHeight(sizeBody + 0.5), after: 1}
	d.space(2.5)
	// A short list stays whole; a longer one keeps two items with its title
	// (and bullets keeps its last two together).
	keep := 0.0
	for i, p := range items {
		if len(items) > 4 && i == 2 {
			break
		}
		keep += d.height(p) + p.after
	}
	d.need(d.height(h) + h.after + keep)
	d.paragraph(h)
}

func (w *writer) list(title string, c rgb, items []string) {
	if len(items) == 0 {
		return
	}
	ps := make([]para, len(items))
	for i, it := range items {
		ps[i] = bullet(plain(it, body))
	}
	w.bullets(title, c, ps)
}

// bullets draws a titled list. The last item never stands alone at the top
// of a page: the one before it goes over with it.
func (w *writer) bullets(title string, c rgb, ps []para) {
	d := w.d
	w.subheading(title, c, ps)
	for i, p := range ps {
		if n := len(ps); n >= 3 && i == n-2 {
			d.need(d.height(p) + p.after + d.height(ps[n-1]))
		}
		d.paragraph(p)
	}
}

func (w *writer) points(title string, c rgb, pts []content.Point) {
	if len(pts) == 0 {
		return
	}
	item := func(p content.Point) para {
		return bullet(append([]span{{p.Title + ". ", bold}}, inline(p.Detail, body, w.resolve)...))
	}
	ps := make([]para, len(pts))
	for i, p := range pts {
		ps[i] = item(p)
	}
	w.bullets(title, c, ps)
}
