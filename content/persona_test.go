package content

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// miniPersonas are example answer sets for the mini guide's assessment, one
// per outcome.
const miniPersonas = `personas:
  - id: alpha-person
    name: Plans far ahead and works wide
    expect: alpha-fit
    why: Both answers point to Alpha.
    answers: {horizon: far, scope: wide}
  - id: mixed-person
    name: Plans far ahead but works narrow
    expect: balanced
    why: One answer points each way.
    answers: {horizon: far, scope: narrow}
  - id: beta-person
    name: Plans near and works narrow
    expect: beta-fit
    why: Both answers point to Beta.
    answers: {horizon: near, scope: narrow}
`

// miniWithPersonas is the mini guide with personas added to its assessment.
func miniWithPersonas(t *testing.T) fstest.MapFS {
	t.Helper()
	m := miniGuide()
	m[miniFitFile] = &fstest.MapFile{Data: []byte(fileText(t, m, miniFitFile) + miniPersonas)}
	return m
}

func TestPersonasLoad(t *testing.T) {
	site := mustLoad(t, miniWithPersonas(t))
	a := site.Guide(miniSlug).Assessment("fit")
	if len(a.Personas) != 3 {
		t.Fatalf("loaded %d personas, want 3", len(a.Personas))
	}
	for _, p := range a.Personas {
		res, err := a.Score(p.Answers)
		if err != nil {
			t.Fatalf("persona %s: %v", p.ID, err)
		}
		if p.Expect == nil || res.Outcome != p.Expect {
			t.Errorf("persona %s: Score selects %s, the loaded persona expects %v", p.ID, res.Outcome.ID, p.Expect)
		}
		if p.Name == "" || p.Why == "" {
			t.Errorf("persona %s lost its name or why: %+v", p.ID, p)
		}
	}
}

