package browser

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// emptyHeadingsJS lists visible headings that no visible text follows
// before the next heading of the same or a higher level: on paper such a
// heading announces nothing (a section whose content print hides).
const emptyHeadingsJS = `(() => {
	const visible = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
	const seq = [];
	const walk = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
	for (let n = walk.nextNode(); n; n = walk.nextNode()) {
		if (n.nodeType === 1 && /^H[1-6]$/.test(n.tagName)) {
			if (visible(n)) seq.push({h: n, level: +n.tagName[1]});
			continue;
		}
		if (n.nodeType === 3 && n.textContent.trim() && n.parentElement && !n.parentElement.closest("h1,h2,h3,h4,h5,h6") && visible(n.parentElement)) {
			seq.push({text: true});
		}
	}
	const out = [];
	seq.forEach((s, i) => {
		if (!s.h) return;
		const next = seq[i + 1];
		if (!next || (next.h && next.level <= s.level)) out.push(s.h.textContent.trim());
	});
	return out;
})()`

// printPages is every page a reader is likely to print.
func printPages() []string {
	var out []string
	for _, g := range published() {
		out = append(out, g.URL(), g.CompareURL())
		for _, a := range g.Articles {
			out = append(out, a.URL())
		}
		for _, f := range g.FAQ {
			out = append(out, g.FAQURL(f.ID))
			break
		}
	}
	return out
}

// TestPrintLayout emulates print on the guide's page, the comparison, every article and an
// FAQ page and checks what paper would show: no heading without content
// under it, every link in the page printing its absolute address, and no
// table whose header row ends a page alone (read from the printed PDF).
func TestPrintLayout(t *testing.T) {
	base := startSite(t)
	ctx := newBrowser(t)
	pdftotext, pdfErr := exec.LookPath("pdftotext")
	dir := artifactDir(t)
	for _, path := range printPages() {
		t.Run(path, func(t *testing.T) {
			c := withTimeout(t, ctx)
			if err := chromedp.Do(c, view(1280, "light"), chromedp.Navigate(base+path)); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Call(c, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
				t.Fatal(err)
			}
			empty, err := chromedp.Run(c, chromedp.Evaluate[[]string](emptyHeadingsJS))
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range empty {
				t.Errorf("heading %q prints with nothing under it", h)
			}
			// A form is of no use on paper: no field or button prints.
			controls, err := chromedp.Run(c, chromedp.Evaluate[[]string](`[...document.querySelectorAll("input:not([type=hidden]), button, select, textarea")]
				.filter(e => e.getClientRects().length > 0).map(e => e.outerHTML.slice(0, 80))`))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range controls {
				t.Errorf("a form control prints: %s", e)
			}
			// Every visible link in the main content prints a full URL after
			// it, except links within the page, whose target is on the paper,
			// and links whose address another link on the page already prints
			// (a table cell citing a source listed under Sources), or whose
			// page it prints (the short table's row labels, linking to rows
			// of the comparison whose address prints under the table).
			bad, err := chromedp.Run(c, chromedp.Evaluate[[]string](`(() => {
				// The eyebrow above the title names the guide a page belongs to:
				// on paper, its address there is clutter, so it prints bare.
				const links = [...document.querySelectorAll("main a[href]:not([href^='#']):not(.eyebrow a)")]
					.filter(a => a.getClientRects().length > 0 && a.textContent.trim());
				const prints = a => /^"? ?\((https?|mailto):/.test(getComputedStyle(a, "::after").content.replace(/^"\s*/, '"'));
				const printed = new Set(links.filter(prints).map(a => a.getAttribute("href")));
				const page = h => h.split("#")[0];
				return links.filter(a => !prints(a) && !printed.has(a.getAttribute("href")) && !printed.has(page(a.getAttribute("href"))))
					.map(a => a.getAttribute("href") + " → " + getComputedStyle(a, "::after").content);
			})()`))
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range bad {
				t.Errorf("link prints without its absolute address: %s", b)
			}
			pdf, err := chromedp.Run(c, chromedp.PrintToPDF())
			if err != nil {
				t.Fatal(err)
			}
			name := strings.NewReplacer("/", "_").Replace(strings.Trim(path, "/"))
			if err := os.WriteFile(filepath.Join(dir, "print-"+name+".pdf"), pdf, 0o644); err != nil {
				t.Fatal(err)
			}
			if pdfErr != nil {
				if os.Getenv("BROWSER_TESTS") == "required" {
					t.Fatalf("pdftotext not found (apt-get install -y poppler-utils): %v", pdfErr)
				}
				t.Skip("page-break checks skipped: pdftotext not found (apt-get install -y poppler-utils)")
			}
			checkHeaderRows(t, c, pdftotext, pdf)
			checkRowsWhole(t, c, pdftotext, pdf)
		})
	}
}

