package pdf

import (
	"html/template"

	"github.com/pmvspo/site/content"
)

// Tables: a first column naming the row, then one column per role (or per
// setup, for the decisions table). Rows are kept whole on a page; a row with
// a note across the table ("sources differ") keeps the note, whole when the
// two fit on a page; the column headings repeat at the top of every page the
// table continues on.

const (
	cellPadX    = 2.0
	cellPadY    = 1.8
	cellParaGap = 1.0
	headBar     = 1.2 // the coloured bar on top of a role's heading
)

// cellPara is one paragraph of a table cell before layout: its spans and,
// for a list item, its marker.
type cellPara struct {
	spans  []span
	marker string
}

// cellText is one laid-out paragraph inside a table cell.
type cellText struct {
	lines  []line
	lh     float64
	indent float64
	marker []span
}

// cell is a laid-out table cell.
type cell struct {
	paras []cellText
	h     float64 // content height, without padding
}

func (d *doc) layoutCell(width float64, paras ...cellPara) cell {
	var c cell
	for _, p := range paras {
		if len(p.spans) == 0 {
			continue
		}
		size := p.spans[0].st.size
		ct := cellText{lh: lineHeight(size)}
		if p.marker != "" {
			ct.indent = 3.2
			ct.marker = plain(p.marker, style{size: size, color: colMuted})
		}
		ct.lines = d.wrap(p.spans, width-2*cellPadX-ct.indent)
		if len(c.paras) > 0 {
			c.h += cellParaGap
		}
		c.paras = append(c.paras, ct)
		c.h += float64(len(ct.lines)) * ct.lh
	}
	return c
}

func (d *doc) drawCell(c cell, x, y float64) {
	y += cellPadY
	for i, p := range c.paras {
		if i > 0 {
			y += cellParaGap
		}
		for k, l := range p.lines {
			if k == 0 && len(p.marker) > 0 {
				d.drawLine(d.place(tokens(p.marker)), x+cellPadX, y, p.lh)
			}
			d.drawLine(l, x+cellPadX+p.indent, y, p.lh)
			y += p.lh
		}
	}
}

// text is a single-paragraph cell's content.
func text(s string, st style) []cellPara {
	if s == "" {
		return nil
	}
	return []cellPara{{spans: plain(s, st)}}
}

// column is a table column's heading: a role's columns are drawn in its
// colours; others (the row names, a setup) in the neutral surface colour.
type column struct {
	head []cellPara
	role *content.Role
}

// grid is a table to draw.
type grid struct {
	cols []column
	// first is the width of the first column, as a share of the table; the
	// others share the rest equally. shares, when set, gives every column's.
	first  float64
	shares []float64
	// noHead is a table without a header row (a Markdown table can be one).
	noHead bool
	rows   []gridRow
}

// gridRow is one row: its cells' paragraphs and an optional note drawn
// across the table beneath it.
type gridRow struct {
	cells [][]cellPara
	note  *rowNote
}

// rowNote is rendered Markdown under a row, in a shaded box with a label.
type rowNote struct {
	label   string
	labelSt style
	body    template.HTML
	bg, bar rgb
}

// widths are the columns' x offsets and widths.
func (w *writer) widths(t grid) (xs, ws []float64) {
	d := w.d
	total := d.right - d.left
	first := total * t.first
	rest := total - first
	if len(t.cols) > 1 {
		rest /= float64(len(t.cols) - 1)
	}
	x := d.left
	for i := range t.cols {
		cw := rest
		switch {
		case i < len(t.shares):
			cw = total * t.shares[i]
		case i == 0:
			cw = first
		}
		xs, ws = append(xs, x), append(ws, cw)
		x += cw
	}
	return xs, ws
}

func (w *writer) headCells(t grid) ([]cell, float64) {
	d := w.d
	if t.noHead {
		return nil, 0
	}
	_, ws := w.widths(t)
	cs := make([]cell, len(t.cols))
	h := 0.0
	for i, c := range t.cols {
		cs[i] = d.layoutCell(ws[i], c.head...)
		h = max(h, cs[i].h)
	}
	return cs, h + 2*cellPadY + headBar
}

