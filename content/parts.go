package content

import (
	"fmt"
	"html/template"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The optional structured parts of a guide beyond the comparison, the
// profiles and the FAQ: decisions.yaml ("who decides what"), week.yaml (a
// week of each role side by side) and hiring.yaml (telling the roles apart
// in a job description and an interview). Each is one YAML file in the
// guide folder, placed in an article by its directive line and rendered by
// its own component. Their rows carry stable ids like the comparison's rows.

// Section and row-id prefixes of the structured parts. The views render
// these exact ids.
const (
	IDDecisions = "decisions"
	IDWeek      = "week"
	IDHiring    = "hiring"

	decisionPrefix  = "decide-"
	weekPrefix      = "week-"
	signalPrefix    = "signal-"
	interviewPrefix = "ask-"
)

// loadParts reads the guide's optional structured parts. It runs after the
// roles and sources are known and before the articles that place them.
func (l *loader) loadParts(dir string, g *Guide) {
	l.loadDecisions(dir, g)
	l.loadWeek(dir, g)
	l.loadHiring(dir, g)
}

// Party is someone who can hold a decision: one of the guide's roles, or
// another party a decisions file names (the Developers, stakeholders).
type Party struct {
	ID   string
	Name string
	// Role is set when the party is one of the guide's roles, so that it
	// is drawn in that role's colour.
	Role *Role
}

// Citation says where a cell of a structured part comes from: the guide's
// sources, or the guide's own reading where no source says it.
type Citation struct {
	Sources []*Source
	// Reading marks the cell as the guide's own reading of its sources.
	Reading bool
}

// citation reads a cell's sources and reading flag: exactly one of them
// must be given, so every cell says where it comes from.
func (l *loader) citation(doc *yamlDoc, g *Guide, ids []string, reading bool, what string, path ...any) Citation {
	c := Citation{Sources: l.sourceRefs(doc, g, ids, append(path, "sources")...), Reading: reading}
	switch {
	case len(ids) == 0 && !reading:
		l.c.add(doc.file, doc.keyLine(path...), "%s: say where it comes from: list its sources (ids from guide.yaml: %s), or write \"reading: true\" when it is the guide's own reading", what, g.sourceIDs())
	case len(ids) > 0 && reading:
		l.c.add(doc.file, doc.line(append(path, "reading")...), "%s: it has sources and is also marked \"reading: true\": keep the sources, or remove them if it is the guide's own reading", what)
	}
	return c
}

// optionalBlock renders a Markdown field that may be empty.
func (l *loader) optionalBlock(doc *yamlDoc, s string, path ...any) template.HTML {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return l.block(doc, s, path...)
}

// inlineList renders a required list of inline Markdown items.
func (l *loader) inlineList(doc *yamlDoc, items []string, path ...any) []template.HTML {
	if len(items) == 0 {
		l.c.add(doc.file, doc.line(path...), "missing required list %q", fmt.Sprint(path[len(path)-1]))
	}
	out := make([]template.HTML, 0, len(items))
	for i, s := range items {
		out = append(out, l.inline(doc, s, append(path, i)...))
	}
	return out
}

// roleValues checks a map keyed by role id: every role of the guide has an
// entry and no other key appears. It returns the values in role order.
func roleValues[T any](l *loader, doc *yamlDoc, g *Guide, m map[string]T, what string, path ...any) []T {
	out := make([]T, 0, len(g.Roles))
	for _, r := range g.Roles {
		v, ok := m[r.ID]
		if !ok {
			l.c.add(doc.file, doc.line(path...), "%s: nothing for role %q (every role in guide.yaml needs an entry: %s)", what, r.ID, g.roleIDs())
		}
		out = append(out, v)
	}
	for id := range m {
		if g.Role(id) == nil && !l.unreadFile(g, "/guide.yaml") { // else guide.yaml's own error says why
			l.c.add(doc.file, doc.line(append(path, id)...), "%s: unknown role %q (guide.yaml defines: %s)", what, id, g.roleIDs())
		}
	}
	return out
}

// partWords counts the words of rendered or plain text, for reading time.
func partWords(ss ...string) int {
	n := 0
	for _, s := range ss {
		n += wordCount(tagless(s))
	}
	return n
}

// tagless drops the tags of a rendered HTML fragment, keeping the words.
func tagless(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
			b.WriteByte(' ')
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// partTOC is the table-of-contents entry a placed part contributes: the
// new parts take their heading from their file's title.
func partTOC(g *Guide, k BlockKind) TOCEntry {
	switch {
	case k == BlockDecisions && g.Decisions != nil:
		return TOCEntry{ID: IDDecisions, Text: g.Decisions.Title, Level: 2}
	case k == BlockWeek && g.Week != nil:
		return TOCEntry{ID: IDWeek, Text: g.Week.Title, Level: 2}
	case k == BlockHiring && g.Hiring != nil:
		return TOCEntry{ID: IDHiring, Text: g.Hiring.Title, Level: 2}
	}
	return directiveTOC[k]
}

// partMissing says why a directive cannot be placed when its file is
// absent, or returns "".
func partMissing(g *Guide, k BlockKind) string {
	switch {
	case k == BlockDecisions && g.Decisions == nil:
		return "this guide has no decisions.yaml to show (add the file to the guide folder, or remove the line)"
	case k == BlockWeek && g.Week == nil:
		return "this guide has no week.yaml to show (add the file to the guide folder, or remove the line)"
	case k == BlockHiring && g.Hiring == nil:
		return "this guide has no hiring.yaml to show (add the file to the guide folder, or remove the line)"
	case k == BlockGlance && len(g.Comparison.Glance) == 0:
		return "this guide has no short table to show (add a \"glance\" list to comparison.yaml, or remove the line)"
	}
	return ""
}

// partIDs is the ids one of the new parts puts on a page: its section and
// every row.
func partIDs(g *Guide, k BlockKind) []string {
	var ids []string
	switch {
	case k == BlockDecisions && g.Decisions != nil:
		ids = append(ids, IDDecisions)
		for _, d := range g.Decisions.Decisions {
			ids = append(ids, d.Anchor())
		}
	case k == BlockWeek && g.Week != nil:
		ids = append(ids, IDWeek)
		for _, d := range g.Week.Days {
			ids = append(ids, d.Anchor())
		}
	case k == BlockHiring && g.Hiring != nil:
		ids = append(ids, IDHiring)
		for _, s := range g.Hiring.Signals {
			ids = append(ids, s.Anchor())
		}
		for _, iv := range g.Hiring.Interviews {
			for _, q := range iv.Questions {
				ids = append(ids, q.Anchor())
			}
		}
	}
	return ids
}

// keyLine is the line of the key that path ends in, such as "setups:" for
// a missing cell under it; yamlDoc.line gives the line of a mapping's first
// entry instead, which is where a field of it belongs.
func (d *yamlDoc) keyLine(path ...any) int {
	if len(path) == 0 {
		return d.line()
	}
	key, ok := path[len(path)-1].(string)
	if !ok || d == nil || d.root == nil {
		return d.line(path...)
	}
	n := d.root
	for _, p := range path[:len(path)-1] {
		var next *yaml.Node
		switch p := p.(type) {
		case string:
			for i := 0; n.Kind == yaml.MappingNode && i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == p {
					next = n.Content[i+1]
					break
				}
			}
		case int:
			if n.Kind == yaml.SequenceNode && p < len(n.Content) {
				next = n.Content[p]
			}
		}
		if next == nil {
			return d.line(path...)
		}
		n = next
	}
	for i := 0; n.Kind == yaml.MappingNode && i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i].Line + d.offset
		}
	}
	return d.line(path...)
}
