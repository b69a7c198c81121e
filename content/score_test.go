package content

import (
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// shippedAssessment loads the embedded guide and returns one of its assessments.
func shippedAssessments(t testing.TB) []*Assessment {
	t.Helper()
	_, g := loadEmbedded(t)
	if len(g.Assessments) == 0 {
		t.Skipf("the shipped guide %s has no assessment to score", g.Slug)
	}
	return g.Assessments
}

// answersOf checks that every question and option id exists and that every
// question is answered, so that a renamed id fails here rather than
// silently changing what the test checks.
func answersOf(t testing.TB, a *Assessment, ans map[string]string) Answers {
	t.Helper()
	for q, o := range ans {
		qq := a.Question(q)
		if qq == nil {
			t.Fatalf("%s has no question %q", a.ID, q)
		}
		if qq.Option(o) == nil {
			t.Fatalf("%s question %q has no option %q", a.ID, q, o)
		}
	}
	for _, q := range a.Questions {
		if _, ok := ans[q.ID]; !ok {
			t.Fatalf("%s: the test's answer set leaves question %q unanswered", a.ID, q.ID)
		}
	}
	return Answers(ans)
}

// reachable walks every distinct combination of factor totals that some
// answer set reaches, with one answer set that reaches it.
func reachable(a *Assessment) map[string]Answers {
	type state struct {
		totals []int
		ans    Answers
	}
	states := map[string]state{fmt.Sprint(make([]int, len(a.Factors))): {totals: make([]int, len(a.Factors)), ans: Answers{}}}
	for _, q := range a.Questions {
		next := map[string]state{}
		for _, s := range states {
			for _, o := range q.Options {
				t := slices.Clone(s.totals)
				for i, f := range a.Factors {
					t[i] += o.Weights[f.ID]
				}
				k := fmt.Sprint(t)
				if _, ok := next[k]; !ok {
					ans := make(Answers, len(s.ans)+1)
					for qq, oo := range s.ans {
						ans[qq] = oo
					}
					ans[q.ID] = o.ID
					next[k] = state{totals: t, ans: ans}
				}
			}
		}
		states = next
	}
	out := map[string]Answers{}
	for k, s := range states {
		out[k] = s.ans
	}
	return out
}

// For every combination of totals that any answer set reaches, Score picks
// the one outcome whose ranges hold it; every outcome is picked somewhere;
// and every persona in the content gets the outcome it expects. Derived from
// the model, so it holds for any valid content.
func TestScoreSelectsEachOutcome(t *testing.T) {
	site := mustLoad(t, mergeFS(t, Embedded(), secondGuide()))
	for _, g := range site.Guides {
		for _, a := range g.Assessments {
			t.Run(g.Slug+"/"+a.ID, func(t *testing.T) {
				picked := map[*Outcome]int{}
				for _, ans := range reachable(a) {
					res, err := a.Score(answersOf(t, a, ans))
					if err != nil {
						t.Fatalf("Score(%v): %v", ans, err)
					}
					for f, r := range res.Outcome.When {
						if !r.contains(res.Totals[f]) {
							t.Errorf("Score(%v) = %s, whose range for %s does not hold %d", ans, res.Outcome.ID, f, res.Totals[f])
						}
					}
					picked[res.Outcome]++
				}
				for _, o := range a.Outcomes {
					if picked[o] == 0 {
						t.Errorf("no reachable totals select %s", o.ID)
					}
				}
				for _, p := range a.Personas {
					res, err := a.Score(answersOf(t, a, p.Answers))
					if err != nil || res.Outcome != p.Expect {
						t.Errorf("persona %s: Score = %v, %v; want %s", p.ID, res, err, p.Expect.ID)
					}
				}
			})
		}
	}
}

// Every answer set of both shipped assessments selects exactly one outcome,
// and the result adds up.
func TestScoreEveryAnswerSet(t *testing.T) {
	for _, a := range shippedAssessments(t) {
		t.Run(a.ID, func(t *testing.T) {
			combos := 1
			for _, q := range a.Questions {
				combos *= len(q.Options)
			}
			const limit = 5_000_000
			seen := map[string]int{}
			lo, hi := map[string]int{}, map[string]int{}
			ans := make(Answers, len(a.Questions)) // reused: Score does not keep it
			want := make(map[string]int, len(a.Factors))
			check := func(idx []int) {
				clear(want)
				for i, q := range a.Questions {
					o := q.Options[idx[i]]
					ans[q.ID] = o.ID
					for f, w := range o.Weights {
						want[f] += w
					}
				}
				res, err := a.Score(ans)
				if err != nil {
					t.Fatalf("Score(%v): %v", ans, err)
				}
				matches := 0
				for _, o := range a.Outcomes {
					if o.Matches(res.Totals) {
						matches++
						if o != res.Outcome {
							t.Fatalf("Score(%v) = %s, but %s matches", ans, res.Outcome.ID, o.ID)
						}
					}
				}
				if matches != 1 {
					t.Fatalf("Score(%v): %d outcomes match the totals %v", ans, matches, res.Totals)
				}
				for _, f := range a.Factors {
					if res.Totals[f.ID] != want[f.ID] {
						t.Fatalf("Score(%v): total %s = %d, want %d", ans, f.ID, res.Totals[f.ID], want[f.ID])
					}
					v := res.Totals[f.ID]
					if v < f.Min || v > f.Max {
						t.Fatalf("Score(%v): total %s = %d outside the factor's range %d..%d", ans, f.ID, v, f.Min, f.Max)
					}
					if _, ok := lo[f.ID]; !ok || v < lo[f.ID] {
						lo[f.ID] = v
					}
					if _, ok := hi[f.ID]; !ok || v > hi[f.ID] {
						hi[f.ID] = v
					}
				}
				for f := range res.Totals {
					if factorOf(a, f) == nil {
						t.Fatalf("Score(%v): total for unknown factor %q", ans, f)
					}
				}
				if len(res.Breakdown) != len(a.Questions) {
					t.Fatalf("Score(%v): breakdown has %d entries for %d questions", ans, len(res.Breakdown), len(a.Questions))
				}
				for i, c := range res.Breakdown {
					if c.Question != a.Questions[i] || c.Option != a.Questions[i].Options[idx[i]] {
						t.Fatalf("Score(%v): breakdown[%d] = %s=%s, want %s=%s", ans, i, c.Question.ID, c.Option.ID,
							a.Questions[i].ID, a.Questions[i].Options[idx[i]].ID)
					}
				}
				seen[res.Outcome.ID]++
			}

			idx := make([]int, len(a.Questions))
			if combos <= limit {
				// An odometer over every option of every question.
				n := 0
				for {
					check(idx)
					n++
					i := len(idx) - 1
					for ; i >= 0; i-- {
						idx[i]++
						if idx[i] < len(a.Questions[i].Options) {
							break
						}
						idx[i] = 0
					}
					if i < 0 {
						break
					}
				}
				if n != combos {
					t.Fatalf("enumerated %d answer sets, want %d", n, combos)
				}
				// Only an exhaustive walk can confirm the reachable ranges.
				for _, f := range a.Factors {
					if lo[f.ID] != f.Min || hi[f.ID] != f.Max {
						t.Errorf("factor %s reaches %d..%d, but the loader computed %d..%d", f.ID, lo[f.ID], hi[f.ID], f.Min, f.Max)
					}
				}
			} else {
				r := rand.New(rand.NewPCG(1, 2))
				combos = 200_000
				for range combos {
					for i, q := range a.Questions {
						idx[i] = r.IntN(len(q.Options))
					}
					check(idx)
				}
			}
			for _, o := range a.Outcomes {
				if seen[o.ID] == 0 {
					t.Errorf("no answer set selects outcome %s", o.ID)
				}
			}
			t.Logf("%s: %d answer sets: %v", a.ID, combos, seen)
		})
	}
}

func TestScoreIncompleteAnswers(t *testing.T) {
	for _, a := range shippedAssessments(t) {
		id := a.ID
		complete := Answers{}
		for _, q := range a.Questions {
			complete[q.ID] = q.Options[0].ID
		}
		last := a.Questions[len(a.Questions)-1].ID
		oneMissing := maps.Clone(complete)
		delete(oneMissing, last)
		unknown := maps.Clone(complete)
		unknown[last] = "no-such-option"
		for name, ans := range map[string]Answers{"empty": {}, "one missing": oneMissing, "unknown option": unknown} {
			t.Run(id+"/"+name, func(t *testing.T) {
				res, err := a.Score(ans)
				var ie *InputError
				if res != nil || !errors.As(err, &ie) {
					t.Errorf("Score = %v, %v; want an *InputError", res, err)
				}
			})
		}
	}
}

func TestParseAnswers(t *testing.T) {
	a := shippedAssessments(t)[0]
	order := func(qs []*Question) []string {
		var ids []string
		for _, q := range qs {
			ids = append(ids, q.ID)
		}
		return ids
	}
	allIDs := order(a.Questions)

	t.Run("complete", func(t *testing.T) {
		v := url.Values{}
		for _, q := range a.Questions {
			v.Set(q.ID, q.Options[len(q.Options)-1].ID)
		}
		ans, missing, err := a.ParseAnswers(v)
		if err != nil || len(missing) != 0 || len(ans) != len(a.Questions) {
			t.Fatalf("ParseAnswers = %v, %v, %v", ans, order(missing), err)
		}
		for _, q := range a.Questions {
			if ans[q.ID] != q.Options[len(q.Options)-1].ID {
				t.Errorf("answer %s = %q", q.ID, ans[q.ID])
			}
		}
	})
	t.Run("nothing answered", func(t *testing.T) {
		ans, missing, err := a.ParseAnswers(url.Values{})
		if err != nil || len(ans) != 0 || !slices.Equal(order(missing), allIDs) {
			t.Errorf("ParseAnswers = %v, %v, %v; want every question missing, in order", ans, order(missing), err)
		}
	})
	t.Run("missing answers in question order", func(t *testing.T) {
		// Answer every other question, added in reverse order.
		v := url.Values{}
		var want []string
		for i := len(a.Questions) - 1; i >= 0; i-- {
			if i%2 == 0 {
				v.Set(a.Questions[i].ID, a.Questions[i].Options[0].ID)
			}
		}
		for i, q := range a.Questions {
			if i%2 == 1 {
				want = append(want, q.ID)
			}
		}
		ans, missing, err := a.ParseAnswers(v)
		if err != nil || !slices.Equal(order(missing), want) || len(ans) != len(a.Questions)-len(want) {
			t.Errorf("ParseAnswers = %v, %v, %v; want missing %v", ans, order(missing), err, want)
		}
	})
	q0, q1 := a.Questions[0], a.Questions[1]
	t.Run("empty value counts as missing", func(t *testing.T) {
		v := url.Values{q0.ID: {""}, q1.ID: {q1.Options[0].ID}}
		ans, missing, err := a.ParseAnswers(v)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := ans[q0.ID]; ok || ans[q1.ID] != q1.Options[0].ID {
			t.Errorf("answers = %v", ans)
		}
		if len(missing) != len(a.Questions)-1 || missing[0] != q0 {
			t.Errorf("missing = %v", order(missing))
		}
	})

	long := strings.Repeat("x", 5000)
	for _, c := range []struct {
		name, query string
		shows       string // the quoted value the message must show, if any
		hides       string // a part of the submitted value the message must not repeat
	}{
		{name: "unknown question", query: q0.ID + "=" + q0.Options[0].ID + "&colour=blue", shows: `"colour"`},
		{name: "unknown option", query: q0.ID + "=maybe", shows: `"maybe"`},
		{name: "repeated field", query: q0.ID + "=" + q0.Options[0].ID + "&" + q0.ID + "=" + q0.Options[1].ID},
		{name: "repeated empty field", query: q0.ID + "=&" + q0.ID + "="},
		{name: "long unknown question", query: long + "=1", shows: fmt.Sprintf("%q", long[:40]+"…"), hides: long[:41]},
		{name: "long unknown option", query: q0.ID + "=" + long, shows: fmt.Sprintf("%q", long[:40]+"…"), hides: long[:41]},
		{name: "markup in a value", query: q0.ID + "=" + url.QueryEscape(`"><script>alert(1)</script>`), shows: `"\"><script>alert(1)</script>"`},
		{name: "control characters", query: q0.ID + "=a%0Ab%00c", shows: `"a\nb\x00c"`, hides: "a\nb"},
		{name: "empty question name", query: "=me"},
	} {
		t.Run(c.name, func(t *testing.T) {
			v, err := url.ParseQuery(c.query)
			if err != nil {
				t.Fatal(err)
			}
			ans, missing, err := a.ParseAnswers(v)
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("ParseAnswers = %v, %v, %v; want an *InputError", ans, missing, err)
			}
			if ans != nil || missing != nil {
				t.Errorf("an input error returned answers %v and missing %v", ans, missing)
			}
			msg := ie.Error()
			if c.shows != "" && !strings.Contains(msg, c.shows) {
				t.Errorf("message %q does not contain %s", msg, c.shows)
			}
			if c.hides != "" && strings.Contains(msg, c.hides) {
				t.Errorf("message repeats too much of the submitted value: %.200q", msg)
			}
			if len(msg) > 300 {
				t.Errorf("message is %d bytes long", len(msg))
			}
		})
	}

	t.Run("truncation keeps the message valid UTF-8 where the value is", func(t *testing.T) {
		// 14 three-byte runes are 42 bytes: the 40-byte cut falls inside one.
		v := url.Values{q0.ID: {strings.Repeat("€", 14)}}
		_, _, err := a.ParseAnswers(v)
		if err == nil {
			t.Fatal("no error")
		}
		if strings.Contains(err.Error(), `\x`) || !utf8.ValidString(err.Error()) {
			t.Errorf("shown() cuts a submitted value at byte 40, inside a rune, and the message shows escapes: %s", err)
		}
	})
}

