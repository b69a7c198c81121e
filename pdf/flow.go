package pdf

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file is the text flow: styled spans are broken into lines that fit a
// width, and lines are placed down the page, breaking pages where a line no
// longer fits. fpdf's own Write and MultiCell draw as they go, so they cannot
// say in advance how tall a paragraph will be; measuring first is what lets
// the layout keep a heading with its text, keep a table row whole and avoid
// single lines stranded at the top or bottom of a page.

// rgb is a colour, 0-255 per channel.
type rgb struct{ r, g, b int }

// style is how one run of text looks.
type style struct {
	bold, italic, mono, underline bool
	size                          float64 // points
	color                         rgb
	link                          string // absolute URL the text links to, or ""
	dest                          int    // fpdf internal link the text goes to, or 0
}

// span is a run of text in one style.
type span struct {
	text string
	st   style
}

// piece is part of a laid-out line: text in one style at an x offset.
type piece struct {
	text string
	st   style
	x, w float64
}

// line is one laid-out line of a paragraph.
type line struct {
	pieces []piece
	w      float64
}

// token is a word, or part of a word where the style changes inside it.
// space says a breakable space came before it.
type token struct {
	text  string
	st    style
	space bool
}

// tokens splits spans into words, remembering where the spaces were; HTML
// whitespace rules apply (any run of white space is one space). A
// non-breaking space stays inside its word.
func tokens(spans []span) []token {
	var out []token
	space := false
	for _, s := range spans {
		start := -1
		for i, r := range s.text {
			if unicode.IsSpace(r) && r != '\u00a0' {
				if start >= 0 {
					out = append(out, token{s.text[start:i], s.st, space})
					start = -1
				}
				space = true
				continue
			}
			if start < 0 {
				start = i
			}
		}
		if start >= 0 {
			out = append(out, token{s.text[start:], s.st, space})
			space = false
		}
	}
	if len(out) > 0 {
		out[0].space = false
	}
	return out
}

// wrap breaks spans into lines no wider than width. Words wider than a whole
// line (long URLs) are broken after a slash, dash or dot where possible, or
// else between any two letters, so nothing is ever drawn past the margin.
func (d *doc) wrap(spans []span, width float64) []line {
	toks := tokens(spans)
	var lines []line
	var cur []token // tokens of the current line; cur[i].space marks a space before it
	curW := 0.0
	flush := func() {
		if len(cur) > 0 {
			lines = append(lines, d.place(cur))
		}
		cur, curW = nil, 0
	}
	for i := 0; i < len(toks); {
		// A group is a word: tokens joined without a space between them.
		j := i + 1
		for j < len(toks) && !toks[j].space {
			j++
		}
		group := toks[i:j]
		gw := 0.0
		for _, t := range group {
			gw += d.width(t.st, t.text)
		}
		sw := 0.0
		if len(cur) > 0 {
			sw = d.width(group[0].st, " ")
		}
		switch {
		case curW+sw+gw <= width:
			cur = append(cur, group...)
			curW += sw + gw
			i = j
		case len(cur) > 0:
			flush()
		default:
			// The word alone is too wide: break it inside.
			head, rest := d.breakWord(group, width)
			cur = append(cur, head...)
			flush()
			if len(rest) > 0 {
				rest[0].space = false
				toks = append(append(append([]token{}, toks[:i]...), rest...), toks[j:]...)
				// toks[i] is now the rest of the word.
			} else {
				i = j
			}
		}
	}
	flush()
	return lines
}

// breakWord splits a too-wide word into a part that fits width and the rest.
func (d *doc) breakWord(group []token, width float64) (head, rest []token) {
	// Flatten to runes with their token index, then find the last good cut.
	type rr struct {
		r   rune
		tok int
	}
	var runes []rr
	for ti, t := range group {
		for _, r := range t.text {
			runes = append(runes, rr{r, ti})
		}
	}
	w, fit, good := 0.0, 0, 0
	for k, x := range runes {
		w += d.width(group[x.tok].st, string(x.r))
		if w > width {
			break
		}
		fit = k + 1
		if strings.ContainsRune("/-.?&=#_", x.r) {
			good = k + 1
		}
	}
	if fit == 0 {
		fit = 1 // never loop: a single glyph wider than the line still goes on it
	}
	cut := fit
	if good > fit/2 {
		cut = good
	}
	split := func(from, to int) []token {
		var out []token
		for k := from; k < to; k++ {
			x := runes[k]
			if len(out) == 0 || out[len(out)-1].st != group[x.tok].st || k > from && runes[k-1].tok != x.tok {
				out = append(out, token{st: group[x.tok].st, space: k == from && group[x.tok].space})
			}
			out[len(out)-1].text += string(x.r)
		}
		return out
	}
	return split(0, cut), split(cut, len(runes))
}

