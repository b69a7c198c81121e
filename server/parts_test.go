package server_test

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/net/html"

	"github.com/pmvspo/site/content"
)

// threeRoleDir is a test guide with three roles that places every
// structured part (who decides what, the week, hiring).
const threeRoleDir = "../content/testdata/three"

// threeRoleSite builds the real site from the embedded content plus the
// three-role guide: two guides, one of them with three roles.
func threeRoleSite(t *testing.T) (*content.Site, http.Handler, string) {
	t.Helper()
	m := fstest.MapFS{}
	for _, fsys := range []fs.FS{content.Embedded(), os.DirFS(threeRoleDir)} {
		err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(fsys, p)
			m[p] = &fstest.MapFile{Data: b}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	site, err := content.Load(m)
	if err != nil {
		t.Fatalf("loading the embedded content with %s: %v", threeRoleDir, err)
	}
	const origin = "https://guides.example"
	h, err := newHandler(site, testOptions{Origin: origin})
	if err != nil {
		t.Fatal(err)
	}
	return site, h, origin
}

func getPage(t *testing.T, h http.Handler, path string) *html.Node {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s: status %d", path, w.Code)
	}
	doc, err := html.Parse(w.Body)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// threeRoleGuide returns the guide of the site with three roles, and the
// article that places the structured parts.
func threeRoleGuide(t *testing.T, site *content.Site) (*content.Guide, *content.Article) {
	t.Helper()
	for _, g := range site.Guides {
		if len(g.Roles) != 3 || g.Decisions == nil || g.Week == nil || g.Hiring == nil {
			continue
		}
		for _, a := range g.Articles {
			if hasBlock(a, content.BlockDecisions) && hasBlock(a, content.BlockWeek) && hasBlock(a, content.BlockHiring) {
				return g, a
			}
		}
	}
	t.Fatalf("no three-role guide with an article placing every part (expected from %s)", threeRoleDir)
	return nil, nil
}

func hasBlock(a *content.Article, k content.BlockKind) bool {
	for _, b := range a.Blocks {
		if b.Kind == k {
			return true
		}
	}
	return false
}

// TestStructuredPartsRender renders the three-role guide's article through
// the real build and checks each part against the model: one row per
// decision, day and signal with its stable id, one cell per column, the
// citations, and the week's row-level notes.
func TestStructuredPartsRender(t *testing.T) {
	site, h, _ := threeRoleSite(t)
	g, a := threeRoleGuide(t, site)
	doc := getPage(t, h, a.URL())

	dec := mustNode(t, doc, byID(content.IDDecisions), "the decisions section")
	if cols := all(dec, and2(tagIs("th"), attrIs("scope", "col"))); len(cols) != len(g.Decisions.Setups)+1 {
		t.Errorf("decisions table has %d column headers, want %d", len(cols), len(g.Decisions.Setups)+1)
	}
	for _, d := range g.Decisions.Decisions {
		tr := mustNode(t, dec, byID(d.Anchor()), "decision row "+d.Anchor())
		tds := all(tr, tagIs("td"))
		if len(tds) != len(g.Decisions.Setups) {
			t.Fatalf("row %s has %d cells, want one per setup (%d)", d.ID, len(tds), len(g.Decisions.Setups))
		}
		for i, c := range d.Cells {
			got := textOf(tds[i])
			for _, p := range c.Decides {
				if !strings.Contains(got, p.Name) {
					t.Errorf("row %s, setup %s: cell %q does not name %q", d.ID, g.Decisions.Setups[i].ID, got, p.Name)
				}
			}
			reading := strings.Contains(got, "Our reading")
			if reading != c.Cite.Reading {
				t.Errorf("row %s, setup %s: marked as our reading = %v, model says %v", d.ID, g.Decisions.Setups[i].ID, reading, c.Cite.Reading)
			}
			for _, s := range c.Cite.Sources {
				if s.URL != "" && find1(tds[i], attrIs("href", s.URL)) == nil {
					t.Errorf("row %s, setup %s: no link to source %s", d.ID, g.Decisions.Setups[i].ID, s.URL)
				}
			}
		}
	}

	week := mustNode(t, doc, byID(content.IDWeek), "the week section")
	for _, d := range g.Week.Days {
		tr := mustNode(t, week, byID(d.Anchor()), "day row "+d.Anchor())
		if tds := all(tr, tagIs("td")); len(tds) != len(g.Roles) {
			t.Errorf("day %s has %d cells, want one per role (%d)", d.ID, len(tds), len(g.Roles))
		}
		// A note about the whole day is a row of its own under it, across every role.
		next := nextElement(tr)
		if (d.Together != "") != (next != nil && hasClass(next, "row-note")) {
			t.Errorf("day %s: together note in the model %v, row-level note on the page %v", d.ID, d.Together != "", next != nil)
		}
		if next != nil {
			if td := find1(next, tagIs("td")); td == nil || attrOf(td, "colspan") != strconv.Itoa(len(g.Roles)) {
				t.Errorf("day %s: the note row does not span all %d role columns", d.ID, len(g.Roles))
			}
		}
	}

	hiring := mustNode(t, doc, byID(content.IDHiring), "the hiring section")
	for _, s := range g.Hiring.Signals {
		tr := mustNode(t, hiring, byID(s.Anchor()), "signal row "+s.Anchor())
		if !strings.Contains(textOf(tr), s.Role.Name) {
			t.Errorf("signal %s does not name the role %s", s.ID, s.Role.Name)
		}
	}
	for _, iv := range g.Hiring.Interviews {
		for _, q := range iv.Questions {
			n := mustNode(t, hiring, byID(q.Anchor()), "interview question "+q.Anchor())
			if !strings.Contains(textOf(n), q.Ask) {
				t.Errorf("question %s does not show %q", q.ID, q.Ask)
			}
		}
	}

	// The contents list links each part under its file's title.
	toc := mustNode(t, doc, byID(content.IDTOC), "the table of contents")
	for id, title := range map[string]string{content.IDDecisions: g.Decisions.Title, content.IDWeek: g.Week.Title, content.IDHiring: g.Hiring.Title} {
		link := find1(toc, attrIs("href", "#"+id))
		if link == nil || textOf(link) != title {
			t.Errorf("table of contents: no link %q to #%s", title, id)
		}
	}
}

// TestThreeRolePagesCopy checks the copy that counts roles comes from the
// model, and that each comparison row's note describes the whole row.
func TestThreeRolePagesCopy(t *testing.T) {
	site, h, _ := threeRoleSite(t)
	g, a := threeRoleGuide(t, site)
	for _, path := range []string{a.URL(), g.CompareURL()} {
		doc := getPage(t, h, path)
		body := strings.ToLower(textOf(mustNode(t, doc, byID(content.IDMain), "main")))
		for _, phrase := range []string{"both role", "two roles", "both profiles"} {
			if strings.Contains(body, phrase) {
				t.Errorf("%s: a guide of three roles reads %q", path, phrase)
			}
		}
		table := mustNode(t, doc, and2(tagIs("table"), hasClassP("cmp")), "the comparison table")
		for _, d := range g.Comparison.Dimensions {
			tr := mustNode(t, table, byID(d.Anchor()), "row "+d.Anchor())
			if tds := all(tr, tagIs("td")); len(tds) != len(g.Roles) {
				t.Errorf("%s: row %s has %d cells, want %d", path, d.ID, len(tds), len(g.Roles))
			}
			next := nextElement(tr)
			if d.SourcesDiffer == "" {
				if next != nil {
					t.Errorf("%s: row %s has a note row but no sources_differ", path, d.ID)
				}
				continue
			}
			if next == nil || !hasClass(next, "row-note") {
				t.Errorf("%s: row %s: its sources-differ note is not a row of its own", path, d.ID)
				continue
			}
			if td := find1(next, tagIs("td")); td == nil || attrOf(td, "colspan") != strconv.Itoa(len(g.Roles)) {
				t.Errorf("%s: row %s: the note does not span all role columns", path, d.ID)
			}
		}
	}
	doc := getPage(t, h, a.URL())
	block := mustNode(t, doc, hasClassP("block-link"), "the link to the comparison page")
	if link := find1(block, attrIs("href", g.CompareURL())); link == nil || !strings.Contains(textOf(link), "three") {
		t.Errorf("the link to the comparison page does not say it holds the profiles of all three roles")
	}
}

// TestPrintHrefs checks that every internal link in the main content of an
// guide's page, an article, the comparison, an FAQ page and a result page carries its absolute address for
// print, built from the configured origin.
func TestPrintHrefs(t *testing.T) {
	site, h, origin := threeRoleSite(t)
	for _, g := range site.Published(time.Now()).Guides {
		paths := []string{g.URL(), g.CompareURL(), g.FAQURL(g.FAQ[0].ID)}
		for _, a := range g.Articles {
			paths = append(paths, a.URL())
		}
		for _, a := range g.Assessments {
			ans := content.Answers{}
			for _, q := range a.Questions {
				ans[q.ID] = q.Options[0].ID
			}
			paths = append(paths, a.ResultURL()+"?"+a.Query(ans))
		}
		for _, path := range paths {
			main := mustNode(t, getPage(t, h, path), byID(content.IDMain), "main")
			n := 0
			for _, a := range all(main, tagIs("a")) {
				href := attrOf(a, "href")
				// Navigation that print hides (breadcrumbs, contents, reading
				// on, self-links); the browser suite checks what really prints.
				if !strings.HasPrefix(href, "/") || inClass(a, "crumbs") || inClass(a, "toc") || inClass(a, "read-next") || inClass(a, "share") || inClass(a, "subscribe-box") || hasClass(a, "rowlink") || hasClass(a, "hlink") {
					continue
				}
				n++
				if got := attrOf(a, "data-print-href"); got != origin+href {
					t.Errorf("%s: link %s prints as %q, want %q", path, href, got, origin+href)
				}
			}
			if n == 0 {
				t.Errorf("%s: no internal links to check", path)
			}
		}
	}
}

// Small HTML helpers, local to these tests.

type nodePred func(*html.Node) bool

func tagIs(name string) nodePred {
	return func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == name }
}
func byID(id string) nodePred {
	return func(n *html.Node) bool { return n.Type == html.ElementNode && attrOf(n, "id") == id }
}
func attrIs(k, v string) nodePred {
	return func(n *html.Node) bool { return n.Type == html.ElementNode && attrOf(n, k) == v }
}
func hasClassP(c string) nodePred { return func(n *html.Node) bool { return hasClass(n, c) } }
func and2(a, b nodePred) nodePred { return func(n *html.Node) bool { return a(n) && b(n) } }

