package pdf

import (
	"html"
	"html/template"
	"strings"

	"github.com/pmvspo/site/content"
)

// glanceHTML is the guide's short table as the HTML of a Markdown table,
// so that it is laid out like any table an article holds: columns sized by
// their content, role columns in their role's colour, the header repeated
// on a new page.
func glanceHTML(g *content.Guide) template.HTML {
	var b strings.Builder
	b.WriteString("<table><thead><tr><th></th>")
	for _, r := range g.Roles {
		b.WriteString("<th>" + html.EscapeString(r.Name) + "</th>")
	}
	b.WriteString("</tr></thead><tbody>")
	for _, row := range g.Comparison.Glance {
		b.WriteString("<tr><td>" + html.EscapeString(row.Label) + "</td>")
		for _, v := range row.Values {
			b.WriteString("<td>" + html.EscapeString(v) + "</td>")
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</tbody></table>")
	return template.HTML(b.String())
}
