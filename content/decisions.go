package content

import (
	"html/template"
	"strconv"
)

// Decisions is "who decides what": for each product decision (vision,
// roadmap, the Product Backlog's order, the Sprint Backlog…), who holds it
// under each way of staffing the roles, such as a PM and a PO as two people
// or one person holding both.
type Decisions struct {
	Title   string
	Intro   template.HTML
	Caption string
	// Setups are the table's columns: the ways the roles can be staffed.
	Setups []*Setup
	// Parties is everyone who can hold a decision: the guide's roles
	// first, then the other parties the file names.
	Parties   []*Party
	Decisions []*Decision
}

// Setup is one way of staffing the roles, a column of the decisions table.
type Setup struct {
	ID   string
	Name string
	Note string
}

// Decision is one row: a decision and who holds it under each setup.
type Decision struct {
	ID   string
	Name string
	Note string
	// Cells holds one cell per setup, in the order of Decisions.Setups.
	Cells []*DecisionCell
}

// Anchor is the row's fragment id.
func (d *Decision) Anchor() string { return decisionPrefix + d.ID }

// DecisionCell is who decides one thing under one setup.
type DecisionCell struct {
	Decides []*Party
	// Consults is who gives input without holding the decision.
	Consults []*Party
	Text     template.HTML // inline Markdown
	Cite     Citation
}

type rawDecisions struct {
	Title     string             `yaml:"title"`
	Intro     string             `yaml:"intro"`
	Caption   string             `yaml:"caption"`
	Parties   []rawParty         `yaml:"parties"`
	Setups    []rawSetup         `yaml:"setups"`
	Decisions []rawDecisionEntry `yaml:"decisions"`
}

type rawParty struct {
	ID   string `yaml:"id"`
	Name string `yaml:"name"`
}

type rawSetup struct {
	ID   string `yaml:"id"`
	Name string `yaml:"name"`
	Note string `yaml:"note"`
}

type rawDecisionEntry struct {
	ID    string                     `yaml:"id"`
	Name  string                     `yaml:"name"`
	Note  string                     `yaml:"note"`
	Cells map[string]rawDecisionCell `yaml:"setups"`
}

type rawDecisionCell struct {
	Decides  []string `yaml:"decides"`
	Consults []string `yaml:"consults"`
	Text     string   `yaml:"text"`
	Sources  []string `yaml:"sources"`
	Reading  bool     `yaml:"reading"`
}

// Party returns the party with the given id, or nil.
func (d *Decisions) Party(id string) *Party {
	for _, p := range d.Parties {
		if p.ID == id {
			return p
		}
	}
	return nil
}

func (d *Decisions) partyIDs() string {
	ids := ""
	for i, p := range d.Parties {
		if i > 0 {
			ids += ", "
		}
		ids += p.ID
	}
	return ids
}

