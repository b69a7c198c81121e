package content

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// The structured parts of the mini guide: small but complete, using every
// field, so that a mutation of any of them is caught.
const (
	miniDecisionsFile = miniDir + "/decisions.yaml"
	miniWeekFile      = miniDir + "/week.yaml"
	miniHiringFile    = miniDir + "/hiring.yaml"
)

const miniDecisionsYAML = `title: Who decides
intro: |
  Who holds each call. See [the scope row](/compare/mini#row-scope).
caption: Who decides, by setup
parties:
  - id: makers
    name: The makers
setups:
  - id: split
    name: Two people
  - id: one
    name: One person
    note: One person holds both roles.
decisions:
  - id: plan
    name: The plan
    note: What the plan covers.
    setups:
      split:
        decides: [alpha]
        consults: [beta, makers]
        text: Alpha *sets* it.
        sources: [src-one]
      one:
        decides: [alpha, beta]
        text: The one person sets it.
        reading: true
  - id: tasks
    name: The tasks
    setups:
      split:
        decides: [makers]
        text: The makers plan their tasks.
        sources: [src-one]
      one:
        decides: [makers]
        text: Still the makers.
        sources: [src-one]
`

const miniWeekYAML = `title: A week of both
intro: |
  One product, one team.
caption: The week, day by day
days:
  - id: monday
    name: Monday
    roles:
      alpha: [Talks to customers, Reads the numbers]
      beta: [Plans the sprint]
    together: Both meet at *planning*.
  - id: friday
    name: Friday
    roles:
      alpha: [Writes the update]
      beta: [Reviews the work]
sources: [src-one]
`

const miniHiringYAML = `title: Hiring for each role
intro: |
  Titles mislead.
signals_caption: What the posting says
signals:
  - id: owns-plan
    says: You will own the plan
    role: alpha
    why: Owning the plan is *Alpha* work.
  - id: writes-stories
    says: You will write the stories
    role: beta
    why: Stories are Beta work.
interviews:
  - role: alpha
    questions:
      - id: plan-you-dropped
        ask: Which plan did you drop?
        strong: A reason rooted in *outcomes*.
  - role: beta
    questions:
      - id: backlog-order
        ask: How do you order a backlog?
        strong: Value first, then risk.
sources: [src-one]
`

// partsGuide is the mini guide with its three structured parts placed in
// its second article.
func partsGuide(t testing.TB) fstest.MapFS {
	m := miniGuide()
	m[miniDecisionsFile] = &fstest.MapFile{Data: []byte(miniDecisionsYAML)}
	m[miniWeekFile] = &fstest.MapFile{Data: []byte(miniWeekYAML)}
	m[miniHiringFile] = &fstest.MapFile{Data: []byte(miniHiringYAML)}
	edit(t, m, miniOtherFile, "{{tools}}\n", "{{tools}}\n\nSee [who plans](#decide-plan), [Monday](#week-monday) and [the plan question](#ask-plan-you-dropped).\n\n{{decisions}}\n\n{{week}}\n\n{{hiring}}\n")
	return m
}

