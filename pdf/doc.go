package pdf

import (
	"codeberg.org/go-pdf/fpdf"
)

// doc is one PDF being laid out: the fpdf document, the text column and the
// current position in the flow.
type doc struct {
	f *fpdf.Fpdf
	// page geometry, millimetres
	pageW, pageH        float64
	left, right         float64 // text column edges
	top, bottom         float64 // flow area: first and last y of text
	y                   float64 // top of the next thing drawn
	box                 *box    // the shaded box the flow is inside, if any
	afterBreak          func()  // called after each page break (a table redraws its header)
	header, headerRight string  // running header, left and right
	linkFooter          string  // the footer's link: the guide's canonical URL
	widths              map[widthKey]float64
	fonts               map[string]bool // faces registered with fpdf
	cur                 fontKey         // the font last set; fpdf writes every SetFont to the page
}

// box is a shaded panel with a coloured bar on its left, like the site's
// TL;DR and "sources differ" panels. It is drawn one line at a time, so it
// continues across a page break.
type box struct {
	bg, bar rgb
	pad     float64
}

const barW = 1.4

func (d *doc) colX() float64 {
	if d.box != nil {
		return d.left + barW + d.box.pad
	}
	return d.left
}

func (d *doc) colW() float64 {
	if d.box != nil {
		return d.right - d.left - barW - 2*d.box.pad
	}
	return d.right - d.left
}

// fits says whether h more millimetres fit on the current page.
func (d *doc) fits(h float64) bool { return d.y+h <= d.bottom+0.01 }

// need starts a new page unless h fits on this one. Something taller than a
// whole page starts where it is and breaks as it goes.
func (d *doc) need(h float64) {
	if !d.fits(h) && d.y > d.top+0.01 {
		d.newPage()
	}
}

// newPage ends the page and starts the next one at the top of the flow.
func (d *doc) newPage() {
	d.f.AddPage()
	d.cur = fontKey{} // fpdf restored its own idea of the font
	d.y = d.top
	if d.afterBreak != nil {
		d.afterBreak()
	}
}

// boxLine shades the strip of the current box that a line of height h at d.y covers.
func (d *doc) boxLine(h float64) {
	if d.box == nil || h <= 0 {
		return
	}
	d.fill(d.box.bg, d.left, d.y, d.right-d.left, h)
	d.fill(d.box.bar, d.left, d.y, barW, h)
}

// space adds vertical space; at the bottom of a page it is simply dropped.
func (d *doc) space(h float64) {
	if h <= 0 {
		return
	}
	if !d.fits(h) {
		h = max(0, d.bottom-d.y)
	}
	d.boxLine(h)
	d.y += h
}

// beginBox starts a shaded box; endBox closes it.
func (d *doc) beginBox(b box) {
	d.box = &b
	d.space(b.pad)
}

func (d *doc) endBox() {
	if d.box == nil {
		return
	}
	d.space(d.box.pad)
	d.box = nil
}

// fill draws a filled rectangle.
func (d *doc) fill(c rgb, x, y, w, h float64) {
	d.f.SetFillColor(c.r, c.g, c.b)
	d.f.Rect(x, y, w, h, "F")
}

// rule draws a horizontal line across the column.
func (d *doc) rule(c rgb, y, width float64) {
	d.f.SetDrawColor(c.r, c.g, c.b)
	d.f.SetLineWidth(width)
	d.f.Line(d.left, y, d.right, y)
}

// bookmark adds an entry to the PDF's outline (the viewer's sidebar) for
// what is drawn next.
func (d *doc) bookmark(text string, level int) {
	d.font(body) // the outline's text is encoded like the current font's
	d.f.Bookmark(text, level, d.y)
}
