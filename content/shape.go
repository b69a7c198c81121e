package content

import (
	"fmt"
	"strings"
)

// Shape describes an assessment as an instrument: how every possible answer
// set spreads over the outcomes, and how far each question can move each
// factor. Editors read it to see whether one outcome has become a
// catch-all, or whether a question outweighs the rest.
type Shape struct {
	Assessment *Assessment
	// AnswerSets is the number of possible answer sets (the product of the
	// questions' option counts); a float so that large forms cannot overflow.
	AnswerSets float64
	Outcomes   []OutcomeShare
	Questions  []QuestionReach
}

// OutcomeShare is how many answer sets select one outcome.
type OutcomeShare struct {
	Outcome *Outcome
	Count   float64
}

// Share is the outcome's fraction of all answer sets.
func (s Shape) Share(o OutcomeShare) float64 { return o.Count / s.AnswerSets }

// QuestionReach is how far one question can move each factor: the highest
// weight of its options minus the lowest, in the order of the factors.
type QuestionReach struct {
	Question *Question
	Span     []int
}

// Shape counts answer sets per outcome without listing them: the number of
// distinct factor totals stays small, so it carries a count per reachable
// total from question to question, then asks which outcome each total
// selects. It assumes checkOutcomes has passed (one outcome per total).
func (a *Assessment) Shape() Shape {
	sh := Shape{Assessment: a, AnswerSets: 1}
	type state struct {
		totals []int
		count  float64
	}
	key := func(t []int) string { return fmt.Sprint(t) }
	states := map[string]*state{key(make([]int, len(a.Factors))): {totals: make([]int, len(a.Factors)), count: 1}}
	for _, q := range a.Questions {
		sh.AnswerSets *= float64(len(q.Options))
		next := make(map[string]*state, len(states)*len(q.Options))
		for _, s := range states {
			for _, o := range q.Options {
				t := make([]int, len(s.totals))
				for i, f := range a.Factors {
					t[i] = s.totals[i] + o.Weights[f.ID]
				}
				k := key(t)
				if n, ok := next[k]; ok {
					n.count += s.count
				} else {
					next[k] = &state{totals: t, count: s.count}
				}
			}
		}
		states = next

		reach := QuestionReach{Question: q, Span: make([]int, len(a.Factors))}
		for i, f := range a.Factors {
			lo, hi := 0, 0
			for k, o := range q.Options {
				w := o.Weights[f.ID]
				if k == 0 || w < lo {
					lo = w
				}
				if k == 0 || w > hi {
					hi = w
				}
			}
			reach.Span[i] = hi - lo
		}
		sh.Questions = append(sh.Questions, reach)
	}
	counts := map[*Outcome]float64{}
	totals := map[string]int{}
	for _, s := range states {
		for i, f := range a.Factors {
			totals[f.ID] = s.totals[i]
		}
		for _, o := range a.Outcomes {
			if o.Matches(totals) {
				counts[o] += s.count
				break
			}
		}
	}
	for _, o := range a.Outcomes {
		sh.Outcomes = append(sh.Outcomes, OutcomeShare{Outcome: o, Count: counts[o]})
	}
	return sh
}

// String is the shape as a small plain-text report.
func (s Shape) String() string {
	var b strings.Builder
	a := s.Assessment
	fmt.Fprintf(&b, "%s (%s): %.0f answer sets\n", a.ID, a.Title, s.AnswerSets)
	for _, o := range s.Outcomes {
		fmt.Fprintf(&b, "  %-28s %12.0f  %5.1f%%\n", o.Outcome.ID, o.Count, 100*s.Share(o))
	}
	fmt.Fprintf(&b, "  how far each question can move each factor (highest option weight minus lowest):\n")
	fmt.Fprintf(&b, "  %-20s", "question")
	for _, f := range a.Factors {
		name := f.ID
		if f.Axis != "" {
			name += " (" + f.Axis + ")"
		}
		fmt.Fprintf(&b, " %18s", name)
	}
	b.WriteByte('\n')
	for _, q := range s.Questions {
		fmt.Fprintf(&b, "  %-20s", q.Question.ID)
		for _, v := range q.Span {
			fmt.Fprintf(&b, " %18d", v)
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "  %-20s", "reachable range")
	for _, f := range a.Factors {
		fmt.Fprintf(&b, " %18s", fmt.Sprintf("%d..%d", f.Min, f.Max))
	}
	b.WriteByte('\n')
	return b.String()
}
