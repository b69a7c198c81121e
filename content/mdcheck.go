package content

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// Checks on parsed Markdown for what goldmark accepts without a word but
// readers would never see as written: raw HTML (dropped, since raw HTML is
// off), heading attribute blocks that did not parse (shown as literal
// text), attributes other than an id (dropped by the heading renderer).

// checkRawHTML reports every piece of raw HTML in root. lineAt gives the
// file line of an offset in src.
func (l *loader) checkRawHTML(file string, src []byte, root ast.Node, lineAt func(offset int) int) {
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var (
			raw   []byte
			start int
		)
		switch h := n.(type) {
		case *ast.HTMLBlock:
			if h.Lines().Len() == 0 {
				return ast.WalkContinue, nil
			}
			seg := h.Lines().At(0)
			start, raw = seg.Start, seg.Value(src)
		case *ast.RawHTML:
			if h.Segments.Len() == 0 {
				return ast.WalkContinue, nil
			}
			seg := h.Segments.At(0)
			start, raw = seg.Start, seg.Value(src)
			if bytes.HasPrefix(raw, []byte("</")) {
				return ast.WalkContinue, nil // its opening tag is reported
			}
		default:
			return ast.WalkContinue, nil
		}
		l.c.add(file, lineAt(start), "%s", rawHTMLMessage(string(bytes.TrimSpace(raw))))
		return ast.WalkContinue, nil
	})
}

var tagNameRe = regexp.MustCompile(`^</?([A-Za-z][A-Za-z0-9-]*)`)

// markdownFor says what to write in Markdown instead of an HTML element.
var markdownFor = map[string]string{
	"b": "**bold**", "strong": "**bold**", "i": "*italic*", "em": "*italic*",
	"a":       "a link: [the words](/guides/<guide>/<article>#id) or [the words](https://…)",
	"br":      `a new paragraph (a blank line), or a backslash \ at the end of the line`,
	"p":       "a blank line between paragraphs",
	"div":     `a quote for a boxed note: start each of its lines with "> "`,
	"aside":   `a quote for a boxed note: start each of its lines with "> "`,
	"section": `a heading: "## Title {#id}"`, "blockquote": `a quote: start each line with "> "`,
	"ul": `a list: one "- item" per line`, "ol": `a numbered list: one "1. item" per line`, "li": `a list item: "- item"`,
	"h1": `a heading: "## Title {#id}"`, "h2": `a heading: "## Title {#id}"`, "h3": `a heading: "### Title {#id}"`,
	"h4": `a heading: "#### Title {#id}"`, "h5": `a heading: "#### Title {#id}"`, "h6": `a heading: "#### Title {#id}"`,
	"table": "a Markdown table: | Column | Column | lines, with a | --- | --- | line under the first",
	"img":   "an image: ![what it shows](/path)", "code": "`code` between backticks", "pre": "a code block between ``` lines",
	"hr": "a line holding only ---", "span": "plain text (drop the tag, keep its words)",
}

// rawHTMLMessage explains that raw HTML is dropped and what to write instead.
func rawHTMLMessage(raw string) string {
	shown := raw
	if len(shown) > 40 {
		shown = strings.ToValidUTF8(shown[:40], "") + "…"
	}
	if strings.HasPrefix(raw, "<!--") {
		return fmt.Sprintf("HTML comments are not allowed in Markdown: %s would be dropped from the page; delete it (a note for other editors belongs in the review, not in the text)", shown)
	}
	instead := "plain Markdown (drop the tag and keep its words)"
	if m := tagNameRe.FindStringSubmatch(raw); m != nil {
		if s, ok := markdownFor[strings.ToLower(m[1])]; ok {
			instead = s
		}
	}
	return fmt.Sprintf("raw HTML is not allowed in Markdown: %s would be dropped from the page without a trace; write %s", shown, instead)
}

// unparsedAttrRe matches a heading that ends in what was meant as an
// attribute block but did not parse ("{# id}", "{id}", "{#a b}", "{#a").
var unparsedAttrRe = regexp.MustCompile(`(?:^|[^\\])(\{#[^{}]*\}?|\{[^{}]*\}?\s*$)`)

// checkHeadingAttributes reports a heading whose "{#id}" did not parse, or
// that sets attributes other than its id. It returns false when the
// heading's id should not be checked further (it was not the editor's).
func (l *loader) checkHeadingAttributes(file string, line int, src []byte, h *ast.Heading) bool {
	if m := unparsedAttrRe.FindStringSubmatch(proseText(src, h)); m != nil {
		l.c.add(file, line, "the heading ends with %q, which is not a heading id and would be shown as text in the heading and the table of contents: write it as {#%s} (\"{#\" with no space, then only a-z, 0-9 and hyphens)",
			m[1], suggestID(m[1]))
		return false
	}
	for _, a := range h.Attributes() {
		if string(a.Name) != "id" {
			l.c.add(file, line, "heading attribute %q is not used: a heading takes only an id, written {#my-id}; remove the rest", a.Name)
		}
	}
	return true
}

var notIDRe = regexp.MustCompile(`[^a-z0-9]+`)

// suggestID turns what an editor wrote as an id ("{# My Id}", "Questions_2")
// into a valid one.
func suggestID(s string) string {
	s = strings.Trim(notIDRe.ReplaceAllString(strings.ToLower(s), "-"), "-")
	if s == "" {
		return "my-id"
	}
	return s
}
