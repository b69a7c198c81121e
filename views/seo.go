package views

import (
	stdhtml "html"
	"regexp"
	"strings"

	"github.com/pmvspo/site/content"
)

// The JSON-LD below is built from the same model as the visible page, so
// what search engines read cannot disagree with what readers see.

type ldThing = map[string]any

// Graph wraps several JSON-LD nodes into one document.
func Graph(nodes ...ldThing) ldThing {
	return ldThing{"@context": "https://schema.org", "@graph": nodes}
}

// Breadcrumbs is the BreadcrumbList for a trail ending at the page itself.
func Breadcrumbs(origin string, crumbs []Crumb, title, path string) ldThing {
	var items []ldThing
	for i, c := range append(append([]Crumb{}, crumbs...), Crumb{Label: title, URL: path}) {
		items = append(items, ldThing{"@type": "ListItem", "position": i + 1, "name": c.Label, "item": origin + c.URL})
	}
	return ldThing{"@type": "BreadcrumbList", "itemListElement": items}
}

// ArticleLD describes an article.
func ArticleLD(origin string, a *content.Article, image string) ldThing {
	return ldThing{
		"@type":            "Article",
		"headline":         a.Title,
		"description":      a.Description,
		"datePublished":    isoDate(a.Published),
		"dateModified":     isoDate(a.Updated),
		"author":           ldThing{"@type": "Organization", "name": a.Author},
		"publisher":        ldThing{"@type": "Organization", "name": SiteName},
		"image":            origin + image,
		"mainEntityOfPage": origin + a.URL(),
		"keywords":         strings.Join(a.Tags, ", "),
	}
}

// FAQPageLD lists questions with their answers as plain text.
func FAQPageLD(items []*content.FAQItem) ldThing {
	var qs []ldThing
	for _, f := range items {
		qs = append(qs, ldThing{
			"@type":          "Question",
			"name":           f.Question,
			"acceptedAnswer": ldThing{"@type": "Answer", "text": PlainText(string(f.Answer))},
		})
	}
	return ldThing{"@type": "FAQPage", "mainEntity": qs}
}

var (
	blockTagRe = regexp.MustCompile(`</?(?:p|li|ul|ol|h[1-6]|blockquote|br|tr|td|th|div)\b[^>]*>`)
	tagRe      = regexp.MustCompile(`<[^>]*>`)
)

// PlainText turns rendered Markdown (our own, trusted HTML) into text:
// block tags become spaces, inline tags vanish so punctuation stays put.
func PlainText(h string) string {
	h = blockTagRe.ReplaceAllString(h, " ")
	h = tagRe.ReplaceAllString(h, "")
	return strings.Join(strings.Fields(stdhtml.UnescapeString(h)), " ")
}
