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
