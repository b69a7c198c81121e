package browser

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// pageTypes is one page of every kind the site serves.
var pageTypes = []struct{ name, path string }{
	{"home", "/"},
	{"guide", "/guides/pm-vs-po"},
	{"article", "/guides/pm-vs-po/strategy-vs-delivery"},
	{"article2", "/guides/pm-vs-po/what-why-how-when"},
	{"compare", "/compare/pm-vs-po"},
	{"faq", "/guides/pm-vs-po/faq/which-pays-more"},
	{"notfound", "/no-such-page"},
	{"fit-form", "/guides/pm-vs-po/fit"},
	{"team-form", "/guides/pm-vs-po/team"},
}

var widths = []int64{375, 1280}
var schemes = []string{"light", "dark"}

// TestScreenshots saves every page type at both widths in both schemes, and
// checks that nothing overflows the viewport horizontally.
func TestScreenshots(t *testing.T) {
	base := startSite(t)
	ctx := newBrowser(t)
	dir := artifactDir(t)
	for _, p := range pageTypes {
		for _, w := range widths {
			for _, s := range schemes {
				name := fmt.Sprintf("%s-%d-%s", p.name, w, s)
				t.Run(name, func(t *testing.T) {
					c := withTimeout(t, ctx)
					if err := chromedp.Do(c, view(w, s), chromedp.Navigate(base+p.path)); err != nil {
						t.Fatal(err)
					}
					overflow, err := chromedp.Run(c, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`))
					if err != nil {
						t.Fatal(err)
					}
					if overflow > 0 {
						t.Errorf("page is %d px wider than the %d px viewport", overflow, w)
					}
					// The first screen as a reader sees it, then the whole page.
					top, err := chromedp.Run(c, chromedp.CaptureScreenshot())
					if err != nil {
						t.Fatal(err)
					}
					full, err := chromedp.Run(c, chromedp.FullScreenshot(100))
					if err != nil {
						t.Fatal(err)
					}
					for suffix, png := range map[string][]byte{"-top.png": top, ".png": full} {
						if err := os.WriteFile(filepath.Join(dir, name+suffix), png, 0o644); err != nil {
							t.Fatal(err)
						}
					}
				})
			}
		}
	}
	t.Logf("screenshots in %s", dir)
}