// Each defect in a persona, or a weight change that moves one, is reported at
// the line an editor has to look at.
func TestPersonaDefects(t *testing.T) {
	cases := []defect{
		{name: "a changed weight moves two personas",
			mutate: replaceIn(miniFitFile, "label: Far\n        weights: {lean: 1}", "label: Far\n        weights: {lean: -1}"),
			file:   miniFitFile, at: "expect: alpha-fit",
			msg:   `persona "alpha-person" expects "alpha-fit", but its answers select "balanced" (lean 0)`,
			count: 2},
		{name: "a changed threshold moves a persona",
			mutate: replaceIn(miniFitFile, "when: {lean: {min: 1}}", "when: {lean: {min: 3}}"),
			// The threshold also leaves totals 1 and 2 uncovered, which the outcome check reports
			// first; personas are only scored once every answer set selects one outcome.
			file: miniFitFile, at: "- id: alpha-fit", msg: "no outcome covers the totals lean=2"},
		{name: "unknown question",
			mutate: replaceIn(miniFitFile, "answers: {horizon: far, scope: wide}", "answers: {horizon: far, scoep: wide}"),
			file:   miniFitFile, at: "scoep: wide", msg: `persona "alpha-person" answers "scoep", but there is no such question`,
			count: 3}, // and scope is unanswered, and alpha-fit has no persona left
		{name: "unknown option",
			mutate: replaceIn(miniFitFile, "answers: {horizon: far, scope: wide}", "answers: {horizon: far, scope: wdie}"),
			file:   miniFitFile, at: "scope: wdie", msg: `persona "alpha-person" answers scope=wdie, but question "scope" has no option "wdie" (it has wide, narrow)`,
			count: 2},
		{name: "unanswered question",
			mutate: replaceIn(miniFitFile, "answers: {horizon: far, scope: wide}", "answers: {horizon: far}"),
			file:   miniFitFile, at: "answers: {horizon: far}", msg: `persona "alpha-person" leaves scope unanswered`,
			count: 2},
		{name: "unknown expected outcome",
			mutate: replaceIn(miniFitFile, "expect: alpha-fit", "expect: alpha-fits"),
			file:   miniFitFile, at: "expect: alpha-fits", msg: `persona "alpha-person" expects outcome "alpha-fits", but there is no such outcome`,
			count: 2},
		{name: "missing expect",
			mutate: replaceIn(miniFitFile, "    expect: alpha-fit\n", ""),
			file:   miniFitFile, at: "- id: alpha-person", msg: `persona "alpha-person": missing required field "expect"`,
			count: 2},
		{name: "missing why",
			mutate: replaceIn(miniFitFile, "    why: Both answers point to Alpha.\n", ""),
			file:   miniFitFile, at: "- id: alpha-person", msg: `missing required field "why"`},
		{name: "duplicate persona id",
			mutate: replaceIn(miniFitFile, "- id: beta-person", "- id: alpha-person"),
			file:   miniFitFile, at: "- id: alpha-person", nth: 2, msg: `duplicate persona id "alpha-person"`,
			count: 2},
		{name: "an outcome without a persona",
			mutate: replaceIn(miniFitFile, "expect: beta-fit", "expect: balanced"),
			file:   miniFitFile, at: "- id: beta-fit", msg: `outcome "beta-fit": no persona expects it`,
			count: 2}, // and beta-person now gets beta-fit, not balanced
		{name: "a question moving two axes",
			mutate: func(t *testing.T, m fstest.MapFS) {
				edit(t, m, miniFitFile, "  - id: lean\n    label: Lean toward Alpha\n",
					"  - id: lean\n    axis: today\n    label: Lean toward Alpha\n  - id: wish\n    axis: wants\n    label: Wish for Alpha\n")
				edit(t, m, miniFitFile, "label: Wide\n        weights: {lean: 1}", "label: Wide\n        weights: {lean: 1, wish: 1}")
			},
			file: miniFitFile, at: "- id: wide", msg: `question "scope" moves "lean" (axis today) and "wish" (axis wants): one question should measure one axis`},
		{name: "scale and scales together",
			mutate: replaceIn(miniFitFile, "scale:\n", "scales:\n  - factor: lean\n    low: B\n    high: A\nscale:\n"),
			file:   miniFitFile, at: "- factor: lean", msg: `give either "scale" (one bar) or "scales" (a list of bars), not both`},
		{name: "a scale naming an unknown factor",
			mutate: replaceIn(miniFitFile, "scale:\n  factor: lean\n  low: Beta\n  high: Alpha\n", "scales:\n  - factor: lean\n    low: B\n    high: A\n  - factor: laen\n    low: B\n    high: A\n"),
			file:   miniFitFile, at: "factor: laen", msg: `scale: unknown factor "laen"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := miniWithPersonas(t)
			c.mutate(t, m)
			es := loadErrors(t, m)
			want := fmt.Sprintf("%s:%d: %s", c.file, lineWithNth(t, fileText(t, m, c.file), c.at, c.nth), c.msg)
			found := false
			for _, e := range es {
				if strings.HasPrefix(e.Error(), want) {
					found = true
				}
			}
			if !found {
				t.Errorf("no defect starts with\n\t%s\ngot:\n%v", want, es)
			}
			if n := max(c.count, 1); len(es) != n {
				t.Errorf("got %d defects, want %d:\n%v", len(es), n, es)
			}
		})
	}
}

// An option's note is rendered as inline Markdown; a second scale is loaded
// with its own factor.
func TestNotesAndScales(t *testing.T) {
	m := miniWithPersonas(t)
	edit(t, m, miniFitFile, "label: Near\n", "label: Near\n        note: Near is *fine*.\n")
	edit(t, m, miniFitFile, "scale:\n  factor: lean\n  low: Beta\n  high: Alpha\n",
		"scales:\n  - factor: lean\n    low: Beta\n    high: Alpha\n  - factor: lean\n    low: Less\n    high: More\n")
	a := mustLoad(t, m).Guide(miniSlug).Assessment("fit")
	if got := a.Question("horizon").Option("near").Note; got != "Near is <em>fine</em>." {
		t.Errorf("note = %q", got)
	}
	if a.Question("horizon").Option("far").Note != "" {
		t.Errorf("an option without a note has one")
	}
	if len(a.Scales) != 2 || a.Scales[1].Low != "Less" || a.Scale != a.Scales[0] {
		t.Errorf("scales = %+v, scale = %+v", a.Scales, a.Scale)
	}
}
