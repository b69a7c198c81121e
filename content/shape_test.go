package content

import (
	"testing"
)

// TestAssessmentShape reports, for every assessment of the shipped content,
// how all possible answer sets spread over the outcomes and how far each
// question can move each factor (run with -v to read it). It checks that
// the counting agrees with scoring the answer sets one by one where there
// are few enough to list, that every outcome is reachable, and that the
// reported reach of each question matches its options' weights.
func TestAssessmentShape(t *testing.T) {
	site := mustLoad(t, Embedded())
	for _, g := range site.Guides {
		for _, a := range g.Assessments {
			t.Run(g.Slug+"/"+a.ID, func(t *testing.T) {
				sh := a.Shape()
				t.Logf("\n%s", sh)
				want := 1.0
				for _, q := range a.Questions {
					want *= float64(len(q.Options))
				}
				if sh.AnswerSets != want {
					t.Errorf("AnswerSets = %.0f, want %.0f", sh.AnswerSets, want)
				}
				sum := 0.0
				for _, o := range sh.Outcomes {
					sum += o.Count
					if o.Count == 0 {
						t.Errorf("no answer set selects %s", o.Outcome.ID)
					}
				}
				if sum != sh.AnswerSets {
					t.Errorf("outcome counts add up to %.0f of %.0f answer sets", sum, sh.AnswerSets)
				}
				if want <= 2_000_000 {
					counted := enumerateOutcomes(t, a)
					for _, o := range sh.Outcomes {
						if counted[o.Outcome.ID] != o.Count {
							t.Errorf("%s: Shape counts %.0f answer sets, scoring them one by one gives %.0f", o.Outcome.ID, o.Count, counted[o.Outcome.ID])
						}
					}
				}
				for i, f := range a.Factors {
					sumSpan := 0
					for _, r := range sh.Questions {
						sumSpan += r.Span[i]
					}
					if sumSpan != f.Max-f.Min {
						t.Errorf("factor %s: the questions' spans add up to %d, but the reachable range is %d..%d", f.ID, sumSpan, f.Min, f.Max)
					}
				}
			})
		}
	}
}

// enumerateOutcomes scores every answer set of a and counts the outcomes.
func enumerateOutcomes(t *testing.T, a *Assessment) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	idx := make([]int, len(a.Questions))
	ans := make(Answers, len(a.Questions))
	for {
		for i, q := range a.Questions {
			ans[q.ID] = q.Options[idx[i]].ID
		}
		res, err := a.Score(ans)
		if err != nil {
			t.Fatalf("Score(%v): %v", ans, err)
		}
		out[res.Outcome.ID]++
		i := len(idx) - 1
		for ; i >= 0; i-- {
			idx[i]++
			if idx[i] < len(a.Questions[i].Options) {
				break
			}
			idx[i] = 0
		}
		if i < 0 {
			return out
		}
	}
}