func TestPartsLoad(t *testing.T) {
	site := mustLoad(t, partsGuide(t))
	g := site.Guide(miniSlug)
	a := g.Article("other")

	d := g.Decisions
	if d == nil || len(d.Setups) != 2 || len(d.Decisions) != 2 {
		t.Fatalf("decisions = %+v, want 2 setups and 2 decisions", d)
	}
	plan := d.Decisions[0]
	if plan.Anchor() != "decide-plan" || len(plan.Cells) != len(d.Setups) {
		t.Fatalf("first decision = %+v", plan)
	}
	split, one := plan.Cells[0], plan.Cells[1]
	if len(split.Decides) != 1 || split.Decides[0].Role != g.Role("alpha") {
		t.Errorf("split cell decides %+v, want the role alpha", split.Decides)
	}
	if len(split.Consults) != 2 || split.Consults[1].Name != "The makers" || split.Consults[1].Role != nil {
		t.Errorf("split cell consults %+v, want beta and the makers", split.Consults)
	}
	if !strings.Contains(string(split.Text), "<em>sets</em>") {
		t.Errorf("cell text is not rendered Markdown: %q", split.Text)
	}
	if len(split.Cite.Sources) != 1 || split.Cite.Reading || !one.Cite.Reading || len(one.Cite.Sources) != 0 {
		t.Errorf("citations: split %+v, one %+v", split.Cite, one.Cite)
	}

	w := g.Week
	if w == nil || len(w.Days) != 2 || len(w.Days[0].Roles) != len(g.Roles) || len(w.Days[0].Roles[0]) != 2 {
		t.Fatalf("week = %+v", w)
	}
	if !strings.Contains(string(w.Days[0].Together), "<em>planning</em>") || w.Days[1].Together != "" {
		t.Errorf("together notes: %q, %q", w.Days[0].Together, w.Days[1].Together)
	}

	h := g.Hiring
	if h == nil || len(h.Signals) != 2 || h.Signals[0].Role != g.Role("alpha") || len(h.Interviews) != len(g.Roles) {
		t.Fatalf("hiring = %+v", h)
	}
	for i, iv := range h.Interviews {
		if iv.Role != g.Roles[i] || len(iv.Questions) == 0 {
			t.Errorf("interview %d is for %v with %d questions, want role %s first-to-last", i, iv.Role, len(iv.Questions), g.Roles[i].ID)
		}
	}

	// The article places the three parts: blocks, contents entries titled
	// from the files, and every row id on the page.
	var kinds []BlockKind
	for _, b := range a.Blocks {
		if b.Kind != BlockHTML {
			kinds = append(kinds, b.Kind)
		}
	}
	want := []BlockKind{BlockProfiles, BlockTools, BlockDecisions, BlockWeek, BlockHiring}
	if fmt.Sprint(kinds) != fmt.Sprint(want) {
		t.Errorf("placed parts %v, want %v", kinds, want)
	}
	toc := map[string]string{}
	for _, e := range a.TOC {
		toc[e.ID] = e.Text
	}
	for id, text := range map[string]string{IDDecisions: d.Title, IDWeek: w.Title, IDHiring: h.Title} {
		if toc[id] != text {
			t.Errorf("contents entry #%s = %q, want the file's title %q", id, toc[id], text)
		}
	}
	for _, id := range []string{"decisions", "decide-plan", "decide-tasks", "week", "week-monday", "week-friday",
		"hiring", "signal-owns-plan", "signal-writes-stories", "ask-plan-you-dropped", "ask-backlog-order"} {
		if !a.IDs[id] {
			t.Errorf("article %s does not carry id %q", a.Slug, id)
		}
	}
	// The parts count towards reading time.
	before := mustLoad(t, miniGuide()).Guide(miniSlug).Article("other").ReadingMinutes
	if a.ReadingMinutes < before {
		t.Errorf("reading time fell from %d to %d minutes after placing three parts", before, a.ReadingMinutes)
	}
}

// The parts are optional: a guide without their files loads, and placing a
// directive whose file is absent is a defect on that line.
func TestPartDirectiveWithoutFile(t *testing.T) {
	for _, file := range []string{miniDecisionsFile, miniWeekFile, miniHiringFile} {
		m := partsGuide(t)
		delete(m, file)
		name := strings.TrimSuffix(file[len(miniDir)+1:], ".yaml")
		es := loadErrors(t, m)
		want := fmt.Sprintf("%s:%d: directive {{%s}}: this guide has no %s.yaml", miniOtherFile, lineWith(t, fileText(t, m, miniOtherFile), "{{"+name+"}}"), name, name)
		if len(es) == 0 || !strings.HasPrefix(es[0].Error(), want) {
			t.Errorf("without %s: got\n%v\nwant a defect starting with\n%s", file, es, want)
		}
	}
}

