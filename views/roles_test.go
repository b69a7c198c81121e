package views

import (
	"context"
	"strings"
	"testing"

	"github.com/pmvspo/site/content"
)

// A heading keeps each role name of several words on one line, escapes
// everything else, and leaves one-word names alone.
func TestKeepNames(t *testing.T) {
	g := &content.Guide{Roles: []*content.Role{{Name: "Product Manager"}, {Name: "Product Owner"}, {Name: "Designer"}}}
	for _, c := range []struct{ in, want string }{
		{"Product Manager vs Product Owner", `<span class="nowrap">Product Manager</span> vs <span class="nowrap">Product Owner</span>`},
		{`A <Designer> & "Product Owner"?`, `A &lt;Designer&gt; &amp; &#34;<span class="nowrap">Product Owner</span>&#34;?`},
		{"No role here", "No role here"},
		{"", ""},
	} {
		var b strings.Builder
		if err := keepNames(g, c.in).Render(context.Background(), &b); err != nil {
			t.Fatal(err)
		}
		if b.String() != c.want {
			t.Errorf("keepNames(%q) = %q, want %q", c.in, b.String(), c.want)
		}
	}
}
