package browser

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestContentsFolded: on a phone an article's contents are folded behind
// "On this page", so the article itself starts on the first screens (with
// 18 entries open, the short table began on the fifth); on a wide screen
// they stand open in the sidebar. A tap on the summary opens them, with or
// without script.
func TestContentsFolded(t *testing.T) {
	base := startSite(t)
	ctx := newBrowser(t)
	for _, g := range published() {
		for _, a := range g.Articles {
			for _, width := range []int64{375, 1280} {
				t.Run(fmt.Sprintf("%s-%d", a.Slug, width), func(t *testing.T) {
					c := withTimeout(t, ctx)
					if err := chromedp.Do(c, view(width, "light"), chromedp.Navigate(base+a.URL()), chromedp.WaitReady("#toc")); err != nil {
						t.Fatal(err)
					}
					shown := func() bool {
						v, err := chromedp.Run(c, chromedp.Evaluate[bool](`(() => {
							const l = document.querySelector("#toc li a");
							// checkVisibility, unlike getClientRects, sees that a
							// closed details' content is not rendered.
							return !!l && l.checkVisibility();
						})()`))
						if err != nil {
							t.Fatal(err)
						}
						return v
					}
					if got, want := shown(), width >= 1200; got != want {
						t.Errorf("at %d px the contents' links are shown: %v, want %v", width, got, want)
					}
					if width < 1200 {
						if err := chromedp.Do(c, chromedp.Click("#toc summary")); err != nil {
							t.Fatal(err)
						}
						if !shown() {
							t.Errorf("at %d px, tapping %q does not open the contents", width, "On this page")
						}
					}
				})
			}
		}
	}
}
