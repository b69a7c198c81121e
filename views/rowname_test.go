package views

import "testing"

func TestSplitLastWord(t *testing.T) {
	for _, c := range []struct{ in, head, last string }{
		{"Scope", "", "Scope"},
		{"Whom the role serves", "Whom the role ", "serves"},
		{"“Owns the roadmap”", "“Owns the ", "roadmap”"},
		{"", "", ""},
	} {
		head, last := splitLastWord(c.in)
		if head != c.head || last != c.last {
			t.Errorf("splitLastWord(%q) = %q, %q; want %q, %q", c.in, head, last, c.head, c.last)
		}
		if head+last != c.in {
			t.Errorf("splitLastWord(%q) lost text: %q + %q", c.in, head, last)
		}
	}
}
