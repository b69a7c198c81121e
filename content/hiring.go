package content

import (
	"html/template"
	"strconv"
)

// Hiring helps a reader tell the roles apart where titles mislead: the
// signals in a job description that show which role it really is, and a
// few interview questions per role with what a strong answer shows.
type Hiring struct {
	Title          string
	Intro          template.HTML
	SignalsCaption string
	Signals        []*Signal
	// Interviews holds one set of questions per role, in the order of Guide.Roles.
	Interviews []*Interview
	Sources    []*Source
}

// Signal is one thing a job description says and the role it points to.
type Signal struct {
	ID   string
	Says string // what the posting says, plain text
	Role *Role
	Why  template.HTML // inline Markdown
}

// Anchor is the signal row's fragment id.
func (s *Signal) Anchor() string { return signalPrefix + s.ID }

// Interview is the questions to ask a candidate for one role.
type Interview struct {
	Role      *Role
	Questions []*InterviewQuestion
}

// InterviewQuestion is one interview question and what a strong answer shows.
type InterviewQuestion struct {
	ID     string
	Ask    string
	Strong template.HTML // inline Markdown
}

// Anchor is the question's fragment id.
func (q *InterviewQuestion) Anchor() string { return interviewPrefix + q.ID }

type rawHiring struct {
	Title          string         `yaml:"title"`
	Intro          string         `yaml:"intro"`
	SignalsCaption string         `yaml:"signals_caption"`
	Signals        []rawSignal    `yaml:"signals"`
	Interviews     []rawInterview `yaml:"interviews"`
	Sources        []string       `yaml:"sources"`
}

type rawSignal struct {
	ID   string `yaml:"id"`
	Says string `yaml:"says"`
	Role string `yaml:"role"`
	Why  string `yaml:"why"`
}

type rawInterview struct {
	Role      string                 `yaml:"role"`
	Questions []rawInterviewQuestion `yaml:"questions"`
}

type rawInterviewQuestion struct {
	ID     string `yaml:"id"`
	Ask    string `yaml:"ask"`
	Strong string `yaml:"strong"`
}

func (l *loader) loadHiring(dir string, g *Guide) {
	file := dir + "/hiring.yaml"
	src, ok := l.readFile(file, false)
	if !ok {
		return
	}
	g.Hiring = &Hiring{} // the file exists; see loadDecisions
	var rh rawHiring
	doc, ok := decodeYAML(&l.c, file, src, 0, &rh)
	if !ok {
		return
	}
	h := &Hiring{
		Title:          l.required(doc, rh.Title, "title"),
		Intro:          l.optionalBlock(doc, rh.Intro, "intro"),
		SignalsCaption: l.required(doc, rh.SignalsCaption, "signals_caption"),
		Sources:        l.sourceRefs(doc, g, rh.Sources, "sources"),
	}
	words := wordCount(h.Title, h.SignalsCaption) + partWords(string(h.Intro))
	if len(rh.Signals) == 0 {
		l.c.add(file, doc.line("signals"), "missing required list \"signals\": what in a job description shows which role it is")
	}
	seen := map[string]int{}
	for i, r := range rh.Signals {
		if !l.checkID(doc, r.ID, "signal", seen, "signals", i) {
			continue
		}
		s := &Signal{ID: r.ID,
			Says: l.required(doc, r.Says, "signals", i, "says"),
			Role: l.roleRef(doc, g, r.Role, "signals", i, "role"),
			Why:  l.inline(doc, r.Why, "signals", i, "why"),
		}
		words += wordCount(s.Says) + partWords(string(s.Why))
		h.Signals = append(h.Signals, s)
	}
	byRole := map[string]*Interview{}
	firstLine := map[string]int{}
	seenQ := map[string]int{}
	for i, r := range rh.Interviews {
		role := l.roleRef(doc, g, r.Role, "interviews", i, "role")
		if role == nil {
			continue
		}
		if prev, dup := firstLine[role.ID]; dup {
			l.c.add(file, doc.line("interviews", i, "role"), "role %q has a second set of interview questions (the first starts on line %d): merge them", role.ID, prev)
			continue
		}
		firstLine[role.ID] = doc.line("interviews", i, "role")
		if len(r.Questions) == 0 {
			l.c.add(file, doc.line("interviews", i), "role %q: missing required list \"questions\"", role.ID)
		}
		iv := &Interview{Role: role}
		for j, q := range r.Questions {
			at := []any{"interviews", i, "questions", j}
			if !l.checkID(doc, q.ID, "question", seenQ, at...) {
				continue
			}
			qq := &InterviewQuestion{ID: q.ID,
				Ask:    l.required(doc, q.Ask, append(at, "ask")...),
				Strong: l.inline(doc, q.Strong, append(at, "strong")...),
			}
			words += wordCount(qq.Ask) + partWords(string(qq.Strong))
			iv.Questions = append(iv.Questions, qq)
		}
		byRole[role.ID] = iv
	}
	for _, role := range g.Roles {
		iv, ok := byRole[role.ID]
		if !ok {
			l.c.add(file, doc.keyLine("interviews"), "no interview questions for role %q: every role in guide.yaml needs a set (roles: %s)", role.ID, g.roleIDs())
			continue
		}
		h.Interviews = append(h.Interviews, iv)
	}
	g.Hiring = h
	l.words[g][BlockHiring] = words
}

// roleRef resolves a role id.
func (l *loader) roleRef(doc *yamlDoc, g *Guide, id string, path ...any) *Role {
	if id == "" {
		l.c.add(doc.file, doc.line(path...), "missing required field %q", "role")
		return nil
	}
	r := g.Role(id)
	if r == nil && !l.unreadFile(g, "/guide.yaml") { // else guide.yaml's own error says why
		l.c.add(doc.file, doc.line(path...), "unknown role %s (guide.yaml defines: %s)", strconv.Quote(id), g.roleIDs())
	}
	return r
}
