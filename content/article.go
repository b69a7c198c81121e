package content

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/yuin/goldmark/ast"
)

type rawFront struct {
	Title       string   `yaml:"title"`
	Description string   `yaml:"description"`
	Author      string   `yaml:"author"`
	Published   string   `yaml:"published"`
	Updated     string   `yaml:"updated"`
	Tags        []string `yaml:"tags"`
	Guide       string   `yaml:"guide"`
	Order       int      `yaml:"order"`
	Draft       bool     `yaml:"draft"`
	TLDR        []string `yaml:"tldr"`
	Sources     []string `yaml:"sources"`
	// Aliases and MovedAnchors: see aliases.go.
	Aliases      []string `yaml:"aliases"`
	MovedAnchors []string `yaml:"moved_anchors"`
}

// directives maps the name in a {{name}} line to the block it places.
var directives = map[string]BlockKind{
	"comparison": BlockComparison,
	"profiles":   BlockProfiles,
	"faq":        BlockFAQ,
	"tools":      BlockTools,
	"decisions":  BlockDecisions,
	"week":       BlockWeek,
	"hiring":     BlockHiring,
	"glance":     BlockGlance,
}

// directiveTOC is the table-of-contents entry each placed part contributes.
var directiveTOC = map[BlockKind]TOCEntry{
	BlockComparison: {ID: IDComparison, Text: "Side-by-side comparison", Level: 2},
	BlockProfiles:   {ID: IDProfiles, Text: "Role profiles", Level: 2},
	BlockFAQ:        {ID: IDFAQ, Text: "Frequently asked questions", Level: 2},
	BlockTools:      {ID: IDTools, Text: "Check where you stand", Level: 2},
}

var (
	directiveRe         = regexp.MustCompile(`^\{\{\s*([A-Za-z0-9_-]*)\s*\}\}$`)
	directiveAnywhereRe = regexp.MustCompile(`\{\{\s*[A-Za-z0-9_-]+\s*\}\}`)
)

// proseText is the text of n outside code, where a directive would be
// shown literally instead of placed.
func proseText(src []byte, n ast.Node) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.CodeSpan, *ast.FencedCodeBlock, *ast.CodeBlock:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			b.Write(t.Segment.Value(src))
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// wordsPerMinute is a typical silent reading speed for non-fiction.
const wordsPerMinute = 230

// splitFrontMatter separates "---\nYAML\n---\n" from the Markdown body. It
// returns the number of lines before the body so body lines can be reported
// as file lines.
func splitFrontMatter(src []byte) (front, body []byte, bodyLine int, ok bool) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf")) // a byte-order mark some editors add
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	if !bytes.HasPrefix(src, []byte("---\n")) {
		return nil, src, 1, false
	}
	rest := src[4:]
	end := bytes.Index(rest, []byte("\n---\n"))
	if end < 0 {
		if bytes.HasSuffix(rest, []byte("\n---")) {
			end = len(rest) - 4
		} else {
			return nil, src, 1, false
		}
	}
	front = rest[:end+1]
	body = rest[min(end+5, len(rest)):]
	bodyLine = bytes.Count(front, []byte("\n")) + 3
	return front, body, bodyLine, true
}

func (l *loader) loadArticles(dir string, g *Guide) {
	entries, err := fs.ReadDir(l.fsys, dir+"/articles")
	if err != nil {
		l.c.add(dir+"/articles", 0, "cannot read the articles folder: %s", errMsg(err))
		return
	}
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		file := dir + "/articles/" + e.Name()
		if !strings.HasSuffix(e.Name(), ".md") {
			l.c.add(file, 0, "only Markdown files ending in .md are read in articles/: rename it or move it out")
			continue
		}
		a := l.loadArticle(file, g)
		if a == nil {
			continue
		}
		if s := g.Assessment(a.Slug); s != nil {
			l.c.add(s.file, 0, "assessment id %q is also the slug of the article articles/%s.md: both would live at %s; rename one", s.ID, a.Slug, a.URL())
		}
		g.Articles = append(g.Articles, a)
	}
	if len(g.Articles) == 0 {
		l.c.add(dir+"/articles", 0, "a guide needs at least one article (articles/<slug>.md)")
		return
	}
	sort.SliceStable(g.Articles, func(i, j int) bool { return g.Articles[i].Order < g.Articles[j].Order })
	var faqHomes []string
	for _, a := range g.Articles {
		if a.places(BlockFAQ) {
			faqHomes = append(faqHomes, a.Slug)
			if g.FAQHome == nil {
				g.FAQHome = a
			}
		}
		if g.Published.IsZero() || a.Published.Before(g.Published) {
			g.Published = a.Published
		}
		if a.Updated.After(g.Updated) {
			g.Updated = a.Updated
		}
	}
	switch {
	case len(faqHomes) == 0:
		l.c.add(dir+"/articles", 0, "no article places the FAQ: put a line {{faq}} in one article")
	case len(faqHomes) > 1:
		l.c.add(dir+"/articles", 0, "the FAQ is placed by more than one article (%s): FAQ links need one home", strings.Join(faqHomes, ", "))
	}
}

