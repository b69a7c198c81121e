// Package ogimage draws the 1200×630 PNG "Open Graph" cards that chat apps
// and social sites show when someone shares a link to the site.
//
// The cards are drawn in pure Go with the Go fonts embedded in
// golang.org/x/image, so rendering needs no browser, no system fonts and no
// network: the same input gives the same bytes on every machine, which lets
// callers cache the result safely.
package ogimage

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// Width and Height are the size every card is drawn at, the size link previews expect.
const Width, Height = 1200, 630

// Role is one side of the comparison, drawn as a coloured label.
type Role struct {
	Name  string     // e.g. "Product Manager"
	Color color.RGBA // the role's colour
}

// Card is what one image shows.
type Card struct {
	Eyebrow string // small caps line above the title, e.g. "Guide" or "Your result"
	Title   string // wrapped onto at most 4 lines, shrinking the font if needed; ellipsis if still too long
	Detail  string // optional one or two lines under the title, smaller and muted
	Roles   []Role // 0–3 coloured role labels along the bottom
	Site    string // site name, bottom right, e.g. "Role Compass"
	// Keep lists phrases that are never broken across lines in the title
	// or the detail, such as role names ("Product Manager"); the card's
	// own role names are always kept.
	Keep []string
}

// nbsp joins the words of a kept phrase: wrap breaks lines only at other spaces.
const nbsp = "\u00a0"

// glue joins the words of every kept phrase in s with nbsp.
func glue(s string, keep []string) string {
	for _, k := range keep {
		if strings.Contains(k, " ") {
			s = strings.ReplaceAll(s, k, strings.ReplaceAll(k, " ", nbsp))
		}
	}
	return s
}

