// Package pdf renders a guide as a printable PDF, from the same model the
// pages are rendered from. The first page gives the guide's one short
// answer (its first article's TL;DR, or its summary), the roles side by
// side and the contents. Then come the published articles, in the guide's
// order, each from a new page with its byline, TL;DR and whole text, the
// structured parts it places (the comparison with every "sources differ"
// note, who decides what, the profiles, the week, hiring, the FAQ, the
// self-assessments) drawn where it places them. Each part is printed once:
// an article that places one already printed points to its page. The parts
// no article places follow the articles, and the sources, with their URLs,
// end the document. Every page carries the guide's canonical URL and its
// number; the outline holds each article with its sections, each part,
// each profile and each question.
//
// The text is real text in the Go fonts (selectable and searchable), the
// roles keep the site's colours, and links print their absolute address,
// because paper cannot be clicked. The layout is computed from the page
// size, so A4 and US Letter are both laid out for their own paper rather
// than scaled.
//
// Rendering is deterministic: the document's dates are the guide's review
// date and its internal catalogues are sorted, so the same guide gives the
// same bytes on every build (stable ETags, byte-identical exports).
package pdf

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gobolditalic"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/pmvspo/site/content"
)

// Paper is a page size.
type Paper int

// The supported page sizes. A4 is the zero value and the default.
const (
	A4 Paper = iota
	Letter
)

// String names the paper as fpdf (and people) do.
func (p Paper) String() string {
	if p == Letter {
		return "Letter"
	}
	return "A4"
}

// Options are what the PDF needs beyond the guide itself.
type Options struct {
	// BaseURL is the site's public origin, such as https://example.com; the
	// guide's canonical URL and every link in the text are made absolute
	// against it.
	BaseURL string
	// SiteName appears in the running header and the document's metadata.
	SiteName string
	// Paper is the page size; A4 unless set.
	Paper Paper
	// Now is the moment the PDF shows the guide at: articles that are
	// drafts or not yet published then are left out. Zero means the time
	// of the call.
	Now time.Time
}

// FileName is the name a reader's browser saves the PDF of g under.
func FileName(g *content.Guide) string { return g.Slug + ".pdf" }

// Font families registered with fpdf.
const (
	familySans = "go"
	familyMono = "gomono"
)

// The site's light-scheme colours (static/site.css, :root).
var (
	colText    = rgb{0x1b, 0x23, 0x30}
	colMuted   = rgb{0x4b, 0x55, 0x65}
	colBorder  = rgb{0xd5, 0xdb, 0xe3}
	colLink    = rgb{0x1a, 0x56, 0xb0}
	colSurface = rgb{0xf5, 0xf7, 0xfa}
	colWarn    = rgb{0x7a, 0x52, 0x00}
	colWarnBg  = rgb{0xff, 0xf7, 0xe0}
	// roleColors are --role-a/-b/-c and their -bg tints, by role index.
	roleColors = []struct{ fg, bg rgb }{
		{rgb{0x1d, 0x4f, 0x91}, rgb{0xe9, 0xf0, 0xfa}},
		{rgb{0x8a, 0x4a, 0x00}, rgb{0xfb, 0xf1, 0xe3}},
		{rgb{0x2f, 0x6b, 0x3a}, rgb{0xe8, 0xf4, 0xea}},
	}
)

func roleFg(r *content.Role) rgb { return roleColors[r.Index%len(roleColors)].fg }
func roleBg(r *content.Role) rgb { return roleColors[r.Index%len(roleColors)].bg }

// Type sizes, points.
const (
	sizeBody    = 10
	sizeSmall   = 8.5
	sizeH1      = 22
	sizeArticle = 18
	sizeH2      = 15
	sizeH3      = 11.5
	sizeCell    = 9.5
)

// Page margins, millimetres. The same on both papers; the column is the
// paper's width less the sides.
const (
	marginSide   = 18
	marginTop    = 20
	marginBottom = 20
	headerY      = 11 // baseline of the running header
	footerFromBy = 10 // footer baseline, from the bottom edge
)

var (
	body  = style{size: sizeBody, color: colText}
	muted = style{size: sizeSmall, color: colMuted}
	bold  = style{size: sizeBody, color: colText, bold: true}
)

