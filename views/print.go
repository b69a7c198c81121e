package views

import (
	"bytes"
	"context"
	"html/template"
	"io"
	"strings"

	"github.com/a-h/templ"
	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Printed pages show where each link goes. CSS can print an attribute but
// cannot know the site's public origin, so every internal link in the main
// text carries its absolute URL in data-print-href (site.css prints it
// after the link). The origin travels in the render context: a page wraps
// its main content in withOrigin, and the components below it read it.

type originKey struct{}

// withOrigin renders its children with the public origin in the context.
func withOrigin(origin string) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		children := templ.GetChildren(ctx)
		ctx = templ.ClearChildren(ctx)
		return children.Render(context.WithValue(ctx, originKey{}, origin), w)
	})
}

// printHref is the absolute URL of an internal path, or "" when the path
// is not internal or no origin is known.
func printHref(ctx context.Context, path string) string {
	origin, _ := ctx.Value(originKey{}).(string)
	if origin == "" || !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") {
		return ""
	}
	return origin + path
}

// printAttrs is the data-print-href attribute of an internal link, if any.
func printAttrs(ctx context.Context, path string) templ.Attributes {
	if u := printHref(ctx, path); u != "" {
		return templ.Attributes{"data-print-href": u}
	}
	return templ.Attributes{}
}

// markdown hands rendered Markdown to templ, like html, and adds
// data-print-href to its internal links. The HTML is goldmark's own output
// (raw HTML off); only the start tags of internal links are rewritten, every
// other token is copied byte for byte.
func markdown(h template.HTML) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		if _, ok := ctx.Value(originKey{}).(string); !ok || !strings.Contains(string(h), `href="/`) {
			_, err := io.WriteString(w, string(h))
			return err
		}
		var out bytes.Buffer
		z := xhtml.NewTokenizer(strings.NewReader(string(h)))
		for {
			tt := z.Next()
			if tt == xhtml.ErrorToken {
				if err := z.Err(); err != io.EOF {
					return err
				}
				break
			}
			raw := append([]byte(nil), z.Raw()...) // Token reuses the buffer
			if tt != xhtml.StartTagToken {
				out.Write(raw)
				continue
			}
			tok := z.Token()
			if tok.DataAtom != atom.A {
				out.Write(raw)
				continue
			}
			href := ""
			for _, a := range tok.Attr {
				if a.Key == "href" {
					href = a.Val
				}
			}
			if u := printHref(ctx, href); u != "" {
				tok.Attr = append(tok.Attr, xhtml.Attribute{Key: "data-print-href", Val: u})
				out.WriteString(tok.String())
				continue
			}
			out.Write(raw)
		}
		_, err := w.Write(out.Bytes())
		return err
	})
}
