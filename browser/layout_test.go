package browser

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// onEveryPage runs check on every page type at both widths, in the light
// scheme, each as a subtest named after the page and the width.
func onEveryPage(t *testing.T, check func(t *testing.T, c context.Context)) {
	t.Helper()
	base := startSite(t)
	ctx := newBrowser(t)
	for _, p := range pageTypes(t) {
		for _, w := range widths {
			t.Run(fmt.Sprintf("%s-%d", p.name, w), func(t *testing.T) {
				check(t, openAt(t, ctx, base, p, w, "light"))
			})
		}
	}
}

// overlapJS finds visible text of two different elements drawn on top of
// each other: it collects the rectangle of every line of every visible text
// node and compares them pairwise (sorted by top, so only neighbours are
// compared). Text that is clipped away on purpose (visually-hidden labels)
// or transparent does not count.
const overlapJS = `(() => {
	const hidden = el => {
		for (let e = el; e && e !== document.body; e = e.parentElement) {
			const s = getComputedStyle(e);
			if (s.visibility === "hidden" || s.display === "none" || parseFloat(s.opacity) === 0) return true;
			if (s.clipPath && s.clipPath !== "none") return true;
		}
		return false;
	};
	const boxes = [];
	const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	for (let n = walk.nextNode(); n; n = walk.nextNode()) {
		if (!n.textContent.trim()) continue;
		const el = n.parentElement;
		if (!el || hidden(el)) continue;
		// A closed <details> keeps its answer laid out but not painted.
		const d = el.closest("details:not([open])");
		if (d && !el.closest("summary")) continue;
		const r = document.createRange();
		r.selectNodeContents(n);
		for (const b of r.getClientRects()) {
			if (b.width < 1 || b.height < 1) continue;
			boxes.push({el, t: b.top + scrollY, b: b.bottom + scrollY, l: b.left, r: b.right, text: n.textContent.trim().slice(0, 40)});
		}
	}
	boxes.sort((a, b) => a.t - b.t);
	const name = el => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).trim().split(/\s+/).join(".") : "");
	const out = [];
	for (let i = 0; i < boxes.length && out.length < 10; i++) {
		for (let j = i + 1; j < boxes.length && boxes[j].t < boxes[i].b; j++) {
			const a = boxes[i], b = boxes[j];
			if (a.el === b.el) continue;
			const w = Math.min(a.r, b.r) - Math.max(a.l, b.l), h = Math.min(a.b, b.b) - Math.max(a.t, b.t);
			// A pixel or two is anti-aliasing and line-box rounding, not a defect.
			if (w > 2 && h > 2) out.push(name(a.el) + " “" + a.text + "” overlaps " + name(b.el) + " “" + b.text + "” by " + Math.round(w) + "×" + Math.round(h) + " px");
		}
	}
	return out;
})()`

// TestNoTextOverlaps opens every page type at both widths and fails when
// the text of two different elements is drawn on top of each other, as a
// link pulled up by a negative margin over a table caption once was.
func TestNoTextOverlaps(t *testing.T) {
	onEveryPage(t, func(t *testing.T, c context.Context) {
		overlaps, err := chromedp.Run(c, chromedp.Evaluate[[]string](overlapJS))
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range overlaps {
			t.Errorf("%s", o)
		}
	})
}

// inertJS lists visible controls that do nothing without script: buttons
// that submit no form, and links that go nowhere.
const inertJS = `(() => {
	const visible = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
	const out = [];
	for (const el of document.querySelectorAll("button, input[type=button], [role=button], a")) {
		if (!visible(el)) continue;
		let inert = false;
		if (el.tagName === "A") {
			const h = el.getAttribute("href");
			inert = h === null || h === "#" || h.startsWith("javascript:");
		} else {
			const type = (el.getAttribute("type") || "submit").toLowerCase();
			inert = el.getAttribute("role") === "button" || type === "button" || !el.form;
		}
		if (inert) out.push(el.outerHTML.slice(0, 100));
	}
	return out;
})()`