func (c Card) keep() []string {
	out := append([]string{}, c.Keep...)
	for _, r := range c.Roles {
		out = append(out, r.Name)
	}
	// Longer phrases first, so "Senior Product Manager" is glued whole.
	slices.SortFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// Layout. Every size is in pixels; the text column is the card minus the
// side margins, and the footer row (labels, site name) sits below it, so
// the two can never overlap whatever the title's length.
const (
	margin      = 80
	bandH       = 12                   // coloured strip along the top edge
	labelH      = 48                   // height of a role label
	labelTop    = Height - 64 - labelH // top of the footer row
	textBottom  = labelTop - 44        // lowest point title and detail may reach
	maxTitle    = 4                    // most title lines before ellipsis
	maxDetail   = 2                    // most detail lines before ellipsis
	detailSize  = 30
	detailLineH = 40
	detailGap   = 64 // title baseline to first detail baseline
	ellipsis    = "…"
)

var (
	background = color.RGBA{0xf7, 0xf8, 0xfa, 0xff}
	ink        = color.RGBA{0x1b, 0x23, 0x30, 0xff}
	muted      = color.RGBA{0x4b, 0x55, 0x65, 0xff}
	// defaultPair colours the band and the site mark when a card has fewer
	// than two roles, so every card still carries the two-colour identity.
	defaultPair = []color.RGBA{{0x1d, 0x4f, 0x91, 0xff}, {0x8a, 0x4a, 0x00, 0xff}}
)

// The fonts are parsed once, on first use, and shared: *opentype.Font is
// safe for concurrent use, whereas faces are cheap and made per Render
// because a face keeps scratch buffers and must not be shared.
var (
	fontsOnce     sync.Once
	bold, regular *opentype.Font
	fontsErr      error
)

func loadFonts() error {
	fontsOnce.Do(func() {
		if bold, fontsErr = opentype.Parse(gobold.TTF); fontsErr == nil {
			regular, fontsErr = opentype.Parse(goregular.TTF)
		}
	})
	return fontsErr
}

// Render draws the card as a PNG. It is safe for concurrent use.
func Render(c Card) ([]byte, error) {
	if err := loadFonts(); err != nil {
		return nil, fmt.Errorf("ogimage: parse fonts: %w", err)
	}
	img := image.NewRGBA(image.Rect(0, 0, Width, Height))
	draw.Draw(img, img.Bounds(), image.NewUniform(background), image.Point{}, draw.Src)

	roles := c.Roles
	if len(roles) > 3 {
		roles = roles[:3]
	}
	var band []color.RGBA
	for _, r := range roles {
		band = append(band, r.Color)
	}
	if len(band) < 2 {
		band = defaultPair
	}
	for i, col := range band { // equal segments, the last absorbs rounding
		x0, x1 := i*Width/len(band), (i+1)*Width/len(band)
		draw.Draw(img, image.Rect(x0, 0, x1, bandH), image.NewUniform(col), image.Point{}, draw.Src)
	}

	const innerW = Width - 2*margin
	// Ink can stray a pixel or two past a glyph's advance, so wrap a little
	// narrower than the column to keep every pixel inside the margins.
	const wrapW = innerW - 4
	top := 88
	if c.Eyebrow != "" {
		col := muted // the first role's colour ties the kicker to the comparison
		if len(roles) > 0 {
			col = roles[0].Color
		}
		drawTracked(img, face(bold, 24), col, margin, 104, 3, strings.ToUpper(c.Eyebrow), wrapW)
		top = 140
	}

	// Detail is laid out first because the room it takes decides how large
	// the title can be.
	df := face(regular, detailSize)
	var detail []string
	keep := c.keep()
	c.Title, c.Detail = glue(c.Title, keep), glue(c.Detail, keep)
	if d := strings.TrimSpace(c.Detail); d != "" {
		detail = clamp(df, balance(df, d, wrapW, maxDetail), maxDetail, wrapW)
	}

	// Try the biggest title size first and step down until the title fits
	// in four lines within the space left; at the smallest size, clamp.
	var tf font.Face
	var title []string
	var lineH, base int // base is the first title line's baseline
	for size := 72; size >= 48; size -= 4 {
		tf, lineH = face(bold, float64(size)), size*118/100
		title, base = wrap(tf, c.Title, wrapW), top+capHeight(tf)
		room := size / 4 // descenders of the last line
		if len(detail) > 0 {
			room = detailGap + (len(detail)-1)*detailLineH + 8
		}
		if len(title) <= maxTitle && base+(len(title)-1)*lineH+room <= textBottom {
			break
		}
	}
	title = clamp(tf, balance(tf, c.Title, wrapW, maxTitle), maxTitle, wrapW)
	for i, line := range title {
		text(img, tf, ink, margin, base+i*lineH, line)
	}
	y := base + (len(title)-1)*lineH + detailGap // first detail baseline
	if len(title) == 0 {
		y = top + capHeight(df)
	}
	for i, line := range detail {
		text(img, df, muted, margin, y+i*detailLineH, line)
	}

	// Footer: the site name and its mark hug the right margin; labels fill
	// from the left and are shortened if they would run into the name.
	right := Width - margin
	if c.Site != "" {
		sf := face(bold, 28)
		site := fit(sf, c.Site, innerW/2)
		w := font.MeasureString(sf, site).Ceil()
		text(img, sf, ink, right-w, labelTop+labelH/2+capHeight(sf)/2, site)
		right -= w + 14 + 30
		mark(img, image.Rect(right, labelTop+9, right+30, labelTop+39), band)
		right -= 32
	}
	lf := face(bold, 24)
	x := margin
	for i, r := range roles {
		// Leave ~120px for each label still to come, so one long name
		// cannot push the others off the card.
		avail := right - x - 2*20 - (len(roles)-1-i)*(120+14)
		if avail < 60 {
			break
		}
		name := fit(lf, r.Name, avail)
		w := font.MeasureString(lf, name).Ceil() + 2*20
		roundRect(img, image.Rect(x, labelTop, x+w, labelTop+labelH), 12, r.Color)
		text(img, lf, onColor(r.Color), x+20, labelTop+labelH/2+capHeight(lf)/2, name)
		x += w + 14
	}

	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("ogimage: encode: %w", err)
	}
	return buf.Bytes(), nil
}

// face makes a face at size pixels. NewFace fails only on bad options,
// which these constant options never are, so the error is dropped.
func face(f *opentype.Font, size float64) font.Face {
	ff, _ := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	return ff
}

func capHeight(f font.Face) int { return f.Metrics().CapHeight.Ceil() }

