package views

import "github.com/pmvspo/site/content"

// movedHeading is the heading of an article's "Moved" note.
const movedHeading = "Looking for something that was here?"

// movedWhat names a moved part in a sentence of the "Moved" note: "The
// answer to “Can one person be both?”", "The row “Pay”".
func movedWhat(m *content.MovedAnchor) string {
	switch m.Kind {
	case "faq":
		return "The answer to \u201c" + m.Label + "\u201d"
	case "row":
		return "The row \u201c" + m.Label + "\u201d"
	case "profile":
		return "The " + m.Label
	default:
		return "The section \u201c" + m.Label + "\u201d"
	}
}
