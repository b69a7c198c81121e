package content

import (
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Assessment is a questionnaire whose answers add points to factors; the
// factor totals select exactly one outcome.
type Assessment struct {
	file        string // where it was defined, for defects found later
	Guide       *Guide
	ID          string
	Title       string
	Description string
	Intro       template.HTML
	Minutes     int
	Factors     []*Factor
	// Scales are the bars the result page draws, one per measured axis;
	// Scale is the first of them.
	Scales    []Scale
	Scale     Scale
	Questions []*Question
	Outcomes  []*Outcome
	// Personas are example answer sets with the outcome an expert expects;
	// the loader scores each one, so a weight change that moves a persona
	// is a content defect rather than a silent change of advice.
	Personas []*Persona
}

// URL is the path of the assessment's form.
func (a *Assessment) URL() string { return a.Guide.URL() + "/" + a.ID }

// ResultURL is the path of its result pages (answers go in the query).
func (a *Assessment) ResultURL() string { return a.URL() + "/result" }

// Question returns the question with the given id, or nil.
func (a *Assessment) Question(id string) *Question {
	for _, q := range a.Questions {
		if q.ID == id {
			return q
		}
	}
	return nil
}

// Outcome returns the outcome with the given id, or nil.
func (a *Assessment) Outcome(id string) *Outcome {
	for _, o := range a.Outcomes {
		if o.ID == id {
			return o
		}
	}
	return nil
}

// Factor is something the answers score, such as the lean towards a role.
type Factor struct {
	ID    string
	Label string
	// Axis groups factors that measure the same thing (for example the work
	// done today, or what a person wants). A question may move factors of one
	// axis only, so that a preference can never pass for a fact.
	Axis string
	// Min and Max are the lowest and highest totals any answer set can reach.
	Min, Max int
}

// Scale says which factor the result page draws as a bar, and how its ends read.
type Scale struct {
	Factor *Factor
	Low    string
	High   string
}

// Question is one question of an assessment.
type Question struct {
	ID     string
	Prompt string
	Help   string
	// Section, when set, is a heading shown above this question: it starts
	// a new part of the form (for example "What you want").
	Section string
	Basis   Ref
	Options []*Option
	// Assumed is the id of the option that a result link made before this
	// question was added stands for, or "": such a link then still shows a
	// result instead of asking again.
	Assumed string
}

// Anchor is the fieldset's fragment id on the form, which the error summary links to.
func (q *Question) Anchor() string { return "q-" + q.ID }

// Option returns the option with the given id, or nil.
func (q *Question) Option(id string) *Option {
	for _, o := range q.Options {
		if o.ID == id {
			return o
		}
	}
	return nil
}

// Option is one possible answer.
type Option struct {
	ID      string
	Label   string
	Weights map[string]int
	// Note is shown on the result page when the option was chosen: advice
	// that depends on one answer rather than on the totals (inline HTML).
	Note template.HTML
}

// Persona is a named example answer set and the outcome it must select.
type Persona struct {
	ID      string
	Name    string
	Answers Answers
	Expect  *Outcome
	Why     string
}

// Outcome is one possible result.
type Outcome struct {
	ID          string
	Title       string
	Summary     string
	Explanation template.HTML
	NextSteps   []template.HTML
	Links       []Ref
	When        map[string]Range
}

// Range is an inclusive interval of factor totals; a nil end is open.
type Range struct {
	Min *int `yaml:"min"`
	Max *int `yaml:"max"`
}

func (r Range) contains(v int) bool {
	return (r.Min == nil || v >= *r.Min) && (r.Max == nil || v <= *r.Max)
}

// Matches reports whether totals satisfy every condition of the outcome.
func (o *Outcome) Matches(totals map[string]int) bool {
	for f, r := range o.When {
		if !r.contains(totals[f]) {
			return false
		}
	}
	return true
}

type rawAssessment struct {
	Title       string        `yaml:"title"`
	Description string        `yaml:"description"`
	Intro       string        `yaml:"intro"`
	Minutes     int           `yaml:"minutes"`
	Factors     []rawFactor   `yaml:"factors"`
	Scale       *rawScale     `yaml:"scale"`
	Scales      []rawScale    `yaml:"scales"`
	Questions   []rawQuestion `yaml:"questions"`
	Outcomes    []rawOutcome  `yaml:"outcomes"`
	Personas    []rawPersona  `yaml:"personas"`
}

type rawFactor struct {
	ID    string `yaml:"id"`
	Label string `yaml:"label"`
	Axis  string `yaml:"axis"`
}

type rawPersona struct {
	ID      string            `yaml:"id"`
	Name    string            `yaml:"name"`
	Answers map[string]string `yaml:"answers"`
	Expect  string            `yaml:"expect"`
	Why     string            `yaml:"why"`
}

type rawScale struct {
	Factor string `yaml:"factor"`
	Low    string `yaml:"low"`
	High   string `yaml:"high"`
}

type rawQuestion struct {
	ID      string      `yaml:"id"`
	Section string      `yaml:"section"`
	Prompt  string      `yaml:"prompt"`
	Help    string      `yaml:"help"`
	Basis   string      `yaml:"basis"`
	Options []rawOption `yaml:"options"`
	Assumed string      `yaml:"assumed"`
}

type rawOption struct {
	ID      string         `yaml:"id"`
	Label   string         `yaml:"label"`
	Weights map[string]int `yaml:"weights"`
	Note    string         `yaml:"note"`
}

type rawOutcome struct {
	ID          string           `yaml:"id"`
	Title       string           `yaml:"title"`
	Summary     string           `yaml:"summary"`
	Explanation string           `yaml:"explanation"`
	NextSteps   []string         `yaml:"next_steps"`
	Links       []string         `yaml:"links"`
	When        map[string]Range `yaml:"when"`
}

func (l *loader) loadAssessments(dir string, g *Guide) {
	entries, err := fs.ReadDir(l.fsys, dir+"/assessments")
	if err != nil {
		return // assessments are optional
	}
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if !strings.HasSuffix(e.Name(), ".yaml") {
			l.c.add(dir+"/assessments/"+e.Name(), 0, "only files ending in .yaml are read in assessments/: rename it (for example fit.yml to fit.yaml) or move it out")
			continue
		}
		if a := l.loadAssessment(dir+"/assessments/"+e.Name(), g); a != nil {
			g.Assessments = append(g.Assessments, a)
		}
	}
}