func (a *Article) places(k BlockKind) bool {
	for _, b := range a.Blocks {
		if b.Kind == k {
			return true
		}
	}
	return false
}

func (l *loader) loadArticle(file string, g *Guide) *Article {
	src, ok := l.readFile(file, true)
	if !ok {
		return nil
	}
	slug := strings.TrimSuffix(path.Base(file), ".md")
	a := &Article{Guide: g, Slug: slug, IDs: map[string]bool{}}
	if !validID(slug) {
		l.c.add(file, 0, "file name %q is not a valid slug: use only a-z, 0-9 and hyphens", slug)
	}
	if reservedSlugs[slug] {
		l.c.add(file, 0, "%q cannot be an article slug: the guide uses that path for another page", slug)
	}
	// The body is checked even when the front matter is missing or cannot
	// be read, so that its defects are not hidden behind the front matter's.
	front, body, bodyLine, ok := splitFrontMatter(src)
	if !ok {
		l.c.add(file, 1, "missing front matter: start the file with a line \"---\", the YAML fields, and another \"---\"")
	} else {
		var rf rawFront
		if doc, ok := decodeYAML(&l.c, file, front, 1, &rf); ok {
			l.frontMatter(file, doc, &rf, a)
		}
	}
	l.renderBody(file, body, bodyLine, a)
	return a
}

// frontMatter checks an article's front matter and fills a from it.
func (l *loader) frontMatter(file string, doc *yamlDoc, rf *rawFront, a *Article) {
	g := a.Guide
	a.Order, a.Tags = rf.Order, rf.Tags
	var ok bool
	a.Title = l.required(doc, rf.Title, "title")
	a.Description = l.required(doc, rf.Description, "description")
	a.Author = l.required(doc, rf.Author, "author")
	a.Draft = rf.Draft
	if !a.Draft && !g.Draft {
		l.claimTitle("article", a.Title, file, doc.line("title"))
	}
	a.Aliases = l.aliases(doc, g.URL(), rf.Aliases)
	l.movedAnchors(doc, a, rf.MovedAnchors)
	if rf.Guide != g.Slug {
		l.c.add(file, doc.line("guide"), "guide: %q does not match the folder this article is in (%q)", rf.Guide, g.Slug)
	}
	if rf.Published == "" {
		l.c.add(file, doc.line("published"), "missing required field \"published\"")
	} else if a.Published, ok = parseDate(rf.Published); !ok {
		l.c.add(file, doc.line("published"), "published: %q is not a date like 2026-02-19", rf.Published)
	}
	a.Updated = a.Published
	if rf.Updated != "" {
		if a.Updated, ok = parseDate(rf.Updated); !ok {
			l.c.add(file, doc.line("updated"), "updated: %q is not a date like 2026-02-19", rf.Updated)
		} else if a.Updated.Before(a.Published) {
			l.c.add(file, doc.line("updated"), "updated (%s) is before published (%s)", rf.Updated, rf.Published)
		}
	}
	if len(rf.TLDR) == 0 || len(rf.TLDR) > 5 {
		l.c.add(file, doc.line("tldr"), "tldr: give 1 to 5 items (found %d)", len(rf.TLDR))
	}
	for i, t := range rf.TLDR {
		a.TLDR = append(a.TLDR, l.inline(doc, t, "tldr", i))
	}
	a.Sources = l.sourceRefs(doc, g, rf.Sources, "sources")
	if len(rf.Sources) == 0 {
		l.c.add(file, doc.line("sources"), "missing required list \"sources\": name the guide's sources this article draws on")
	}
}

