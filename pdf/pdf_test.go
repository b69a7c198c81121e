package pdf

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"html/template"
	"image"
	"image/png"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/pmvspo/site/content"
)

const testBase = "https://guides.example"

// sites are the shipped content and the test-only second guide: the PDF
// must work for any valid content, so expectations come from the model.
func sites(t testing.TB) map[string]*content.Site {
	t.Helper()
	out := map[string]*content.Site{}
	for name, fsys := range map[string]fs.FS{
		"shipped": content.Embedded(),
		"second":  os.DirFS("../content/testdata/second"),
		"three":   os.DirFS("../content/testdata/three"),
	} {
		s, err := content.Load(fsys)
		if err != nil {
			t.Fatalf("load %s content: %v", name, err)
		}
		out[name] = s
	}
	return out
}

// guides are every guide of the test sites, plus variants of the first
// shipped guide: with a third role (a copy of the second, renamed), with
// no articles (so nothing is placed and every part follows the short
// answer), and with its last article a draft (which the PDF leaves out).
// The models are loaded once and shared: they are never written to.
func guides(t testing.TB) map[string]*content.Guide {
	guidesMu.Lock()
	defer guidesMu.Unlock()
	if guidesCache != nil {
		return guidesCache
	}
	out := map[string]*content.Guide{}
	ss := sites(t)
	for name, s := range ss {
		for _, g := range s.Guides {
			out[name+"/"+g.Slug] = g
		}
	}
	if gs := ss["shipped"].Guides; len(gs) > 0 {
		g := gs[0]
		out["three-roles/"+g.Slug] = threeRoles(g)
		bare := *g
		bare.Articles, bare.FAQHome = nil, nil
		out["no-articles/"+g.Slug] = &bare
		if len(g.Articles) > 1 {
			dr := *g
			last := *g.Articles[len(g.Articles)-1]
			last.Draft = true
			dr.Articles = append(append([]*content.Article{}, g.Articles[:len(g.Articles)-1]...), &last)
			out["draft/"+g.Slug] = &dr
		}
		if len(g.Articles) > 0 {
			lt := *g
			first := *g.Articles[0]
			first.Blocks = append(append([]content.Block{}, first.Blocks...), content.Block{Kind: content.BlockHTML, HTML: longTable(g)})
			lt.Articles = append([]*content.Article{&first}, g.Articles[1:]...)
			out["long-table/"+g.Slug] = &lt
			sw := *g
			sweep := *g.Articles[0]
			sweep.Blocks = sweepBlocks()
			sw.Articles = []*content.Article{&sweep}
			out["sweep/"+g.Slug] = &sw
			md := *g
			every := *g.Articles[0]
			every.Blocks = append([]content.Block{{Kind: content.BlockHTML, HTML: everyMarkdown}}, g.Articles[0].Blocks...)
			md.Articles = append([]*content.Article{&every}, g.Articles[1:]...)
			out["markdown/"+g.Slug] = &md
		}
	}
	guidesCache = out
	return out
}

// everyMarkdown is each kind of block goldmark renders, as it renders them:
// headings h2–h4, nested and loose lists, a task list, a block quote with a
// list inside, code with indentation and a line longer than the column, a
// rule and a table without a header.
const everyMarkdown = template.HTML(`<h2 id="every">Every kind of block <a class="hlink" href="#every"><span class="visually-hidden">Link to this section</span><span aria-hidden="true">#</span></a></h2>
<p>A paragraph with <strong>bold</strong>, <em>italic</em>, <code>code</code> and <a href="#every">a link here</a>.</p>
<h3 id="lists">Lists</h3>
<ol>
<li>
<p>A loose first item that runs long enough to wrap onto a second line in the column of the page.</p>
<ul>
<li>A nested bullet</li>
<li>Another nested bullet with <a href="https://example.com/a/really/long/address/that/has/to/break/somewhere/in/the/middle">a long link</a></li>
</ul>
</li>
<li>
<p>A second loose item</p>
</li>
</ol>
<ul>
<li><input checked="" disabled="" type="checkbox"> A task that is done</li>
<li><input disabled="" type="checkbox"> A task to do</li>
</ul>
<h4 id="quote">A quote</h4>
<blockquote>
<p>Quoted words that go on for a while, so that the quote wraps onto a second line of the panel it sits in.</p>
<ul>
<li>A list inside the quote</li>
</ul>
</blockquote>
<pre><code>func main() {
    fmt.Println("indented")
    aVeryLongIdentifierThatGoesOnAndOnPastTheRightMarginOfThePage := somethingElseThatIsAlsoLong(withArguments)
}
</code></pre>
<hr>
<table>
<tbody>
<tr>
<td>No header</td>
<td>A cell</td>
</tr>
</tbody>
</table>
`)

// sweepBlocks is an article body of headings each placed just before a
// part (the FAQ, then lines pointing to it), after paragraphs of varying
// length, so that some of the headings fall near the bottom of a page.
func sweepBlocks() []content.Block {
	var out []content.Block
	for k := range 40 {
		words := strings.Repeat("Filler words to move the next heading down the page. ", 1+k%9)
		html := "<p>" + words + "</p>\n<h2 id=\"sweep-" + strconv.Itoa(k) + "\">Sweep heading " + strconv.Itoa(k) + "</h2>\n"
		out = append(out, content.Block{Kind: content.BlockHTML, HTML: template.HTML(html)}, content.Block{Kind: content.BlockFAQ})
	}
	return out
}