func TestQuery(t *testing.T) {
	a := shippedAssessments(t)[0]
	ans := Answers{}
	for i, q := range a.Questions {
		ans[q.ID] = q.Options[i%len(q.Options)].ID
	}
	q := a.Query(ans)

	// Question order, one pair each, nothing else.
	pairs := strings.Split(q, "&")
	if len(pairs) != len(a.Questions) {
		t.Fatalf("Query = %q has %d pairs, want %d", q, len(pairs), len(a.Questions))
	}
	for i, p := range pairs {
		want := a.Questions[i].ID + "=" + ans[a.Questions[i].ID]
		if p != want {
			t.Errorf("pair %d = %q, want %q", i, p, want)
		}
	}
	if a.Query(ans) != q {
		t.Error("Query is not deterministic")
	}

	// Round trip.
	v, err := url.ParseQuery(q)
	if err != nil {
		t.Fatal(err)
	}
	got, missing, err := a.ParseAnswers(v)
	if err != nil || len(missing) != 0 || !mapsEqual(got, ans) {
		t.Errorf("round trip = %v, %d missing, %v; want %v", got, len(missing), err, ans)
	}

	// Partial answers encode only what is answered, still in question order.
	partial := Answers{a.Questions[3].ID: ans[a.Questions[3].ID], a.Questions[1].ID: ans[a.Questions[1].ID]}
	if got, want := a.Query(partial), a.Questions[1].ID+"="+ans[a.Questions[1].ID]+"&"+a.Questions[3].ID+"="+ans[a.Questions[3].ID]; got != want {
		t.Errorf("Query(partial) = %q, want %q", got, want)
	}
	if got := a.Query(Answers{}); got != "" {
		t.Errorf("Query(nothing) = %q", got)
	}
	// Unknown questions in the answers are not encoded.
	if got := a.Query(Answers{"nope": "x"}); got != "" {
		t.Errorf("Query(unknown) = %q", got)
	}
}

