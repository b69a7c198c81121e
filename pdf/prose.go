package pdf

import (
	"html/template"
	"strings"

	"github.com/pmvspo/site/content"
)

// Prose: rendered Markdown (an article's text, an FAQ answer, a note) laid
// out in the flow. Headings keep the start of what follows them on their
// page, list items indent by depth, block quotes and code sit in a panel
// that continues across a page break, and tables are drawn like the
// guide's own tables, their header repeated on every page they continue on.

// proseItem is one block of rendered Markdown, ready for the flow.
type proseItem struct {
	p       para
	heading int  // the heading level, or 0
	quote   bool // inside a block quote
	code    bool // a line of preformatted code
	rule    bool // a thematic break
	table   *grid
}

// panel is the box around a run of items: none, a block quote or code.
func (it proseItem) panel() int {
	switch {
	case it.quote:
		return 1
	case it.code:
		return 2
	}
	return 0
}

var (
	quoteBox = box{bg: rgb{0xff, 0xff, 0xff}, bar: colBorder, pad: 1.5}
	codeBox  = box{bg: colSurface, bar: colBorder, pad: 2}
)

// headingScale is each heading level's size relative to the text around it.
var headingScale = map[int]float64{1: 1.5, 2: 1.5, 3: 1.15}

// headingGap is the space above a heading of each level, millimetres.
func headingGap(level int) float64 {
	switch level {
	case 1, 2:
		return 7
	case 3:
		return 4.5
	}
	return 3.5
}

// proseItems lays out h at the column's indent.
func (w *writer) proseItems(h template.HTML, base style, indent float64) []proseItem {
	blocks := rich(h, base, w.resolve)
	lh := lineHeight(base.size)
	var out []proseItem
	for i, b := range blocks {
		var it proseItem
		it.quote = b.quote > 0
		switch b.kind {
		case richHeading:
			scale, ok := headingScale[b.heading]
			if !ok {
				scale = 1.05
			}
			size := base.size * scale
			ss := restyle(b.spans, func(st style) style { st.size, st.bold = size, true; return st })
			it.heading = b.heading
			it.p = para{spans: ss, lh: lineHeight(size) * 0.95, after: size * 0.2, indent: indent}
		case richPre:
			mono := base
			mono.mono, mono.size = true, base.size*0.9
			for _, l := range strings.Split(spansText(b.spans), "\n") {
				// Spaces in code count: a no-break space keeps each one.
				l = strings.ReplaceAll(strings.ReplaceAll(l, "\t", "    "), " ", "\u00a0")
				if l == "" {
					l = "\u00a0"
				}
				out = append(out, proseItem{code: true, quote: it.quote, p: para{spans: plain(l, mono), lh: lineHeight(mono.size), indent: indent}})
			}
			if n := len(out); n > 0 {
				out[n-1].p.after = 2.2
			}
			continue
		case richRule:
			it.rule = true
		case richTable:
			it.table = w.markdownTable(b.table)
		default:
			ss := b.spans
			if it.quote {
				ss = restyle(ss, func(st style) style {
					if st.link == "" && st.color == colText {
						st.color = colMuted
					}
					return st
				})
			}
			it.p = para{spans: ss, lh: lh, indent: indent, after: 2.2}
			if b.level > 0 {
				it.p.indent += 5.5 * float64(b.level)
				if b.marker != "" {
					mk := base
					mk.color = colMuted
					it.p.marker = plain(b.marker, mk)
				}
				if i+1 < len(blocks) && blocks[i+1].level > 0 && blocks[i+1].kind == richPara {
					it.p.after = 1
				}
			}
		}
		out = append(out, it)
	}
	if n := len(out); n > 0 {
		out[n-1].p.after = 0
	}
	return out
}

func restyle(ss []span, f func(style) style) []span {
	out := make([]span, len(ss))
	for i, s := range ss {
		out[i] = span{s.text, f(s.st)}
	}
	return out
}