// reservedIDs is every id an article page's layout and components may use.
func reservedIDs(g *Guide) map[string]bool {
	ids := map[string]bool{IDMain: true, IDTOC: true, IDSources: true, IDComparison: true,
		IDProfiles: true, IDFAQ: true, IDTools: true, IDStructuredData: true, IDMoved: true}
	for _, d := range g.Comparison.Dimensions {
		ids[d.Anchor()] = true
	}
	for _, f := range g.FAQ {
		ids[f.Anchor()] = true
	}
	for _, r := range g.Roles {
		ids[ProfileAnchor(r.ID)] = true
	}
	for _, k := range []BlockKind{BlockDecisions, BlockWeek, BlockHiring} {
		for _, id := range partIDs(g, k) {
			ids[id] = true
		}
	}
	return ids
}

// componentIDs is the ids a placed part puts on the page.
func componentIDs(g *Guide, k BlockKind) []string {
	var ids []string
	switch k {
	case BlockComparison:
		ids = append(ids, IDComparison)
		for _, d := range g.Comparison.Dimensions {
			ids = append(ids, d.Anchor())
		}
	case BlockProfiles:
		ids = append(ids, IDProfiles)
		for _, r := range g.Roles {
			ids = append(ids, ProfileAnchor(r.ID))
		}
	case BlockFAQ:
		ids = append(ids, IDFAQ)
		for _, f := range g.FAQ {
			ids = append(ids, f.Anchor())
		}
	case BlockTools:
		ids = append(ids, IDTools)
	default:
		ids = append(ids, partIDs(g, k)...)
	}
	return ids
}

// renderBody parses the Markdown once, splits it at directive lines into
// blocks, builds the table of contents and checks heading ids.
func (l *loader) renderBody(file string, body []byte, bodyLine int, a *Article) {
	g := a.Guide
	reserved := reservedIDs(g)
	root, badLine, err := parseMarkdown(l.md, body, newPageIDs(reserved))
	if err != nil {
		l.c.add(file, bodyLine+badLine-1, "heading id is malformed: write ids as {#my-id} (the parser failed: %v)", err)
		return
	}
	src := mdSource{file: file, line: bodyLine, text: body}
	at := func(n ast.Node) int { return bodyLine + lineOf(body, n) - 1 }
	l.checkRawHTML(file, body, root, func(off int) int { return bodyLine + bytes.Count(body[:off], []byte("\n")) })

	for _, id := range []string{IDMain, IDTOC, IDSources} {
		a.IDs[id] = true
	}
	headingLine := map[string]int{}
	words := 0
	var seg *ast.Document
	flush := func() {
		if seg == nil {
			return
		}
		html, err := renderNode(l.md, body, seg)
		if err != nil {
			l.c.add(file, bodyLine, "cannot render Markdown: %v", err)
		}
		a.Blocks = append(a.Blocks, Block{Kind: BlockHTML, HTML: html})
		seg = nil
	}
	var children []ast.Node
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		children = append(children, n)
	}
	proseWords, longAt := 0, 0
	for i, n := range children {
		if p, ok := n.(*ast.Paragraph); ok {
			raw := strings.TrimSpace(string(p.Lines().Value(body)))
			if m := directiveRe.FindStringSubmatch(raw); m != nil {
				kind, known := directives[m[1]]
				switch {
				case !known:
					l.c.add(file, at(n), "unknown directive %q: use {{comparison}}, {{profiles}}, {{faq}} or {{tools}}, the short table {{glance}}, or a part that has its own file: {{decisions}}, {{week}} or {{hiring}}", raw)
				case a.places(kind):
					l.c.add(file, at(n), "directive %s is placed twice in this article", raw)
				case kind == BlockTools && len(g.Assessments) == 0 && !l.unreadFile(g, "/assessments/"):
					l.c.add(file, at(n), "directive {{tools}}: this guide has no assessments to link to")
				case partMissing(g, kind) != "":
					l.c.add(file, at(n), "directive %s: %s", raw, partMissing(g, kind))
				default:
					toc := partTOC(g, kind)
					// A part without a heading of its own (the short table)
					// sits under the article's heading and adds no TOC entry.
					if i > 0 && children[i-1].Kind() == ast.KindHeading && toc.ID != "" {
						l.c.add(file, at(children[i-1]), "%s", headingBeforePartMessage(nodeText(body, children[i-1]), raw, toc.Text))
					}
					flush()
					a.Blocks = append(a.Blocks, Block{Kind: kind})
					if toc.ID != "" {
						a.TOC = append(a.TOC, toc)
					}
					for _, id := range componentIDs(g, kind) {
						a.IDs[id] = true
					}
					words += l.words[g][kind]
				}
				continue
			}
			if strings.Contains(raw, "{{") {
				l.c.add(file, at(n), "a directive such as {{faq}} must stand alone on its own line")
			}
		} else if m := directiveAnywhereRe.FindString(proseText(body, n)); m != "" {
			l.c.add(file, at(n), "directive %s must stand alone on its own line, outside lists, quotes and headings", m)
		}
		if h, ok := n.(*ast.Heading); ok {
			l.heading(file, at(n), body, h, reserved, headingLine, a)
		}
		_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
			if _, ok := c.(*ast.Heading); ok && entering && c != n {
				l.c.add(file, at(c), "headings inside lists or quotes cannot be linked reliably; move it out")
			}
			return ast.WalkContinue, nil
		})
		collectLinks(src, n, a.URL(), &l.links)
		w := countWords(body, n)
		words += w
		if proseWords += w; proseWords > maxArticleWords && longAt == 0 {
			longAt = at(n)
		}
		if seg == nil {
			seg = ast.NewDocument()
		}
		root.RemoveChild(root, n)
		seg.AppendChild(seg, n)
	}
	flush()
	a.ReadingMinutes = max(1, (words+wordsPerMinute-1)/wordsPerMinute)
	if longAt > 0 {
		l.c.add(file, longAt, "the article is too long: it has %d words (a %d-minute read), and an article may have at most %d words (%d minutes); it passes that limit on this line: split it into two articles",
			proseWords, (proseWords+wordsPerMinute-1)/wordsPerMinute, maxArticleWords, maxArticleWords/wordsPerMinute)
	}
}