// longTableRows is the number of rows of longTable: more than two pages hold.
const longTableRows = 90

// longTable is a Markdown table, as goldmark renders it, too long for one
// page: a column per role, a row name that says its number.
func longTable(g *content.Guide) template.HTML {
	var b strings.Builder
	b.WriteString("<table>\n<thead>\n<tr>\n<th>Item</th>\n")
	for _, r := range g.Roles {
		b.WriteString("<th>" + template.HTMLEscapeString(r.Name) + "</th>\n")
	}
	b.WriteString("</tr>\n</thead>\n<tbody>\n")
	for i := range longTableRows {
		b.WriteString("<tr>\n<td>Long row " + strconv.Itoa(i+1) + "</td>\n")
		for range g.Roles {
			b.WriteString("<td>A value long enough to wrap onto a second line in a narrow column</td>\n")
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n</table>\n")
	return template.HTML(b.String())
}

var (
	guidesMu    sync.Mutex
	guidesCache map[string]*content.Guide
)

func threeRoles(g *content.Guide) *content.Guide {
	c := *g
	src := g.Roles[len(g.Roles)-1]
	third := *src
	third.ID, third.Index = src.ID+"-third", len(g.Roles)
	third.Name, third.Short = "Third "+src.Name, "3"+src.Short
	c.Roles = append(append([]*content.Role{}, g.Roles...), &third)
	c.Comparison.Dimensions = nil
	for _, d := range g.Comparison.Dimensions {
		dc := *d
		dc.Values = append(append([]string{}, d.Values...), "Third: "+d.Values[len(d.Values)-1])
		c.Comparison.Dimensions = append(c.Comparison.Dimensions, &dc)
	}
	if g.Week != nil {
		wk := *g.Week
		wk.Days = nil
		for _, d := range g.Week.Days {
			dc := *d
			dc.Roles = append(append([][]template.HTML{}, d.Roles...), d.Roles[len(d.Roles)-1])
			wk.Days = append(wk.Days, &dc)
		}
		c.Week = &wk
	}
	return &c
}

// poppler finds a poppler-utils program; without it the test skips, unless
// CI=true, where it must be there.
func poppler(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s (poppler-utils) is required when CI=true: %v", name, err)
		}
		t.Skipf("%s not found: install poppler-utils to check the PDF's text and layout", name)
	}
	return p
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(poppler(t, name), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// Renders are shared by the tests of one run: each guide and paper is
// rendered once, into renderDir.
var (
	renderMu  sync.Mutex
	renderDir string
	rendered  = map[renderKey]string{}
)

type renderKey struct {
	g     *content.Guide
	paper Paper
}

func TestMain(m *testing.M) {
	code := m.Run()
	if renderDir != "" {
		os.RemoveAll(renderDir)
	}
	os.Exit(code)
}

func write(t *testing.T, g *content.Guide, paper Paper) string {
	t.Helper()
	renderMu.Lock()
	defer renderMu.Unlock()
	if p, ok := rendered[renderKey{g, paper}]; ok {
		return p
	}
	data, err := Guide(g, Options{BaseURL: testBase, SiteName: "Test Site", Paper: paper})
	if err != nil {
		t.Fatalf("render %s: %v", g.Slug, err)
	}
	if renderDir == "" {
		if renderDir, err = os.MkdirTemp("", "pdf-test-"); err != nil {
			t.Fatal(err)
		}
	}
	// Variants of one guide share its slug: the render's number keeps their files apart.
	name := strconv.Itoa(len(rendered)) + "-" + g.Slug + "-" + strconv.Itoa(len(g.Roles)) + "-" + paper.String() + ".pdf"
	path := filepath.Join(renderDir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("PDF_OUT"); dir != "" { // to look at the files
		_ = os.WriteFile(filepath.Join(dir, name), data, 0o644)
	}
	rendered[renderKey{g, paper}] = path
	return path
}

type info struct {
	pages         int
	width, height float64 // points
	created       string
}

func pdfInfo(t *testing.T, path string) info {
	out := run(t, "pdfinfo", "-isodates", path)
	var in info
	for _, l := range strings.Split(out, "\n") {
		k, v, _ := strings.Cut(l, ":")
		v = strings.TrimSpace(v)
		switch k {
		case "Pages":
			in.pages, _ = strconv.Atoi(v)
		case "Page size":
			fmt.Sscanf(v, "%g x %g", &in.width, &in.height)
		case "CreationDate":
			in.created = v
		}
	}
	return in
}

var space = regexp.MustCompile(`\s+`)

func norm(s string) string { return strings.TrimSpace(space.ReplaceAllString(s, " ")) }

// htmlTexts are the text pieces of rendered Markdown, each of which must
// appear in the PDF, and the links' targets.
func htmlTexts(t *testing.T, h template.HTML) (texts, hrefs []string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(string(h)))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && hasClass(n, "hlink") {
			return // a heading's "#" link to itself, which paper leaves out
		}
		if n.Type == html.TextNode {
			if s := norm(n.Data); s != "" {
				texts = append(texts, s)
			}
		}
		if n.Type == html.ElementNode && n.Data == "a" {
			hrefs = append(hrefs, attr(n, "href"))
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return texts, hrefs
}

// TestGuideText checks that the PDF of every guide, on both papers, is a
// real PDF of the right size whose text holds everything the model says the
// guide holds.
func TestGuideText(t *testing.T) {
	for name, g := range guides(t) {
		for _, paper := range []Paper{A4, Letter} {
			t.Run(name+"/"+paper.String(), func(t *testing.T) {
				path := write(t, g, paper)
				in := pdfInfo(t, path)
				if in.pages < 1 {
					t.Fatalf("pdfinfo reports %d pages", in.pages)
				}
				wantW, wantH := 595.28, 841.89
				if paper == Letter {
					wantW, wantH = 612, 792
				}
				if abs(in.width-wantW) > 1 || abs(in.height-wantH) > 1 {
					t.Errorf("page size %gx%g pt, want %gx%g (%s)", in.width, in.height, wantW, wantH, paper)
				}
				if want := reviewed(g).Format("2006-01-02"); !strings.HasPrefix(in.created, want) {
					t.Errorf("creation date %q, want the review date %s", in.created, want)
				}

				// The body, read without the running header and footer, so
				// a paragraph that crosses a page reads as one.
				top, cut := 15.0/ptToMM, 30.0/ptToMM // between the header rule and the flow, the flow and the footer rule
				bodyText := norm(strings.ReplaceAll(run(t, "pdftotext", "-raw", "-enc", "UTF-8",
					"-x", "0", "-y", strconv.Itoa(int(top)), "-W", strconv.Itoa(int(in.width)+1), "-H", strconv.Itoa(int(in.height-cut)),
					path, "-"), "\f", " "))
				// A table's column headings repeat on every page it
				// continues on, possibly inside a note under a row.
				// Text is looked for both with and without them.
				withHeads := bodyText
				for _, h := range tableHeads(g) {
					bodyText = strings.ReplaceAll(bodyText, norm(h)+" ", "")
				}
				full := norm(run(t, "pdftotext", "-raw", "-enc", "UTF-8", path, "-"))
				compact := strings.ReplaceAll(full, " ", "") // URLs may break across lines

				has := func(what, s string) {
					t.Helper()
					if s = norm(s); s != "" && !strings.Contains(bodyText, s) && !strings.Contains(withHeads, s) {
						t.Errorf("%s %q not in the PDF's text", what, s)
					}
				}
				hasURL := func(what, u string) {
					t.Helper()
					if u != "" && !strings.Contains(compact, u) {
						t.Errorf("%s %q not in the PDF's text", what, u)
					}
				}
				hasHTML := func(what string, h template.HTML) {
					t.Helper()
					texts, hrefs := htmlTexts(t, h)
					for _, s := range texts {
						has(what, s)
					}
					for _, h := range hrefs {
						hasURL(what+" link", resolver(testBase+g.URL())(h))
					}
				}

				has("title", g.Title)
				hasURL("canonical URL", testBase+g.URL())
				has("review date", "Last reviewed "+longDate(reviewed(g)))

				// Page 1 gives one short answer: the first article's
				// TL;DR, or the guide's summary when there is none.
				page1 := norm(run(t, "pdftotext", "-raw", "-enc", "UTF-8", "-f", "1", "-l", "1", path, "-"))
				arts := readable(g)
				if len(arts) > 0 && len(arts[0].TLDR) > 0 {
					var tldr []string
					for _, item := range arts[0].TLDR {
						texts, _ := htmlTexts(t, item)
						for _, s := range texts {
							if !strings.Contains(page1, s) {
								t.Errorf("page 1 lacks the first article's TL;DR text %q", s)
							}
						}
						tldr = append(tldr, texts...)
					}
					if sum := norm(g.Summary); !strings.Contains(strings.Join(tldr, " "), sum) && strings.Contains(page1, sum) {
						t.Errorf("page 1 gives the guide's summary as well as the TL;DR: two short answers")
					}
				} else {
					if !strings.Contains(page1, norm(g.Summary)) {
						t.Errorf("page 1 lacks the guide's summary %q", g.Summary)
					}
				}

				// Every article readers can see, with its TL;DR and every
				// piece of its text; links printed absolute against its page.
				for _, a := range arts {
					has("article title", a.Title)
					hasURL("article URL", testBase+a.URL())
					for _, item := range a.TLDR {
						hasHTML("TL;DR item of "+a.Slug, item)
					}
					for _, b := range a.Blocks {
						if b.Kind != content.BlockHTML {
							continue
						}
						texts, hrefs := htmlTexts(t, b.HTML)
						for _, s := range texts {
							has("text of "+a.Slug, s)
						}
						for _, h := range hrefs {
							hasURL("link of "+a.Slug, resolver(testBase+a.URL())(h))
						}
					}
				}
				for _, a := range g.Articles {
					if a.Status(time.Now()) != content.Published && !strings.Contains(readableTitles(arts), a.Title) && strings.Contains(full, norm(a.Title)) {
						t.Errorf("article %s is not published, but its title %q is in the PDF", a.Slug, a.Title)
					}
				}
				has("caption", g.Comparison.Caption)
				for _, r := range g.Roles {
					has("role name", r.Name)
					has("tagline", r.Tagline)
					has("core question", r.Profile.CoreQuestion)
					has("focus", r.Profile.Focus)
					has("mindset", r.Profile.Mindset)
					for _, l := range [][]string{r.Profile.Owns, r.Profile.LivesIn, r.Profile.Responsibilities} {
						for _, s := range l {
							has("profile item", s)
						}
					}
					for _, p := range append(append([]content.Point{}, r.Profile.Strengths...), r.Profile.Struggles...) {
						has("point title", p.Title)
						hasHTML("point detail", p.Detail)
					}
				}
				// The short table prints where an article places it.
				if slices.ContainsFunc(arts, func(a *content.Article) bool {
					return slices.ContainsFunc(a.Blocks, func(b content.Block) bool { return b.Kind == content.BlockGlance })
				}) {
					for _, row := range g.Comparison.Glance {
						has("short-table label", row.Label)
						for _, v := range row.Values {
							has("short-table value of "+row.Label, v)
						}
					}
				}
				for _, d := range g.Comparison.Dimensions {
					has("dimension name", d.Name)
					has("dimension note", d.Note)
					for _, v := range d.Values {
						has("value of "+d.Name, v)
					}
					hasHTML("sources-differ note of "+d.Name, d.SourcesDiffer)
				}
				if ds := g.Decisions; ds != nil {
					has("decisions title", ds.Title)
					has("decisions caption", ds.Caption)
					hasHTML("decisions intro", ds.Intro)
					for _, su := range ds.Setups {
						has("setup", su.Name)
						has("setup note", su.Note)
					}
					for _, dec := range ds.Decisions {
						has("decision", dec.Name)
						has("decision note", dec.Note)
						for _, c := range dec.Cells {
							for _, p := range append(append([]*content.Party{}, c.Decides...), c.Consults...) {
								has("party of "+dec.Name, p.Name)
							}
							hasHTML("decision cell of "+dec.Name, c.Text)
						}
					}
				}
				if wk := g.Week; wk != nil {
					has("week title", wk.Title)
					has("week caption", wk.Caption)
					hasHTML("week intro", wk.Intro)
					for _, day := range wk.Days {
						has("day", day.Name)
						for _, items := range day.Roles {
							for _, it := range items {
								hasHTML("item of "+day.Name, it)
							}
						}
						hasHTML("together of "+day.Name, day.Together)
					}
				}
				if hi := g.Hiring; hi != nil {
					has("hiring title", hi.Title)
					has("signals caption", hi.SignalsCaption)
					hasHTML("hiring intro", hi.Intro)
					for _, sg := range hi.Signals {
						has("signal", sg.Says)
						hasHTML("signal why", sg.Why)
					}
					for _, iv := range hi.Interviews {
						for _, q := range iv.Questions {
							has("interview question", q.Ask)
							hasHTML("strong answer", q.Strong)
						}
					}
				}
				for _, f := range g.FAQ {
					has("FAQ question", f.Question)
					hasHTML("FAQ answer "+f.ID, f.Answer)
				}
				for _, s := range g.Sources {
					has("source title", s.Title)
					has("source author", s.Author)
					has("source note", s.Note)
					hasURL("source URL", s.URL)
				}
				for p := 1; p <= in.pages; p++ {
					if s := fmt.Sprintf("Page %d of %d", p, in.pages); !strings.Contains(full, s) {
						t.Errorf("page number %q missing", s)
					}
				}
			})
		}
	}
}

// tableHeads are the column headings of each table of g, as their text reads.
func tableHeads(g *content.Guide) []string {
	roles := func(first string) string {
		out := first
		for _, r := range g.Roles {
			out += " " + r.Name
		}
		return out
	}
	heads := []string{roles(headDimension), roles(headDay), headSays + " " + headPoints + " " + headWhy}
	for _, a := range g.Articles {
		for _, b := range a.Blocks {
			heads = append(heads, markdownHeads(b.HTML)...)
		}
	}
	if ds := g.Decisions; ds != nil {
		h := headDecision
		for _, su := range ds.Setups {
			h += " " + su.Name + " " + su.Note
		}
		heads = append(heads, h)
	}
	return heads
}

// TestGuideLayout checks that no word is drawn outside the margins of its
// paper, on any page: nothing is clipped or runs off the edge.
func TestGuideLayout(t *testing.T) {
	for name, g := range guides(t) {
		for _, paper := range []Paper{A4, Letter} {
			t.Run(name+"/"+paper.String(), func(t *testing.T) {
				path := write(t, g, paper)
				out := run(t, "pdftotext", "-bbox", "-enc", "UTF-8", path, "-")
				type word struct {
					XMin float64 `xml:"xMin,attr"`
					YMin float64 `xml:"yMin,attr"`
					XMax float64 `xml:"xMax,attr"`
					YMax float64 `xml:"yMax,attr"`
					Text string  `xml:",chardata"`
				}
				type page struct {
					Width  float64 `xml:"width,attr"`
					Height float64 `xml:"height,attr"`
					Words  []word  `xml:"word"`
				}
				var doc struct {
					Pages []page `xml:"body>doc>page"`
				}
				if err := xml.NewDecoder(strings.NewReader(out)).Decode(&doc); err != nil {
					t.Fatalf("parse pdftotext -bbox output: %v", err)
				}
				if len(doc.Pages) == 0 {
					t.Fatal("no pages")
				}
				side := marginSide/ptToMM - 0.5
				edge := 5 / ptToMM
				for i, p := range doc.Pages {
					if len(p.Words) == 0 {
						t.Errorf("page %d is empty", i+1)
					}
					for _, w := range p.Words {
						if w.XMin < side || w.XMax > p.Width-side || w.YMin < edge || w.YMax > p.Height-edge {
							t.Errorf("page %d: %q at x %.1f–%.1f, y %.1f–%.1f pt is outside the margins of a %.0fx%.0f pt page",
								i+1, w.Text, w.XMin, w.XMax, w.YMin, w.YMax, p.Width, p.Height)
						}
					}
				}
			})
		}
	}
}

// TestRoleColours checks that the first page shows every role's colour (the
// band under the title and the role cards), for two and three roles.
func TestRoleColours(t *testing.T) {
	for name, g := range guides(t) {
		t.Run(name, func(t *testing.T) {
			path := write(t, g, A4)
			prefix := filepath.Join(t.TempDir(), "p")
			run(t, "pdftoppm", "-png", "-r", "72", "-f", "1", "-l", "1", "-singlefile", path, prefix)
			f, err := os.Open(prefix + ".png")
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			img, err := png.Decode(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range g.Roles {
				if n := count(img, roleFg(r)); n < 50 {
					t.Errorf("role %s: %d pixels of its colour %v on page 1", r.Name, n, roleFg(r))
				}
			}
		})
	}
}

func count(img image.Image, c rgb) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if near(int(r>>8), c.r) && near(int(g>>8), c.g) && near(int(bl>>8), c.b) {
				n++
			}
		}
	}
	return n
}

func near(a, b int) bool { return a-b <= 2 && b-a <= 2 }

func abs(x float64) float64 { return max(x, -x) }

// TestDeterministic renders each guide twice: the bytes must be identical,
// so ETags are stable and exports reproducible.
func TestDeterministic(t *testing.T) {
	for name, g := range guides(t) {
		for _, paper := range []Paper{A4, Letter} {
			a, err := Guide(g, Options{BaseURL: testBase, Paper: paper})
			if err != nil {
				t.Fatal(err)
			}
			b, err := Guide(g, Options{BaseURL: testBase, Paper: paper})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, b) {
				t.Errorf("%s %s: two renders differ", name, paper)
			}
			if !bytes.HasPrefix(a, []byte("%PDF-")) {
				t.Errorf("%s %s: not a PDF: %q", name, paper, a[:min(len(a), 8)])
			}
		}
	}
}

