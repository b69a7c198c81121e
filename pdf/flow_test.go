package pdf

import (
	"html/template"
	"strings"
	"testing"
)

// TestRich checks the conversion of rendered Markdown: paragraphs and list
// items become blocks, emphasis becomes styles, and a link keeps its target,
// made absolute, and prints it after its text.
func TestRich(t *testing.T) {
	const src = `<p>One <strong>bold</strong> and <em>it</em>, <code>x()</code> and a <a href="/compare/g#row-a">row</a>.</p>
<ul>
<li>first</li>
<li>second<ol><li>inner</li></ol></li>
</ul>
<p>See <a href="https://other.example/">https://other.example/</a>&rsquo;s page.</p>`
	blocks := rich(template.HTML(src), body, resolver("https://site.example/guides/g"))
	if len(blocks) != 5 {
		t.Fatalf("%d blocks, want 5: %+v", len(blocks), blocks)
	}
	texts := []string{
		"One bold and it, x() and a row (https://site.example/compare/g#row-a).",
		"first", "second", "inner",
		"See https://other.example/’s page.",
	}
	for i, b := range blocks {
		if got := spansText(b.spans); got != texts[i] {
			t.Errorf("block %d: %q, want %q", i, got, texts[i])
		}
	}
	for i, want := range []struct {
		level  int
		marker string
	}{{0, ""}, {1, "•"}, {1, "•"}, {2, "1."}, {0, ""}} {
		if blocks[i].level != want.level || blocks[i].marker != want.marker {
			t.Errorf("block %d: level %d marker %q, want %d %q", i, blocks[i].level, blocks[i].marker, want.level, want.marker)
		}
	}
	styleOf := func(b richBlock, text string) style {
		for _, s := range b.spans {
			if s.text == text {
				return s.st
			}
		}
		t.Fatalf("no span %q in %+v", text, b.spans)
		return style{}
	}
	if !styleOf(blocks[0], "bold").bold || !styleOf(blocks[0], "it").italic || !styleOf(blocks[0], "x()").mono {
		t.Error("bold, italic or code lost its style")
	}
	if st := styleOf(blocks[0], "row"); st.link != "https://site.example/compare/g#row-a" || !st.underline {
		t.Errorf("link text style %+v", st)
	}
	if st := styleOf(blocks[0], "https://site.example/compare/g#row-a"); st.link == "" || st.size >= body.size {
		t.Errorf("printed URL style %+v: want a smaller, linked span", st)
	}
}

// TestWrap checks the line breaker on every Markdown field of the test
// guides at several widths: no line is wider than the column, and no word
// is lost, added or reordered.
func TestWrap(t *testing.T) {
	d := newDoc(newFpdf(A4))
	d.newPage()
	var all []template.HTML
	for _, g := range guides(t) {
		for _, f := range g.FAQ {
			all = append(all, f.Answer)
		}
		for _, dim := range g.Comparison.Dimensions {
			all = append(all, dim.SourcesDiffer)
		}
	}
	all = append(all, template.HTML(`<p>A <a href="https://example.com/a/very/long/path/that/cannot/fit/on/one/narrow/line/at/all?with=query&and=more">link</a>, and an unbreakablewordthatislongerthananycolumnwouldeverbe.</p>`))
	resolve := resolver(testBase + "/guides/x")
	for _, width := range []float64{30, 60, 120, 174} {
		for _, h := range all {
			for _, b := range rich(h, body, resolve) {
				lines := d.wrap(b.spans, width)
				var got []string
				for i, l := range lines {
					if l.w > width+0.01 {
						t.Errorf("width %g: line %d is %.2f mm: %q", width, i, l.w, lineText(l))
					}
					got = append(got, lineText(l))
				}
				want := strings.Join(strings.Fields(spansText(b.spans)), "")
				if g := strings.Join(strings.Fields(strings.Join(got, "")), ""); g != want {
					t.Errorf("width %g: text changed:\n got %q\nwant %q", width, g, want)
				}
			}
		}
	}
}

func lineText(l line) string {
	var b strings.Builder
	for _, p := range l.pieces {
		b.WriteString(p.text)
	}
	return b.String()
}