// maxArticleWords is the longest article the site takes: about 50 minutes
// of reading. Anything longer is a mistake (a pasted book, a file
// concatenated twice) or should be split into articles a reader can finish.
const maxArticleWords = 12000

// headingBeforePartMessage explains why a heading right before a directive
// is a defect: each placed part renders its own heading, the one in its
// table-of-contents entry (directiveTOC), so the page would show two
// headings in a row, the first over an empty section.
func headingBeforePartMessage(heading, directive, partHeading string) string {
	return fmt.Sprintf("the heading %q stands right before %s, which brings its own heading %q: remove this heading (or put text between the two)",
		heading, directive, partHeading)
}

// heading records one heading's id and table-of-contents entry.
func (l *loader) heading(file string, line int, body []byte, h *ast.Heading, reserved map[string]bool, seen map[string]int, a *Article) {
	if h.Level == 1 {
		l.c.add(file, line, "use ## for sections: the article's title is the page's only top-level heading")
		return
	}
	if !l.checkHeadingAttributes(file, line, body, h) {
		return
	}
	v, _ := h.AttributeString("id")
	idb, _ := v.([]byte)
	id := string(idb)
	switch {
	case id == "":
		l.c.add(file, line, "heading id is empty: write the id after the #, for example {#%s}", suggestID(nodeText(body, h)))
	case !validID(id):
		l.c.add(file, line, "heading id %q is malformed: use only a-z, 0-9 and single hyphens, for example {#%s}", id, suggestID(id))
	case id == IDComparison || id == IDProfiles || id == IDFAQ || id == IDTools || id == IDDecisions || id == IDWeek || id == IDHiring:
		l.c.add(file, line, "heading id %q belongs to the part placed by {{%s}}, which brings its own heading: remove this heading and keep the directive line", id, id)
	case seen[id] > 0:
		l.c.add(file, line, "duplicate heading id %q (first used on line %d)", id, seen[id])
	case reserved[id] || a.IDs[id]:
		l.c.add(file, line, "heading id %q is already used by the page (a row, an FAQ answer, a profile or the layout)", id)
	}
	seen[id] = line
	a.IDs[id] = true
	if h.Level <= 3 {
		a.TOC = append(a.TOC, TOCEntry{ID: id, Text: nodeText(body, h), Level: h.Level})
	}
}