// TestPaletteMatchesCSS keeps the PDF's colours those of the site.
func TestPaletteMatchesCSS(t *testing.T) {
	css, err := os.ReadFile("../static/site.css")
	if err != nil {
		t.Fatal(err)
	}
	root, _, _ := strings.Cut(string(css), "@media")
	for i, want := range roleColors {
		letter := string(rune('a' + i))
		for _, c := range []struct {
			name string
			col  rgb
		}{{"--role-" + letter, want.fg}, {"--role-" + letter + "-bg", want.bg}} {
			m := regexp.MustCompile(regexp.QuoteMeta(c.name) + `:\s*#([0-9a-fA-F]{6});`).FindStringSubmatch(root)
			if m == nil {
				t.Errorf("%s not found in static/site.css", c.name)
				continue
			}
			v, _ := strconv.ParseUint(m[1], 16, 32)
			got := rgb{int(v >> 16), int(v >> 8 & 0xff), int(v & 0xff)}
			if got != c.col {
				t.Errorf("%s is #%s in site.css, %v in the PDF", c.name, m[1], c.col)
			}
		}
	}
}

// BenchmarkGuidePDF is the build cost of each shipped guide's PDF, and of
// a guide ten times its size (its FAQ and comparison repeated), to show how
// the cost grows. It reports the PDF's size and pages.
func BenchmarkGuidePDF(b *testing.B) {
	gs := append([]*content.Guide{}, sites(b)["shipped"].Guides...)
	if len(gs) > 0 {
		big := *gs[0]
		big.Slug += "-x10"
		big.FAQ, big.Comparison.Dimensions = nil, nil
		for range 10 {
			big.FAQ = append(big.FAQ, gs[0].FAQ...)
			big.Comparison.Dimensions = append(big.Comparison.Dimensions, gs[0].Comparison.Dimensions...)
		}
		gs = append(gs, &big)
	}
	for _, g := range gs {
		b.Run(g.Slug, func(b *testing.B) {
			var out []byte
			for b.Loop() {
				var err error
				if out, err = Guide(g, Options{BaseURL: testBase, SiteName: "Role Compass"}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(out)), "bytes")
			b.ReportMetric(float64(len(pageObject.FindAll(out, -1))), "pages")
		})
	}
}

