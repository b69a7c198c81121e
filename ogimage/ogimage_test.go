package ogimage

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/image/font"
)

var (
	pm = Role{Name: "Product Manager", Color: color.RGBA{0x1d, 0x4f, 0x91, 0xff}}
	po = Role{Name: "Product Owner", Color: color.RGBA{0x8a, 0x4a, 0x00, 0xff}}
)

func sample() Card {
	return Card{
		Eyebrow: "Guide",
		Title:   "Product Manager vs Product Owner",
		Detail:  "Who owns the why, who owns the backlog, and how the two roles share a team.",
		Roles:   []Role{pm, po},
		Site:    "Role Compass",
	}
}

// render renders c and decodes it back, failing unless the result is a
// PNG of exactly Width×Height. An opaque PNG decodes to *image.RGBA, whose
// RGBAAt keeps the pixel scans below fast even under -race.
func render(t testing.TB, c Card) *image.RGBA {
	t.Helper()
	b, err := Render(c)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	if got := img.Bounds(); got != image.Rect(0, 0, Width, Height) {
		t.Fatalf("bounds = %v, want %dx%d", got, Width, Height)
	}
	rgba, ok := img.(*image.RGBA)
	if !ok {
		t.Fatalf("decoded as %T, want *image.RGBA (opaque)", img)
	}
	return rgba
}

func TestRenderIsPNGOfRightSize(t *testing.T) {
	render(t, sample())
	render(t, Card{})                                  // nothing at all
	render(t, Card{Site: "Role Compass", Detail: "x"}) // empty title
}

func TestDifferentTitlesDiffer(t *testing.T) {
	a, b := sample(), sample()
	b.Title = "Scrum Master vs Agile Coach"
	ba, _ := Render(a)
	bb, _ := Render(b)
	if bytes.Equal(ba, bb) {
		t.Fatal("different titles gave identical images")
	}
	if again, _ := Render(a); !bytes.Equal(ba, again) {
		t.Fatal("same card rendered twice gave different bytes")
	}
}

// TestTextStaysInsideMargins scans the text area (below the band, above
// the footer row) and requires every pixel in the side margins to be
// untouched background, for titles built to overflow in different ways.
func TestTextStaysInsideMargins(t *testing.T) {
	long := strings.Repeat("Stakeholders prioritise outcomes over output ", 7)[:300]
	cases := map[string]Card{
		"long title":      {Eyebrow: "Your result", Title: long, Detail: long, Roles: []Role{pm, po}, Site: "Role Compass"},
		"unbreakable":     {Title: strings.Repeat("W", 200), Detail: strings.Repeat("m", 150)},
		"mixed":           {Eyebrow: strings.Repeat("Eyebrow ", 30), Title: "A " + strings.Repeat("Ж", 80) + " end", Site: "Role Compass"},
		"long labels":     {Title: "x", Roles: []Role{{Name: strings.Repeat("Long ", 40), Color: pm.Color}, po, pm, po}, Site: strings.Repeat("Site ", 40)},
		"unicode spacing": {Title: "Ürün\tYöneticisi\n\nvs   Ürün Sahibi — “quoted” ✓"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			img := render(t, c)
			for y := bandH; y < labelTop; y++ {
				for x := 0; x < Width; x++ {
					if x >= margin && x < Width-margin {
						continue
					}
					if img.RGBAAt(x, y) != background {
						t.Fatalf("pixel (%d,%d) = %v outside the text column", x, y, img.RGBAAt(x, y))
					}
				}
			}
			// Nothing may spill below the footer row either.
			for y := labelTop + labelH + 1; y < Height; y++ {
				for x := 0; x < Width; x++ {
					if img.RGBAAt(x, y) != background {
						t.Fatalf("pixel (%d,%d) = %v below the footer", x, y, img.RGBAAt(x, y))
					}
				}
			}
		})
	}
}

