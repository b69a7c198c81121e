package server_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pmvspo/site/build"
	"github.com/pmvspo/site/server"
)

// Budgets for what every page downloads besides its own HTML, measured on
// the real responses. A page's HTML has a budget too (build.PageBudget),
// but its weight is the content's: site check warns its editor.
const (
	cssBudget = 8 * 1024
	jsBudget  = 2 * 1024
)

var assetRe = regexp.MustCompile(`(?:href|src)="(/static/[^"]+\.(?:css|js))"`)

func sizeOf(t *testing.T, h http.Handler, path, encoding string) int {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if encoding != "" {
		req.Header.Set("Accept-Encoding", encoding)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: status %d", path, rec.Code)
	}
	if got := rec.Header().Get("Content-Encoding"); encoding != "" && got != encoding {
		t.Fatalf("GET %s with Accept-Encoding %s: Content-Encoding %q", path, encoding, got)
	}
	return rec.Body.Len()
}

// TestBudgets checks the CSS and the script against their compressed
// budgets, for both gzip (what browsers send over plain HTTP) and brotli,
// and that site check warns about exactly the indexable pages whose gzip
// response is over the page budget.
func TestBudgets(t *testing.T) {
	h := testHandler(t)
	// Every indexable page of every published guide, whatever the editors
	// wrote.
	pages := []string{"/"}
	for _, g := range testSite(t).Published(time.Now()).Guides {
		pages = append(pages, g.URL(), g.CompareURL())
		for _, a := range g.Articles {
			pages = append(pages, a.URL())
		}
		for _, f := range g.FAQ {
			pages = append(pages, g.FAQURL(f.ID))
		}
		for _, a := range g.Assessments {
			pages = append(pages, a.URL())
		}
	}
	// The pages site check warns about are exactly those whose gzip
	// response is over the page budget.
	warned := map[string]bool{}
	for _, x := range h.(*server.Server).Snapshot().OverBudget() {
		warned[x.Path] = true
	}
	var report strings.Builder
	fmt.Fprintf(&report, "%-45s %8s %8s %8s\n", "path", "raw", "gzip", "br")
	for _, p := range pages {
		raw, gz, br := sizeOf(t, h, p, ""), sizeOf(t, h, p, "gzip"), sizeOf(t, h, p, "br")
		fmt.Fprintf(&report, "%-45s %8d %8d %8d\n", p, raw, gz, br)
		if over := gz > build.PageBudget; over != warned[p] {
			t.Errorf("%s: %d bytes gzip against a budget of %d, but site check's warning for it is %v", p, gz, build.PageBudget, warned[p])
		}
	}
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	assets := assetRe.FindAllStringSubmatch(rec.Body.String(), -1)
	if len(assets) < 2 {
		t.Fatalf("found %d CSS/JS assets on the home page, want the stylesheet and the script", len(assets))
	}
	totals := map[string][2]int{}
	for _, m := range assets {
		kind := m[1][strings.LastIndexByte(m[1], '.')+1:]
		gz, br := sizeOf(t, h, m[1], "gzip"), sizeOf(t, h, m[1], "br")
		fmt.Fprintf(&report, "%-45s %8d %8d %8d\n", m[1], sizeOf(t, h, m[1], ""), gz, br)
		tot := totals[kind]
		totals[kind] = [2]int{tot[0] + gz, tot[1] + br}
	}
	for kind, budget := range map[string]int{"css": cssBudget, "js": jsBudget} {
		if tot := totals[kind]; tot[0] > budget || tot[1] > budget {
			t.Errorf("all %s: %d bytes gzip, %d brotli; budget %d", kind, tot[0], tot[1], budget)
		}
	}
	t.Logf("sizes in bytes:\n%s", report.String())
}
