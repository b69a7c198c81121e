package browser

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// columnsJS checks the tables and role grids of a page: every value cell
// of a table row is at least minWidth wide, and a row's cells either share
// one line or each take the full width, so no cell is left alone at half
// width; a grid of role cards shows one column or all of them side by side.
const columnsJS = `((minWidth) => {
	const out = [];
	for (const tr of document.querySelectorAll("main table tbody tr:not(.row-note)")) {
		const tds = [...tr.querySelectorAll(":scope > td")].map(td => td.getBoundingClientRect()).filter(r => r.width > 0);
		if (tds.length === 0) continue;
		const row = tr.id || tr.textContent.trim().slice(0, 30);
		const narrow = tds.filter(r => r.width < minWidth);
		if (narrow.length) out.push("row " + row + ": a cell is only " + Math.round(narrow[0].width) + " px wide");
		const oneLine = tds.every(r => Math.abs(r.top - tds[0].top) < 2);
		const rowWidth = tr.getBoundingClientRect().width;
		const stacked = tds.every(r => r.width > rowWidth - 4);
		if (!oneLine && !stacked) out.push("row " + row + ": its " + tds.length + " cells wrap, leaving one at part width");
	}
	for (const grid of document.querySelectorAll("main .profile-grid, main .interviews")) {
		const kids = [...grid.children].map(k => k.getBoundingClientRect());
		const cols = new Set(kids.map(r => Math.round(r.left))).size;
		if (cols !== 1 && cols !== kids.length) out.push(grid.className + ": " + kids.length + " cards in " + cols + " columns, leaving an orphan");
	}
	return out;
})`

// TestThreeRoleLayout opens every page of the three-role test guide at
// both widths and checks that no role column is squeezed and no cell or
// card is orphaned. The screenshots of TestPages show the same pages.
func TestThreeRoleLayout(t *testing.T) {
	base := startSite(t)
	ctx := newBrowser(t)
	g := siteData.Guide("eng-leadership")
	if g == nil || len(g.Roles) != 3 {
		t.Fatalf("the three-role test guide is not loaded from %s", threeRoles)
	}
	paths := []string{g.CompareURL()}
	for _, a := range g.Articles {
		paths = append(paths, a.URL())
	}
	for _, path := range paths {
		for _, w := range widths {
			t.Run(fmt.Sprintf("%s-%d", path, w), func(t *testing.T) {
				c := openAt(t, ctx, base, pageType{name: path, path: path}, w, "light")
				// 9rem holds a short phrase per line at the body size.
				bad, err := chromedp.Run(c, chromedp.Evaluate[[]string](columnsJS+"(9 * parseFloat(getComputedStyle(document.documentElement).fontSize))"))
				if err != nil {
					t.Fatal(err)
				}
				for _, b := range bad {
					t.Error(b)
				}
			})
		}
	}
}