// place turns the tokens of one line into pieces, joining neighbours of the
// same style so that the PDF holds whole phrases with real spaces (which
// keeps copied and extracted text readable). A space between two styles goes
// with the piece that is not a link or code, so link underlines stop at the
// word and a space after code is as wide as the text's.
func (d *doc) place(toks []token) line {
	var ps []piece
	for _, t := range toks {
		if len(ps) > 0 {
			last := &ps[len(ps)-1]
			if last.st == t.st {
				if t.space {
					last.text += " "
				}
				last.text += t.text
				continue
			}
			if t.space {
				if (last.st.link != "" || last.st.mono) && t.st.link == "" && !t.st.mono {
					ps = append(ps, piece{text: " " + t.text, st: t.st})
					continue
				}
				last.text += " "
			}
		}
		ps = append(ps, piece{text: t.text, st: t.st})
	}
	x := 0.0
	for i := range ps {
		ps[i].x = x
		ps[i].w = d.width(ps[i].st, ps[i].text)
		x += ps[i].w
	}
	return line{pieces: ps, w: x}
}

// width measures text in a style. Widths are cached: measuring goes through
// fpdf's current font, and every font change writes to the page.
func (d *doc) width(st style, s string) float64 {
	k := widthKey{st.bold, st.italic, st.mono, st.size, s}
	if w, ok := d.widths[k]; ok {
		return w
	}
	d.font(st)
	w := d.f.GetStringWidth(s)
	d.widths[k] = w
	return w
}

type widthKey struct {
	bold, italic, mono bool
	size               float64
	text               string
}

// font makes st the current font and colour, registering the font with
// the document the first time it is used, so that a PDF embeds only the
// faces it shows.
func (d *doc) font(st style) {
	family, s := familySans, ""
	if st.mono {
		family = familyMono
	} else {
		if st.bold {
			s += "B"
		}
		if st.italic {
			s += "I"
		}
	}
	if !d.fonts[family+s] {
		d.f.AddUTF8FontFromBytes(family, s, faces[family+s])
		d.fonts[family+s] = true
	}
	if st.underline {
		s += "U"
	}
	if k := (fontKey{family + s, st.size}); k != d.cur {
		d.f.SetFont(family, s, st.size)
		d.cur = k
	}
	d.f.SetTextColor(st.color.r, st.color.g, st.color.b)
}

type fontKey struct {
	face string
	size float64
}

// drawLine draws one line with its top at y, x0 its left edge, lh its height.
func (d *doc) drawLine(l line, x0, y, lh float64) {
	for _, p := range l.pieces {
		d.font(p.st)
		d.f.Text(x0+p.x, baseline(y, lh, p.st.size), p.text)
		if p.st.link != "" {
			d.f.LinkString(x0+p.x, y, p.w, lh, p.st.link)
		}
		if p.st.dest != 0 {
			d.f.Link(x0+p.x, y, p.w, lh, p.st.dest)
		}
	}
}

// baseline is where text of size pt sits in a line box of height lh at y:
// the glyphs' middle on the box's middle.
func baseline(y, lh, pt float64) float64 {
	return y + lh/2 + 0.35*pt*ptToMM
}

// ptToMM converts points to millimetres.
const ptToMM = 25.4 / 72

// lineHeight is the line box of text of size pt.
func lineHeight(pt float64) float64 { return pt * ptToMM * 1.42 }

// para is a paragraph to lay out in the flow.
type para struct {
	spans  []span
	indent float64 // from the left edge of the text column
	marker []span  // list bullet or number, drawn to the left of indent on the first line
	lh     float64
	after  float64 // space below
}

// measure lays a paragraph out at the column width.
func (d *doc) measure(p para) []line {
	return d.wrap(p.spans, d.colW()-p.indent)
}

// paragraph draws p in the flow. A paragraph that has to break leaves at
// least two lines on each page when it has four or more, and a paragraph of
// up to three lines is never split.
func (d *doc) paragraph(p para) {
	lines := d.measure(p)
	d.drawLines(p, lines)
}

func (d *doc) drawLines(p para, lines []line) {
	n := len(lines)
	first := min(n, 2)
	if n <= 3 {
		first = n
	}
	d.need(float64(first) * p.lh)
	for i, l := range lines {
		left := n - i
		switch {
		case !d.fits(p.lh):
			d.newPage()
		case left == 2 && i >= 2 && !d.fits(2*p.lh):
			// Move a line over so the last line is not alone on the next page.
			d.newPage()
		}
		d.boxLine(p.lh)
		x := d.colX() + p.indent
		if i == 0 && len(p.marker) > 0 {
			ml := d.place(tokens(p.marker))
			d.drawLine(ml, x-ml.w-1.6, d.y, p.lh)
		}
		d.drawLine(l, x, d.y, p.lh)
		d.y += p.lh
	}
	d.space(p.after)
}

// height is how tall p would be, without its space below.
func (d *doc) height(p para) float64 {
	return float64(len(d.measure(p))) * p.lh
}

// firstLines is the height p needs at the bottom of a page before it may
// start there: the lines drawLines keeps together at its start.
func (d *doc) firstLines(p para) float64 {
	n := len(d.measure(p))
	if n > 3 {
		n = 2
	}
	return float64(n) * p.lh
}

// plain makes a span list of one string.
func plain(s string, st style) []span { return []span{{s, st}} }

// truncate shortens s with an ellipsis until it fits width.
func (d *doc) truncate(st style, s string, width float64) string {
	if d.width(st, s) <= width {
		return s
	}
	for len(s) > 0 {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
		if d.width(st, strings.TrimSpace(s)+"…") <= width {
			return strings.TrimSpace(s) + "…"
		}
	}
	return ""
}