// Guide renders the PDF of g.
func Guide(g *content.Guide, opt Options) ([]byte, error) {
	f := newFpdf(opt.Paper)
	f.SetCompression(true)
	f.SetCatalogSort(true)
	f.SetCreationDate(reviewed(g))
	f.SetModificationDate(reviewed(g))
	f.SetTitle(g.Title, true)
	f.SetSubject(g.Description, true)
	if opt.SiteName != "" {
		f.SetAuthor(opt.SiteName, true)
		f.SetCreator(opt.SiteName, true)
	}
	f.SetLang("en")
	canonical := strings.TrimRight(opt.BaseURL, "/") + g.URL()
	d := newDoc(f)
	d.header, d.headerRight, d.linkFooter = g.Title, opt.SiteName, canonical
	f.SetHeaderFunc(d.drawHeader)
	d.newPage()

	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	articles := published(g, now)
	w2 := &writer{d: d, g: g, canonical: canonical, base: strings.TrimRight(opt.BaseURL, "/"), resolve: resolver(canonical), printed: map[content.BlockKind]anchor{}}
	w2.titleBlock(opt.SiteName)
	short := w2.shortAnswer(articles)
	w2.roleCards()
	// The contents: the articles, the parts no article places (which
	// follow the articles) and the sources. Their places are kept on the
	// first page; the page numbers are drawn once they are known.
	rest := unplaced(g, articles)
	var entries []*tocEntry
	for _, a := range articles {
		entries = append(entries, &tocEntry{title: a.Title, article: true})
	}
	for _, k := range rest {
		entries = append(entries, &tocEntry{title: partTitle(g, k)})
	}
	if len(g.Sources) > 0 {
		entries = append(entries, &tocEntry{title: headSources})
	}
	w2.reserveContents(entries)

	for i, a := range articles {
		entries[i].at = w2.article(a, a == short)
	}
	for i, k := range rest {
		w2.part(k)
		if at, ok := w2.printed[k]; ok {
			entries[len(articles)+i].at = at
		}
	}
	w2.arming, w2.marked = true, nil
	w2.sources()
	w2.arming = false
	if w2.marked != nil && len(g.Sources) > 0 {
		entries[len(entries)-1].at = *w2.marked
	}
	w2.drawContents(entries)

	// Footers go on last, when the number of pages is known. (fpdf's
	// page-count alias would be replaced after the font subsets are fixed
	// and could not be right-aligned.)
	last := f.PageCount()
	for n := 1; n <= last; n++ {
		f.SetPage(n)
		d.drawFooter(n, last)
	}
	f.SetPage(last)
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return nil, fmt.Errorf("pdf of %s: %w", g.Slug, err)
	}
	return buf.Bytes(), nil
}

// faces are the Go fonts, by fpdf family and style.
var faces = map[string][]byte{
	familySans:        goregular.TTF,
	familySans + "B":  gobold.TTF,
	familySans + "I":  goitalic.TTF,
	familySans + "BI": gobolditalic.TTF,
	familyMono:        gomono.TTF,
}

func newFpdf(p Paper) *fpdf.Fpdf {
	return fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: p.String()})
}

// newDoc lays out on f, with the column and flow area the paper leaves.
func newDoc(f *fpdf.Fpdf) *doc {
	f.SetAutoPageBreak(false, 0) // the flow breaks pages itself
	f.SetMargins(marginSide, marginTop, marginSide)
	w, h := f.GetPageSize()
	return &doc{
		f: f, pageW: w, pageH: h,
		left: marginSide, right: w - marginSide,
		top: marginTop, bottom: h - marginBottom,
		widths: map[widthKey]float64{}, fonts: map[string]bool{},
	}
}

// reviewed is the date the guide was last reviewed, which is also the PDF's
// creation date so that the same guide always gives the same file.
func reviewed(g *content.Guide) time.Time {
	if g.Updated.IsZero() {
		return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return g.Updated.UTC()
}

func longDate(t time.Time) string { return t.Format("January 2, 2006") }

// drawHeader is the running header of every page after the first.
func (d *doc) drawHeader() {
	if d.f.PageNo() == 1 {
		return
	}
	right := d.headerRight
	rw := d.width(muted, right)
	d.font(muted)
	d.f.Text(d.right-rw, headerY, right)
	title := d.truncate(muted, d.header, d.right-d.left-rw-8)
	d.font(muted)
	d.f.Text(d.left, headerY, title)
	d.rule(colBorder, headerY+2.5, 0.2)
}

// drawFooter puts the canonical URL and "Page n of N" on page n, which may
// be any page: the page's graphics state is unknown, so font and colours
// are all set afresh.
func (d *doc) drawFooter(n, total int) {
	d.cur = fontKey{}
	d.f.SetFillColor(255, 255, 255) // never the text colour, so Text sets its own
	y := d.pageH - footerFromBy
	d.rule(colBorder, y-4, 0.2)
	num := fmt.Sprintf("Page %d of %d", n, total)
	nw := d.width(muted, num)
	d.font(muted)
	d.f.Text(d.right-nw, y, num)
	link := muted
	link.color = colLink
	url := d.truncate(link, d.linkFooter, d.right-d.left-nw-8)
	uw := d.width(link, url)
	d.font(link)
	d.f.Text(d.left, y, url)
	d.f.LinkString(d.left, y-3, uw, 4, d.linkFooter)
}
