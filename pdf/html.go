package pdf

import (
	"html/template"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The model holds Markdown fields as the HTML goldmark rendered (raw HTML is
// off, so it is a small, known set of elements: GFM's paragraphs, headings,
// lists, block quotes, code, rules and tables). This file turns that HTML
// into blocks of styled spans for the flow: bold and italic stay, links
// keep their target and print it after their text, like the site's print
// stylesheet does, because a printed page cannot be clicked.

// richKind says what a richBlock is.
type richKind int

const (
	richPara    richKind = iota // a paragraph or a list item
	richHeading                 // h1–h6; heading holds the level
	richPre                     // preformatted code: its line breaks and spaces count
	richRule                    // a thematic break (<hr>)
	richTable                   // a GFM table
)

// richBlock is one block of rendered Markdown.
type richBlock struct {
	kind    richKind
	spans   []span
	level   int    // list depth; 0 outside lists
	marker  string // the item's bullet or number
	quote   int    // block quote depth; 0 outside quotes
	heading int    // 1–6 for a heading
	id      string // a heading's id
	table   *mdTable
}

// mdTable is a table's cells as spans: its header row, if any, and its
// body rows.
type mdTable struct {
	head [][]span
	rows [][][]span
}

type listState struct {
	ordered bool
	n       int
}

type converter struct {
	resolve func(href string) string
	out     []richBlock
	cur     richBlock
	lists   []listState
	quote   int
}

// rich converts rendered Markdown to blocks. base is the style of plain text;
// resolve makes a link's href absolute.
func rich(h template.HTML, base style, resolve func(string) string) []richBlock {
	nodes, err := html.ParseFragment(strings.NewReader(string(h)), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		// The tokenizer accepts any input; keep the text rather than lose it.
		return []richBlock{{spans: plain(string(h), base)}}
	}
	c := &converter{resolve: resolve}
	for _, n := range nodes {
		c.walk(n, base)
	}
	c.flush()
	return c.out
}

// inline converts inline Markdown (a TL;DR item, a strength's detail) to spans.
func inline(h template.HTML, base style, resolve func(string) string) []span {
	var out []span
	for i, b := range rich(h, base, resolve) {
		if i > 0 {
			out = append(out, span{" ", base})
		}
		out = append(out, b.spans...)
		if b.table != nil {
			out = append(out, tableSpans(b.table, base)...)
		}
	}
	return out
}

// flush ends the block being collected. A block with no text is dropped,
// but a list item's marker waits for the item's first text (a loose list
// puts it in a paragraph inside the item).
func (c *converter) flush() {
	if strings.TrimSpace(spansText(c.cur.spans)) != "" {
		c.cur.level, c.cur.quote = len(c.lists), c.quote
		c.out = append(c.out, c.cur)
		c.cur = richBlock{}
		return
	}
	c.cur = richBlock{marker: c.cur.marker}
}

// emit adds a block that is not collected from text (a table, a rule).
func (c *converter) emit(b richBlock) {
	c.flush()
	b.level, b.quote = len(c.lists), c.quote
	c.out = append(c.out, b)
	c.cur = richBlock{}
}

func (c *converter) walk(n *html.Node, st style) {
	switch n.Type {
	case html.TextNode:
		c.cur.spans = append(c.cur.spans, span{n.Data, st})
		return
	case html.ElementNode:
	default:
		c.children(n, st)
		return
	}
	switch n.DataAtom {
	case atom.P, atom.Div, atom.Dt, atom.Dd, atom.Figure, atom.Figcaption, atom.Details, atom.Summary:
		c.flush()
		c.children(n, st)
		c.flush()
	case atom.Blockquote:
		c.flush()
		c.quote++
		c.children(n, st)
		c.flush()
		c.quote--
	case atom.Pre:
		c.flush()
		st.mono = true
		c.emit(richBlock{kind: richPre, spans: []span{{textOf(n), st}}})
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		c.flush()
		st.bold = true
		c.cur = richBlock{kind: richHeading, heading: int(n.Data[1] - '0'), id: attr(n, "id")}
		c.children(n, st)
		c.cur.spans = trimSpans(c.cur.spans)
		c.flush()
	case atom.Hr:
		c.emit(richBlock{kind: richRule})
	case atom.Table:
		c.emit(richBlock{kind: richTable, table: c.table(n, st)})
	case atom.Ul, atom.Ol:
		c.flush()
		c.lists = append(c.lists, listState{ordered: n.DataAtom == atom.Ol, n: start(n)})
		c.children(n, st)
		c.lists = c.lists[:len(c.lists)-1]
		c.flush()
	case atom.Li:
		c.flush()
		if len(c.lists) > 0 {
			l := &c.lists[len(c.lists)-1]
			c.cur.marker = "•"
			if l.ordered {
				c.cur.marker = strconv.Itoa(l.n) + "."
			}
			l.n++
		}
		c.children(n, st)
		c.flush()
	case atom.Strong, atom.B:
		st.bold = true
		c.children(n, st)
	case atom.Em, atom.I, atom.Cite:
		st.italic = true
		c.children(n, st)
	case atom.Code, atom.Kbd, atom.Samp:
		st.mono = true
		c.children(n, st)
	case atom.Br:
		c.cur.spans = append(c.cur.spans, span{" ", st})
	case atom.Img:
		c.cur.spans = append(c.cur.spans, span{attr(n, "alt"), st})
	case atom.Input:
		// A GFM task list item's checkbox.
		if attr(n, "type") == "checkbox" {
			box := "[ ] "
			if hasAttr(n, "checked") {
				box = "[x] "
			}
			c.cur.spans = append(c.cur.spans, span{box, st})
		}
	case atom.A:
		if hasClass(n, "hlink") {
			return // a heading's "#" link to itself: nothing to read on paper
		}
		href := c.resolve(attr(n, "href"))
		text := st
		text.link, text.underline, text.color = href, true, colLink
		before := len(c.cur.spans)
		c.children(n, text)
		// Print where the link goes, unless the text already says it.
		if href != "" && !strings.Contains(spansText(c.cur.spans[before:]), strings.TrimPrefix(strings.TrimPrefix(href, "https://"), "http://")) {
			u := st
			u.size, u.color = st.size*0.85, colMuted
			c.cur.spans = append(c.cur.spans, span{" (", u}, span{href, withLink(u, href)}, span{")", u})
		}
	default:
		c.children(n, st)
	}
}

// table collects a table's rows; a cell's content is inline Markdown, so
// each cell becomes one run of spans. The rows of <thead> (or a first row
// of <th> cells) are the header.
func (c *converter) table(n *html.Node, st style) *mdTable {
	t := &mdTable{}
	var rows func(n *html.Node, head bool)
	rows = func(n *html.Node, head bool) {
		for k := n.FirstChild; k != nil; k = k.NextSibling {
			switch k.DataAtom {
			case atom.Thead:
				rows(k, true)
			case atom.Tbody, atom.Tfoot:
				rows(k, false)
			case atom.Tr:
				var cells [][]span
				allTh := true
				for cl := k.FirstChild; cl != nil; cl = cl.NextSibling {
					if cl.DataAtom != atom.Td && cl.DataAtom != atom.Th {
						continue
					}
					allTh = allTh && cl.DataAtom == atom.Th
					sub := &converter{resolve: c.resolve}
					sub.children(cl, st)
					sub.flush()
					var ss []span
					for i, b := range sub.out {
						if i > 0 {
							ss = append(ss, span{" ", st})
						}
						ss = append(ss, b.spans...)
					}
					cells = append(cells, ss)
				}
				if (head || allTh && len(t.rows) == 0) && t.head == nil {
					t.head = cells
				} else {
					t.rows = append(t.rows, cells)
				}
			}
		}
	}
	rows(n, false)
	return t
}

// tableSpans is a table read as one run of text, for a place that has only
// a line to give it (an inline field).
func tableSpans(t *mdTable, st style) []span {
	var out []span
	for _, r := range append([][][]span{t.head}, t.rows...) {
		for _, c := range r {
			out = append(append(out, c...), span{" ", st})
		}
	}
	return out
}

func withLink(st style, href string) style {
	st.link = href
	return st
}

func (c *converter) children(n *html.Node, st style) {
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		c.walk(k, st)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

func hasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

// textOf is all the text inside n, as it is.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for k := n.FirstChild; k != nil; k = k.NextSibling {
			walk(k)
		}
	}
	walk(n)
	return strings.TrimRight(b.String(), "\n")
}

// trimSpans drops the space the heading renderer leaves before its "#" link.
func trimSpans(ss []span) []span {
	for len(ss) > 0 && strings.TrimSpace(ss[len(ss)-1].text) == "" {
		ss = ss[:len(ss)-1]
	}
	if len(ss) > 0 {
		ss[len(ss)-1].text = strings.TrimRight(ss[len(ss)-1].text, " \t\n")
	}
	return ss
}

// start is an ordered list's first number.
func start(n *html.Node) int {
	if v, err := strconv.Atoi(attr(n, "start")); err == nil {
		return v
	}
	return 1
}

func spansText(ss []span) string {
	var b strings.Builder
	for _, s := range ss {
		b.WriteString(s.text)
	}
	return b.String()
}

// resolver makes hrefs absolute against the page the text belongs to.
func resolver(page string) func(string) string {
	base, err := url.Parse(page)
	return func(href string) string {
		if href == "" {
			return ""
		}
		u, perr := url.Parse(href)
		if err != nil || perr != nil {
			return href
		}
		return base.ResolveReference(u).String()
	}
}