// readable are g's articles a reader sees now, in the guide's order.
func readable(g *content.Guide) []*content.Article {
	var out []*content.Article
	for _, a := range g.Articles {
		if a.Status(time.Now()) == content.Published {
			out = append(out, a)
		}
	}
	return out
}

func readableTitles(as []*content.Article) string {
	var b strings.Builder
	for _, a := range as {
		b.WriteString(a.Title + "\n")
	}
	return b.String()
}

// markdownHeads are the header rows of the tables in rendered Markdown, as
// their text reads.
func markdownHeads(h template.HTML) []string {
	doc, err := html.Parse(strings.NewReader(string(h)))
	if err != nil {
		return nil
	}
	var out []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "thead" {
			out = append(out, norm(textOf(n)))
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// outlineEntry is one item of the PDF's outline.
type outlineEntry struct {
	level, page int
	text        string
}

// readOutline reads the outline with pdftohtml, which writes an item's
// children as an <outline> right after it.
func readOutline(t *testing.T, path string) []outlineEntry {
	t.Helper()
	out := run(t, "pdftohtml", "-xml", "-stdout", "-i", "-q", path)
	dec := xml.NewDecoder(strings.NewReader(out))
	dec.Strict = false
	var got []outlineEntry
	depth := -1
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "outline":
				depth++
			case "item":
				var it struct {
					Page int    `xml:"page,attr"`
					Text string `xml:",chardata"`
				}
				if err := dec.DecodeElement(&it, &e); err != nil {
					t.Fatalf("parse pdftohtml outline: %v", err)
				}
				got = append(got, outlineEntry{level: depth, page: it.Page, text: norm(it.Text)})
			}
		case xml.EndElement:
			if e.Name.Local == "outline" {
				depth--
			}
		}
	}
	return got
}

