package views

import (
	"strconv"

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
