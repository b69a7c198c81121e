package content

import (
	"html/template"
	"io/fs"
	"path"
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
	Scale       Scale
	Questions   []*Question
	Outcomes    []*Outcome
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
	ID      string
	Prompt  string
	Help    string
	Basis   Ref
	Options []*Option
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
	Scale       rawScale      `yaml:"scale"`
	Questions   []rawQuestion `yaml:"questions"`
	Outcomes    []rawOutcome  `yaml:"outcomes"`
}

type rawFactor struct {
	ID    string `yaml:"id"`
	Label string `yaml:"label"`
}

type rawScale struct {
	Factor string `yaml:"factor"`
	Low    string `yaml:"low"`
	High   string `yaml:"high"`
}

type rawQuestion struct {
	ID      string      `yaml:"id"`
	Prompt  string      `yaml:"prompt"`
	Help    string      `yaml:"help"`
	Basis   string      `yaml:"basis"`
	Options []rawOption `yaml:"options"`
}

type rawOption struct {
	ID      string         `yaml:"id"`
	Label   string         `yaml:"label"`
	Weights map[string]int `yaml:"weights"`
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
			a.Factors = append(a.Factors, &Factor{ID: rf.ID, Label: l.required(doc, rf.Label, "factors", i, "label")})
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
	if a.Scale.Factor = factor(ra.Scale.Factor); a.Scale.Factor == nil {
		l.c.add(file, doc.line("scale", "factor"), "scale: unknown factor %q", ra.Scale.Factor)
	}
	a.Scale.Low = l.required(doc, ra.Scale.Low, "scale", "low")
	a.Scale.High = l.required(doc, ra.Scale.High, "scale", "high")

	if len(ra.Questions) == 0 {
		l.c.add(file, doc.line("questions"), "missing required list \"questions\"")
	}
	seenQ := map[string]int{}
	for i, rq := range ra.Questions {
		if !l.checkID(doc, rq.ID, "question", seenQ, "questions", i) {
			continue
		}
		q := &Question{ID: rq.ID, Prompt: l.required(doc, rq.Prompt, "questions", i, "prompt"), Help: plain(rq.Help)}
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
			q.Options = append(q.Options, &Option{ID: ro.ID, Label: l.required(doc, ro.Label, "questions", i, "options", j, "label"), Weights: ro.Weights})
		}
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
	} else if msg := checkOutcomes(a); msg != "" {
		l.c.add(file, doc.line("outcomes"), "%s: every possible answer set must select exactly one outcome", msg)
	}
	return a
}