// partTitles are the headings of the structured parts g has, by the
// directive that places them.
func partTitles(g *content.Guide) map[content.BlockKind]string {
	out := map[content.BlockKind]string{}
	if len(g.Comparison.Dimensions) > 0 {
		out[content.BlockComparison] = headComparison
	}
	if len(g.Roles) > 0 {
		out[content.BlockProfiles] = headProfiles
	}
	if len(g.FAQ) > 0 {
		out[content.BlockFAQ] = headFAQ
	}
	if ds := g.Decisions; ds != nil && len(ds.Decisions) > 0 && len(ds.Setups) > 0 {
		out[content.BlockDecisions] = ds.Title
	}
	if wk := g.Week; wk != nil && len(wk.Days) > 0 {
		out[content.BlockWeek] = wk.Title
	}
	if g.Hiring != nil {
		out[content.BlockHiring] = g.Hiring.Title
	}
	for _, a := range readable(g) {
		for _, b := range a.Blocks {
			if b.Kind == content.BlockTools && len(g.Assessments) > 0 {
				out[content.BlockTools] = headTools
			}
		}
	}
	return out
}

// pageObject is a page's dictionary in the PDF (fpdf writes them uncompressed).
var pageObject = regexp.MustCompile(`/Type /Page\b[^s]`)

