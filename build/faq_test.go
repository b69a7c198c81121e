package build_test

import (
	"strings"
	"testing"

	"github.com/pmvspo/site/views"
)

// TestFAQPages: each answer's own page has a title naming its guide, a
// description that ends at a sentence or a whole word, and a share image of
// its own that shows its question.
func TestFAQPages(t *testing.T) {
	site, snap := shipped(t)
	images := map[string]string{}
	for _, g := range site.Guides {
		for _, f := range g.FAQ {
			p := snap.Page(g.FAQURL(f.ID))
			if p == nil {
				t.Fatalf("no page for %s", g.FAQURL(f.ID))
			}
			m := p.Meta
			if !strings.Contains(m.Title, f.Question) || !strings.Contains(m.Title, g.Title) {
				t.Errorf("%s: title %q does not name the question and the guide", m.Path, m.Title)
			}
			answer := views.PlainText(string(f.Answer))
			d := m.Description
			switch {
			case d == answer:
			case strings.HasSuffix(d, "…"):
				kept := strings.TrimSuffix(d, "…")
				rest, ok := strings.CutPrefix(answer, kept)
				if !ok || !strings.HasPrefix(strings.TrimLeft(rest, ",;:–—-"), " ") {
					t.Errorf("%s: description %q is not cut after a whole word of the answer", m.Path, d)
				}
			case strings.HasPrefix(answer, d) && strings.ContainsAny(d[len(d)-1:], ".?!"):
			default:
				t.Errorf("%s: description %q ends neither at a sentence nor with an ellipsis", m.Path, d)
			}
			if len(d) > 160 {
				t.Errorf("%s: description of %d bytes", m.Path, len(d))
			}
			if !snap.HasImage(m.Image) || m.ImageAlt != f.Question {
				t.Errorf("%s: image %s (alt %q), want one of its own showing the question", m.Path, m.Image, m.ImageAlt)
			}
			if other, dup := images[m.Image]; dup {
				t.Errorf("%s and %s share the image %s", m.Path, other, m.Image)
			}
			images[m.Image] = m.Path
		}
	}
}