// TestNoInertControlsWithoutScript opens every page type with script
// disabled: whatever a reader can see must work, so a button that only
// site.js can make useful (copy link, share) must stay hidden.
func TestNoInertControlsWithoutScript(t *testing.T) {
	base := startSite(t)
	ctx := newBrowser(t)
	c := withTimeout(t, ctx)
	if _, err := chromedp.Call(c, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	paths := []string{}
	for _, p := range pageTypes(t) {
		if p.then == nil {
			paths = append(paths, p.path)
		}
	}
	// Result pages are plain links; without script they are reached by URL.
	for _, g := range published() {
		for _, a := range g.Assessments {
			var q []string
			for _, qu := range a.Questions {
				q = append(q, qu.ID+"="+qu.Options[0].ID)
			}
			paths = append(paths, a.URL()+"/result?"+strings.Join(q, "&"))
		}
	}
	for _, path := range paths {
		t.Run(path, func(t *testing.T) {
			c := withTimeout(t, ctx)
			if err := chromedp.Do(c, view(375, "light"), chromedp.Navigate(base+path)); err != nil {
				t.Fatal(err)
			}
			inert, err := chromedp.Run(c, chromedp.Evaluate[[]string](inertJS))
			if err != nil {
				t.Fatal(err)
			}
			for _, el := range inert {
				t.Errorf("visible without script, but does nothing: %s", el)
			}
		})
	}
}

// Check that the inert-control check can see a control at all: with script
// on, site.js reveals the copy button of a result page where the browser
// has a clipboard, so the same query finds it. Without this, a query that
// matched nothing would pass the test above for any page.
func TestInertCheckSeesRevealedControls(t *testing.T) {
	base := startSite(t)
	ctx := newBrowser(t)
	c := withTimeout(t, ctx)
	var path string
	for _, g := range published() {
		for _, a := range g.Assessments {
			var q []string
			for _, qu := range a.Questions {
				q = append(q, qu.ID+"="+qu.Options[0].ID)
			}
			path = a.URL() + "/result?" + strings.Join(q, "&")
		}
	}
	if path == "" {
		t.Skip("no guide has an assessment, so no page has a script-only control")
	}
	if err := chromedp.Do(c, view(375, "light"), chromedp.Navigate(base+path)); err != nil {
		t.Fatal(err)
	}
	n, err := chromedp.Run(c, chromedp.Evaluate[int](`[...document.querySelectorAll("[data-copy]")].filter(b => b.getClientRects().length > 0).length`))
	if err != nil {
		t.Fatal(err)
	}
	hasClipboard, _ := chromedp.Run(c, chromedp.Evaluate[bool](`!!navigator.clipboard`))
	if hasClipboard && n == 0 {
		t.Errorf("with script and a clipboard, the result page shows no copy button: the no-script check would prove nothing")
	}
	inert, err := chromedp.Run(c, chromedp.Evaluate[[]string](inertJS))
	if err != nil {
		t.Fatal(err)
	}
	if hasClipboard && len(inert) == 0 {
		t.Errorf("the inert-control query does not see the revealed copy button")
	}
}

// loneMarkJS finds a heading's or a table row's "#" link that the line
// breaking has put on a line of its own, below the text it belongs to
// (once seen under long row names at 1280 px). It compares the link's box
// with the last line of the text before it in the same element.
const loneMarkJS = `(() => {
	const out = [];
	for (const a of document.querySelectorAll("a.hlink, a.rowlink")) {
		const mark = a.querySelector("[aria-hidden=true]") || a;
		const m = mark.getBoundingClientRect();
		if (m.width < 1 || m.height < 1) continue; // not shown (print-only, a closed details)
		const owner = a.closest("h1, h2, h3, h4, th");
		if (!owner) continue;
		const r = document.createRange();
		r.setStart(owner, 0);
		r.setEndBefore(a);
		const lines = [...r.getClientRects()].filter(b => b.width >= 1 && b.height >= 1);
		if (!lines.length) continue;
		const last = lines[lines.length - 1];
		if (m.top >= last.bottom - 1) {
			out.push(owner.tagName.toLowerCase() + " “" + r.toString().trim().replace(/\s+/g, " ").slice(0, 60) + "”: its # is on a line of its own");
		}
	}
	return out;
})()`

// leadingSeparatorJS lists the "·" separators (of bylines, eyebrows, a
// result's answer effects, the links under a heading) that start a line:
// each must end the line of the item before it.
const leadingSeparatorJS = `(() => {
	const out = [];
	for (const p of document.querySelectorAll(".byline, .eyebrow, .why-effect, .page-links")) {
		const left = p.getBoundingClientRect().left;
		const walk = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
		for (let n = walk.nextNode(); n; n = walk.nextNode()) {
			for (let i = n.data.indexOf("·"); i >= 0; i = n.data.indexOf("·", i + 1)) {
				const r = document.createRange();
				r.setStart(n, i);
				r.setEnd(n, i + 1);
				const b = r.getBoundingClientRect();
				if (b.width > 0 && b.left - left < 2) {
					out.push(p.className + " “" + p.textContent.trim().replace(/\s+/g, " ").slice(0, 60) + "”: a line starts with its “·”");
				}
			}
		}
	}
	return out;
})()`

// TestLinkMarksStayWithText opens every page type and widens the window
// from 320 to 1440 px in steps, so that every row and heading name meets
// the edge of its line somewhere: the "#" of a heading or row link must
// always sit on the line of the name's last word, and a byline's "·" on
// the line of the item before it.
func TestLinkMarksStayWithText(t *testing.T) {
	base := startSite(t)
	ctx := newBrowser(t)
	for _, p := range pageTypes(t) {
		t.Run(p.name, func(t *testing.T) {
			c := openAt(t, ctx, base, p, 1280, "light")
			seen := map[string]bool{}
			for w := int64(320); w <= 1440; w += 16 {
				if err := chromedp.Do(c, view(w, "light")); err != nil {
					t.Fatal(err)
				}
				lone, err := chromedp.Run(c, chromedp.Evaluate[[]string](loneMarkJS))
				if err != nil {
					t.Fatal(err)
				}
				leading, err := chromedp.Run(c, chromedp.Evaluate[[]string](leadingSeparatorJS))
				if err != nil {
					t.Fatal(err)
				}
				lone = append(lone, leading...)
				for _, l := range lone {
					if !seen[l] {
						seen[l] = true
						t.Errorf("at %d px: %s", w, l)
					}
				}
			}
		})
	}
}

// crumbsJS gives the text a reader sees in each breadcrumb link, and the
// full and short labels of those that have both.
const crumbsJS = `[...document.querySelectorAll(".crumbs a")].map(a => ({
	seen: a.innerText.trim(),
	full: (a.querySelector(".crumb-full") || {}).textContent || "",
	short: (a.querySelector(".crumb-short") || {}).textContent || "",
}))`

type crumbText struct {
	Seen  string `json:"seen"`
	Full  string `json:"full"`
	Short string `json:"short"`
}

// TestBreadcrumbsShortOnPhones checks that a crumb with a short label (a
// guide's "PM vs PO") shows only that on a phone and only its full label on
// a desktop: with full labels, a result page's trail took three of the
// phone's lines before its heading.
func TestBreadcrumbsShortOnPhones(t *testing.T) {
	base := startSite(t)
	ctx := newBrowser(t)
	shortSeen := false
	for _, p := range pageTypes(t) {
		for _, w := range widths {
			t.Run(fmt.Sprintf("%s-%d", p.name, w), func(t *testing.T) {
				c := openAt(t, ctx, base, p, w, "light")
				crumbs, err := chromedp.Run(c, chromedp.Evaluate[[]crumbText](crumbsJS))
				if err != nil {
					t.Fatal(err)
				}
				for _, cr := range crumbs {
					if cr.Short == "" {
						continue
					}
					want := cr.Full
					if w < 480 {
						want, shortSeen = cr.Short, true
					}
					if cr.Seen != want {
						t.Errorf("at %d px the crumb for %q reads %q, want %q", w, cr.Full, cr.Seen, want)
					}
				}
			})
		}
	}
	if g := shippedGuide(t); g.ShortTitle() != g.Title && !shortSeen {
		t.Errorf("no crumb showed the short title %q of %q on a phone", g.ShortTitle(), g.Title)
	}
}

// TestHeadingsKeepRoleNames opens every page type at both widths and fails
// when a role's name in the page's heading is split over two lines ("The
// Product / Manager role fits you" was seen at 1280 px).
func TestHeadingsKeepRoleNames(t *testing.T) {
	g := shippedGuide(t)
	var names []string
	for _, r := range g.Roles {
		if strings.Contains(r.Name, " ") {
			names = append(names, r.Name)
		}
	}
	if len(names) == 0 {
		t.Skip("no role name of more than one word in the first guide")
	}
	onEveryPage(t, func(t *testing.T, c context.Context) {
		// Each occurrence of a name in the h1's text, as a range:
		// one line box means the name was not broken.
		split, err := chromedp.Run(c, chromedp.Evaluate[[]string](fmt.Sprintf(`(() => {
			const names = %s, h = document.querySelector("h1"), out = [];
			if (!h) return out;
			const walk = document.createTreeWalker(h, NodeFilter.SHOW_TEXT), nodes = [];
			let text = "";
			for (let n = walk.nextNode(); n; n = walk.nextNode()) { nodes.push([n, text.length]); text += n.textContent; }
			const at = i => { for (let k = nodes.length - 1; k >= 0; k--) if (nodes[k][1] <= i) return [nodes[k][0], i - nodes[k][1]]; };
			for (const name of names) {
				for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
					const r = document.createRange();
					r.setStart(...at(i));
					r.setEnd(...at(i + name.length - 1));
					const tops = new Set([...r.getClientRects()].filter(b => b.width > 0).map(b => Math.round(b.top)));
					if (tops.size > 1) out.push(name);
				}
			}
			return out;
		})()`, jsStrings(names))))
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range split {
			t.Errorf("the heading breaks %q over two lines", n)
		}
	})
}

// jsStrings is a JavaScript array literal of ss.
func jsStrings(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// TestShareLinksEvenlySpaced fails when the gaps between the words of a
// page's share row differ by more than a few pixels: a 44 px target centred
// around "X" once left it twice the space of the others.
func TestShareLinksEvenlySpaced(t *testing.T) {
	onEveryPage(t, func(t *testing.T, c context.Context) {
		// The drawn text of each visible item, left to right on the
		// first line of the row.
		gaps, err := chromedp.Run(c, chromedp.Evaluate[[]float64](`(() => {
			const list = document.querySelector(".share-links .nav-list");
			if (!list) return [];
			const boxes = [...list.querySelectorAll("a, button")].filter(e => e.offsetParent !== null).map(e => {
				const r = document.createRange();
				r.selectNodeContents(e);
				return r.getClientRects()[0];
			}).filter(b => b);
			const top = boxes.length ? boxes[0].top : 0, out = [];
			for (let i = 1; i < boxes.length; i++) {
				if (Math.abs(boxes[i].top - top) > 2) break;
				out.push(boxes[i].left - boxes[i - 1].right);
			}
			return out;
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		if len(gaps) < 2 {
			return // nothing to compare on this page
		}
		lo, hi := gaps[0], gaps[0]
		for _, g := range gaps {
			lo, hi = min(lo, g), max(hi, g)
		}
		if hi-lo > 10 {
			t.Errorf("share links are spaced %v px apart: the widest gap is %.0f px more than the narrowest", gaps, hi-lo)
		}
	})
}

// TestTableHeadersAligned fails when the labels of one header row of a
// side-by-side table sit at different heights ("Dimension" sat 4 px above
// the roles' names, which have a coloured top border).
func TestTableHeadersAligned(t *testing.T) {
	onEveryPage(t, func(t *testing.T, c context.Context) {
		off, err := chromedp.Run(c, chromedp.Evaluate[[]string](`(() => {
			const out = [];
			for (const tr of document.querySelectorAll(".ptable thead tr")) {
				// On a phone the rows stack and the header row is hidden or a list.
				const head = tr.closest("thead");
				if (getComputedStyle(tr).display !== "table-row" || getComputedStyle(head).clipPath !== "none" || getComputedStyle(head).position === "absolute") continue;
				const tops = [...tr.querySelectorAll("th")].map(th => {
					const r = document.createRange();
					r.selectNodeContents(th);
					const b = r.getClientRects()[0];
					return b && b.width > 0 ? [th.textContent.trim(), b.top] : null;
				}).filter(x => x);
				for (const [label, top] of tops) {
					if (Math.abs(top - tops[0][1]) > 1) out.push("“" + label + "” is " + Math.round(top - tops[0][1]) + " px below “" + tops[0][0] + "”");
				}
			}
			return out;
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range off {
			t.Errorf("table header: %s", o)
		}
	})
}