// maxOptionsPerQuestion keeps forms usable and permalink decoding cheap.
const maxOptionsPerQuestion = 8

func (l *loader) loadAssessment(file string, g *Guide) *Assessment {
	src, ok := l.readFile(file, true)
	if !ok {
		return nil
	}
	var ra rawAssessment
	doc, ok := decodeYAML(&l.c, file, src, 0, &ra)
	if !ok {
		return nil
	}
	id := strings.TrimSuffix(path.Base(file), ".yaml")
	if !validID(id) {
		l.c.add(file, 0, "file name %q is not a valid id: use only a-z, 0-9 and hyphens", id)
	}
	if reservedSlugs[id] && id != "fit" && id != "team" {
		l.c.add(file, 0, "%q cannot be an assessment id: the guide uses that path for another page", id)
	}
	a := &Assessment{file: file, Guide: g, ID: id,
		Title:       l.required(doc, ra.Title, "title"),
		Description: l.required(doc, ra.Description, "description"),
		Intro:       l.block(doc, ra.Intro, "intro"),
		Minutes:     ra.Minutes,
	}
	if ra.Minutes < 1 {
		l.c.add(file, doc.line("minutes"), "minutes: give the time the assessment takes, in whole minutes")
	}
	seen := map[string]int{}
	for i, rf := range ra.Factors {
		if l.checkID(doc, rf.ID, "factor", seen, "factors", i) {
			a.Factors = append(a.Factors, &Factor{ID: rf.ID, Label: l.required(doc, rf.Label, "factors", i, "label"), Axis: plain(rf.Axis)})
		}
	}
	if len(ra.Factors) == 0 {
		l.c.add(file, doc.line("factors"), "missing required list \"factors\"")
	}
	factor := func(id string) *Factor {
		for _, f := range a.Factors {
			if f.ID == id {
				return f
			}
		}
		return nil
	}
	// One bar (scale) or several (scales), never both.
	scales := [][]any{}
	switch {
	case ra.Scale != nil && ra.Scales != nil:
		l.c.add(file, doc.line("scales"), "give either \"scale\" (one bar) or \"scales\" (a list of bars), not both")
	case ra.Scale != nil:
		ra.Scales = []rawScale{*ra.Scale}
		scales = append(scales, []any{"scale"})
	case len(ra.Scales) == 0:
		l.c.add(file, doc.line(), "missing required field \"scale\" (the bar the result page draws)")
	default:
		for i := range ra.Scales {
			scales = append(scales, []any{"scales", i})
		}
	}
	for i, at := range scales {
		rs := ra.Scales[i]
		sc := Scale{Factor: factor(rs.Factor),
			Low:  l.required(doc, rs.Low, append(at, "low")...),
			High: l.required(doc, rs.High, append(at, "high")...)}
		if sc.Factor == nil {
			l.c.add(file, doc.line(append(at, "factor")...), "scale: unknown factor %q", rs.Factor)
		}
		a.Scales = append(a.Scales, sc)
	}
	if len(a.Scales) > 0 {
		a.Scale = a.Scales[0]
	}

	if len(ra.Questions) == 0 {
		l.c.add(file, doc.line("questions"), "missing required list \"questions\"")
	}
	seenQ := map[string]int{}
	for i, rq := range ra.Questions {
		if !l.checkID(doc, rq.ID, "question", seenQ, "questions", i) {
			continue
		}
		q := &Question{ID: rq.ID, Prompt: l.required(doc, rq.Prompt, "questions", i, "prompt"), Help: plain(rq.Help), Section: plain(rq.Section)}
		if rq.Basis == "" {
			l.c.add(file, doc.line("questions", i), "question %q: missing required field \"basis\": name the part of the guide it is grounded in", rq.ID)
		} else {
			l.refs = append(l.refs, pendingRef{file: file, line: doc.line("questions", i, "basis"), raw: rq.Basis, guide: g,
				set: func(r Ref) { q.Basis = r }})
		}
		if len(rq.Options) < 2 || len(rq.Options) > maxOptionsPerQuestion {
			l.c.add(file, doc.line("questions", i, "options"), "question %q: give 2 to %d options (found %d)", rq.ID, maxOptionsPerQuestion, len(rq.Options))
		}
		seenO := map[string]int{}
		for j, ro := range rq.Options {
			if !l.checkID(doc, ro.ID, "option", seenO, "questions", i, "options", j) {
				continue
			}
			for f := range ro.Weights {
				if factor(f) == nil {
					l.c.add(file, doc.line("questions", i, "options", j, "weights", f), "option %q: unknown factor %q", ro.ID, f)
				}
			}
			o := &Option{ID: ro.ID, Label: l.required(doc, ro.Label, "questions", i, "options", j, "label"), Weights: ro.Weights}
			if strings.TrimSpace(ro.Note) != "" {
				o.Note = l.inline(doc, ro.Note, "questions", i, "options", j, "note")
			}
			q.Options = append(q.Options, o)
		}
		if rq.Assumed != "" {
			if q.Option(rq.Assumed) == nil {
				l.c.add(file, doc.line("questions", i, "assumed"), "question %q: assumed: %q is not one of its options; name the option that links made before this question was added stand for", rq.ID, rq.Assumed)
			} else {
				q.Assumed = rq.Assumed
			}
		}
		l.checkOneAxis(doc, q, i, factor)
		a.Questions = append(a.Questions, q)
	}
	// The reachable range of each factor, for the result bar and for editors.
	for _, f := range a.Factors {
		for _, q := range a.Questions {
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
			f.Min += lo
			f.Max += hi
		}
	}

	seenOut := map[string]int{}
	for i, ro := range ra.Outcomes {
		if !l.checkID(doc, ro.ID, "outcome", seenOut, "outcomes", i) {
			continue
		}
		at := func(f string) []any { return []any{"outcomes", i, f} }
		o := &Outcome{ID: ro.ID,
			Title:       l.required(doc, ro.Title, at("title")...),
			Summary:     l.required(doc, ro.Summary, at("summary")...),
			Explanation: l.block(doc, ro.Explanation, at("explanation")...),
			When:        ro.When,
		}
		if strings.TrimSpace(ro.Explanation) == "" {
			l.c.add(file, doc.line(at("explanation")...), "outcome %q: missing required field \"explanation\"", ro.ID)
		}
		if len(ro.When) == 0 {
			l.c.add(file, doc.line(at("when")...), "outcome %q: missing required field \"when\" (the factor ranges that select it)", ro.ID)
		}
		for f, r := range ro.When {
			if factor(f) == nil {
				l.c.add(file, doc.line("outcomes", i, "when", f), "outcome %q: unknown factor %q", ro.ID, f)
			}
			if r.Min != nil && r.Max != nil && *r.Min > *r.Max {
				l.c.add(file, doc.line("outcomes", i, "when", f), "outcome %q: min %d is above max %d", ro.ID, *r.Min, *r.Max)
			}
		}
		for j, s := range ro.NextSteps {
			o.NextSteps = append(o.NextSteps, l.inline(doc, s, "outcomes", i, "next_steps", j))
		}
		o.Links = make([]Ref, len(ro.Links))
		for j, raw := range ro.Links {
			l.refs = append(l.refs, pendingRef{file: file, line: doc.line("outcomes", i, "links", j), raw: raw, guide: g,
				set: func(r Ref) { o.Links[j] = r }})
		}
		a.Outcomes = append(a.Outcomes, o)
	}
	if len(ra.Outcomes) == 0 {
		l.c.add(file, doc.line("outcomes"), "missing required list \"outcomes\"")
	} else if msg := l.outcomes.check(a); msg != "" {
		l.c.add(file, doc.line("outcomes"), "%s: every possible answer set must select exactly one outcome", msg)
	} else {
		l.loadPersonas(doc, a, ra.Personas)
	}
	return a
}

