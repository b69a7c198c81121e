package content

import (
	"bytes"
	"fmt"
	"html/template"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// newMarkdown builds the one goldmark instance the whole load uses: GitHub
// tables, typographic quotes and dashes, heading ids (explicit {#id}
// honoured), and raw HTML left off (goldmark's default) so that content
// cannot inject markup.
func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Typographer),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithAttribute()),
		goldmark.WithRendererOptions(
			renderer.WithNodeRenderers(util.Prioritized(headingRenderer{}, 100)),
		),
	)
}

// mdSource is a piece of Markdown and where it came from, for error lines.
type mdSource struct {
	file string
	line int // file line of the first line of text
	text []byte
}

// mdLink is a link found in Markdown, kept to be checked once every page is known.
type mdLink struct {
	file string
	line int
	dest string
	// page is the path of the page the link appears on, or "" when the text
	// is shown on several pages (so a bare "#fragment" would be ambiguous).
	page string
}

// parseMarkdown reads src into an AST, generating heading ids through ids.
// goldmark panics on some malformed attribute blocks ({id=5} on a heading);
// that becomes an error with the line of the offending heading, so a typo in
// content is a defect, never a crash.
func parseMarkdown(md goldmark.Markdown, src []byte, ids parser.IDs) (root ast.Node, line int, err error) {
	defer func() {
		if p := recover(); p != nil {
			root, line, err = nil, attributeLine(src), fmt.Errorf("%v", p)
		}
	}()
	ctx := parser.NewContext(parser.WithIDs(ids))
	return md.Parser().Parse(text.NewReader(src), parser.WithContext(ctx)), 0, nil
}

var attributeRe = regexp.MustCompile(`(?m)^ {0,3}#{1,6}\s.*\{[^}]*\bid\s*=`)

// attributeLine finds the first heading with an attribute block that sets
// id= (rather than {#id}), the cause of goldmark's panics; 1 if none.
func attributeLine(src []byte) int {
	if loc := attributeRe.FindIndex(src); loc != nil {
		return bytes.Count(src[:loc[0]], []byte("\n")) + 1
	}
	return 1
}

// renderNode renders one node (a document or a part of one) to HTML.
func renderNode(md goldmark.Markdown, src []byte, n ast.Node) (template.HTML, error) {
	var buf bytes.Buffer
	if err := md.Renderer().Render(&buf, src, n); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil
}

// lineOf returns the 1-based line within src where node n starts: the line
// of its first text, or of the nearest block around it.
func lineOf(src []byte, n ast.Node) int {
	if t := firstText(n); t != nil {
		return bytes.Count(src[:t.Segment.Start], []byte("\n")) + 1
	}
	// A container (a list, a quote) has no lines of its own: its first
	// block inside does.
	for c := n; c != nil && c.Type() == ast.TypeBlock; c = c.FirstChild() {
		if c.Lines().Len() > 0 {
			return bytes.Count(src[:c.Lines().At(0).Start], []byte("\n")) + 1
		}
	}
	for c := n; c != nil; c = c.Parent() {
		if c.Type() == ast.TypeBlock && c.Lines().Len() > 0 {
			return bytes.Count(src[:c.Lines().At(0).Start], []byte("\n")) + 1
		}
	}
	return 1
}

// firstText is the first text node inside an inline node (a link's label,
// however deeply emphasised), or nil for blocks and empty labels.
func firstText(n ast.Node) *ast.Text {
	if n.Type() == ast.TypeBlock {
		return nil
	}
	if t, ok := n.(*ast.Text); ok {
		return t
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t := firstText(c); t != nil {
			return t
		}
	}
	return nil
}

// collectLinks appends every link and image destination in n to links.
func collectLinks(s mdSource, n ast.Node, page string, links *[]mdLink) {
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var dest []byte
		switch l := c.(type) {
		case *ast.Link:
			dest = l.Destination
		case *ast.Image:
			dest = l.Destination
		case *ast.AutoLink:
			dest = l.URL(s.text)
		default:
			return ast.WalkContinue, nil
		}
		line := lineOf(s.text, c)
		if firstText(c) == nil {
			line = destLine(s.text, c, dest)
		}
		*links = append(*links, mdLink{file: s.file, line: s.line + line - 1, dest: string(dest), page: page})
		return ast.WalkContinue, nil
	})
}

// destLine finds the line of a link without label text (an image with no
// alt text) by looking for its destination inside the enclosing block.
func destLine(src []byte, n ast.Node, dest []byte) int {
	for c := n.Parent(); c != nil; c = c.Parent() {
		if c.Type() == ast.TypeBlock && c.Lines().Len() > 0 {
			start := c.Lines().At(0).Start
			end := c.Lines().At(c.Lines().Len() - 1).Stop
			if i := bytes.Index(src[start:end], dest); i >= 0 {
				return bytes.Count(src[:start+i], []byte("\n")) + 1
			}
			return bytes.Count(src[:start], []byte("\n")) + 1
		}
	}
	return 1
}

// countWords counts the words of the text in n, for reading time.
func countWords(src []byte, n ast.Node) int {
	words := 0
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			words += len(strings.Fields(string(t.Segment.Value(src))))
		}
		return ast.WalkContinue, nil
	})
	return words
}

// nodeText returns the plain text of an inline tree (a heading's words).
func nodeText(src []byte, n ast.Node) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// pageIDs generates heading ids that are unique across a whole page: it is
// seeded with the ids the layout and the structured parts use, and it never
// hands out one of them. goldmark's own generator only knows one document
// and drops letters outside ASCII without a fallback.
type pageIDs struct{ used map[string]bool }

func newPageIDs(reserved map[string]bool) *pageIDs {
	used := make(map[string]bool, len(reserved))
	for id := range reserved {
		used[id] = true
	}
	return &pageIDs{used: used}
}

func (p *pageIDs) Generate(value []byte, _ ast.NodeKind) []byte {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(string(value)) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
	}
	base := b.String()
	if base == "" {
		base = "section"
	}
	id := base
	for i := 2; p.used[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	p.used[id] = true
	return []byte(id)
}

// Put records an explicit id. Duplicates are found later, with their lines.
func (p *pageIDs) Put(value []byte) { p.used[string(value)] = true }

// headingRenderer renders headings with a visible "#" link to themselves,
// so that any section can be shared.
type headingRenderer struct{}

func (headingRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHeading, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		h := n.(*ast.Heading)
		id, _ := h.AttributeString("id")
		idb, _ := id.([]byte)
		if entering {
			_, _ = w.WriteString("<h" + strconv.Itoa(h.Level))
			if idb != nil {
				_, _ = w.WriteString(` id="`)
				_, _ = w.Write(util.EscapeHTML(idb))
				_, _ = w.WriteString(`"`)
			}
			_, _ = w.WriteString(">")
			return ast.WalkContinue, nil
		}
		if idb != nil {
			// No space before the link: the "#" stays on the line of the
			// heading's last word (its margin makes the gap).
			_, _ = w.WriteString(`<a class="hlink" href="#`)
			_, _ = w.Write(util.EscapeHTML(idb))
			_, _ = w.WriteString(`"><span class="visually-hidden">Link to this section</span><span aria-hidden="true">#</span></a>`)
		}
		_, _ = w.WriteString("</h" + strconv.Itoa(h.Level) + ">\n")
		return ast.WalkContinue, nil
	})
}
