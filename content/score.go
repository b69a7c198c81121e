package content

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
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
	// A state is one reachable vector of factor totals. Its key is the
	// vector written as fmt.Sprint writes it ("[1 -2 0]"): states are
	// walked in the order of their keys, so the example answer set, and
	// with it the message, is the same on every start.
	type state struct {
		key     string
		totals  []int
		example *step // how the first answer set to get here got here
	}
	nf := len(a.Factors)
	var buf []byte
	key := func(t []int) string {
		buf = append(buf[:0], '[')
		for i, v := range t {
			if i > 0 {
				buf = append(buf, ' ')
			}
			buf = strconv.AppendInt(buf, int64(v), 10)
		}
		buf = append(buf, ']')
		return string(buf)
	}
	zero := make([]int, nf)
	states := []*state{{key: key(zero), totals: zero}}
	index := make(map[string]int, nf)
	for i, f := range a.Factors {
		index[f.ID] = i
	}
	weights := make([]int, nf)
	for _, q := range a.Questions {
		// Each option's weights as a vector in factor order.
		vecs := make([][]int, len(q.Options))
		for j, o := range q.Options {
			vecs[j] = make([]int, nf)
			for f, w := range o.Weights {
				if i, ok := index[f]; ok {
					vecs[j][i] = w
				}
			}
		}
		next := make(map[string]*state, len(states)*len(q.Options))
		for _, s := range states {
			for j, o := range q.Options {
				for i := range weights {
					weights[i] = s.totals[i] + vecs[j][i]
				}
				k := key(weights)
				if _, ok := next[k]; !ok {
					next[k] = &state{key: k, totals: slices.Clone(weights), example: &step{prev: s.example, answer: q.ID + "=" + o.ID}}
				}
			}
		}
		states = slices.SortedFunc(maps.Values(next), func(x, y *state) int { return strings.Compare(x.key, y.key) })
	}
	// Each outcome's conditions by factor index; a condition on a factor
	// the assessment does not declare sees a total of 0, as Matches does.
	type cond struct {
		factor int // -1: not a factor of the assessment
		r      Range
	}
	conds := make([][]cond, len(a.Outcomes))
	for j, o := range a.Outcomes {
		for f, r := range o.When {
			i, ok := index[f]
			if !ok {
				i = -1
			}
			conds[j] = append(conds[j], cond{i, r})
		}
	}
	var matched []string
	for _, s := range states {
		matched = matched[:0]
		for j, o := range a.Outcomes {
			ok := true
			for _, c := range conds[j] {
				v := 0
				if c.factor >= 0 {
					v = s.totals[c.factor]
				}
				if !c.r.contains(v) {
					ok = false
					break
				}
			}
			if ok {
				matched = append(matched, o.ID)
			}
		}
		if len(matched) == 1 {
			continue
		}
		var desc []string
		for i, f := range a.Factors {
			desc = append(desc, fmt.Sprintf("%s=%d", f.ID, s.totals[i]))
		}
		if len(matched) == 0 {
			return fmt.Sprintf("no outcome covers the totals %s (reached by %s)", strings.Join(desc, ", "), s.example)
		}
		return fmt.Sprintf("outcomes %s overlap at the totals %s (reached by %s)", strings.Join(matched, " and "), strings.Join(desc, ", "), s.example)
	}
	return ""
}

// outcomeMemo remembers checkOutcomes by what its answer depends on: the
// factors, the questions' options and weights, and the outcomes' ranges.
// Guides copied from one another share their assessments, and the walk
// costs milliseconds each, so a site of many guides checks each distinct
// scoring once. It is safe for the loaders of one Load to share.
type outcomeMemo struct {
	mu  sync.Mutex
	msg map[string]string // scoringKey -> checkOutcomes
}

func (m *outcomeMemo) check(a *Assessment) string {
	k := scoringKey(a)
	m.mu.Lock()
	msg, ok := m.msg[k]
	m.mu.Unlock()
	if ok {
		return msg
	}
	msg = checkOutcomes(a)
	m.mu.Lock()
	if m.msg == nil {
		m.msg = map[string]string{}
	}
	m.msg[k] = msg
	m.mu.Unlock()
	return msg
}

// scoringKey writes down everything checkOutcomes reads, in order, with
// every id quoted so that no two scorings share a key.
func scoringKey(a *Assessment) string {
	var b []byte
	for _, f := range a.Factors {
		b = strconv.AppendQuote(b, f.ID)
	}
	for _, q := range a.Questions {
		b = append(b, "\nq"...)
		b = strconv.AppendQuote(b, q.ID)
		for _, o := range q.Options {
			b = append(b, " o"...)
			b = strconv.AppendQuote(b, o.ID)
			for _, f := range sortedKeys(o.Weights) {
				b = strconv.AppendQuote(b, f)
				b = strconv.AppendInt(b, int64(o.Weights[f]), 10)
			}
		}
	}
	for _, o := range a.Outcomes {
		b = append(b, "\nr"...)
		b = strconv.AppendQuote(b, o.ID)
		for _, f := range sortedKeys(o.When) {
			r := o.When[f]
			b = strconv.AppendQuote(b, f)
			for _, end := range []*int{r.Min, r.Max} {
				if end == nil {
					b = append(b, " -"...)
				} else {
					b = append(b, ' ')
					b = strconv.AppendInt(b, int64(*end), 10)
				}
			}
		}
	}
	return string(b)
}

// step is one answer of an example answer set, linked to the answers
// before it: states that share a beginning share its steps.
type step struct {
	prev   *step
	answer string // question=option
}

// String is the answer set as a result link's query.
func (s *step) String() string {
	var answers []string
	for ; s != nil; s = s.prev {
		answers = append(answers, s.answer)
	}
	slices.Reverse(answers)
	return strings.Join(answers, "&")
}

// FillAssumed completes answers from a link made before some questions were
// added: when every question the answers leave out names the option such
// links stand for (Question.Assumed), it fills those in and reports true.
// Otherwise it changes nothing and reports false: the reader has to answer.
func (a *Assessment) FillAssumed(answers Answers) bool {
	for _, q := range a.Questions {
		if _, ok := answers[q.ID]; !ok && q.Assumed == "" {
			return false
		}
	}
	for _, q := range a.Questions {
		if _, ok := answers[q.ID]; !ok {
			answers[q.ID] = q.Assumed
		}
	}
	return true
}

// Salvage reads every answer in v that still fits the assessment, for a
// form left open across a change of questions or a result link that was
// cut short or edited: nothing a reader chose is thrown away because
// something else no longer matches. It returns what it could keep and, by
// question id, a plain-text message for each answer it had to leave out,
// written to stand beside its question ("The answer sent, … is not one of
// its options"). Fields that are not questions at all (tracking
// parameters, stray fields) are ignored without a message, since the
// reader did not choose them.
func (a *Assessment) Salvage(v url.Values) (Answers, map[string]string) {
	answers := make(Answers, len(a.Questions))
	rejected := map[string]string{}
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
			rejected[q.ID] = fmt.Sprintf("It came with %d different answers; choose one.", len(distinct))
		case q.Option(distinct[0]) == nil:
			rejected[q.ID] = fmt.Sprintf("The answer sent, %s, is not one of its options; choose one.", shown(distinct[0]))
		default:
			answers[q.ID] = distinct[0]
		}
	}
	return answers, rejected
}
