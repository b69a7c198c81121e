package pdf

import (
	"strconv"
	"strings"

	"github.com/pmvspo/site/content"
)

// The guide's optional structured parts, when it has them: who decides
// what, a week of each role, and telling the roles apart when hiring.

// partyName is a party as a span: a role's name in its colour.
func partyName(p *content.Party, st style) span {
	st.bold = true
	if p.Role != nil {
		st.color = roleFg(p.Role)
	}
	return span{p.Name, st}
}

// parties lists parties after a label, as "Decides: PM PO".
func parties(label string, ps []*content.Party, st style) []span {
	if len(ps) == 0 {
		return nil
	}
	lb := st
	lb.color = colMuted
	out := []span{{label + " ", lb}}
	for i, p := range ps {
		if i > 0 {
			out = append(out, span{", ", st})
		}
		out = append(out, partyName(p, st))
	}
	return out
}

// citeText says where a cell or a part comes from: its sources, named by
// author and year as on the site, or the guide's own reading.
func citeText(sources []*content.Source, reading bool) string {
	if reading {
		return "Our reading; no source says this outright"
	}
	if len(sources) == 0 {
		return ""
	}
	var labels []string
	for _, s := range sources {
		labels = append(labels, s.CiteLabel())
	}
	label := "Sources: "
	if len(sources) == 1 {
		label = "Source: "
	}
	return label + strings.Join(labels, "; ")
}

// decisions is the "who decides what" table: a row per decision, a column
// per way of staffing the roles.
func (w *writer) decisions() {
	if s := w.decisionsSection(); s != nil {
		w.section(s)
	}
}

func (w *writer) decisionsSection() *sectionSpec {
	ds := w.g.Decisions
	if ds == nil || len(ds.Decisions) == 0 || len(ds.Setups) == 0 {
		return nil
	}
	t := grid{cols: []column{{head: text(headDecision, headSt)}}, first: 0.26}
	for _, s := range ds.Setups {
		t.cols = append(t.cols, column{head: append(text(s.Name, nameSt), text(s.Note, noteSt)...)})
	}
	for _, d := range ds.Decisions {
		r := gridRow{cells: [][]cellPara{append(text(d.Name, nameSt), text(d.Note, noteSt)...)}}
		for _, c := range d.Cells {
			var ps []cellPara
			if sp := parties("Decides:", c.Decides, valueSt); sp != nil {
				ps = append(ps, cellPara{spans: sp})
			}
			if sp := parties("Input from:", c.Consults, valueSt); sp != nil {
				ps = append(ps, cellPara{spans: sp})
			}
			if c.Text != "" {
				ps = append(ps, cellPara{spans: inline(c.Text, valueSt, w.resolve)})
			}
			ps = append(ps, text(citeText(c.Cite.Sources, c.Cite.Reading), noteSt)...)
			r.cells = append(r.cells, ps)
		}
		t.rows = append(t.rows, r)
	}
	return &sectionSpec{ds.Title, ds.Caption, ds.Intro, t}
}

// week is a working week of each role, side by side, with where their
// days meet under each row.
func (w *writer) week() {
	if s := w.weekSection(); s != nil {
		w.section(s)
		w.sourceLine(w.g.Week.Sources)
	}
}

func (w *writer) weekSection() *sectionSpec {
	wk, g := w.g.Week, w.g
	if wk == nil || len(wk.Days) == 0 {
		return nil
	}
	t := grid{cols: roleColumns(headDay, g), first: 0.16}
	for _, day := range wk.Days {
		r := gridRow{cells: [][]cellPara{text(day.Name, nameSt)}}
		for i := range g.Roles {
			var ps []cellPara
			if i < len(day.Roles) {
				for _, it := range day.Roles[i] {
					ps = append(ps, cellPara{spans: inline(it, valueSt, w.resolve), marker: "•"})
				}
			}
			r.cells = append(r.cells, ps)
		}
		if day.Together != "" {
			r.note = &rowNote{label: "Together", labelSt: style{size: 8, bold: true, color: colMuted}, body: day.Together, bg: colSurface, bar: colMuted}
		}
		t.rows = append(t.rows, r)
	}
	return &sectionSpec{wk.Title, wk.Caption, wk.Intro, t}
}

// hiring is the signals of a job posting and the interview questions per role.
func (w *writer) hiring() {
	h := w.g.Hiring
	if h == nil {
		return
	}
	if s := w.signalsSection(); s != nil {
		w.section(s)
	} else {
		w.h2(h.Title, hiringKeep)
		w.richBlocks(h.Intro, body, 0)
	}
	for _, iv := range h.Interviews {
		if iv.Role == nil || len(iv.Questions) == 0 {
			continue
		}
		ps := make([]para, len(iv.Questions))
		for i, q := range iv.Questions {
			sp := []span{{q.Ask, bold}, {" ", body}}
			strong := body
			strong.color = colMuted
			sp = append(sp, span{"A strong answer: ", withBold(strong)})
			sp = append(sp, inline(q.Strong, strong, w.resolve)...)
			ps[i] = para{spans: sp, indent: 6, marker: plain(strconv.Itoa(i+1)+".", bold), lh: lhBody, after: 1.5}
		}
		w.bullets("Interview questions for the "+iv.Role.Name+" role", roleFg(iv.Role), ps)
	}
	w.sourceLine(h.Sources)
}

// hiringKeep is what the hiring heading keeps with it when there are no
// signals: the start of its intro and the first interview questions.
const hiringKeep = 20

// signalsSection is the table of what a job posting's words point to, or
// nil when the guide lists none.
func (w *writer) signalsSection() *sectionSpec {
	h := w.g.Hiring
	if h == nil || len(h.Signals) == 0 {
		return nil
	}
	t := grid{cols: []column{
		{head: text(headSays, headSt)},
		{head: text(headPoints, headSt)},
		{head: text(headWhy, headSt)},
	}, first: 0.36}
	for _, s := range h.Signals {
		role := []cellPara{}
		if s.Role != nil {
			role = text(s.Role.Name, style{size: sizeCell, bold: true, color: roleFg(s.Role)})
		}
		t.rows = append(t.rows, gridRow{cells: [][]cellPara{
			text("“"+s.Says+"”", valueSt), role, {{spans: inline(s.Why, valueSt, w.resolve)}},
		}})
	}
	return &sectionSpec{h.Title, h.SignalsCaption, h.Intro, t}
}

func withBold(st style) style {
	st.bold = true
	return st
}

// sourceLine names the sources of a part under it.
func (w *writer) sourceLine(ss []*content.Source) {
	if t := citeText(ss, false); t != "" {
		w.d.space(2)
		w.d.paragraph(para{spans: plain(t, muted), lh: lhSmall})
	}
}