// TestOutline checks the PDF's outline (the viewer's sidebar): each article
// with its h2 sections under it, every structured part exactly once (under
// the first article that places it, or after the articles), every role's
// profile and every question, in reading order.
func TestOutline(t *testing.T) {
	for name, g := range guides(t) {
		t.Run(name, func(t *testing.T) {
			path := write(t, g, A4)
			items := readOutline(t, path)
			if len(items) == 0 {
				t.Fatal("the PDF has no outline")
			}
			find := func(text string, level, from int) int {
				for i := from; i < len(items); i++ {
					if items[i].text == norm(text) && (level < 0 || items[i].level == level) {
						return i
					}
				}
				return -1
			}
			count := func(text string) int {
				n := 0
				for _, it := range items {
					if it.text == norm(text) {
						n++
					}
				}
				return n
			}
			// Each article at the top level, in order, its h2s under it.
			arts := readable(g)
			titles := partTitles(g)
			placedBy := map[content.BlockKind]*content.Article{}
			h2s := map[string]int{}
			last := -1
			for k, a := range arts {
				at := find(a.Title, 0, last+1)
				if at < 0 {
					t.Errorf("outline lacks article %q at the top level, after the one before it; it has %v", a.Title, items)
					continue
				}
				last = at
				end := len(items)
				if k+1 < len(arts) {
					if n := find(arts[k+1].Title, 0, at+1); n >= 0 {
						end = n
					}
				}
				under := map[string]bool{}
				for _, it := range items[at+1 : end] {
					if it.level == 1 {
						under[it.text] = true
					}
				}
				for _, b := range a.Blocks {
					if b.Kind == content.BlockHTML {
						for _, h := range headingTexts(b.HTML, 2) {
							h2s[h]++
							if !under[h] {
								t.Errorf("section %q of article %s is not under it in the outline", h, a.Slug)
							}
						}
						continue
					}
					if title, ok := titles[b.Kind]; ok && placedBy[b.Kind] == nil {
						placedBy[b.Kind] = a
						if !under[norm(title)] {
							t.Errorf("%q, which article %s places, is not under it in the outline", title, a.Slug)
						}
					}
				}
			}
			for k, title := range titles {
				if n, want := count(title), 1+h2s[norm(title)]; n != want {
					t.Errorf("part %q is in the outline %d times, want %d (printed once, plus any article section of that name)", title, n, want)
				}
				if placedBy[k] == nil && find(title, 0, 0) < 0 {
					t.Errorf("part %q, which no article places, is not at the outline's top level", title)
				}
			}
			for _, r := range g.Roles {
				if count(r.Name) < 1 {
					t.Errorf("outline lacks the profile of %q", r.Name)
				}
			}
			for _, f := range g.FAQ {
				if n := count(f.Question); n != 1 {
					t.Errorf("question %q is in the outline %d times, want 1", f.Question, n)
				}
			}
			if find(headSources, 0, 0) < 0 && len(g.Sources) > 0 {
				t.Errorf("outline lacks %q", headSources)
			}
			prev := 0
			for _, it := range items {
				if it.page < prev {
					t.Errorf("outline item %q on page %d comes after one on page %d", it.text, it.page, prev)
				}
				prev = it.page
			}
		})
	}
}

