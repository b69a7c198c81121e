package content

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// shippedAssessment loads the embedded guide and returns one of its assessments.
func shippedAssessment(t testing.TB, id string) *Assessment {
	t.Helper()
	_, g := loadEmbedded(t)
	a := g.Assessment(id)
	if a == nil {
		t.Fatalf("the shipped guide has no assessment %q", id)
	}
	return a
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

// with returns a copy of base with some answers changed.
func with(base map[string]string, changes ...string) map[string]string {
	out := make(map[string]string, len(base))
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i+1 < len(changes); i += 2 {
		out[changes[i]] = changes[i+1]
	}
	return out
}

func TestScoreSelectsEachOutcome(t *testing.T) {
	fit, team := shippedAssessment(t, "fit"), shippedAssessment(t, "team")

	allPM := map[string]string{"roadmap": "me", "reporting": "vp-or-ceo", "market-research": "core", "teams": "several",
		"horizon": "quarters-years", "customer": "market", "day": "strategy", "want-more": "influence",
		"background": "business", "question": "right-thing", "success": "business", "outside-sprint": "already"}
	allPO := map[string]string{"roadmap": "handed", "reporting": "eng-or-pm", "market-research": "rarely", "teams": "one-backlog",
		"horizon": "days-weeks", "customer": "team", "day": "sprint", "want-more": "delivery",
		"background": "engineering", "question": "thing-right", "success": "sprints", "outside-sprint": "not-for-me"}
	// lean exactly 6: the lowest total that is still the PM outcome.
	pmEdge := map[string]string{"roadmap": "me", "reporting": "vp-or-ceo", "market-research": "core", "teams": "one-plus-direction",
		"horizon": "sprints-quarter", "customer": "both", "day": "split", "want-more": "both",
		"background": "business", "question": "both", "success": "both", "outside-sprint": "eager"}
	// lean exactly -6 and growth exactly 2.
	poEdge := map[string]string{"roadmap": "handed", "reporting": "mixed", "market-research": "rarely", "teams": "one-plus-direction",
		"horizon": "sprints-quarter", "customer": "both", "day": "split", "want-more": "both",
		"background": "engineering", "question": "both", "success": "both", "outside-sprint": "open"}
	// Delivery instincts with a strong appetite for strategy.
	poGrowing := map[string]string{"roadmap": "handed", "reporting": "eng-or-pm", "market-research": "want-it", "teams": "one-backlog",
		"horizon": "days-weeks", "customer": "team", "day": "sprint", "want-more": "delivery-then-influence",
		"background": "engineering", "question": "thing-right", "success": "sprints", "outside-sprint": "eager"}

	teamNone := map[string]string{"squads": "one", "backlog-time": "under-40", "strategy-signals": "none", "markets": "one-and-one",
		"company-size": "under-50-engineers", "founder": "no", "unlinked-features": "rarely"}

	cases := []struct {
		name    string
		a       *Assessment
		answers map[string]string
		want    string
		totals  map[string]int
	}{
		{"fit: every PM answer", fit, allPM, "product-manager", map[string]int{"lean": 22, "growth": 2}},
		{"fit: lean 6 is PM", fit, pmEdge, "product-manager", map[string]int{"lean": 6, "growth": 3}},
		{"fit: lean 5 is balanced", fit, with(pmEdge, "background", "other"), "pm-who-operates-like-po", map[string]int{"lean": 5, "growth": 3}},
		{"fit: lean -5 is balanced", fit, with(poEdge, "background", "other"), "pm-who-operates-like-po", map[string]int{"lean": -5, "growth": 2}},
		{"fit: lean -6, growth 2 is PO", fit, poEdge, "product-owner", map[string]int{"lean": -6, "growth": 2}},
		{"fit: lean -6, growth 3 is PO ready for PM", fit, with(poEdge, "outside-sprint", "eager"), "po-ready-for-pm", map[string]int{"lean": -6, "growth": 3}},
		{"fit: every PO answer", fit, allPO, "product-owner", map[string]int{"lean": -22, "growth": 0}},
		{"fit: PO who wants to grow", fit, poGrowing, "po-ready-for-pm", map[string]int{"lean": -19, "growth": 5}},

		{"team: nothing to split", team, teamNone, "one-person", map[string]int{"split": 0}},
		{"team: small startup", team, with(teamNone, "company-size", "under-20-people"), "one-person", map[string]int{"split": -3}},
		{"team: 2 is still one person", team, with(teamNone, "company-size", "larger"), "one-person", map[string]int{"split": 2}},
		{"team: 3 is watch", team, with(teamNone, "unlinked-features", "often"), "watch", map[string]int{"split": 3}},
		{"team: 40-60% of time is watch", team, with(teamNone, "backlog-time", "from-40-to-60"), "watch", map[string]int{"split": 4}},
		{"team: 5 is watch", team, with(teamNone, "squads", "two", "backlog-time", "from-40-to-60"), "watch", map[string]int{"split": 5}},
		{"team: three squads split", team, with(teamNone, "squads", "three-plus"), "split-now", map[string]int{"split": 6}},
		{"team: over 60% splits", team, with(teamNone, "backlog-time", "over-60"), "split-now", map[string]int{"split": 6}},
		{"team: all strategy signals split", team, with(teamNone, "strategy-signals", "all-three"), "split-now", map[string]int{"split": 6}},
		{"team: several markets split", team, with(teamNone, "markets", "several-markets"), "split-now", map[string]int{"split": 6}},
		{"team: three squads in a startup under 20 is watch", team, with(teamNone, "squads", "three-plus", "company-size", "under-20-people"), "watch", map[string]int{"split": 3}},
		{"team: everything", team, map[string]string{"squads": "three-plus", "backlog-time": "over-60", "strategy-signals": "all-three",
			"markets": "several-markets", "company-size": "larger", "founder": "yes", "unlinked-features": "often"}, "split-now", map[string]int{"split": 31}},
	}
	covered := map[string]bool{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := c.a.Score(answersOf(t, c.a, c.answers))
			if err != nil {
				t.Fatalf("Score: %v", err)
			}
			if res.Outcome.ID != c.want {
				t.Errorf("outcome = %s (totals %v), want %s", res.Outcome.ID, res.Totals, c.want)
			}
			for f, v := range c.totals {
				if res.Totals[f] != v {
					t.Errorf("total %s = %d, want %d", f, res.Totals[f], v)
				}
			}
			covered[c.a.ID+":"+c.want] = true
		})
	}
	for _, a := range []*Assessment{fit, team} {
		for _, o := range a.Outcomes {
			if !covered[a.ID+":"+o.ID] {
				t.Errorf("no case selects %s:%s", a.ID, o.ID)
			}
		}
	}
}

