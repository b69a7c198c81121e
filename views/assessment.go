package views

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pmvspo/site/content"
)

// scalePosition is where the scale factor's total falls, from 0 (low end) to 1.
func scalePosition(a *content.Assessment, r *content.Result) float64 {
	f := a.Scale.Factor
	if f.Max == f.Min {
		return 0.5
	}
	return float64(r.Totals[f.ID]-f.Min) / float64(f.Max-f.Min)
}

func scaleX(a *content.Assessment, r *content.Result) string {
	// Keep the marker inside the bar (radius 7 of a 400-wide view box).
	return strconv.FormatFloat(8+scalePosition(a, r)*384, 'f', 1, 64)
}

// refLabel names a reference by what it is and what it is called.
func refLabel(r content.Ref) string {
	switch r.Kind {
	case "row":
		return "Side by side: " + r.Label
	case "faq":
		return "FAQ: " + r.Label
	case "profile":
		return r.Label
	}
	return r.Label
}

// scaleText is the text equivalent of the bar.
func scaleText(a *content.Assessment, r *content.Result) string {
	f := a.Scale.Factor
	p := scalePosition(a, r)
	where := ""
	switch {
	case p >= 0.45 && p <= 0.55:
		where = "close to the middle, between " + a.Scale.Low + " and " + a.Scale.High
	case p > 0.55:
		where = fmt.Sprintf("%d%% of the way towards %s", int(p*100+0.5), a.Scale.High)
	default:
		where = fmt.Sprintf("%d%% of the way towards %s", int((1-p)*100+0.5), a.Scale.Low)
	}
	return fmt.Sprintf("Your answers score %s on a scale from %s (%s) to %s (%s): %s.",
		signed(r.Totals[f.ID]), signed(f.Min), a.Scale.Low, signed(f.Max), a.Scale.High, where)
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
		switch {
		case w == 0:
			continue
		case f == a.Scale.Factor && w > 0:
			parts = append(parts, fmt.Sprintf("%s towards %s", signed(w), a.Scale.High))
		case f == a.Scale.Factor:
			parts = append(parts, fmt.Sprintf("%s towards %s", signed(-w), a.Scale.Low))
		default:
			parts = append(parts, fmt.Sprintf("%s %s", signed(w), strings.ToLower(f.Label[:1])+f.Label[1:]))
		}
	}
	if len(parts) == 0 {
		return "Neutral: this answer points neither way"
	}
	return "Pointed " + strings.Join(parts, "; ")
}