// headingTexts are the texts of the headings of one level in rendered Markdown.
func headingTexts(h template.HTML, level int) []string {
	doc, err := html.Parse(strings.NewReader(string(h)))
	if err != nil {
		return nil
	}
	var out []string
	tag := "h" + strconv.Itoa(level)
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag {
			var b strings.Builder
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && hasClass(c, "hlink") {
					continue
				}
				b.WriteString(textOf(c))
			}
			out = append(out, norm(b.String()))
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// TestPartsOnce checks that an article placing a part already printed gets
// a line pointing to the page where it is, and that that page holds it.
func TestPartsOnce(t *testing.T) {
	for name, g := range guides(t) {
		t.Run(name, func(t *testing.T) {
			path := write(t, g, A4)
			items := readOutline(t, path)
			full := norm(run(t, "pdftotext", "-raw", "-enc", "UTF-8", path, "-"))
			titles := partTitles(g)
			seen := map[content.BlockKind]int{}
			for _, a := range readable(g) {
				for _, b := range a.Blocks {
					if _, ok := titles[b.Kind]; ok {
						seen[b.Kind]++
					}
				}
			}
			for k, n := range seen {
				title := titles[k]
				page := 0
				for _, it := range items {
					if it.text == norm(title) {
						page = it.page
						break
					}
				}
				ref := "See “" + norm(title) + "” on page " + strconv.Itoa(page) + "."
				if got := strings.Count(full, ref); got != n-1 {
					t.Errorf("%q is placed by %d articles: want %d cross-references %q, found %d", title, n, n-1, ref, got)
				}
			}
		})
	}
}

// TestLinksAbsolute checks that every link in the PDF goes to an absolute
// http(s) address: a relative one means nothing outside the site.
func TestLinksAbsolute(t *testing.T) {
	uri := regexp.MustCompile(`/URI \(((?:[^()\\]|\\.)*)\)`)
	for name, g := range guides(t) {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(write(t, g, A4))
			if err != nil {
				t.Fatal(err)
			}
			links := uri.FindAllSubmatch(data, -1)
			if len(links) == 0 {
				t.Fatal("the PDF has no links")
			}
			for _, m := range links {
				if u := string(m[1]); !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
					t.Errorf("link to %q is not absolute", u)
				}
			}
		})
	}
}

// TestPageCount checks the page count against the text: pages are neither
// crammed past what a page holds nor left mostly empty.
func TestPageCount(t *testing.T) {
	for name, g := range guides(t) {
		t.Run(name, func(t *testing.T) {
			path := write(t, g, A4)
			in := pdfInfo(t, path)
			chars := len([]rune(norm(run(t, "pdftotext", "-raw", "-enc", "UTF-8", path, "-"))))
			// A full A4 page of this type holds about 5,000 characters of
			// body text; tables and headings hold fewer. Each article starts
			// a page, so it may leave one page part-empty.
			lo := chars/7000 + 1
			hi := chars/1500 + len(readable(g)) + 2
			if in.pages < lo || in.pages > hi {
				t.Errorf("%d pages for %d characters of text, want %d–%d", in.pages, chars, lo, hi)
			}
		})
	}
}

// TestContents checks the contents on the first page: every top-level
// entry of the outline after it (each article, each part no article
// places, the sources), with the page it starts on.
func TestContents(t *testing.T) {
	for name, g := range guides(t) {
		t.Run(name, func(t *testing.T) {
			path := write(t, g, A4)
			items := readOutline(t, path)
			text := norm(run(t, "pdftotext", "-raw", "-enc", "UTF-8", "-l", "2", path, "-"))
			at := strings.Index(text, headContents)
			if at < 0 {
				t.Fatalf("no %q in the first pages", headContents)
			}
			text = text[at:]
			after := false
			n := 0
			for _, it := range items {
				if it.level != 0 {
					continue
				}
				if it.text == headContents {
					after = true
					continue
				}
				if !after {
					continue
				}
				n++
				if want := it.text + " " + strconv.Itoa(it.page); !strings.Contains(text, want) {
					t.Errorf("contents lack %q", want)
				}
			}
			if n == 0 {
				t.Error("the contents list nothing")
			}
		})
	}
}

// bboxWord is a word of pdftotext -bbox with its box, in points.
type bboxWord struct {
	XMin float64 `xml:"xMin,attr"`
	YMin float64 `xml:"yMin,attr"`
	XMax float64 `xml:"xMax,attr"`
	YMax float64 `xml:"yMax,attr"`
	Text string  `xml:",chardata"`
}

// bodyLines are the lines of text of each page between the running header
// and the footer, in the order they were drawn. A line is the words drawn
// one after another on one baseline.
func bodyLines(t *testing.T, path string) [][]string {
	t.Helper()
	out := run(t, "pdftotext", "-bbox", "-enc", "UTF-8", path, "-")
	var doc struct {
		Pages []struct {
			Height float64    `xml:"height,attr"`
			Words  []bboxWord `xml:"word"`
		} `xml:"body>doc>page"`
	}
	if err := xml.NewDecoder(strings.NewReader(out)).Decode(&doc); err != nil {
		t.Fatalf("parse pdftotext -bbox output: %v", err)
	}
	pages := make([][]string, len(doc.Pages))
	for i, p := range doc.Pages {
		top, bottom := (headerY+3)/ptToMM, p.Height-(footerFromBy+5)/ptToMM
		var cur []string
		var last *bboxWord
		for k := range p.Words {
			w := &p.Words[k]
			if w.YMax < top || w.YMin > bottom {
				continue
			}
			if last != nil && (abs(w.YMin-last.YMin) > 1 || w.XMin < last.XMax) {
				pages[i] = append(pages[i], strings.Join(cur, " "))
				cur = nil
			}
			cur = append(cur, w.Text)
			last = w
		}
		if len(cur) > 0 {
			pages[i] = append(pages[i], strings.Join(cur, " "))
		}
	}
	return pages
}