// header draws the column headings at d.y.
func (w *writer) header(t grid) {
	d := w.d
	if t.noHead {
		d.rule(colText, d.y, 0.35)
		return
	}
	xs, ws := w.widths(t)
	cs, h := w.headCells(t)
	for i, c := range t.cols {
		if c.role != nil {
			d.fill(roleBg(c.role), xs[i], d.y, ws[i], h)
			d.fill(roleFg(c.role), xs[i], d.y, ws[i], headBar)
		} else {
			d.fill(colSurface, xs[i], d.y, ws[i], h)
		}
		d.drawCell(cs[i], xs[i], d.y+headBar)
	}
	d.y += h
	d.rule(colText, d.y, 0.35)
}

// laidRow is a table row laid out at its columns' widths.
type laidRow struct {
	cells []cell
	h     float64
}

func (w *writer) layoutRows(t grid) []laidRow {
	d := w.d
	_, ws := w.widths(t)
	rows := make([]laidRow, len(t.rows))
	for k, r := range t.rows {
		l := laidRow{}
		for i := range t.cols {
			var ps []cellPara
			if i < len(r.cells) {
				ps = r.cells[i]
			}
			c := d.layoutCell(ws[i], ps...)
			l.cells = append(l.cells, c)
			l.h = max(l.h, c.h)
		}
		l.h += 2 * cellPadY
		rows[k] = l
	}
	return rows
}

// rowNeed is the height row k needs on its page: the row and its note. A
// short note stays whole with its row, a long one keeps at least its first
// lines (the rest may follow the repeated header on the next page; keeping
// every long note whole leaves pages a third empty).
func (w *writer) rowNeed(t grid, rows []laidRow, k int) float64 {
	n, h := t.rows[k].note, rows[k].h
	if n == nil {
		return h
	}
	if whole := w.noteHeight(n, false); whole <= maxWholeNote {
		return h + whole
	}
	return h + w.noteHeight(n, true)
}

// tableFirst is the height of t's header and first row.
func (w *writer) tableFirst(t grid) float64 {
	_, h := w.headCells(t)
	if rows := w.layoutRows(t); len(rows) > 0 {
		h += w.rowNeed(t, rows, 0)
	}
	return h
}

// tableHeight is the height of t on one page.
func (w *writer) tableHeight(t grid) float64 {
	_, h := w.headCells(t)
	for _, r := range w.layoutRows(t) {
		h += r.h
	}
	for _, r := range t.rows {
		if r.note != nil {
			h += w.noteHeight(r.note, false)
		}
	}
	return h
}

// table draws t. above is the height of what drawAbove draws over the
// table (heading, caption), kept on the page of the header and first row.
func (w *writer) table(t grid, above func() float64, drawAbove func()) {
	d := w.d
	xs, _ := w.widths(t)
	_, headH := w.headCells(t)
	rows := w.layoutRows(t)
	first := 0.0
	if len(rows) > 0 {
		first = w.rowNeed(t, rows, 0)
	}
	d.need(above() + headH + first)
	drawAbove()
	w.header(t)
	if !t.noHead {
		d.afterBreak = func() { w.header(t) }
		defer func() { d.afterBreak = nil }()
	}

	for k, r := range rows {
		note := t.rows[k].note
		if !d.fits(w.rowNeed(t, rows, k)) {
			d.newPage()
		}
		h := r.h
		if !d.fits(h) {
			// Taller than a page: nothing in the content is, but never draw
			// past the bottom margin.
			h = d.bottom - d.y
		}
		for i, c := range r.cells {
			d.drawCell(c, xs[i], d.y)
		}
		d.y += h
		if note != nil {
			w.drawNote(note)
		}
		d.rule(colBorder, d.y, 0.25)
	}
}

const notePad = 2.5

// maxWholeNote is the tallest note (millimetres, about five lines) always
// kept whole on the page of its row.
const maxWholeNote = 30

var noteText = style{size: sizeCell, color: colText}

// noteHeight is the height of a row's note, or, with start, of the part of
// it that must fit under its row.
func (w *writer) noteHeight(n *rowNote, start bool) float64 {
	head := notePad + lineHeight(n.labelSt.size) + 0.8
	return head + w.inBox(notePad, func() float64 {
		if start {
			return w.richFirstLines(n.body, noteText)
		}
		return w.richHeight(n.body, noteText) + notePad
	})
}

