package content

import "testing"

// TestPlain checks plain-text fields get the same typography as Markdown.
func TestPlain(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`  padded  `, `padded`},
		{`The PM's "what"`, `The PM’s “what”`},
		{`"Are we building the right thing?"`, `“Are we building the right thing?”`},
		{`a 'quoted' word`, `a ‘quoted’ word`},
		{`(“nested 'inner'”)`, `(“nested ‘inner’”)`},
		{`Jira -- Linear...`, `Jira – Linear…`},
		{`no quotes here`, `no quotes here`},
		{`x-y 10-25%`, `x-y 10-25%`},
	} {
		if got := plain(c.in); got != c.want {
			t.Errorf("plain(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
