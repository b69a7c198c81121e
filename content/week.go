package content

import (
	"html/template"
	"strconv"
)

// Week is one working week of every role on the same product, side by
// side: a row per day (or part of a week), a column per role, and where the
// roles' days meet.
type Week struct {
	Title   string
	Intro   template.HTML
	Caption string
	Days    []*WeekDay
	Sources []*Source
}

// WeekDay is one row of the week.
type WeekDay struct {
	ID   string
	Name string
	// Roles holds what each role does that day, in the order of Guide.Roles.
	Roles [][]template.HTML
	// Together, when set, is where the roles' days meet; it describes the
	// whole row.
	Together template.HTML
}

// Anchor is the row's fragment id.
func (d *WeekDay) Anchor() string { return weekPrefix + d.ID }

type rawWeek struct {
	Title   string       `yaml:"title"`
	Intro   string       `yaml:"intro"`
	Caption string       `yaml:"caption"`
	Days    []rawWeekDay `yaml:"days"`
	Sources []string     `yaml:"sources"`
}

type rawWeekDay struct {
	ID       string              `yaml:"id"`
	Name     string              `yaml:"name"`
	Roles    map[string][]string `yaml:"roles"`
	Together string              `yaml:"together"`
}

func (l *loader) loadWeek(dir string, g *Guide) {
	file := dir + "/week.yaml"
	src, ok := l.readFile(file, false)
	if !ok {
		return
	}
	g.Week = &Week{} // the file exists; see loadDecisions
	var rw rawWeek
	doc, ok := decodeYAML(&l.c, file, src, 0, &rw)
	if !ok {
		return
	}
	w := &Week{
		Title:   l.required(doc, rw.Title, "title"),
		Intro:   l.optionalBlock(doc, rw.Intro, "intro"),
		Caption: l.required(doc, rw.Caption, "caption"),
		Sources: l.sourceRefs(doc, g, rw.Sources, "sources"),
	}
	if len(rw.Days) == 0 {
		l.c.add(file, doc.line("days"), "missing required list \"days\"")
	}
	seen := map[string]int{}
	words := wordCount(w.Title, w.Caption) + partWords(string(w.Intro))
	for i, r := range rw.Days {
		if !l.checkID(doc, r.ID, "day", seen, "days", i) {
			continue
		}
		day := &WeekDay{ID: r.ID, Name: l.required(doc, r.Name, "days", i, "name")}
		for j, items := range roleValues(l, doc, g, r.Roles, "day "+strconv.Quote(r.ID), "days", i, "roles") {
			if items == nil { // reported by roleValues
				day.Roles = append(day.Roles, nil)
				continue
			}
			day.Roles = append(day.Roles, l.inlineList(doc, items, "days", i, "roles", g.Roles[j].ID))
		}
		if r.Together != "" {
			day.Together = l.inline(doc, r.Together, "days", i, "together")
		}
		words += wordCount(day.Name) + partWords(string(day.Together))
		for _, items := range day.Roles {
			for _, it := range items {
				words += partWords(string(it))
			}
		}
		w.Days = append(w.Days, day)
	}
	g.Week = w
	l.words[g][BlockWeek] = words
}
