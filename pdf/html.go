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
// off, so it is a small, known set of elements). This file turns that HTML
// into styled paragraphs and list items for the flow: bold and italic stay,
// links keep their target and print it after their text, like the site's
// print stylesheet does, because a printed page cannot be clicked.

// richBlock is a paragraph or a list item of rendered Markdown.
type richBlock struct {
	spans  []span
	level  int    // list depth; 0 outside lists
	marker string // the item's bullet or number
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
	}
	return out
}

func (c *converter) flush() {
	if strings.TrimSpace(spansText(c.cur.spans)) != "" {
		c.out = append(c.out, c.cur)
	}
	c.cur = richBlock{level: len(c.lists)}
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
	case atom.P, atom.Div, atom.Blockquote, atom.Pre, atom.Tr, atom.Dt, atom.Dd:
		c.flush()
		if n.DataAtom == atom.Pre {
			st.mono = true
		}
		c.children(n, st)
		c.flush()
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		c.flush()
		st.bold = true
		c.children(n, st)
		c.flush()
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
	case atom.Strong, atom.B, atom.Th:
		st.bold = true
		c.children(n, st)
	case atom.Em, atom.I, atom.Cite:
		st.italic = true
		c.children(n, st)
	case atom.Code, atom.Kbd, atom.Samp:
		st.mono = true
		c.children(n, st)
	case atom.Td:
		c.children(n, st)
		c.cur.spans = append(c.cur.spans, span{"  ", st})
	case atom.Br:
		c.cur.spans = append(c.cur.spans, span{" ", st})
	case atom.Img:
		c.cur.spans = append(c.cur.spans, span{attr(n, "alt"), st})
	case atom.A:
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