// TestRichBlocks checks the block structure of an article's HTML: headings
// by level without their "#" self-link, loose and nested list items with
// their markers, block quotes, code with its spaces and line breaks, rules,
// and a table's header and rows as separate cells.
func TestRichBlocks(t *testing.T) {
	const src = `<h2 id="one">First <em>part</em> <a class="hlink" href="#one"><span class="visually-hidden">Link to this section</span><span aria-hidden="true">#</span></a></h2>
<ol start="3">
<li><p>loose item</p>
<p>its second paragraph</p>
<ul><li>nested</li></ul>
</li>
<li><input checked="" disabled="" type="checkbox"> done</li>
</ol>
<blockquote><p>quoted <a href="/x">text</a></p></blockquote>
<pre><code>if x {
    y()
}
</code></pre>
<hr>
<h4 id="four">Fourth</h4>
<table>
<thead><tr><th>Dimension</th><th>Role A</th></tr></thead>
<tbody><tr><td>Plans</td><td><strong>Years</strong> ahead</td></tr>
<tr><td>Owns</td><td></td></tr></tbody>
</table>`
	blocks := rich(template.HTML(src), body, resolver("https://site.example/guides/g/a"))
	type want struct {
		kind           richKind
		text           string
		level, heading int
		marker         string
		quote          int
	}
	wants := []want{
		{kind: richHeading, text: "First part", heading: 2},
		{kind: richPara, text: "loose item", level: 1, marker: "3."},
		{kind: richPara, text: "its second paragraph", level: 1},
		{kind: richPara, text: "nested", level: 2, marker: "•"},
		{kind: richPara, text: "[x]  done", level: 1, marker: "4."},
		{kind: richPara, text: "quoted text (https://site.example/x)", quote: 1},
		{kind: richPre, text: "if x {\n    y()\n}"},
		{kind: richRule},
		{kind: richHeading, text: "Fourth", heading: 4},
		{kind: richTable},
	}
	if len(blocks) != len(wants) {
		for _, b := range blocks {
			t.Logf("%d %q", b.kind, spansText(b.spans))
		}
		t.Fatalf("%d blocks, want %d", len(blocks), len(wants))
	}
	for i, w := range wants {
		b := blocks[i]
		got := want{kind: b.kind, text: spansText(b.spans), level: b.level, heading: b.heading, marker: b.marker, quote: b.quote}
		if got != w {
			t.Errorf("block %d: %+v, want %+v", i, got, w)
		}
	}
	if id := blocks[0].id; id != "one" {
		t.Errorf("heading id %q, want one", id)
	}
	tb := blocks[len(blocks)-1].table
	if tb == nil {
		t.Fatal("no table")
	}
	cells := func(r [][]span) []string {
		var out []string
		for _, c := range r {
			out = append(out, spansText(c))
		}
		return out
	}
	if got := strings.Join(cells(tb.head), "|"); got != "Dimension|Role A" {
		t.Errorf("table header %q", got)
	}
	if len(tb.rows) != 2 || strings.Join(cells(tb.rows[0]), "|") != "Plans|Years ahead" || strings.Join(cells(tb.rows[1]), "|") != "Owns|" {
		t.Errorf("table rows %+v", tb.rows)
	}
	if !tb.rows[0][1][0].st.bold {
		t.Error("bold lost inside a table cell")
	}
}

// TestMarkdownTableWidths checks that a Markdown table's columns share the
// column width: all of it, none narrower than its longest word.
func TestMarkdownTableWidths(t *testing.T) {
	for name, g := range guides(t) {
		d := newDoc(newFpdf(A4))
		d.newPage()
		w := &writer{d: d, g: g, resolve: resolver(testBase)}
		for _, a := range g.Articles {
			for _, b := range a.Blocks {
				for _, it := range w.proseItems(b.HTML, body, 0) {
					if it.table == nil {
						continue
					}
					_, ws := w.widths(*it.table)
					total := 0.0
					for _, x := range ws {
						total += x
					}
					if abs(total-(d.right-d.left)) > 0.01 {
						t.Errorf("%s/%s: columns add up to %.2f mm, want %.2f", name, a.Slug, total, d.right-d.left)
					}
					for _, r := range it.table.rows {
						for c, ps := range r.cells {
							for _, p := range ps {
								for _, tok := range tokens(p.spans) {
									if tw := d.width(tok.st, tok.text) + 2*cellPadX; tw > ws[c]+0.01 && len(tok.text) < 30 {
										t.Errorf("%s/%s: word %q (%.1f mm) wider than its column (%.1f mm)", name, a.Slug, tok.text, tw, ws[c])
									}
								}
							}
						}
					}
				}
			}
		}
	}
}
