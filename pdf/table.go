package pdf

import (
	"github.com/pmvspo/site/content"
)

// The comparison table: a dimension column, then one column per role. Rows
// are kept whole on a page; a row with a "sources differ" note keeps the note
// (or at least its start) with it, and the column headings repeat at the top
// of every page the table continues on.

const (
	cellPadX = 2.0
	cellPadY = 1.8
)

var lhCell = lineHeight(sizeCell)

// cellText is one paragraph inside a table cell.
type cellText struct {
	lines []line
	lh    float64
}

// cell is a laid-out table cell.
type cell struct {
	paras []cellText
	h     float64 // content height, without padding
}

const cellParaGap = 1.0

func (d *doc) layoutCell(width float64, paras ...[]span) cell {
	var c cell
	lhs := []float64{lhCell, lineHeight(sizeSmall)}
	for i, sp := range paras {
		if len(sp) == 0 {
			continue
		}
		lh := lhs[min(i, len(lhs)-1)]
		ct := cellText{lines: d.wrap(sp, width-2*cellPadX), lh: lh}
		if len(c.paras) > 0 {
			c.h += cellParaGap
		}
		c.paras = append(c.paras, ct)
		c.h += float64(len(ct.lines)) * lh
	}
	return c
}

func (d *doc) drawCell(c cell, x, y float64) {
	y += cellPadY
	for i, p := range c.paras {
		if i > 0 {
			y += cellParaGap
		}
		for _, l := range p.lines {
			d.drawLine(l, x+cellPadX, y, p.lh)
			y += p.lh
		}
	}
}

// columns are the x offsets and widths of the table's columns.
func (w *writer) columns() (xs, ws []float64) {
	d := w.d
	n := len(w.g.Roles)
	total := d.right - d.left
	first := total * 0.3
	if n >= 3 {
		first = total * 0.25
	}
	rest := (total - first) / float64(n)
	x := d.left
	xs, ws = append(xs, x), append(ws, first)
	x += first
	for range n {
		xs, ws = append(xs, x), append(ws, rest)
		x += rest
	}
	return xs, ws
}

// tableHeader draws the column headings at d.y.
func (w *writer) tableHeader() {
	d, g := w.d, w.g
	xs, ws := w.columns()
	hs := []cell{d.layoutCell(ws[0], plain("Dimension", style{size: sizeCell, bold: true, color: colMuted}))}
	for i, r := range g.Roles {
		hs = append(hs, d.layoutCell(ws[i+1], plain(r.Name, style{size: sizeCell, bold: true, color: roleFg(r)})))
	}
	h := 0.0
	for _, c := range hs {
		h = max(h, c.h)
	}
	h += 2*cellPadY + 1.2
	d.fill(colSurface, xs[0], d.y, ws[0], h)
	for i, r := range g.Roles {
		d.fill(roleBg(r), xs[i+1], d.y, ws[i+1], h)
		d.fill(roleFg(r), xs[i+1], d.y, ws[i+1], 1.2)
	}
	for i, c := range hs {
		d.drawCell(c, xs[i], d.y+1.2)
	}
	d.y += h
	d.rule(colText, d.y, 0.35)
}

func (w *writer) headerHeight() float64 {
	d, g := w.d, w.g
	_, ws := w.columns()
	h := d.layoutCell(ws[0], plain("Dimension", style{size: sizeCell, bold: true})).h
	for i, r := range g.Roles {
		h = max(h, d.layoutCell(ws[i+1], plain(r.Name, style{size: sizeCell, bold: true})).h)
	}
	return h + 2*cellPadY + 1.2
}

// differLabel is the label over a "sources differ" note.
var differLabel = style{size: 8, bold: true, color: colWarn}

// comparison draws the caption and the table.
func (w *writer) comparison() {
	d, g := w.d, w.g
	dims := g.Comparison.Dimensions
	if len(dims) == 0 {
		return
	}
	xs, ws := w.columns()
	type row struct {
		cells []cell
		h     float64
		dim   *content.Dimension
	}
	rows := make([]row, len(dims))
	for k, dim := range dims {
		var note []span
		if dim.Note != "" {
			note = plain(dim.Note, style{size: sizeSmall, color: colMuted})
		}
		cs := []cell{d.layoutCell(ws[0], plain(dim.Name, style{size: sizeCell, bold: true, color: colText}), note)}
		h := cs[0].h
		for i := range g.Roles {
			v := ""
			if i < len(dim.Values) {
				v = dim.Values[i]
			}
			c := d.layoutCell(ws[i+1], plain(v, style{size: sizeCell, color: colText}))
			cs = append(cs, c)
			h = max(h, c.h)
		}
		rows[k] = row{cells: cs, h: h + 2*cellPadY, dim: dim}
	}

	caption := para{spans: plain(g.Comparison.Caption, style{size: sizeBody, italic: true, color: colMuted}), lh: lhBody, after: 2}
	w.h2("Side-by-side comparison", d.height(caption)+caption.after+w.headerHeight()+rows[0].h)
	d.paragraph(caption)
	w.tableHeader()
	d.afterBreak = w.tableHeader
	defer func() { d.afterBreak = nil }()

	for _, r := range rows {
		// A row keeps its note with it, whole when the two fit on a page.
		need := r.h
		if r.dim.SourcesDiffer != "" {
			whole := w.differHeight(r.dim)
			if r.h+whole > d.bottom-d.top-w.headerHeight() {
				whole = differPad + lineHeight(differLabel.size) + 0.8 + w.inBox(differPad, func() float64 {
					return w.richFirstLines(r.dim.SourcesDiffer, differText)
				})
			}
			need += whole
		}
		if !d.fits(need) {
			d.newPage()
		}
		if !d.fits(r.h) {
			// Taller than a page: nothing in the content is, but never draw
			// past the bottom margin.
			r.h = d.bottom - d.y
		}
		for i, c := range r.cells {
			d.drawCell(c, xs[i], d.y)
		}
		d.y += r.h
		if r.dim.SourcesDiffer != "" {
			w.differ(r.dim)
		}
		d.rule(colBorder, d.y, 0.25)
	}
}

// differ draws a row's "sources differ" note across the whole table.
func (w *writer) differ(dim *content.Dimension) {
	d := w.d
	d.beginBox(box{bg: colWarnBg, bar: colWarn, pad: differPad})
	d.paragraph(para{spans: plain("Sources differ", differLabel), lh: lineHeight(differLabel.size), after: 0.8})
	w.richBlocks(dim.SourcesDiffer, differText, 0)
	d.endBox()
}

const differPad = 2.5

var differText = style{size: sizeCell, color: colText}

// differHeight is the height of a row's whole "sources differ" note.
func (w *writer) differHeight(dim *content.Dimension) float64 {
	return 2*differPad + lineHeight(differLabel.size) + 0.8 + w.inBox(differPad, func() float64 {
		return w.richHeight(dim.SourcesDiffer, differText)
	})
}

// inBox measures with the column narrowed as inside a box.
func (w *writer) inBox(pad float64, measure func() float64) float64 {
	saved := w.d.box
	w.d.box = &box{pad: pad}
	defer func() { w.d.box = saved }()
	return measure()
}