func attrOf(n *html.Node, k string) string {
	for _, a := range n.Attr {
		if a.Key == k {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, c string) bool {
	return n.Type == html.ElementNode && strings.Contains(" "+attrOf(n, "class")+" ", " "+c+" ")
}

func inClass(n *html.Node, c string) bool {
	for p := n; p != nil; p = p.Parent {
		if hasClass(p, c) {
			return true
		}
	}
	return false
}

func all(n *html.Node, p nodePred) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if p(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func find1(n *html.Node, p nodePred) *html.Node {
	if r := all(n, p); len(r) > 0 {
		return r[0]
	}
	return nil
}

func mustNode(t *testing.T, n *html.Node, p nodePred, what string) *html.Node {
	t.Helper()
	r := find1(n, p)
	if r == nil {
		t.Fatalf("no %s on the page", what)
	}
	return r
}

func nextElement(n *html.Node) *html.Node {
	for s := n.NextSibling; s != nil; s = s.NextSibling {
		if s.Type == html.ElementNode {
			return s
		}
	}
	return nil
}

func textOf(n *html.Node) string {
	var b strings.Builder
	for _, t := range all(n, func(n *html.Node) bool { return n.Type == html.TextNode }) {
		b.WriteString(t.Data)
		b.WriteByte(' ')
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