// markdownTable turns a Markdown table into a grid: the first column names
// the row (as on the site), a column headed with a role's name takes the
// role's colours, and the columns share the width by what they hold.
func (w *writer) markdownTable(t *mdTable) *grid {
	n := len(t.head)
	for _, r := range t.rows {
		n = max(n, len(r))
	}
	if n == 0 {
		return nil
	}
	cell := func(ss []span, col int, head bool) []cellPara {
		if len(ss) == 0 {
			return nil
		}
		return []cellPara{{spans: restyle(ss, func(st style) style {
			st.size = sizeCell
			if head {
				st.bold, st.color = true, colMuted
			} else if col == 0 {
				st.bold = true
			}
			return st
		})}}
	}
	g := &grid{noHead: t.head == nil}
	for c := range n {
		col := column{}
		if c < len(t.head) {
			col.head = cell(t.head[c], c, true)
			if r := w.roleNamed(strings.TrimSpace(spansText(t.head[c]))); r != nil {
				col.role = r
				col.head = text(r.Name, style{size: sizeCell, bold: true, color: roleFg(r)})
			}
		}
		g.cols = append(g.cols, col)
	}
	for _, r := range t.rows {
		row := gridRow{}
		for c := range n {
			var ss []span
			if c < len(r) {
				ss = r[c]
			}
			row.cells = append(row.cells, cell(ss, c, false))
		}
		g.rows = append(g.rows, row)
	}
	g.shares = w.shares(g)
	return g
}

// roleNamed is the guide's role with that name or short name, or nil.
func (w *writer) roleNamed(name string) *content.Role {
	for _, r := range w.g.Roles {
		if name != "" && (name == r.Name || name == r.Short) {
			return r
		}
	}
	return nil
}

// shares divides a table's width among its columns the way a browser's
// automatic table layout does: each column at least as wide as its longest
// word, and what is left in proportion to how much wider each would like to
// be to set its cells on one line.
func (w *writer) shares(g *grid) []float64 {
	d := w.d
	total := d.right - d.left
	n := len(g.cols)
	minW, natW := make([]float64, n), make([]float64, n)
	measure := func(c int, ps []cellPara) {
		for _, p := range ps {
			nat := 0.0
			for _, t := range tokens(p.spans) {
				tw := d.width(t.st, t.text)
				minW[c] = max(minW[c], tw+2*cellPadX)
				if t.space {
					nat += d.width(t.st, " ")
				}
				nat += tw
			}
			natW[c] = max(natW[c], nat+2*cellPadX)
		}
	}
	for c, col := range g.cols {
		measure(c, col.head)
	}
	for _, r := range g.rows {
		for c, ps := range r.cells {
			measure(c, ps)
		}
	}
	// The first column names the row: keep a short name on one line.
	minW[0] = max(minW[0], min(natW[0], total*0.3))
	sumMin, sumNat := 0.0, 0.0
	for c := range n {
		minW[c] = min(minW[c], total/float64(n)) // a long URL may still break
		natW[c] = max(natW[c], minW[c])
		sumMin += minW[c]
		sumNat += natW[c]
	}
	out := make([]float64, n)
	for c := range n {
		switch {
		case sumNat <= total:
			// Everything fits on one line: spread the room left over.
			out[c] = natW[c] / sumNat
		case sumNat > sumMin:
			out[c] = (minW[c] + (total-sumMin)*(natW[c]-minW[c])/(sumNat-sumMin)) / total
		default:
			out[c] = 1 / float64(n)
		}
	}
	return out
}

// prose draws rendered Markdown in the flow. Headings of level 2 go into
// the outline at level outline; a negative outline keeps them out of it.
func (w *writer) prose(h template.HTML, base style, indent float64, outline int) {
	w.drawProse(w.proseItems(h, base, indent), outline, 0)
}