func (l *loader) loadDecisions(dir string, g *Guide) {
	file := dir + "/decisions.yaml"
	src, ok := l.readFile(file, false)
	if !ok {
		return
	}
	// The file exists: from here on a defect in it is reported as such, not
	// also as a {{decisions}} directive with nothing to show.
	g.Decisions = &Decisions{}
	var rd rawDecisions
	doc, ok := decodeYAML(&l.c, file, src, 0, &rd)
	if !ok {
		return
	}
	d := &Decisions{
		Title:   l.required(doc, rd.Title, "title"),
		Intro:   l.optionalBlock(doc, rd.Intro, "intro"),
		Caption: l.required(doc, rd.Caption, "caption"),
	}
	for _, r := range g.Roles {
		d.Parties = append(d.Parties, &Party{ID: r.ID, Name: r.Short, Role: r})
	}
	seenParty := map[string]int{}
	for i, p := range rd.Parties {
		if g.Role(p.ID) != nil {
			l.c.add(file, doc.line("parties", i, "id"), "party %q is already one of the guide's roles: roles can decide without being listed under parties", p.ID)
			continue
		}
		if !l.checkID(doc, p.ID, "party", seenParty, "parties", i) {
			continue
		}
		d.Parties = append(d.Parties, &Party{ID: p.ID, Name: l.required(doc, p.Name, "parties", i, "name")})
	}
	if len(rd.Setups) == 0 {
		l.c.add(file, doc.line("setups"), "missing required list \"setups\": name at least one way of staffing the roles (a column of the table)")
	}
	seenSetup := map[string]int{}
	for i, s := range rd.Setups {
		if !l.checkID(doc, s.ID, "setup", seenSetup, "setups", i) {
			continue
		}
		d.Setups = append(d.Setups, &Setup{ID: s.ID, Name: l.required(doc, s.Name, "setups", i, "name"), Note: plain(s.Note)})
	}
	if len(rd.Decisions) == 0 {
		l.c.add(file, doc.line("decisions"), "missing required list \"decisions\"")
	}
	seen := map[string]int{}
	words := wordCount(d.Title, d.Caption) + partWords(string(d.Intro))
	for i, r := range rd.Decisions {
		if !l.checkID(doc, r.ID, "decision", seen, "decisions", i) {
			continue
		}
		dec := &Decision{ID: r.ID, Name: l.required(doc, r.Name, "decisions", i, "name"), Note: plain(r.Note)}
		for _, s := range d.Setups {
			rc, ok := r.Cells[s.ID]
			if !ok {
				l.c.add(file, doc.keyLine("decisions", i, "setups"), "decision %q: nothing for setup %q (every setup needs a cell: %s)", r.ID, s.ID, setupIDs(d.Setups))
				dec.Cells = append(dec.Cells, &DecisionCell{})
				continue
			}
			at := []any{"decisions", i, "setups", s.ID}
			cell := &DecisionCell{
				Decides:  l.parties(doc, g, d, rc.Decides, append(at, "decides")...),
				Consults: l.parties(doc, g, d, rc.Consults, append(at, "consults")...),
				Text:     l.inline(doc, rc.Text, append(at, "text")...),
				Cite:     l.citation(doc, g, rc.Sources, rc.Reading, "decision "+strconv.Quote(r.ID)+", setup "+strconv.Quote(s.ID), at...),
			}
			if len(rc.Decides) == 0 {
				l.c.add(file, doc.keyLine(at...), "decision %q, setup %q: missing required list \"decides\": name who holds the decision", r.ID, s.ID)
			}
			words += partWords(string(cell.Text)) + len(cell.Decides) + len(cell.Consults)
			dec.Cells = append(dec.Cells, cell)
		}
		for id := range r.Cells {
			if seenSetup[id] == 0 {
				l.c.add(file, doc.keyLine("decisions", i, "setups", id), "decision %q: unknown setup %q (the file defines: %s)", r.ID, id, setupIDs(d.Setups))
			}
		}
		words += wordCount(dec.Name, dec.Note)
		d.Decisions = append(d.Decisions, dec)
	}
	g.Decisions = d
	l.words[g][BlockDecisions] = words
}

// parties resolves a list of party ids.
func (l *loader) parties(doc *yamlDoc, g *Guide, d *Decisions, ids []string, path ...any) []*Party {
	var out []*Party
	for i, id := range ids {
		p := d.Party(id)
		if p == nil {
			if l.unreadFile(g, "/guide.yaml") {
				continue // its roles are unknown: guide.yaml's own error says why
			}
			l.c.add(doc.file, doc.line(append(path, i)...), "unknown party %q (use a role id or a party listed under parties: %s)", id, d.partyIDs())
			continue
		}
		out = append(out, p)
	}
	return out
}

func setupIDs(ss []*Setup) string {
	ids := ""
	for i, s := range ss {
		if i > 0 {
			ids += ", "
		}
		ids += s.ID
	}
	return ids
}
