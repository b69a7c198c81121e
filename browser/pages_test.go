package browser

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// pageType is one kind of page, and how to reach it in a browser.
type pageType struct {
	name string
	path string
	// then, when set, runs after loading path to reach the page (a form submission).
	then []chromedp.Action[chromedp.Void]
}

// submitEmpty sends the form with no answers and waits for the error summary.
var submitEmpty = []chromedp.Action[chromedp.Void]{
	chromedp.Click(`button[type=submit]`),
	chromedp.WaitVisible(`[data-error-summary]`),
}

// submitFirstOptions answers every question with its first option, submits
// and waits for the result.
var submitFirstOptions = []chromedp.Action[chromedp.Void]{
	chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("fieldset.question").forEach(fs => fs.querySelector("input[type=radio]").checked = true)`),
	chromedp.Click(`button[type=submit]`),
	chromedp.WaitVisible(`.scale`),
}

// pageTypes is one page of every kind the site serves, taken from the
// first shipped guide: each of its articles, one FAQ answer, each
// assessment's form and result (and the first one's error state).
func pageTypes(t *testing.T) []pageType {
	t.Helper()
	g := shippedGuide(t)
	out := []pageType{{name: "home", path: "/"}, {name: "guide", path: g.URL()}}
	for i, a := range g.Articles {
		name := "article"
		if i > 0 {
			name = fmt.Sprintf("article%d", i+1)
		}
		out = append(out, pageType{name: name, path: a.URL()})
	}
	out = append(out, pageType{name: "compare", path: g.CompareURL()})
	if len(g.FAQ) > 0 {
		out = append(out, pageType{name: "faq", path: g.FAQURL(g.FAQ[0].ID)})
	}
	for i, a := range g.Assessments {
		out = append(out, pageType{name: a.ID + "-form", path: a.URL()})
		if i == 0 {
			out = append(out, pageType{name: a.ID + "-errors", path: a.URL(), then: submitEmpty})
		}
		out = append(out, pageType{name: a.ID + "-result", path: a.URL(), then: submitFirstOptions})
	}
	return append(out,
		pageType{name: "notfound", path: "/no-such-page"},
		// The three-role test guide (content/testdata/three), which places
		// every structured part.
		pageType{name: "three-article", path: "/guides/eng-leadership/overview"},
		pageType{name: "three-compare", path: "/compare/eng-leadership"},
	)
}

var widths = []int64{375, 1280}
var schemes = []string{"light", "dark"}

// open loads a page type and waits until it is ready.
func open(ctx context.Context, base string, p pageType) error {
	if err := chromedp.Do(ctx, chromedp.Navigate(base+p.path)); err != nil {
		return err
	}
	return chromedp.Do(ctx, p.then...)
}

// openAt opens a page type at a width and colour scheme, and fails the test
// if the page is wider than the window (content cut off sideways).
func openAt(t *testing.T, ctx context.Context, base string, p pageType, width int64, scheme string) context.Context {
	t.Helper()
	c := withTimeout(t, ctx)
	if err := chromedp.Do(c, view(width, scheme)); err != nil {
		t.Fatal(err)
	}
	if err := open(c, base, p); err != nil {
		t.Fatal(err)
	}
	overflow, err := chromedp.Run(c, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if overflow > 0 {
		t.Errorf("page is %d px wider than the %d px window", overflow, width)
	}
	return c
}

// TestPages opens every page type at both widths in both colour schemes,
// runs axe-core (WCAG 2.2 A and AA rules), checks nothing overflows the
// viewport horizontally, and saves screenshots for people to look at.
func TestPages(t *testing.T) {
	axe := axeSource(t)
	base := startSite(t)
	ctx := newBrowser(t)
	dir := artifactDir(t)
	for _, p := range pageTypes(t) {
		for _, w := range widths {
			for _, s := range schemes {
				name := fmt.Sprintf("%s-%d-%s", p.name, w, s)
				t.Run(name, func(t *testing.T) {
					c := openAt(t, ctx, base, p, w, s)
					// No layout shift, and nothing fetched from another origin.
					type perf struct {
						CLS    float64  `json:"cls"`
						Others []string `json:"others"`
					}
					pf, err := chromedp.Run(c, chromedp.Evaluate[perf](`new Promise(done => {
						let cls = 0;
						new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) cls += e.value; })
							.observe({type: "layout-shift", buffered: true});
						const others = performance.getEntriesByType("resource").map(e => e.name).filter(n => !n.startsWith(location.origin));
						setTimeout(() => done({cls, others}), 100);
					})`, chromedp.EvalAwaitPromise))
					if err != nil {
						t.Fatal(err)
					}
					if pf.CLS > 0 {
						t.Errorf("cumulative layout shift %.4f, want 0", pf.CLS)
					}
					if len(pf.Others) > 0 {
						t.Errorf("requests to other origins: %v", pf.Others)
					}
					for _, v := range runAxe(t, c, axe) {
						t.Errorf("axe: %s", v)
					}
					// The first screen as a reader sees it, then the whole page.
					top, err := chromedp.Run(c, chromedp.CaptureScreenshot())
					if err != nil {
						t.Fatal(err)
					}
					// The whole page as JPEG: a lossless PNG of a page tens of
					// thousands of pixels tall takes seconds to encode.
					full, err := chromedp.Run(c, chromedp.FullScreenshot(85))
					if err != nil {
						t.Fatal(err)
					}
					for suffix, png := range map[string][]byte{"-top.png": top, ".jpg": full} {
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

// axeSource reads axe-core as npm installed it next to these tests.
func axeSource(t *testing.T) string {
	t.Helper()
	chromiumPath(t) // skip first when there is no browser at all
	b, err := os.ReadFile(filepath.Join("node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		if os.Getenv("BROWSER_TESTS") == "required" {
			t.Fatalf("axe-core missing (run: npm ci --prefix browser): %v", err)
		}
		t.Skipf("accessibility checks skipped: axe-core not installed (npm ci --prefix browser)")
	}
	return string(b)
}

// runAxe injects axe-core through the DevTools protocol (not a <script>
// tag, which the Content-Security-Policy would rightly refuse) and returns
// one line per violation.
func runAxe(t *testing.T, ctx context.Context, src string) []string {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
		t.Fatalf("injecting axe-core: %v", err)
	}
	type node struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	}
	type violation struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  []node `json:"nodes"`
	}
	type report struct {
		Violations []violation `json:"violations"`
		Passes     int         `json:"passes"`
	}
	rep, err := chromedp.Run(ctx, chromedp.Evaluate[report](`axe.run(document, {
		runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
	}).then(r => ({violations: r.violations, passes: r.passes.length}))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("running axe-core: %v", err)
	}
	// A run that checked almost nothing proves nothing.
	if rep.Passes < 10 {
		t.Fatalf("axe-core passed only %d rules: it did not really check the page", rep.Passes)
	}
	var out []string
	for _, v := range rep.Violations {
		var where []string
		for i, n := range v.Nodes {
			if i == 3 {
				where = append(where, fmt.Sprintf("and %d more", len(v.Nodes)-3))
				break
			}
			where = append(where, fmt.Sprint(n.Target))
		}
		out = append(out, fmt.Sprintf("%s (%s): %s at %s", v.ID, v.Impact, v.Help, strings.Join(where, ", ")))
	}
	return out
}

