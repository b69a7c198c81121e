package views

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/pmvspo/site/content"
)

// scalePosition is where the scale factor's total falls, from 0 (low end) to 1.
func scalePosition(sc content.Scale, r *content.Result) float64 {
	f := sc.Factor
	if f.Max == f.Min {
		return 0.5
	}
	return float64(r.Totals[f.ID]-f.Min) / float64(f.Max-f.Min)
}

// The bar runs from x=barStart to x=barStart+barWidth of a 400-wide view box,
// leaving room for the marker's radius at both ends.
const barStart, barWidth = 10.0, 380.0

func scaleX(sc content.Scale, r *content.Result) string {
	return strconv.FormatFloat(barStart+scalePosition(sc, r)*barWidth, 'f', 1, 64)
}

// band is one stretch of the bar where the outcome stays the same.
type band struct{ Class, X, W string }

// scaleBands splits the bar at the thresholds: the low end in the low
// colour, the high end in the high colour, anything between neutral.
func scaleBands(a *content.Assessment, sc content.Scale) []band {
	f := sc.Factor
	edges := []float64{barStart}
	for _, t := range thresholds(a, sc) {
		edges = append(edges, barStart+(float64(t)-0.5-float64(f.Min))/float64(max(f.Max-f.Min, 1))*barWidth)
	}
	edges = append(edges, barStart+barWidth)
	var out []band
	for i := 0; i+1 < len(edges); i++ {
		class := "scale-between"
		switch {
		case i == 0:
			class = "scale-low"
		case i == len(edges)-2:
			class = "scale-high"
		}
		out = append(out, band{Class: class,
			X: strconv.FormatFloat(edges[i], 'f', 1, 64), W: strconv.FormatFloat(edges[i+1]-edges[i], 'f', 1, 64)})
	}
	return out
}

// refKinds says how a reference of each kind is named: as a link of its
// own ("Side by side: Backlog") and as the place a question comes from
// ("In the comparison: Backlog"). Other kinds are named by their label and
// are "in the guide".
var refKinds = map[string]struct{ prefix, place string }{
	"row": {"Side by side: ", "the comparison"},
	"faq": {"FAQ: ", "the FAQ"},
}

// refLabel names a reference by what it is and what it is called.
func refLabel(r content.Ref) string { return refKinds[r.Kind].prefix + r.Label }

// basisLabel names where in the guide a question comes from, for the
// result's breakdown.
func basisLabel(r content.Ref) string {
	place := refKinds[r.Kind].place
	if place == "" {
		place = "the guide"
	}
	// No-break spaces keep "In the comparison:" on one line: a lone "In"
	// at the end of a line was seen on a phone.
	return strings.ReplaceAll("In "+place+":", " ", "\u00a0") + " " + r.Label
}

// thresholds are the scores on the scale where the outcome can change: the
// lower ends of the outcomes' ranges on the scale's factor.
func thresholds(a *content.Assessment, sc content.Scale) []int {
	f := sc.Factor
	seen := map[int]bool{}
	var out []int
	for _, o := range a.Outcomes {
		if r, ok := o.When[f.ID]; ok && r.Min != nil && *r.Min > f.Min && *r.Min <= f.Max && !seen[*r.Min] {
			seen[*r.Min] = true
			out = append(out, *r.Min)
		}
	}
	sort.Ints(out)
	return out
}

// thresholdX places a threshold tick between the score below it and its own.
func thresholdX(sc content.Scale, t int) string {
	f := sc.Factor
	if f.Max == f.Min {
		return "200"
	}
	return strconv.FormatFloat(barStart-1+(float64(t)-0.5-float64(f.Min))/float64(f.Max-f.Min)*barWidth, 'f', 1, 64)
}

// scaleText is the text equivalent of the bar: what it measures, the score,
// the scale's ends, and which other score would change this reader's result.
func scaleText(a *content.Assessment, sc content.Scale, r *content.Result) string {
	f := sc.Factor
	out := fmt.Sprintf("%s: your answers score %s on a scale from %s (%s) to %s (%s).",
		f.Label, signed(r.Totals[f.ID]), signed(f.Min), sc.Low, signed(f.Max), sc.High)
	cs := changesAlong(a, sc, r)
	if len(cs) == 0 {
		if len(a.Outcomes) > 1 {
			out += " With your other answers as they are, no score on this scale would change the result."
		}
		return out
	}
	var parts []string
	for i, c := range cs {
		if i == 0 {
			parts = append(parts, "a score of "+signed(c.score)+" would change the result to “"+c.outcome.Title+"”")
		} else {
			parts = append(parts, signed(c.score)+" to “"+c.outcome.Title+"”")
		}
	}
	return out + " With your other answers as they are, " + joinAnd(parts) + "."
}