// pdfPages is the text of each printed page, whitespace collapsed (pdftotext
// ends every page with a form feed; -raw keeps reading order).
func pdfPages(t *testing.T, pdftotext string, pdf []byte) []string {
	t.Helper()
	cmd := exec.Command(pdftotext, "-raw", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	var pages []string
	for _, p := range strings.Split(string(out), "\f") {
		pages = append(pages, strings.Join(strings.Fields(p), " "))
	}
	return pages
}

// checkRowsWhole fails when a table row starts on one printed page and
// ends on the next: a reader turns the page in the middle of a cell, under
// a repeated header. A row's prose note (row-note, "sources differ") may
// break like a paragraph. A row is found by its first and its last words.
func checkRowsWhole(t *testing.T, ctx context.Context, pdftotext string, pdf []byte) {
	t.Helper()
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[[][]string](`[...document.querySelectorAll("main table tbody tr:not(.row-note)")]
		.filter(tr => tr.getClientRects().length > 0)
		.map(tr => tr.innerText.trim().split(/\s+/))
		.filter(w => w.length >= 12)`))
	if err != nil {
		t.Fatal(err)
	}
	pages := pdfPages(t, pdftotext, pdf)
	occurrences := func(s string) (n, first int) {
		first = -1
		for i, p := range pages {
			if c := strings.Count(p, s); c > 0 {
				if first < 0 {
					first = i
				}
				n += c
			}
		}
		return n, first
	}
	// unique is the page of the shortest run of words (3 to 10) at the start
	// or the end of a row that occurs exactly once in the printout.
	unique := func(words []string, fromEnd bool) int {
		for n := 3; n <= 10 && n <= len(words); n++ {
			run := words[:n]
			if fromEnd {
				run = words[len(words)-n:]
			}
			if c, p := occurrences(strings.Join(run, " ")); c == 1 {
				return p
			}
		}
		return -1
	}
	checked := 0
	for _, w := range rows {
		h, tl := unique(w, false), unique(w, true)
		if h < 0 || tl < 0 {
			continue // not printed as one run of words (wrapped into other text), or not unique
		}
		checked++
		if tl > h {
			t.Errorf("a table row starts on printed page %d and ends on page %d: %q … %q", h+1, tl+1,
				strings.Join(w[:6], " "), strings.Join(w[len(w)-6:], " "))
		}
	}
	t.Logf("%d of %d table rows found in the printout and checked", checked, len(rows))
	if len(rows) > 0 && checked == 0 {
		t.Errorf("none of %d table rows could be found in the printout; the check compares nothing", len(rows))
	}
}

// checkHeaderRows reads the printed pages and fails when a page shows a
// table's column headers but none of its rows: the header row was left
// alone at the bottom of the page.
func checkHeaderRows(t *testing.T, ctx context.Context, pdftotext string, pdf []byte) {
	t.Helper()
	type table struct {
		Headers []string `json:"headers"`
		Rows    []string `json:"rows"`
	}
	tables, err := chromedp.Run(ctx, chromedp.Evaluate[[]table](`[...document.querySelectorAll("main table")].map(t => ({
		headers: [...t.querySelectorAll("thead th")].map(th => th.textContent.trim().split(/\s+/).slice(0, 2).join(" ")),
		rows: [...t.querySelectorAll("tbody th[scope=row]")].map(th => {
			// The row's name, without its link (which does not print).
			const name = (th.querySelector(".pt-name") || th).cloneNode(true);
			name.querySelectorAll("a.rowlink").forEach(a => a.remove());
			return name.textContent.trim().split(/\s+/).slice(0, 2).join(" ");
		}),
	}))`))
	if err != nil {
		t.Fatal(err)
	}
	// A word pair of each header can break across lines, so headers and
	// row names are compared with whitespace collapsed, as pdfPages gives
	// the pages.
	pages := pdfPages(t, pdftotext, pdf)
	squash := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	for i, text := range pages {
		for _, tb := range tables {
			if len(tb.Headers) < 2 || len(tb.Rows) == 0 {
				continue
			}
			// The header row prints as one line of its cells in order; the
			// words alone also occur in titles ("… Product Manager and a
			// Product Owner … Day by Day").
			at := strings.LastIndex(text, squash(strings.Join(tb.Headers, " ")))
			if at < 0 {
				continue
			}
			// A row counts only below the header: a row's name can also
			// occur in the text above the table.
			below := text[at:]
			hasRow := false
			for _, r := range tb.Rows {
				if strings.Contains(below, squash(r)) {
					hasRow = true
				}
			}
			if !hasRow {
				t.Errorf("printed page %d shows the header row of a table (%s) and none of its rows", i+1, strings.Join(tb.Headers, " | "))
			}
		}
	}
}