// TestNoHeadingEndsPage checks that no heading (an article's title and
// sections, a part's title, a question, the sources) is the last thing on
// its page: what it heads starts on the same page.
func TestNoHeadingEndsPage(t *testing.T) {
	for name, g := range guides(t) {
		for _, paper := range []Paper{A4, Letter} {
			t.Run(name+"/"+paper.String(), func(t *testing.T) {
				var heads []string
				for _, a := range readable(g) {
					heads = append(heads, a.Title)
					for _, b := range a.Blocks {
						for level := 2; level <= 4; level++ {
							heads = append(heads, headingTexts(b.HTML, level)...)
						}
					}
				}
				for _, title := range partTitles(g) {
					heads = append(heads, title)
				}
				for _, f := range g.FAQ {
					heads = append(heads, f.Question)
				}
				heads = append(heads, headSources, headContents)
				// A heading whose words also end a table cell ("Product
				// Owner" in "Senior or Lead Product Owner") cannot be told
				// from that cell's wrapped last line in the text: leave it out.
				var cells []string
				for _, d := range g.Comparison.Dimensions {
					cells = append(cells, d.Values...)
				}
				for _, r := range g.Comparison.Glance {
					cells = append(cells, r.Values...)
				}
				heads = slices.DeleteFunc(heads, func(h string) bool {
					return slices.ContainsFunc(cells, func(c string) bool { return c != h && strings.HasSuffix(norm(c), " "+norm(h)) })
				})
				pages := bodyLines(t, write(t, g, paper))
				for p, lines := range pages {
					for i := range lines {
						for _, h := range heads {
							h = norm(h)
							// A heading may wrap: join lines until it is matched or passed.
							text, j := lines[i], i
							for len(text) < len(h) && strings.HasPrefix(h, text) && j+1 < len(lines) {
								j++
								text += " " + lines[j]
							}
							if text == h && j == len(lines)-1 {
								t.Errorf("heading %q is the last line of page %d: what it heads starts on the next page", h, p+1)
							}
						}
					}
				}
			})
		}
	}
}

// TestNoIntroEndsPage checks that a line introducing a list ("Three
// questions:") never ends a page without the list: the first article is
// given more and more one-line paragraphs before such a line, so that some
// run puts it at the foot of a page ("Can your PO say no?" and its lead
// line once ended page 13).
func TestNoIntroEndsPage(t *testing.T) {
	var g *content.Guide
	for _, name := range slices.Sorted(maps.Keys(guides(t))) {
		if x := guides(t)[name]; len(readable(x)) > 0 {
			g = x
			break
		}
	}
	if g == nil {
		t.Fatal("no guide with an article to print")
	}
	const intro = "Three questions to ask before you accept:"
	dir := t.TempDir()
	for n := range 48 {
		ga := *g
		a := *readable(g)[0]
		var filler strings.Builder
		for k := range n {
			fmt.Fprintf(&filler, "<p>Filler line %d.</p>\n", k)
		}
		lead := content.Block{Kind: content.BlockHTML, HTML: template.HTML(filler.String() +
			"<p>" + intro + "</p>\n<ul><li>Can they say no?</li><li>Do they meet customers?</li><li>Do they shape scope?</li></ul>")}
		a.Blocks = append([]content.Block{lead}, a.Blocks...)
		ga.Articles = slices.Clone(g.Articles)
		for i, x := range ga.Articles {
			if x == readable(g)[0] {
				ga.Articles[i] = &a
			}
		}
		data, err := Guide(&ga, Options{BaseURL: testBase, SiteName: "Test Site", Paper: A4})
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, fmt.Sprintf("intro-%d.pdf", n))
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		for p, lines := range bodyLines(t, path) {
			if k := len(lines); k > 0 && lines[k-1] == intro {
				t.Errorf("with %d lines before it, %q is the last line of page %d: its list starts on the next page", n, intro, p+1)
			}
		}
	}
}

// TestTableHeaderRepeats checks that a table that continues over pages
// repeats its header row on each of them, and that no row is split
// between two pages.
func TestTableHeaderRepeats(t *testing.T) {
	for name, g := range guides(t) {
		if !strings.HasPrefix(name, "long-table/") {
			continue
		}
		for _, paper := range []Paper{A4, Letter} {
			t.Run(name+"/"+paper.String(), func(t *testing.T) {
				head := markdownHeads(longTable(g))[0]
				pages := bodyLines(t, write(t, g, paper))
				seen, spread := map[int]bool{}, 0
				for p, lines := range pages {
					rows := 0
					for i, l := range lines {
						n, ok := strings.CutPrefix(l, "Long row ")
						if !ok {
							continue
						}
						k, err := strconv.Atoi(strings.Fields(n)[0])
						if err != nil {
							continue
						}
						rows++
						seen[k] = true
						// The row's text runs to the next row's name or the
						// page's end, and holds every cell whole.
						end := i + 1
						for end < len(lines) && !strings.HasPrefix(lines[end], "Long row ") {
							end++
						}
						seg := strings.Join(lines[i:end], " ")
						if a, z := strings.Count(seg, "A value"), strings.Count(seg, "column"); a != len(g.Roles) || z != len(g.Roles) {
							t.Errorf("page %d: row %d is split: %d cells start and %d end on this page, of %d", p+1, k, a, z, len(g.Roles))
						}
					}
					if rows == 0 {
						continue
					}
					spread++
					if !strings.Contains(strings.Join(lines, "\n"), head) {
						t.Errorf("page %d holds %d rows of the long table but not its header %q", p+1, rows, head)
					}
				}
				if len(seen) != longTableRows {
					t.Errorf("%d of the %d rows found", len(seen), longTableRows)
				}
				if spread < 2 {
					t.Errorf("the long table is on %d page(s); the test needs it on several", spread)
				}
			})
		}
	}
}
