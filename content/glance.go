package content

import "strings"

// maxGlanceRows keeps the short table short: it is read on the first
// screen of the guide's page, above the fold on a phone.
const maxGlanceRows = 8

// loadGlance reads the optional "glance" list of comparison.yaml: the short
// table that answers "what is the difference?" at a glance. Each row gives
// every role a value of a few words and may name the full comparison row
// it summarises, which the views link to.
func (l *loader) loadGlance(doc *yamlDoc, g *Guide, rows []rawGlance) {
	if len(rows) > maxGlanceRows {
		l.c.add(doc.file, doc.line("glance", maxGlanceRows), "the short table (\"glance\") has %d rows; keep it to %d at most, and leave the rest to the full comparison", len(rows), maxGlanceRows)
	}
	words := 0
	for i, r := range rows {
		row := &GlanceRow{Label: l.required(doc, r.Label, "glance", i, "label")}
		if r.Row != "" {
			for _, d := range g.Comparison.Dimensions {
				if d.ID == r.Row {
					row.Dimension = d
				}
			}
			if row.Dimension == nil {
				l.c.add(doc.file, doc.line("glance", i, "row"), "short-table row %d: there is no comparison row %q to link to (the rows are: %s)", i+1, r.Row, dimensionIDs(g))
			}
		}
		for _, role := range g.Roles {
			v, ok := r.Values[role.ID]
			if !ok || strings.TrimSpace(v) == "" {
				l.c.add(doc.file, doc.line("glance", i, "values"), "short-table row %d (%q): no value for role %q", i+1, r.Label, role.ID)
			}
			row.Values = append(row.Values, plain(v))
		}
		for id := range r.Values {
			if g.Role(id) == nil && !l.unreadFile(g, "/guide.yaml") {
				l.c.add(doc.file, doc.line("glance", i, "values", id), "short-table row %d (%q): unknown role %q (guide.yaml defines: %s)", i+1, r.Label, id, g.roleIDs())
			}
		}
		words += wordCount(row.Label) + wordCount(row.Values...)
		g.Comparison.Glance = append(g.Comparison.Glance, row)
	}
	l.words[g][BlockGlance] = words
}

// dimensionIDs lists the guide's comparison row ids for a message.
func dimensionIDs(g *Guide) string {
	ids := make([]string, 0, len(g.Comparison.Dimensions))
	for _, d := range g.Comparison.Dimensions {
		ids = append(ids, d.ID)
	}
	return strings.Join(ids, ", ")
}