// TestZoom200 opens every page type at 640 CSS pixels, which is what a
// 1280-pixel window shows at 200 % zoom, and checks nothing is cut off
// sideways.
func TestZoom200(t *testing.T) {
	base := startSite(t)
	ctx := newBrowser(t)
	for _, p := range pageTypes(t) {
		t.Run(p.name, func(t *testing.T) {
			openAt(t, ctx, base, p, 640, "light")
		})
	}
}

// TestStickyTableHeader scrolls a long comparison on a desktop and checks
// the role headings stay at the top of the window.
func TestStickyTableHeader(t *testing.T) {
	base := startSite(t)
	ctx := newBrowser(t)
	c := withTimeout(t, ctx)
	if err := chromedp.Do(c, view(1280, "light"), chromedp.Navigate(base+shippedGuide(t).CompareURL())); err != nil {
		t.Fatal(err)
	}
	top, err := chromedp.Run(c, chromedp.Evaluate[float64](`(() => {
		const rows = document.querySelectorAll(".cmp tbody tr");
		rows[Math.floor(rows.length / 2)].scrollIntoView();
		return document.querySelector(".cmp thead th").getBoundingClientRect().top;
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if top < -1 || top > 1 {
		t.Errorf("halfway down the table the header row is at y=%.0f, want it stuck at the top (0)", top)
	}
}