// TestLongTitleShrinksAndClamps checks the fitting itself: a long title
// drops to the smallest size and stops at maxTitle lines with an ellipsis.
func TestLongTitleShrinksAndClamps(t *testing.T) {
	if err := loadFonts(); err != nil {
		t.Fatal(err)
	}
	f := face(bold, 48)
	lines := clamp(f, wrap(f, strings.Repeat("word ", 100), Width-2*margin), maxTitle, Width-2*margin)
	if len(lines) != maxTitle || !strings.HasSuffix(lines[maxTitle-1], ellipsis) {
		t.Fatalf("clamp gave %q", lines)
	}
	lines = wrap(f, strings.Repeat("W", 200), 300)
	if len(lines) < 2 {
		t.Fatalf("unbreakable word not broken: %q", lines)
	}
	for _, l := range lines {
		if l == "" || font.MeasureString(f, l).Ceil() > 300 {
			t.Fatalf("line %q is empty or wider than 300px", l)
		}
	}
}

func TestRoleColoursAppear(t *testing.T) {
	c := sample()
	c.Roles = append(c.Roles, Role{Name: "Scrum Master", Color: color.RGBA{0x2e, 0x7d, 0x32, 0xff}})
	img := render(t, c)
	for _, r := range c.Roles {
		inLabel, inBand := 0, 0
		for x := 0; x < Width; x++ {
			for y := 0; y < bandH; y++ {
				if img.RGBAAt(x, y) == r.Color {
					inBand++
				}
			}
			for y := labelTop; y < labelTop+labelH; y++ {
				if img.RGBAAt(x, y) == r.Color {
					inLabel++
				}
			}
		}
		if inLabel < 500 || inBand == 0 {
			t.Errorf("%s: %d label pixels, %d band pixels in %v", r.Name, inLabel, inBand, r.Color)
		}
	}
}

func TestConcurrentRender(t *testing.T) {
	want, err := Render(sample())
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	got := make([][]byte, 8)
	for i := range got {
		wg.Go(func() {
			got[i], _ = Render(sample())
		})
	}
	wg.Wait()
	for i, b := range got {
		if !bytes.Equal(b, want) {
			t.Errorf("render %d differs from a serial render", i)
		}
	}
}

// TestWriteSamples writes example cards for eyeballing the design:
//
//	OGIMAGE_SAMPLES=/tmp go test -run WriteSamples ./ogimage
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("OGIMAGE_SAMPLES")
	if dir == "" {
		t.Skip("set OGIMAGE_SAMPLES to a directory to write sample cards")
	}
	cards := []Card{
		sample(),
		{
			Eyebrow: "Your result",
			Title:   "You lean Product Owner: you thrive turning a fuzzy strategy into a sharp, ordered backlog that your team can ship every single sprint",
			Detail:  "72% Product Owner, 28% Product Manager. Take the 12-question quiz to see where you land.",
			Roles:   []Role{po, pm},
			Site:    "Role Compass",
		},
	}
	for i, c := range cards {
		b, err := Render(c)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Join(dir, "og-sample-"+string(rune('1'+i))+".png")
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	c := sample()
	for b.Loop() {
		if _, err := Render(c); err != nil {
			b.Fatal(err)
		}
	}
}

// TestRoleNamesStayWhole: a role name is never split across two lines of
// the title or the detail, at any width.
func TestRoleNamesStayWhole(t *testing.T) {
	if err := loadFonts(); err != nil {
		t.Fatal(err)
	}
	c := Card{Title: "Should a Product Manager or a Product Owner own the roadmap when a team has both?",
		Detail: "A Product Manager and a Product Owner share one backlog", Roles: []Role{pm, po}}
	keep := c.keep()
	for _, size := range []float64{30, 48, 64} {
		f := face(bold, size)
		for w := 200; w <= Width; w += 7 {
			for _, s := range []string{c.Title, c.Detail} {
				lines := wrap(f, glue(s, keep), w)
				for i := 1; i < len(lines); i++ {
					for _, r := range c.Roles {
						first, rest, _ := strings.Cut(r.Name, " ")
						if strings.HasSuffix(lines[i-1], first) && strings.HasPrefix(lines[i], rest) {
							t.Fatalf("size %v, width %d: %q is split: %q / %q", size, w, r.Name, lines[i-1], lines[i])
						}
					}
				}
			}
		}
	}
}
