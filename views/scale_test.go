package views

import (
	"strings"
	"testing"

	"github.com/pmvspo/site/content"
)

func ptr(n int) *int { return &n }

// The scale's sentence names the score that would change this reader's
// result, the other answers staying as they are, and says so when none
// would: an outcome decided by another factor does not move along this one.
func TestScaleTextNamesTheChangeForThisReader(t *testing.T) {
	split := &content.Factor{ID: "split", Label: "Reasons to split", Min: 0, Max: 4}
	hire := &content.Factor{ID: "hire", Label: "No one yet", Min: 0, Max: 1}
	one := &content.Outcome{ID: "one", Title: "One person", When: map[string]content.Range{"hire": {Max: ptr(0)}, "split": {Max: ptr(0)}}}
	two := &content.Outcome{ID: "two", Title: "Split", When: map[string]content.Range{"hire": {Max: ptr(0)}, "split": {Min: ptr(1)}}}
	first := &content.Outcome{ID: "first", Title: "Hire first", When: map[string]content.Range{"hire": {Min: ptr(1)}}}
	a := &content.Assessment{Factors: []*content.Factor{split, hire}, Outcomes: []*content.Outcome{one, two, first}}
	sc := content.Scale{Factor: split, Low: "One", High: "Two"}

	for _, c := range []struct {
		name    string
		totals  map[string]int
		outcome *content.Outcome
		want    string
	}{
		{"split, would be one person at 0", map[string]int{"split": 3, "hire": 0}, two,
			"With your other answers as they are, a score of 0 would change the result to “One person”."},
		{"one person, would split at +1", map[string]int{"split": 0, "hire": 0}, one,
			"With your other answers as they are, a score of +1 would change the result to “Split”."},
		{"hire first, nothing on this scale changes it", map[string]int{"split": 3, "hire": 1}, first,
			"With your other answers as they are, no score on this scale would change the result."},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := scaleText(a, sc, &content.Result{Totals: c.totals, Outcome: c.outcome})
			if !strings.HasSuffix(got, c.want) {
				t.Errorf("scaleText = %q\nwant it to end %q", got, c.want)
			}
		})
	}
}
