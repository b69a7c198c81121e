package browser

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestFAQLinkOpensAnswer follows a link to "#faq-…" from another page (the
// FAQ permalink page's "read it in context") and checks that the answer is
// open and its question is in view, both without script (the browser's own
// behaviour) and with it.
func TestFAQLinkOpensAnswer(t *testing.T) {
	base := startSite(t)
	g := shippedGuide(t)
	if len(g.FAQ) == 0 {
		t.Skip("the first guide has no FAQ: no FAQ link to follow")
	}
	item := g.FAQ[0]
	for _, script := range []bool{false, true} {
		name := "no-script"
		if script {
			name = "with-script"
		}
		t.Run(name, func(t *testing.T) {
			ctx := newBrowser(t)
			c := withTimeout(t, ctx)
			if !script {
				if _, err := chromedp.Call(c, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
					t.Fatal(err)
				}
			}
			if err := chromedp.Do(c, view(375, "light"),
				chromedp.Navigate(base+g.FAQURL(item.ID)),
				chromedp.Click(`a[href$="#`+item.Anchor()+`"]`),
				chromedp.WaitVisible(`#`+item.Anchor()),
			); err != nil {
				t.Fatal(err)
			}
			// Give layout a moment to settle after the fragment scroll.
			time.Sleep(300 * time.Millisecond)
			st, err := chromedp.Run(c, chromedp.Evaluate[map[string]any](`(() => {
				const a = document.getElementById("`+item.Anchor()+`");
				const d = a.closest("details");
				const q = d.querySelector("summary").getBoundingClientRect();
				const others = [...document.querySelectorAll("details.faq-item")].filter(x => x !== d && x.open).length;
				return {open: d.open, hash: location.hash, qTop: q.top, qBottom: q.bottom, vh: window.innerHeight, others};
			})()`))
			if err != nil {
				t.Fatal(err)
			}
			if st["open"] != true {
				t.Fatalf("the linked FAQ item is closed: %v", st)
			}
			if !strings.HasSuffix(st["hash"].(string), "#"+item.Anchor()) {
				t.Errorf("location hash = %v", st["hash"])
			}
			if top, bottom := st["qTop"].(float64), st["qBottom"].(float64); top < 0 || bottom > st["vh"].(float64) {
				t.Errorf("the question is out of view (top %.0f, bottom %.0f, viewport %v)", top, bottom, st["vh"])
			}
			if st["others"].(float64) != 0 {
				t.Errorf("%v other FAQ items opened too", st["others"])
			}
		})
	}
}

// TestPrintShowsEveryAnswer emulates print media and checks that every FAQ
// answer is rendered (visible) and that navigation is hidden.
func TestPrintShowsEveryAnswer(t *testing.T) {
	base := startSite(t)
	ctx := newBrowser(t)
	c := withTimeout(t, ctx)
	if err := chromedp.Do(c, chromedp.Navigate(base+faqHome(t))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(c, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	st, err := chromedp.Run(c, chromedp.Evaluate[map[string]any](`(() => {
		const answers = [...document.querySelectorAll(".faq-a")];
		const hidden = answers.filter(a => a.getClientRects().length === 0 || a.offsetHeight === 0).length;
		const nav = getComputedStyle(document.querySelector(".site-header")).display;
		// A link in the running text (the short table's row labels print
		// without their URL on purpose: the comparison's prints under it).
		const linkAfter = getComputedStyle(document.querySelector(".prose > p a[href^='/']"), "::after").content;
		return {answers: answers.length, hidden, nav, linkAfter};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if want := len(shippedGuide(t).FAQ); int(st["answers"].(float64)) != want {
		t.Fatalf("found %v FAQ answers, want the guide's %d", st["answers"], want)
	}
	if st["hidden"].(float64) != 0 {
		t.Errorf("%v of %v FAQ answers are hidden in print", st["hidden"], st["answers"])
	}
	if st["nav"] != "none" {
		t.Errorf("site header prints (display %v)", st["nav"])
	}
	if la, _ := st["linkAfter"].(string); !strings.Contains(la, "/") {
		t.Errorf("links do not print their target: ::after content = %q", la)
	}
	pdf, err := chromedp.Run(c, chromedp.PrintToPDF())
	if err != nil {
		t.Fatal(err)
	}
	if len(pdf) < 10000 {
		t.Errorf("PDF is only %d bytes", len(pdf))
	}
}