func text(dst draw.Image, f font.Face, col color.Color, x, y int, s string) {
	d := font.Drawer{Dst: dst, Src: image.NewUniform(col), Face: f, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

// drawTracked draws s letter-spaced, the usual treatment for a small
// upper-case kicker line, cut short with an ellipsis to fit maxW.
func drawTracked(dst draw.Image, f font.Face, col color.Color, x, y, track int, s string, maxW int) {
	d := font.Drawer{Dst: dst, Src: image.NewUniform(col), Face: f, Dot: fixed.P(x, y)}
	for _, r := range fit(f, s, maxW-track*utf8.RuneCountInString(s)) {
		d.DrawString(string(r))
		d.Dot.X += fixed.I(track)
	}
}

// wrap breaks s into lines no wider than maxW, at spaces where possible and
// inside a word only when the word alone is too wide (URLs, long compounds).
func wrap(f font.Face, s string, maxW int) []string {
	var lines []string
	line := ""
	for _, w := range strings.FieldsFunc(s, breakable) {
		cand := w
		if line != "" {
			cand = line + " " + w
		}
		if font.MeasureString(f, cand).Ceil() <= maxW {
			line = cand
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		for font.MeasureString(f, w).Ceil() > maxW {
			n := fitRunes(f, w, maxW)
			lines, w = append(lines, w[:n]), w[n:]
		}
		line = w
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// breakable reports whether a line may break at r: any space but nbsp.
func breakable(r rune) bool { return unicode.IsSpace(r) && r != '\u00a0' }

// balance wraps s into as few lines as wrap would, but at the narrowest
// width that manages it, so lines come out even and no word is left alone
// on the last line (like CSS text-wrap: balance). Text that will be
// clamped to max lines anyway is left as wrap makes it.
func balance(f font.Face, s string, maxW, max int) []string {
	lines := wrap(f, s, maxW)
	n := len(lines)
	if n < 2 || n > max {
		return lines
	}
	lo, hi := maxW/2, maxW // wrapping at hi is known to give n lines
	for lo < hi {
		if mid := (lo + hi) / 2; len(wrap(f, s, mid)) <= n {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return wrap(f, s, hi)
}

// fitRunes returns the byte length of the longest prefix of s (at least
// one rune, so wrapping always makes progress) that fits in maxW.
func fitRunes(f font.Face, s string, maxW int) int {
	n := 0
	for i, r := range s {
		end := i + len(string(r))
		if n > 0 && font.MeasureString(f, s[:end]).Ceil() > maxW {
			break
		}
		n = end
	}
	return n
}

// clamp keeps at most max lines, ending the last kept one with an
// ellipsis when anything was dropped.
func clamp(f font.Face, lines []string, max, maxW int) []string {
	if len(lines) <= max {
		return lines
	}
	return append(lines[:max-1:max-1], cut(f, lines[max-1]+" "+lines[max], maxW))
}

// fit returns s if it fits in maxW and otherwise cuts it to fit.
func fit(f font.Face, s string, maxW int) string {
	if font.MeasureString(f, s).Ceil() <= maxW {
		return s
	}
	return cut(f, s, maxW)
}

// cut shortens s to fit in maxW with a trailing ellipsis, preferring to
// end on a whole word when one ends near the cut.
func cut(f font.Face, s string, maxW int) string {
	rs := []rune(s)
	for len(rs) > 0 && font.MeasureString(f, string(rs)+ellipsis).Ceil() > maxW {
		rs = rs[:len(rs)-1]
	}
	t := string(rs)
	if i := strings.LastIndexByte(t, ' '); i > len(t)*2/3 {
		t = t[:i]
	}
	return strings.TrimRight(t, " ,.;:-–") + ellipsis
}

// onColor picks white or ink for text on c, so a light role colour (a
// yellow, say) still gets a readable label.
func onColor(c color.RGBA) color.RGBA {
	if 299*int(c.R)+587*int(c.G)+114*int(c.B) > 150_000 {
		return ink
	}
	return color.RGBA{0xff, 0xff, 0xff, 0xff}
}

// roundRect fills r with c, corners rounded by rad, anti-aliased.
func roundRect(dst draw.Image, r image.Rectangle, rad float32, c color.RGBA) {
	w, h := float32(r.Dx()), float32(r.Dy())
	z := vector.NewRasterizer(r.Dx(), r.Dy())
	z.MoveTo(rad, 0)
	z.LineTo(w-rad, 0)
	z.QuadTo(w, 0, w, rad)
	z.LineTo(w, h-rad)
	z.QuadTo(w, h, w-rad, h)
	z.LineTo(rad, h)
	z.QuadTo(0, h, 0, h-rad)
	z.LineTo(0, rad)
	z.QuadTo(0, 0, rad, 0)
	z.ClosePath()
	z.Draw(dst, r, image.NewUniform(c), image.Point{})
}

// mark draws the site's logo: a square split on the diagonal into the
// card's first two colours, echoing the "one versus the other" theme.
func mark(dst draw.Image, r image.Rectangle, pair []color.RGBA) {
	draw.Draw(dst, r, image.NewUniform(pair[0]), image.Point{}, draw.Src)
	s := float32(r.Dx())
	z := vector.NewRasterizer(r.Dx(), r.Dy())
	z.MoveTo(s, 0)
	z.LineTo(s, s)
	z.LineTo(0, s)
	z.ClosePath()
	z.Draw(dst, r, image.NewUniform(pair[1]), image.Point{})
}