// TestPartDefects mutates one structured part at a time and checks the
// single defect it causes, located at file:line.
func TestPartDefects(t *testing.T) {
	cases := []struct {
		name, file, old, new, at, msg string
	}{
		{"cell without source or reading", miniDecisionsFile,
			"        text: Still the makers.\n        sources: [src-one]\n", "        text: Still the makers.\n",
			"      one:\n        decides: [makers]\n        text: Still", `decision "tasks", setup "one": say where it comes from`},
		{"cell with sources and reading", miniDecisionsFile,
			"        text: The makers plan their tasks.\n", "        text: The makers plan their tasks.\n        reading: true\n",
			"reading: true\n        sources: [src-one]", `decision "tasks", setup "split": it has sources and is also marked "reading: true"`},
		{"unknown party", miniDecisionsFile, "consults: [beta, makers]", "consults: [beta, testers]",
			"consults: [beta, testers]", `unknown party "testers" (use a role id or a party listed under parties: alpha, beta, makers)`},
		{"missing setup cell", miniDecisionsFile,
			"      one:\n        decides: [makers]\n        text: Still the makers.\n        sources: [src-one]\n", "",
			"    setups:\n      split:\n        decides: [makers]", `decision "tasks": nothing for setup "one"`},
		{"unknown setup", miniDecisionsFile, "        text: Still the makers.\n", "        text: Still the makers.\n        sources: [src-one]\n      uno:\n        decides: [makers]\n        text: Who knows.\n",
			"uno:", `decision "tasks": unknown setup "uno"`},
		{"nobody decides", miniDecisionsFile, "        decides: [makers]\n        text: The makers plan", "        text: The makers plan",
			"      split:\n        text: The makers plan", `decision "tasks", setup "split": missing required list "decides"`},
		{"party named like a role", miniDecisionsFile, "  - id: makers\n    name: The makers", "  - id: makers\n    name: The makers\n  - id: beta\n    name: Beta again",
			"  - id: beta", `party "beta" is already one of the guide's roles`},
		{"unknown source in a cell", miniDecisionsFile, "        text: Alpha *sets* it.\n        sources: [src-one]", "        text: Alpha *sets* it.\n        sources: [src-two]",
			"sources: [src-two]", `unknown source "src-two"`},
		{"typo in decisions.yaml", miniDecisionsFile, "caption: Who decides, by setup", "captoin: Who decides, by setup",
			"captoin:", `unknown field "captoin"`},
		{"day without a role", miniWeekFile, "      beta: [Reviews the work]\n", "",
			"      alpha: [Writes the update]", `day "friday": nothing for role "beta"`},
		{"day with an unknown role", miniWeekFile, "      beta: [Reviews the work]", "      beta: [Reviews the work]\n      gamma: [Watches]",
			"gamma:", `day "friday": unknown role "gamma"`},
		{"duplicate day", miniWeekFile, "  - id: friday", "  - id: monday",
			"  - id: monday\n    name: Friday", `duplicate day id "monday"`},
		{"broken link in a week", miniWeekFile, "Both meet at *planning*.", "Both meet at [planning](#week-sunday).",
			"[planning]", `link "#week-sunday": this text appears on several pages`},
		{"signal for an unknown role", miniHiringFile, "    role: beta\n    why: Stories", "    role: gamma\n    why: Stories",
			"role: gamma", `unknown role "gamma"`},
		{"role without interview questions", miniHiringFile,
			"  - role: beta\n    questions:\n      - id: backlog-order\n        ask: How do you order a backlog?\n        strong: Value first, then risk.\n", "",
			"interviews:", `no interview questions for role "beta"`},
		{"question without a strong answer", miniHiringFile, "        strong: Value first, then risk.\n", "",
			"      - id: backlog-order", `missing required field "strong"`},
		{"question id used twice", miniHiringFile, "      - id: backlog-order", "      - id: plan-you-dropped",
			"      - id: plan-you-dropped\n        ask: How do you order", `duplicate question id "plan-you-dropped"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := partsGuide(t)
			edit(t, m, c.file, c.old, c.new)
			src := fileText(t, m, c.file)
			i := strings.Index(src, c.at)
			if i < 0 {
				t.Fatalf("marker %q not in the mutated file:\n%s", c.at, src)
			}
			line := strings.Count(src[:i], "\n") + 1
			want := fmt.Sprintf("%s:%d: %s", c.file, line, c.msg)
			es := loadErrors(t, m)
			if len(es) != 1 || !strings.HasPrefix(es[0].Error(), want) {
				t.Errorf("got %d defects:\n%v\nwant exactly one, starting with\n%s", len(es), es, want)
			}
		})
	}
}

// A heading cannot take the id of a part the article places, nor a row's.
func TestPartIDsAreReserved(t *testing.T) {
	for _, id := range []string{"decisions", "decide-plan", "week-monday", "signal-owns-plan", "ask-backlog-order"} {
		m := partsGuide(t)
		edit(t, m, miniOtherFile, "## Details {#details}", "## Details {#details}\n\n## Taken {#"+id+"}")
		es := loadErrors(t, m)
		want := fmt.Sprintf("%s:%d: heading id %q", miniOtherFile, lineWith(t, fileText(t, m, miniOtherFile), "{#"+id+"}"), id)
		if len(es) == 0 || !strings.HasPrefix(es[0].Error(), want) {
			t.Errorf("heading {#%s}: got\n%v\nwant a defect starting with %s", id, es, want)
		}
	}
}

// A heading right before a part's directive doubles the part's own heading,
// which comes from its file's title.
func TestHeadingBeforePart(t *testing.T) {
	m := partsGuide(t)
	edit(t, m, miniOtherFile, "\n\n{{week}}\n", "\n\n## The week {#the-week}\n\n{{week}}\n")
	es := loadErrors(t, m)
	want := fmt.Sprintf(`%s:%d: the heading "The week" stands right before {{week}}, which brings its own heading "A week of both"`,
		miniOtherFile, lineWith(t, fileText(t, m, miniOtherFile), "{#the-week}"))
	if len(es) != 1 || !strings.HasPrefix(es[0].Error(), want) {
		t.Errorf("got\n%v\nwant one defect starting with\n%s", es, want)
	}
}
