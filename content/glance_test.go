package content

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// miniGlance is a valid short table for the mini guide's comparison.
const miniGlance = `glance:
  - label: Reach
    row: scope
    values:
      alpha: Wide
      beta: Narrow
  - label: Plans
    values:
      alpha: Years
      beta: Weeks
`

func withGlance(t *testing.T, m fstest.MapFS, glance string) {
	t.Helper()
	m[miniCmpFile].Data = append(m[miniCmpFile].Data, glance...)
}

// The short table loads in order, each value in the guide's role order,
// linked to the row it names, and {{glance}} places it with no heading or
// TOC entry of its own.
func TestGlanceLoads(t *testing.T) {
	m := miniGuide()
	withGlance(t, m, miniGlance)
	edit(t, m, miniMainFile, "{{comparison}}", "{{glance}}\n\n{{comparison}}")
	s := mustLoad(t, m)
	g := s.Guides[0]
	rows := g.Comparison.Glance
	if len(rows) != 2 || rows[0].Label != "Reach" || rows[1].Label != "Plans" {
		t.Fatalf("glance rows = %+v, want Reach then Plans", rows)
	}
	if rows[0].Dimension == nil || rows[0].Dimension.ID != "scope" || rows[1].Dimension != nil {
		t.Errorf("row links: %v, %v; want scope, then none", rows[0].Dimension, rows[1].Dimension)
	}
	if strings.Join(rows[1].Values, "|") != "Years|Weeks" {
		t.Errorf("values %q, want the roles' order Years|Weeks", rows[1].Values)
	}
	var art *Article
	for _, a := range g.Articles {
		if a.Slug == "main" {
			art = a
		}
	}
	placed := false
	for _, b := range art.Blocks {
		placed = placed || b.Kind == BlockGlance
	}
	if !placed {
		t.Error("{{glance}} did not place the short table")
	}
	for _, e := range art.TOC {
		if e.ID == "" {
			t.Errorf("the short table added an empty TOC entry: %+v", art.TOC)
		}
	}
}

func TestGlanceDefects(t *testing.T) {
	cases := []struct {
		name, glance, at, msg string
		nth                   int // which line with the marker, from 1; 0: the only one
		article               func(*testing.T, fstest.MapFS)
	}{
		{name: "unknown row", glance: strings.Replace(miniGlance, "row: scope", "row: reach", 1),
			at: "row: reach", msg: `short-table row 1: there is no comparison row "reach" to link to (the rows are: scope, horizon)`},
		{name: "missing value", glance: strings.Replace(miniGlance, "      beta: Weeks\n", "", 1),
			at: "alpha: Years", nth: 2, msg: `short-table row 2 ("Plans"): no value for role "beta"`},
		{name: "unknown role", glance: strings.Replace(miniGlance, "      beta: Weeks\n", "      beta: Weeks\n      gamma: Days\n", 1),
			at: "gamma: Days", msg: `short-table row 2 ("Plans"): unknown role "gamma" (guide.yaml defines: alpha, beta)`},
		{name: "missing label", glance: strings.Replace(miniGlance, "  - label: Plans\n", "  - label: \"\"\n", 1),
			at: `label: ""`, msg: `missing required field "label"`},
		{name: "too many rows", glance: miniGlance + strings.Repeat("  - label: More\n    values: {alpha: A, beta: B}\n", maxGlanceRows-1),
			at: "  - label: More", nth: maxGlanceRows - 1, msg: fmt.Sprintf(`the short table ("glance") has %d rows; keep it to %d at most`, maxGlanceRows+1, maxGlanceRows)},
		{name: "placed without rows", glance: "",
			article: func(t *testing.T, m fstest.MapFS) {
				edit(t, m, miniMainFile, "{{comparison}}", "{{glance}}\n\n{{comparison}}")
			},
			at: "{{glance}}", msg: `directive {{glance}}: this guide has no short table to show (add a "glance" list to comparison.yaml, or remove the line)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := miniGuide()
			withGlance(t, m, c.glance)
			file := miniCmpFile
			if c.article != nil {
				c.article(t, m)
				file = miniMainFile
			}
			es := loadErrors(t, m)
			src := fileText(t, m, file)
			want := fmt.Sprintf("%s:%d: %s", file, lineWithNth(t, src, c.at, c.nth), c.msg)
			if len(es) != 1 || !strings.HasPrefix(es[0].Error(), want) {
				t.Errorf("want exactly one defect starting with\n\t%s\ngot:\n%v", want, es)
			}
		})
	}
}