// A result link stays valid when an editor reorders the questions (and
// their options): answers are stored by id, not by position.
func TestPermalinkSurvivesReordering(t *testing.T) {
	for _, a := range shippedAssessments(t) {
		t.Run(a.ID, func(t *testing.T) {
			r := rand.New(rand.NewPCG(3, 4))
			for range 200 {
				ans := Answers{}
				for _, q := range a.Questions {
					ans[q.ID] = q.Options[r.IntN(len(q.Options))].ID
				}
				link := a.Query(ans)
				before, err := a.Score(ans)
				if err != nil {
					t.Fatal(err)
				}

				re := reordered(a)
				v, err := url.ParseQuery(link)
				if err != nil {
					t.Fatal(err)
				}
				got, missing, err := re.ParseAnswers(v)
				if err != nil || len(missing) != 0 {
					t.Fatalf("the old link %q no longer parses: %v, %d missing", link, err, len(missing))
				}
				after, err := re.Score(got)
				if err != nil {
					t.Fatal(err)
				}
				if after.Outcome.ID != before.Outcome.ID || !mapsEqual(after.Totals, before.Totals) {
					t.Errorf("%q: %s %v before reordering, %s %v after", link, before.Outcome.ID, before.Totals, after.Outcome.ID, after.Totals)
				}
				if newLink := re.Query(got); newLink == link {
					t.Errorf("reordering did not change the canonical link %q; the test does not reorder", link)
				} else if nv, _ := url.ParseQuery(newLink); !valuesEqual(nv, v) {
					t.Errorf("canonical links %q and %q hold different answers", link, newLink)
				}
			}
		})
	}
}

