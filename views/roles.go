package views

import (
	"context"
	"io"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/pmvspo/site/content"
)

// Page copy that counts or names a guide's roles is derived from the
// model, so a three-role guide never reads "both".

var numberWords = []string{"zero", "one", "two", "three", "four", "five"}

// everyRole reads "both roles" for two roles and "all three roles" for three.
func everyRole(g *content.Guide) string {
	switch n := len(g.Roles); {
	case n == 2:
		return "both roles"
	case n < len(numberWords):
		return "all " + numberWords[n] + " roles"
	}
	return "every role"
}

// RoleProfilesPhrase reads "the profiles of both roles" (or "of all three
// roles"), for page copy outside this package such as descriptions.
func RoleProfilesPhrase(g *content.Guide) string { return "the profiles of " + everyRole(g) }

// partyClass is the colour class of a party: its role's, or none.
func partyClass(p *content.Party) string {
	if p.Role != nil {
		return "party " + roleClass(p.Role)
	}
	return "party"
}

func sourcesLabel(n int) string {
	if n == 1 {
		return "Source: "
	}
	return "Sources: "
}

// colsClass names a table by its number of value columns, which picks its
// layout at each width (site.css).
func colsClass(n int) string { return "cols-" + strconv.Itoa(n) }

func colspan(n int) string { return strconv.Itoa(n) }

// rolesGridClass names a grid of one card per role by the number of roles,
// so that three cards never leave one orphan at half width.
func rolesGridClass(g *content.Guide) string { return "roles-" + strconv.Itoa(len(g.Roles)) }

// keepNames renders s, a heading's text, with every role name of more than
// one word in it kept on one line, so that a balanced heading never breaks
// inside "Product / Manager".
func keepNames(g *content.Guide, s string) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		var b strings.Builder
		for s != "" {
			i, name := firstRoleName(g, s)
			if i < 0 {
				b.WriteString(templ.EscapeString(s))
				break
			}
			b.WriteString(templ.EscapeString(s[:i]))
			b.WriteString(`<span class="nowrap">` + templ.EscapeString(name) + `</span>`)
			s = s[i+len(name):]
		}
		_, err := io.WriteString(w, b.String())
		return err
	})
}

// firstRoleName finds the earliest role name of more than one word in s
// (the longer one where two start at the same place), or -1.
func firstRoleName(g *content.Guide, s string) (int, string) {
	at, name := -1, ""
	for _, r := range g.Roles {
		if !strings.Contains(r.Name, " ") {
			continue
		}
		if i := strings.Index(s, r.Name); i >= 0 && (at < 0 || i < at || i == at && len(r.Name) > len(name)) {
			at, name = i, r.Name
		}
	}
	return at, name
}
