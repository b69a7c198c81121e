package content

import (
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// Answers maps a question id to the id of the chosen option. Ids, not
// positions or wording, so a result link keeps working when an editor
// rewords or reorders questions.
type Answers map[string]string

// InputError is a submission or result link that cannot be read at all: an
// unknown question or option, a repeated field. It is a 400, not a 422.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

// maxShown bounds how much of a submitted value an error message repeats.
const maxShown = 40

func shown(s string) string {
	if len(s) > maxShown {
		cut := maxShown
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut-- // never split a character
		}
		s = s[:cut] + "…"
	}
	return fmt.Sprintf("%q", s)
}

// ParseAnswers reads answers from form values or a result link's query. It
// returns the questions left unanswered (a 422: show the form again) or an
// *InputError for anything that no form of ours could have sent.
func (a *Assessment) ParseAnswers(v url.Values) (Answers, []*Question, error) {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	answers := make(Answers, len(a.Questions))
	for _, k := range keys {
		q := a.Question(k)
		if q == nil {
			return nil, nil, &InputError{Msg: fmt.Sprintf("There is no question %s in %q.", shown(k), a.Title)}
		}
		vals := v[k]
		if len(vals) != 1 {
			return nil, nil, &InputError{Msg: fmt.Sprintf("The question %q was answered %d times; choose one option.", q.Prompt, len(vals))}
		}
		if vals[0] == "" {
			continue // an empty value is an unanswered question
		}
		if q.Option(vals[0]) == nil {
			return nil, nil, &InputError{Msg: fmt.Sprintf("The question %q has no option %s.", q.Prompt, shown(vals[0]))}
		}
		answers[k] = vals[0]
	}
	var missing []*Question
	for _, q := range a.Questions {
		if _, ok := answers[q.ID]; !ok {
			missing = append(missing, q)
		}
	}
	return answers, missing, nil
}

// Query encodes complete answers as a result link's query, in question order
// so that the same answers always give the same link.
func (a *Assessment) Query(ans Answers) string {
	var b strings.Builder
	for _, q := range a.Questions {
		if o, ok := ans[q.ID]; ok {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(q.ID) + "=" + url.QueryEscape(o))
		}
	}
	return b.String()
}

// Result is what a complete set of answers adds up to.
type Result struct {
	Outcome   *Outcome
	Totals    map[string]int
	Breakdown []Contribution
}

// Contribution is one answer and the points it gave.
type Contribution struct {
	Question *Question
	Option   *Option
}

// Score adds up complete answers and picks the one outcome whose ranges hold.
// It is a pure function of the assessment and the answers.
func (a *Assessment) Score(ans Answers) (*Result, error) {
	r := &Result{Totals: make(map[string]int, len(a.Factors))}
	for _, q := range a.Questions {
		o := q.Option(ans[q.ID])
		if o == nil {
			return nil, &InputError{Msg: fmt.Sprintf("The question %q is not answered.", q.Prompt)}
		}
		for f, w := range o.Weights {
			r.Totals[f] += w
		}
		r.Breakdown = append(r.Breakdown, Contribution{Question: q, Option: o})
	}
	for _, o := range a.Outcomes {
		if o.Matches(r.Totals) {
			if r.Outcome != nil {
				return nil, fmt.Errorf("assessment %s: outcomes %q and %q both match %v", a.ID, r.Outcome.ID, o.ID, r.Totals)
			}
			r.Outcome = o
		}
	}
	if r.Outcome == nil {
		return nil, fmt.Errorf("assessment %s: no outcome matches %v", a.ID, r.Totals)
	}
	return r, nil
}

// checkOutcomes proves at load time that every possible answer set selects
// exactly one outcome. Enumerating answer sets grows exponentially, but the
// set of reachable factor totals stays small, so it walks those instead,
// keeping one example answer set for each to put in the error message.
func checkOutcomes(a *Assessment) string {
	type state struct {
		totals  []int
		example []string
	}
	key := func(t []int) string { return fmt.Sprint(t) }
	states := map[string]state{key(make([]int, len(a.Factors))): {totals: make([]int, len(a.Factors))}}
	for _, q := range a.Questions {
		next := make(map[string]state, len(states)*len(q.Options))
		// Walk the states in a fixed order so the example answer set, and
		// with it the message, is the same on every start.
		order := make([]string, 0, len(states))
		for k := range states {
			order = append(order, k)
		}
		sort.Strings(order)
		for _, k := range order {
			s := states[k]
			for _, o := range q.Options {
				t := make([]int, len(s.totals))
				for i, f := range a.Factors {
					t[i] = s.totals[i] + o.Weights[f.ID]
				}
				if _, ok := next[key(t)]; !ok {
					next[key(t)] = state{totals: t, example: append(append([]string{}, s.example...), q.ID+"="+o.ID)}
				}
			}
		}
		states = next
	}
	keys := make([]string, 0, len(states))
	for k := range states {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		s := states[k]
		totals := map[string]int{}
		var desc []string
		for i, f := range a.Factors {
			totals[f.ID] = s.totals[i]
			desc = append(desc, fmt.Sprintf("%s=%d", f.ID, s.totals[i]))
		}
		var matched []string
		for _, o := range a.Outcomes {
			if o.Matches(totals) {
				matched = append(matched, o.ID)
			}
		}
		switch {
		case len(matched) == 0:
			return fmt.Sprintf("no outcome covers the totals %s (reached by %s)", strings.Join(desc, ", "), strings.Join(s.example, "&"))
		case len(matched) > 1:
			return fmt.Sprintf("outcomes %s overlap at the totals %s (reached by %s)", strings.Join(matched, " and "), strings.Join(desc, ", "), strings.Join(s.example, "&"))
		}
	}
	return ""
}

// Salvage reads every answer in v that still fits the assessment, for a
// form left open across a change of questions or a result link that was
// cut short or edited: nothing a reader chose is thrown away because
// something else no longer matches. It returns what it could keep and one
// plain-text message for each value it had to leave out. Fields that are
// not questions at all (tracking parameters, stray fields) are ignored
// without a message, since the reader did not choose them.
func (a *Assessment) Salvage(v url.Values) (Answers, []string) {
	answers := make(Answers, len(a.Questions))
	var dropped []string
	for _, q := range a.Questions {
		vals := v[q.ID]
		var distinct []string
		for _, val := range vals {
			if val != "" && !slices.Contains(distinct, val) {
				distinct = append(distinct, val)
			}
		}
		switch {
		case len(distinct) == 0:
			// unanswered
		case len(distinct) > 1:
			dropped = append(dropped, fmt.Sprintf("“%s” came with %d different answers; choose one again.", q.Prompt, len(distinct)))
		case q.Option(distinct[0]) == nil:
			dropped = append(dropped, fmt.Sprintf("Your answer to “%s” (%s) is no longer one of its options; choose again.", q.Prompt, shown(distinct[0])))
		default:
			answers[q.ID] = distinct[0]
		}
	}
	return answers, dropped
}
