package browser

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestKeyboard checks, with the keyboard alone: the first Tab reaches a
// visible skip link that moves focus to the main content; every focusable
// element shows a focus outline; an FAQ item opens with Enter.
func TestKeyboard(t *testing.T) {
	base := startSite(t)
	ctx := newBrowser(t)
	c := withTimeout(t, ctx)
	if err := chromedp.Do(c, view(1280, "light"), chromedp.Navigate(base+faqHome(t)), chromedp.KeyEvent(kb.Tab)); err != nil {
		t.Fatal(err)
	}
	st, err := chromedp.Run(c, chromedp.Evaluate[map[string]any](`(() => {
		const a = document.activeElement, r = a.getBoundingClientRect();
		return {cls: a.className, top: r.top, h: r.height, outline: getComputedStyle(a).outlineStyle};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if st["cls"] != "skip-link" || st["top"].(float64) < 0 || st["h"].(float64) == 0 {
		t.Fatalf("first Tab focuses %v, want the visible skip link", st)
	}
	if err := chromedp.Do(c, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	focused, _ := chromedp.Run(c, chromedp.Evaluate[string](`document.activeElement.id || location.hash`))
	if focused != "main" && focused != "#main" {
		t.Errorf("after the skip link, focus is on %q, want main", focused)
	}

	// Walk the first 60 tab stops: each must show a focus indicator.
	unfocused, err := chromedp.Run(c, chromedp.Evaluate[[]string](`(() => {
		const els = [...document.querySelectorAll("a[href], button:not([hidden]), input, summary, [tabindex='0']")].slice(0, 60);
		const bad = [];
		for (const el of els) {
			el.focus();
			if (document.activeElement !== el) continue;
			const s = getComputedStyle(el);
			const outlined = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2;
			if (!outlined && !el.matches(".radio input")) bad.push(el.outerHTML.slice(0, 80));
		}
		return bad;
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range unfocused {
		t.Errorf("no visible focus indicator on %s", b)
	}

	// An FAQ item opens from the keyboard.
	open, err := chromedp.Run(c, chromedp.Evaluate[bool](`(() => { document.querySelector("details.faq-item summary").focus(); return true; })()`))
	if err != nil || !open {
		t.Fatal(err)
	}
	if err := chromedp.Do(c, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	isOpen, _ := chromedp.Run(c, chromedp.Evaluate[bool](`document.querySelector("details.faq-item").open`))
	if !isOpen {
		t.Errorf("Enter on an FAQ question did not open it")
	}
}