// change is another result a reader would get with a different score on one
// scale: the score nearest to theirs that gives it.
type change struct {
	score   int
	outcome *content.Outcome
}

// changesAlong tries every score the scale's factor can reach, the other
// totals staying as the reader's are, and lists each other outcome one of
// them selects, at the score nearest to the reader's, nearest first.
func changesAlong(a *content.Assessment, sc content.Scale, r *content.Result) []change {
	f := sc.Factor
	cur := r.Totals[f.ID]
	totals := maps.Clone(r.Totals)
	nearest := map[*content.Outcome]int{}
	var order []*content.Outcome
	for s := f.Min; s <= f.Max; s++ {
		totals[f.ID] = s
		for _, o := range a.Outcomes {
			if o == r.Outcome || !o.Matches(totals) {
				continue
			}
			if best, ok := nearest[o]; !ok {
				nearest[o] = s
				order = append(order, o)
			} else if abs(s-cur) < abs(best-cur) {
				nearest[o] = s
			}
		}
	}
	out := make([]change, 0, len(order))
	for _, o := range order {
		out = append(out, change{score: nearest[o], outcome: o})
	}
	sort.SliceStable(out, func(i, j int) bool { return abs(out[i].score-cur) < abs(out[j].score-cur) })
	return out
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

func signed(n int) string {
	switch {
	case n > 0:
		return "+" + strconv.Itoa(n)
	case n < 0:
		return "−" + strconv.Itoa(-n)
	}
	return "0"
}

// effectText says which way one answer pointed.
func effectText(a *content.Assessment, o *content.Option) string {
	var parts []string
	for _, f := range a.Factors {
		w := o.Weights[f.ID]
		if w == 0 {
			continue
		}
		sc, drawn := scaleOf(a, f)
		switch {
		// A distance, not a signed score: "+2 toward" the scale's low end
		// read as a contradiction where that end counts as negative.
		case drawn && w > 0:
			parts = append(parts, plural(w, "point", "points")+" toward "+sc.High)
		case drawn:
			parts = append(parts, plural(-w, "point", "points")+" toward "+sc.Low)
		default:
			// A factor without a bar is a count the outcomes read ("answers
			// close to the line"), not a score: say what it adds to.
			parts = append(parts, countText(w, f.Label))
		}
	}
	if len(parts) == 0 {
		return "No effect on the score"
	}
	return "Effect: " + strings.Join(parts, "; ")
}

// questionNumber is q's number on the form, counting from 1.
func questionNumber(a *content.Assessment, q *content.Question) int {
	return slices.Index(a.Questions, q) + 1
}

// count is the total of a factor that has no bar, for the result page:
// the breakdown says what answers add to it, so the page shows what it
// came to.
type count struct {
	Label string
	N     int
}

// counts are the totals of the factors without a bar that the answers
// moved, in the assessment's order.
func counts(a *content.Assessment, r *content.Result) []count {
	var out []count
	for _, f := range a.Factors {
		if _, drawn := scaleOf(a, f); drawn || r.Totals[f.ID] == 0 {
			continue
		}
		out = append(out, count{f.Label, r.Totals[f.ID]})
	}
	return out
}

// countText says what one answer adds to (or takes from) a counted factor.
func countText(w int, label string) string {
	if w < 0 {
		return fmt.Sprintf("takes %d from “%s”", -w, label)
	}
	return fmt.Sprintf("adds %d to “%s”", w, label)
}

// scaleOf returns the bar that draws factor f, if there is one.
func scaleOf(a *content.Assessment, f *content.Factor) (content.Scale, bool) {
	for _, sc := range a.Scales {
		if sc.Factor == f {
			return sc, true
		}
	}
	return content.Scale{}, false
}

// answerNotes are the notes of the options a result's answers chose, in
// question order: advice that depends on one answer, not on the totals.
func answerNotes(r *content.Result) []templ.Component {
	var out []templ.Component
	for _, c := range r.Breakdown {
		if c.Option.Note != "" {
			out = append(out, markdown(c.Option.Note))
		}
	}
	return out
}