// Every answer set of both shipped assessments selects exactly one outcome,
// and the result adds up.
func TestScoreEveryAnswerSet(t *testing.T) {
	for _, id := range []string{"fit", "team"} {
		t.Run(id, func(t *testing.T) {
			a := shippedAssessment(t, id)
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
	a := shippedAssessment(t, "team")
	for name, ans := range map[string]Answers{
		"empty":          {},
		"one missing":    {"squads": "one", "backlog-time": "under-40", "strategy-signals": "none", "markets": "one-and-one", "company-size": "larger", "founder": "no"},
		"unknown option": {"squads": "four", "backlog-time": "under-40", "strategy-signals": "none", "markets": "one-and-one", "company-size": "larger", "founder": "no", "unlinked-features": "often"},
	} {
		t.Run(name, func(t *testing.T) {
			res, err := a.Score(ans)
			var ie *InputError
			if res != nil || !errors.As(err, &ie) {
				t.Errorf("Score = %v, %v; want an *InputError", res, err)
			}
		})
	}
}

func TestParseAnswers(t *testing.T) {
	a := shippedAssessment(t, "fit")
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
	t.Run("empty value counts as missing", func(t *testing.T) {
		v := url.Values{"roadmap": {""}, "reporting": {"mixed"}}
		ans, missing, err := a.ParseAnswers(v)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := ans["roadmap"]; ok || ans["reporting"] != "mixed" {
			t.Errorf("answers = %v", ans)
		}
		if len(missing) != len(a.Questions)-1 || missing[0].ID != "roadmap" {
			t.Errorf("missing = %v", order(missing))
		}
	})

	long := strings.Repeat("x", 5000)
	for _, c := range []struct {
		name, query string
		shows       string // the quoted value the message must show, if any
		hides       string // a part of the submitted value the message must not repeat
	}{
		{name: "unknown question", query: "roadmap=me&colour=blue", shows: `"colour"`},
		{name: "unknown option", query: "roadmap=maybe", shows: `"maybe"`},
		{name: "repeated field", query: "roadmap=me&roadmap=handed"},
		{name: "repeated empty field", query: "roadmap=&roadmap="},
		{name: "long unknown question", query: long + "=1", shows: fmt.Sprintf("%q", long[:40]+"…"), hides: long[:41]},
		{name: "long unknown option", query: "roadmap=" + long, shows: fmt.Sprintf("%q", long[:40]+"…"), hides: long[:41]},
		{name: "markup in a value", query: "roadmap=" + url.QueryEscape(`"><script>alert(1)</script>`), shows: `"\"><script>alert(1)</script>"`},
		{name: "control characters", query: "roadmap=a%0Ab%00c", shows: `"a\nb\x00c"`, hides: "a\nb"},
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
		v := url.Values{"roadmap": {strings.Repeat("€", 14)}}
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
	a := shippedAssessment(t, "fit")
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
	for _, id := range []string{"fit", "team"} {
		t.Run(id, func(t *testing.T) {
			a := shippedAssessment(t, id)
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