// drawProse draws items; tail is how much of what follows them a heading
// at their end must keep on its page.
func (w *writer) drawProse(items []proseItem, outline int, tail float64) {
	d := w.d
	open := 0 // the panel this loop opened
	for i, it := range items {
		if open != 0 && it.panel() != open {
			d.endBox()
			open = 0
			d.space(2.2)
		}
		if p := it.panel(); p != 0 && open == 0 && d.box == nil {
			b := quoteBox
			if p == 2 {
				b = codeBox
			}
			d.need(b.pad + w.itemFirst(items, i, tail))
			d.beginBox(b)
			open = p
		}
		switch {
		case it.heading > 0:
			gap := 0.0
			if d.y > d.top+0.01 {
				gap = min(headingGap(it.heading), max(0, d.bottom-d.y))
			}
			keep := min(tail, (d.bottom-d.top)/2)
			if i+1 < len(items) {
				keep = w.itemFirst(items, i+1, tail)
			}
			d.need(gap + d.height(it.p) + it.p.after + keep)
			if d.y > d.top+0.01 {
				d.space(gap)
			}
			if outline >= 0 && it.heading <= 2 {
				w.mark()
				d.bookmark(spansText(it.p.spans), outline)
			}
			d.paragraph(it.p)
		case it.rule:
			d.need(6)
			d.rule(colBorder, d.y+3, 0.3)
			d.y += 6
		case it.table != nil:
			d.space(1)
			w.table(*it.table, func() float64 { return 0 }, func() {})
			d.space(3)
		default:
			switch {
			case i == len(items)-1 && !it.code && w.keepTail(tail) > 0 && len(d.measure(it.p)) <= 3:
				// A short paragraph ending the block introduces what follows.
				d.need(d.height(it.p) + it.p.after + w.keepTail(tail))
			case i+1 < len(items) && introduces(it):
				// "…three questions:" never ends a page without its list.
				d.need(d.height(it.p) + it.p.after + w.itemFirst(items, i+1, tail))
			}
			d.paragraph(it.p)
		}
	}
	if open != 0 {
		d.endBox()
	}
}

// keepTail is how much of what follows a block its end keeps on its page:
// tail, unless that would take more than half a page.
func (w *writer) keepTail(tail float64) float64 {
	if tail > (w.d.bottom-w.d.top)/2 {
		return 0
	}
	return tail
}

// itemFirst is how much of items[i] must fit at the bottom of a page for
// it to start there: a paragraph's first lines, a table's header and first
// row, a heading with the start of what follows it. tail is the start of
// what follows the items, which a short last paragraph keeps with it.
func (w *writer) itemFirst(items []proseItem, i int, tail float64) float64 {
	d := w.d
	it := items[i]
	switch {
	case it.table != nil:
		return w.tableFirst(*it.table) + 1
	case it.rule:
		return 6
	case it.heading > 0:
		h := d.height(it.p) + it.p.after
		switch {
		case i+1 == len(items):
			h += min(tail, (d.bottom-d.top)/2) // a heading never ends a page
		case items[i+1].heading == 0:
			h += w.itemFirst(items, i+1, tail)
		}
		return h
	}
	if i == len(items)-1 && !it.code && w.keepTail(tail) > 0 && len(d.measure(it.p)) <= 3 {
		return d.height(it.p) + it.p.after + w.keepTail(tail)
	}
	if i+1 < len(items) && introduces(it) && len(d.measure(it.p)) <= 3 {
		return d.height(it.p) + it.p.after + w.itemFirst(items, i+1, tail)
	}
	return d.firstLines(it.p)
}

// introduces reports whether a paragraph announces what follows it, as a
// line ending in a colon does before a list.
func introduces(it proseItem) bool {
	return it.heading == 0 && !it.code && it.table == nil && !it.rule &&
		strings.HasSuffix(strings.TrimSpace(spansText(it.p.spans)), ":")
}

// proseHeight is how tall items are in the flow.
func (w *writer) proseHeight(items []proseItem) float64 {
	d := w.d
	total := 0.0
	for i, it := range items {
		switch {
		case it.table != nil:
			total += w.tableHeight(*it.table) + 4
		case it.rule:
			total += 6
		case it.heading > 0 && i > 0:
			total += headingGap(it.heading) + d.height(it.p) + it.p.after
		default:
			total += d.height(it.p) + it.p.after
		}
	}
	return total
}
