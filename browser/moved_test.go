package browser

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/pmvspo/site/assess"
	"github.com/pmvspo/site/build"
	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/server"
)

// movedGuide is a test guide whose second article lost the FAQ to the
// first (moved_anchors: [faq]) and keeps an old path (an alias).
const movedGuide = "../content/testdata/moved"

// TestOldFAQLinkShowsMovedNote opens an old shared link, the companion
// article's old path with "#faq-…", as a reader would: the server
// redirects to the article's current URL, the browser keeps the fragment,
// and the "Moved" item for that answer is in view, marked as the target,
// with a link that opens the answer at its new place. At both widths, light
// and dark, with axe-core on the page.
func TestOldFAQLinkShowsMovedNote(t *testing.T) {
	axe := axeSource(t)
	site, err := content.Load(os.DirFS(movedGuide))
	if err != nil {
		t.Fatal(err)
	}
	snap, err := build.Build(site, build.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h, err := server.New(snap, server.Options{Features: []server.Feature{assess.Routes}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	// The article that lost the FAQ, one of its old paths and one answer.
	var a *content.Article
	for _, g := range site.Guides {
		for _, x := range g.Articles {
			if len(x.Moved) > 0 && len(x.Aliases) > 0 {
				a = x
			}
		}
	}
	if a == nil {
		t.Fatalf("%s has no article with both moved anchors and an alias", movedGuide)
	}
	m := a.Moved[len(a.Moved)-1]
	old := a.Aliases[0].Path + "#" + m.ID

	dir := artifactDir(t)
	for _, width := range widths {
		for _, scheme := range schemes {
			t.Run(fmt.Sprintf("%d-%s", width, scheme), func(t *testing.T) {
				ctx := newBrowser(t)
				c := withTimeout(t, ctx)
				if err := chromedp.Do(c, view(width, scheme), chromedp.Navigate(srv.URL+old), chromedp.WaitVisible("#"+m.ID)); err != nil {
					t.Fatal(err)
				}
				st, err := chromedp.Run(c, chromedp.Evaluate[map[string]any](fmt.Sprintf(`(() => {
					const el = document.getElementById(%q);
					const r = el.getBoundingClientRect();
					const link = el.querySelector("a");
					const note = el.closest("aside.moved"), h = note ? note.querySelector("h2").getBoundingClientRect() : r;
					const others = note ? [...note.querySelectorAll("li")].filter(li => li !== el && li.offsetParent !== null).length : 0;
					return {path: location.pathname, hash: location.hash, top: r.top, bottom: r.bottom, vh: window.innerHeight,
						headTop: h.top, others: others,
						inNote: !!el.closest("aside.moved"), target: el.matches(":target"), text: el.textContent,
						href: link ? link.getAttribute("href") : ""};
				})()`, m.ID)))
				if err != nil {
					t.Fatal(err)
				}
				if st["path"] != a.URL() || st["hash"] != "#"+m.ID {
					t.Errorf("opening %s ended at %v%v, want %s#%s", old, st["path"], st["hash"], a.URL(), m.ID)
				}
				if top, bottom := st["top"].(float64), st["bottom"].(float64); top < 0 || bottom > st["vh"].(float64) {
					t.Errorf("the Moved item is out of view (top %.0f, bottom %.0f, viewport %v)", top, bottom, st["vh"])
				}
				// The reader sees what the note is and their one item, not a
				// list of every part that moved with theirs somewhere in it.
				if ht := st["headTop"].(float64); ht < 0 {
					t.Errorf("the Moved note's heading is above the viewport (top %.0f) when its item is in view", ht)
				}
				if n := st["others"].(float64); n > 0 {
					t.Errorf("the Moved note shows %.0f other items beside the one the link names", n)
				}
				if st["inNote"] != true || st["target"] != true {
					t.Errorf("#%s: in the Moved note %v, the :target %v", m.ID, st["inNote"], st["target"])
				}
				if txt := st["text"].(string); !strings.HasPrefix(txt, "Moved:") || !strings.Contains(txt, m.Label) || st["href"] != m.URL {
					t.Errorf("#%s says %q and links to %v; want %q and %s", m.ID, st["text"], st["href"], m.Label, m.URL)
				}
				shot, err := chromedp.Run(c, chromedp.CaptureScreenshot())
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("moved-%d-%s.png", width, scheme)), shot, 0o644); err != nil {
					t.Fatal(err)
				}
				for _, v := range runAxe(t, c, axe) {
					t.Errorf("axe-core: %s", v)
				}

				// Without an old anchor in the address, nobody sees the note.
				if err := chromedp.Do(c, chromedp.Navigate(srv.URL+a.URL()), chromedp.WaitReady("main")); err != nil {
					t.Fatal(err)
				}
				display, err := chromedp.Run(c, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("aside.moved")).display`))
				if err != nil {
					t.Fatal(err)
				}
				if display != "none" {
					t.Errorf("%s without a fragment shows the Moved note (display %q); it is only for readers of old links", a.URL(), display)
				}
				if err := chromedp.Do(c, chromedp.Navigate(srv.URL+old), chromedp.WaitVisible("#"+m.ID)); err != nil {
					t.Fatal(err)
				}

				// The link opens the answer where it is now.
				if err := chromedp.Do(c, chromedp.Click("#"+m.ID+" a"), chromedp.WaitVisible("#"+m.ID)); err != nil {
					t.Fatal(err)
				}
				now, err := chromedp.Run(c, chromedp.Evaluate[map[string]any](fmt.Sprintf(`(() => {
					const el = document.getElementById(%q);
					const d = el.closest("details");
					return {url: location.pathname + location.hash, open: d ? d.open : false};
				})()`, m.ID)))
				if err != nil {
					t.Fatal(err)
				}
				if now["url"] != m.URL || now["open"] != true {
					t.Errorf("following the Moved link: at %v, answer open %v; want %s, open", now["url"], now["open"], m.URL)
				}
			})
		}
	}
}
