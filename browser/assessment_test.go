package browser

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestAssessmentFlow submits the role-fit form with one answer missing,
// checks the error summary takes focus and keeps the answers, completes the
// form and lands on a result page; screenshots each state at both widths.
func TestAssessmentFlow(t *testing.T) {
	base := startSite(t)
	g := shippedGuide(t)
	if len(g.Assessments) == 0 {
		t.Skip("the first guide has no assessment: no form to submit")
	}
	a := g.Assessments[0]
	ctx := newBrowser(t)
	dir := artifactDir(t)
	for _, w := range widths {
		for _, scheme := range schemes {
			t.Run(fmt.Sprintf("%d-%s", w, scheme), func(t *testing.T) {
				c := withTimeout(t, ctx)
				shot := func(name string) {
					png, err := chromedp.Run(c, chromedp.FullScreenshot(100))
					if err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d-%s.png", name, w, scheme)), png, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				if err := chromedp.Do(c, view(w, scheme), chromedp.Navigate(base+a.URL())); err != nil {
					t.Fatal(err)
				}
				// Answer every question with its first option except the first question.
				answered, err := chromedp.Run(c, chromedp.Evaluate[int](`(() => {
					const sets = [...document.querySelectorAll("fieldset.question")];
					sets.slice(1).forEach(fs => fs.querySelector("input[type=radio]").click());
					return sets.length - 1;
				})()`))
				if err != nil {
					t.Fatal(err)
				}
				if err := chromedp.Do(c, chromedp.Click(`button[type=submit]`), chromedp.WaitVisible(`[data-error-summary]`)); err != nil {
					t.Fatal(err)
				}
				state, err := chromedp.Run(c, chromedp.Evaluate[map[string]any](`({
					focused: document.activeElement && document.activeElement.hasAttribute("data-error-summary"),
					links: [...document.querySelectorAll("[data-error-summary] a")].map(a => a.getAttribute("href")),
					checked: document.querySelectorAll("input[type=radio]:checked").length,
					firstError: !!document.querySelector("fieldset.question:first-of-type .error-message"),
				})`))
				if err != nil {
					t.Fatal(err)
				}
				if state["focused"] != true {
					t.Errorf("error summary does not have focus after a failed submission")
				}
				if links, _ := state["links"].([]any); len(links) != 1 || !strings.HasPrefix(fmt.Sprint(links[0]), "#q-") {
					t.Errorf("error summary links = %v, want one link to the unanswered question", state["links"])
				}
				if got := int(state["checked"].(float64)); got != answered {
					t.Errorf("%d answers still selected after the failed submission, want %d", got, answered)
				}
				if state["firstError"] != true {
					t.Errorf("no error message beside the unanswered question")
				}
				shot(a.ID + "-error")
				checkErrorBarAtLegend(t, c)
				// Follow the summary link, answer, and submit.
				if err := chromedp.Do(c,
					chromedp.Click(`[data-error-summary] a`),
					chromedp.Click(`fieldset.question:first-of-type input[type=radio]`),
					chromedp.Click(`button[type=submit]`),
					chromedp.WaitVisible(`.scale`),
				); err != nil {
					t.Fatal(err)
				}
				loc, err := chromedp.Run(c, chromedp.Location())
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(loc, a.ResultURL()+"?") {
					t.Errorf("after a complete submission the browser is at %s, want a result link", loc)
				}
				h1, err := chromedp.Run(c, chromedp.Evaluate[string](`document.querySelector("h1").textContent`))
				if err != nil || h1 == "" {
					t.Errorf("result page has no heading (%v)", err)
				}
				overflow, _ := chromedp.Run(c, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`))
				if overflow > 0 {
					t.Errorf("result page overflows by %d px", overflow)
				}
				shot(a.ID + "-result")
			})
		}
	}
}

// checkErrorBarAtLegend looks at the pixels beside the first line of the
// first question with an error: its red bar must already be there. A
// fieldset draws its border through the middle of its legend, so a bar
// made of the fieldset's own border started halfway down that line.
func checkErrorBarAtLegend(t *testing.T, c context.Context) {
	t.Helper()
	geo, err := chromedp.Run(c, chromedp.Evaluate[map[string]any](`(() => {
		const fs = document.querySelector("fieldset.question-error");
		fs.scrollIntoView();
		const lg = fs.querySelector("legend"), f = fs.getBoundingClientRect(), l = lg.getBoundingClientRect();
		const m = getComputedStyle(fs).borderLeftColor.match(/\d+/g).map(Number);
		return {x: f.left + scrollX, y: l.top + scrollY, line: parseFloat(getComputedStyle(lg).lineHeight), rgb: m};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	num := func(k string) float64 { f, _ := geo[k].(float64); return f }
	res, err := chromedp.Call(c, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Clip: &page.Viewport{X: num("x"), Y: num("y"), Width: 3, Height: num("line"), Scale: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(res.Data))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := geo["rgb"].([]any)
	if len(want) < 3 {
		t.Fatalf("no border colour on the question with an error: %v", geo["rgb"])
	}
	// A quarter of the way down the first line: above a border drawn
	// through the legend's middle.
	r, g, b, _ := img.At(1, img.Bounds().Dy()/4).RGBA()
	got := []int{int(r >> 8), int(g >> 8), int(b >> 8)}
	for i, w := range want {
		if d := got[i] - int(w.(float64)); d > 40 || d < -40 {
			t.Errorf("beside the first line of a question with an error the colour is rgb%v, not the error bar's rgb%v: the bar does not start at the question's top", got, want)
			return
		}
	}
}
