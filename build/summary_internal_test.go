package build

import "testing"

func TestSummary(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Short answer.", "Short answer."},
		{"First sentence is long enough to keep on its own here. Second sentence goes well past the limit of the description.", "First sentence is long enough to keep on its own here."},
		{"Tiny. Then one very long sentence that runs on and on, well past the limit of the description", "Tiny. Then one very long sentence that runs on and on, well…"},
		{"Nospacesatallinthisverylongwordthatgoesonandonandonandonandonandonandon", "Nospacesatallinthisverylongwordthatgoesonandonandonandonando…"},
	} {
		limit := 60
		if got := summary(c.in, limit); got != c.want {
			t.Errorf("summary(%q, %d) = %q, want %q", c.in, limit, got, c.want)
		}
	}
}