// reordered returns a copy of a with its questions, and each question's
// options, in reverse order.
func reordered(a *Assessment) *Assessment {
	re := *a
	re.Questions = nil
	for i := len(a.Questions) - 1; i >= 0; i-- {
		q := *a.Questions[i]
		q.Options = slices.Clone(q.Options)
		slices.Reverse(q.Options)
		re.Questions = append(re.Questions, &q)
	}
	return &re
}

func mapsEqual[K comparable, V comparable](a, b map[K]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func valuesEqual(a, b url.Values) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// Salvage keeps every answer that still exists and names each one it had to
// leave out, so that a stale form or an edited link loses nothing else.
func TestSalvage(t *testing.T) {
	for _, a := range shippedAssessments(t) {
		id := a.ID
		if len(a.Questions) < 4 {
			t.Fatalf("%s has fewer than 4 questions", id)
		}
		v := url.Values{}
		for _, q := range a.Questions {
			v.Set(q.ID, q.Options[len(q.Options)-1].ID)
		}
		renamed, twice, conflicting, empty := a.Questions[0], a.Questions[1], a.Questions[2], a.Questions[3]
		long := strings.Repeat("z", 500)
		v.Set(renamed.ID, long)
		v.Add(twice.ID, v.Get(twice.ID)) // the same answer twice: harmless
		v.Add(conflicting.ID, conflicting.Options[0].ID)
		v.Set(empty.ID, "")
		v.Set("colour", "blue")
		v.Set("gclid", "abc")

		ans, dropped := a.Salvage(v)
		for _, q := range a.Questions {
			got, ok := ans[q.ID]
			switch q {
			case renamed, conflicting, empty:
				if ok {
					t.Errorf("%s: kept %s=%q", id, q.ID, got)
				}
			default:
				if want := q.Options[len(q.Options)-1].ID; got != want {
					t.Errorf("%s: %s = %q, want %q kept", id, q.ID, got, want)
				}
			}
		}
		if len(ans) != len(a.Questions)-3 {
			t.Errorf("%s: kept %d answers, want %d: %v", id, len(ans), len(a.Questions)-3, ans)
		}
		if len(dropped) != 2 || !strings.Contains(dropped[renamed.ID], "not one of its options") || !strings.Contains(dropped[conflicting.ID], "2 different answers") {
			t.Errorf("%s: dropped = %q, want one message for %q and one for %q", id, dropped, renamed.ID, conflicting.ID)
		}
		for _, m := range dropped {
			if strings.Contains(m, long[:41]) || strings.Contains(m, "colour") {
				t.Errorf("%s: message %q repeats too much, or names a field that is not a question", id, m)
			}
		}
	}
}

// A link made before questions were added gets their assumed answers only
// when every question it lacks has one; otherwise the reader must answer.
func TestFillAssumed(t *testing.T) {
	a := &Assessment{Questions: []*Question{
		{ID: "old", Options: []*Option{{ID: "x"}, {ID: "y"}}},
		{ID: "added", Assumed: "b", Options: []*Option{{ID: "a"}, {ID: "b"}}},
		{ID: "later", Options: []*Option{{ID: "p"}, {ID: "q"}}},
	}}
	answers := Answers{"old": "y", "later": "q"}
	if !a.FillAssumed(answers) {
		t.Fatal("a link lacking only a question with an assumed answer was not completed")
	}
	if answers["added"] != "b" || answers["old"] != "y" || answers["later"] != "q" || len(answers) != 3 {
		t.Errorf("completed answers = %v, want old=y added=b later=q", answers)
	}
	answers = Answers{"old": "y"}
	if a.FillAssumed(answers) {
		t.Error("a link lacking a question without an assumed answer was completed")
	}
	if len(answers) != 1 {
		t.Errorf("answers changed to %v although the link could not be completed", answers)
	}
	answers = Answers{"old": "x", "added": "a", "later": "p"}
	if !a.FillAssumed(answers) || answers["added"] != "a" {
		t.Errorf("a complete link was changed: %v", answers)
	}
}