func (w *writer) drawNote(n *rowNote) {
	d := w.d
	d.beginBox(box{bg: n.bg, bar: n.bar, pad: notePad})
	d.paragraph(para{spans: plain(n.label, n.labelSt), lh: lineHeight(n.labelSt.size), after: 0.8})
	w.prose(n.body, noteText, 0, -1)
	d.endBox()
}

// inBox measures with the column narrowed as inside a box.
func (w *writer) inBox(pad float64, measure func() float64) float64 {
	saved := w.d.box
	w.d.box = &box{pad: pad}
	defer func() { w.d.box = saved }()
	return measure()
}

// The tables' column headings that are not names from the model. (Tests
// use them to recognise a heading repeated at the top of a page.)
const (
	headDimension = "Dimension"
	headDecision  = "Decision"
	headDay       = "Day"
	headSays      = "The job description says"
	headPoints    = "It points to"
	headWhy       = "Why"
)

var (
	headSt  = style{size: sizeCell, bold: true, color: colMuted}
	nameSt  = style{size: sizeCell, bold: true, color: colText}
	noteSt  = style{size: sizeSmall, color: colMuted}
	valueSt = style{size: sizeCell, color: colText}
	// differLabel is the label over a "sources differ" note.
	differLabel = style{size: 8, bold: true, color: colWarn}
)

// roleColumns are the heading of the first column and one column per role.
func roleColumns(first string, g *content.Guide) []column {
	cols := []column{{head: text(first, headSt)}}
	for _, r := range g.Roles {
		cols = append(cols, column{head: text(r.Name, style{size: sizeCell, bold: true, color: roleFg(r)}), role: r})
	}
	return cols
}

// comparison draws the caption and the table of every dimension.
func (w *writer) comparison() {
	if s := w.comparisonSection(); s != nil {
		w.section(s)
	}
}

func (w *writer) comparisonSection() *sectionSpec {
	g := w.g
	if len(g.Comparison.Dimensions) == 0 {
		return nil
	}
	t := grid{cols: roleColumns(headDimension, g), first: 0.3}
	if len(g.Roles) >= 3 {
		t.first = 0.25
	}
	for _, dim := range g.Comparison.Dimensions {
		r := gridRow{cells: [][]cellPara{append(text(dim.Name, nameSt), text(dim.Note, noteSt)...)}}
		for i := range g.Roles {
			v := ""
			if i < len(dim.Values) {
				v = dim.Values[i]
			}
			r.cells = append(r.cells, text(v, valueSt))
		}
		if dim.SourcesDiffer != "" {
			r.note = &rowNote{label: "Sources differ", labelSt: differLabel, body: dim.SourcesDiffer, bg: colWarnBg, bar: colWarn}
		}
		t.rows = append(t.rows, r)
	}
	return &sectionSpec{headComparison, g.Comparison.Caption, "", t}
}

// sectionSpec is a titled table: heading, caption, optional intro, table.
type sectionSpec struct {
	title, caption string
	intro          template.HTML
	t              grid
}

func (w *writer) captionPara(s *sectionSpec) para {
	return para{spans: plain(s.caption, style{size: sizeBody, italic: true, color: colMuted}), lh: lhBody, after: 2}
}

// sectionAbove is the height of what a section draws over its table.
func (w *writer) sectionAbove(s *sectionSpec) float64 {
	d := w.d
	h := w.headingPara(s.title)
	n := w.headingSpace() + d.height(h) + h.after
	if s.intro != "" {
		n += w.richHeight(s.intro, body) + 2
	}
	if s.caption != "" {
		c := w.captionPara(s)
		n += d.height(c) + c.after
	}
	return n
}

// sectionFirst is the height a section needs on the page it starts on:
// its heading, intro and caption with the table's header and first row.
func (w *writer) sectionFirst(s *sectionSpec) float64 {
	return w.sectionAbove(s) + w.tableFirst(s.t)
}

// section draws s, the heading kept with the caption, intro and first row.
func (w *writer) section(s *sectionSpec) {
	d := w.d
	w.table(s.t, func() float64 { return w.sectionAbove(s) }, func() {
		w.drawHeading(w.headingPara(s.title))
		if s.intro != "" {
			w.richBlocks(s.intro, body, 0)
			d.space(2)
		}
		if s.caption != "" {
			d.paragraph(w.captionPara(s))
		}
	})
}