// checkOneAxis reports a question whose options move factors of more than
// one axis: an answer about what someone wants must not count as a fact
// about their work, nor the other way round.
func (l *loader) checkOneAxis(doc *yamlDoc, q *Question, i int, factor func(string) *Factor) {
	axes := map[string]string{} // axis -> first factor seen on it
	var order []string
	for _, o := range q.Options {
		for _, f := range sortedKeys(o.Weights) {
			fa := factor(f)
			if fa == nil || fa.Axis == "" || o.Weights[f] == 0 {
				continue
			}
			if _, ok := axes[fa.Axis]; !ok {
				axes[fa.Axis] = f
				order = append(order, fa.Axis)
			}
		}
	}
	if len(order) > 1 {
		var parts []string
		for _, ax := range order {
			parts = append(parts, fmt.Sprintf("%q (axis %s)", axes[ax], ax))
		}
		l.c.add(doc.file, doc.line("questions", i, "options"), "question %q moves %s: one question should measure one axis, so split it into two questions", q.ID, strings.Join(parts, " and "))
	}
}

// loadPersonas checks the example answer sets: each names real questions and
// options, answers every question, and selects the outcome it expects. When
// there are personas, every outcome needs one, so that no outcome is left
// without an example an editor has thought through.
func (l *loader) loadPersonas(doc *yamlDoc, a *Assessment, raws []rawPersona) {
	seen := map[string]int{}
	covered := map[*Outcome]bool{}
	for i, rp := range raws {
		if !l.checkID(doc, rp.ID, "persona", seen, "personas", i) {
			continue
		}
		p := &Persona{ID: rp.ID, Name: l.required(doc, rp.Name, "personas", i, "name"),
			Why: l.required(doc, rp.Why, "personas", i, "why"), Answers: Answers{}}
		ok := true
		for _, qid := range sortedKeys(rp.Answers) {
			oid := rp.Answers[qid]
			at := doc.line("personas", i, "answers", qid)
			q := a.Question(qid)
			switch {
			case q == nil:
				l.c.add(doc.file, at, "persona %q answers %q, but there is no such question", rp.ID, qid)
				ok = false
			case q.Option(oid) == nil:
				l.c.add(doc.file, at, "persona %q answers %s=%s, but question %q has no option %q (it has %s)", rp.ID, qid, oid, qid, oid, optionIDs(q))
				ok = false
			default:
				p.Answers[qid] = oid
			}
		}
		var unanswered []string
		for _, q := range a.Questions {
			if _, given := rp.Answers[q.ID]; !given {
				unanswered = append(unanswered, q.ID)
			}
		}
		if len(unanswered) > 0 {
			l.c.add(doc.file, doc.line("personas", i, "answers"), "persona %q leaves %s unanswered: a persona answers every question", rp.ID, strings.Join(unanswered, ", "))
			ok = false
		}
		if rp.Expect == "" {
			l.c.add(doc.file, doc.line("personas", i), "persona %q: missing required field \"expect\" (the outcome it should get)", rp.ID)
			ok = false
		} else if p.Expect = a.Outcome(rp.Expect); p.Expect == nil {
			l.c.add(doc.file, doc.line("personas", i, "expect"), "persona %q expects outcome %q, but there is no such outcome", rp.ID, rp.Expect)
			ok = false
		}
		if ok {
			covered[p.Expect] = true
			if res, err := a.Score(p.Answers); err != nil {
				l.c.add(doc.file, doc.line("personas", i), "persona %q cannot be scored: %v", rp.ID, err)
			} else if res.Outcome != p.Expect {
				l.c.add(doc.file, doc.line("personas", i, "expect"), "persona %q expects %q, but its answers select %q (%s): change the weights or thresholds back, or update the persona if the new result is right",
					rp.ID, p.Expect.ID, res.Outcome.ID, totalsText(a, res.Totals))
			}
		}
		a.Personas = append(a.Personas, p)
	}
	if len(raws) == 0 {
		return
	}
	for i, o := range a.Outcomes {
		if !covered[o] {
			l.c.add(doc.file, doc.line("outcomes", i, "id"), "outcome %q: no persona expects it: add an example answer set under personas", o.ID)
		}
	}
}

// totalsText lists factor totals in the order the file declares them.
func totalsText(a *Assessment, totals map[string]int) string {
	var parts []string
	for _, f := range a.Factors {
		parts = append(parts, fmt.Sprintf("%s %d", f.ID, totals[f.ID]))
	}
	return strings.Join(parts, ", ")
}

func optionIDs(q *Question) string {
	var ids []string
	for _, o := range q.Options {
		ids = append(ids, o.ID)
	}
	return strings.Join(ids, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
