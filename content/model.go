// Package content loads the site's guides from an fs.FS, validates them and
// turns them into a typed, fully rendered model.
//
// A guide is one folder under guides/: guide.yaml (title, roles with their
// profiles, sources), comparison.yaml (the dimensions compared side by side),
// faq.yaml (questions with Markdown answers), articles/*.md (Markdown with
// YAML front matter) and optionally assessments/*.yaml. Everything is parsed,
// rendered and cross-checked once by Load; any defect is reported as
// "file:line: what is wrong" so that an editor can fix it without reading Go.
//
// The model is the single source of truth: the table, the FAQ, the profiles
// and the assessments on every page are rendered from these structs.
package content

import (
	"html/template"
	"time"
)

// Site is every guide, in display order.
type Site struct {
	Guides []*Guide
	byslug map[string]*Guide
	links  []Link
}

// Guide returns the guide with the given slug, or nil.
func (s *Site) Guide(slug string) *Guide { return s.byslug[slug] }

// Guide is one comparison guide and everything that belongs to it.
type Guide struct {
	Slug        string
	Title       string
	Description string
	Summary     string
	Order       int
	// Draft keeps the guide out of the published site (draft: true); the
	// preview shows it.
	Draft bool
	// Aliases are the guide's old paths; each redirects to URL (aliases.go).
	Aliases     []Alias
	Roles       []*Role
	Sources     []*Source
	Comparison  Comparison
	FAQ         []*FAQItem
	Articles    []*Article
	Assessments []*Assessment
	// Decisions, Week and Hiring are optional structured parts (parts.go);
	// nil when the guide has no such file.
	Decisions *Decisions
	Week      *Week
	Hiring    *Hiring
	// FAQHome is the article that places the FAQ; FAQ permalinks link back to it.
	FAQHome *Article
	// Updated is the latest date of any article in the guide.
	Updated time.Time
	// Published is the earliest publication date of any article in the guide.
	Published time.Time
}

// ShortTitle names the guide by its roles' short names, such as "PM vs PO".
func (g *Guide) ShortTitle() string {
	out := ""
	for i, r := range g.Roles {
		if i > 0 {
			out += " vs "
		}
		out += r.Short
	}
	return out
}

// URL is the guide's canonical path.
func (g *Guide) URL() string { return "/guides/" + g.Slug }

// CompareURL is the path of the guide's full comparison page.
func (g *Guide) CompareURL() string { return "/compare/" + g.Slug }

// PDFURL is the path of the guide as a printable PDF.
func (g *Guide) PDFURL() string { return g.URL() + ".pdf" }

// FAQURL is the permalink page of one FAQ item.
func (g *Guide) FAQURL(id string) string { return g.URL() + "/faq/" + id }

// Role returns the role with the given id, or nil.
func (g *Guide) Role(id string) *Role {
	for _, r := range g.Roles {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// Article returns the article with the given slug, or nil.
func (g *Guide) Article(slug string) *Article {
	for _, a := range g.Articles {
		if a.Slug == slug {
			return a
		}
	}
	return nil
}

// FAQItem returns the FAQ item with the given id, or nil.
func (g *Guide) FAQItem(id string) *FAQItem {
	for _, f := range g.FAQ {
		if f.ID == id {
			return f
		}
	}
	return nil
}

// Assessment returns the assessment with the given id, or nil.
func (g *Guide) Assessment(id string) *Assessment {
	for _, a := range g.Assessments {
		if a.ID == id {
			return a
		}
	}
	return nil
}

// Source returns the source with the given id, or nil.
func (g *Guide) Source(id string) *Source {
	for _, s := range g.Sources {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// Role is one side of a comparison. Index is its position, which picks its
// colour everywhere it appears.
type Role struct {
	ID      string
	Index   int
	Name    string
	Short   string
	Tagline string
	Profile Profile
}

// Profile describes what a role is like from the inside.
type Profile struct {
	Focus            string
	CoreQuestion     string
	Mindset          string
	Owns             []string
	LivesIn          []string
	Responsibilities []string
	Strengths        []Point
	Struggles        []Point
}

// Point is a titled item of a list such as a role's strengths.
type Point struct {
	Title  string
	Detail template.HTML // rendered inline Markdown
}

// Source is a piece of published material the guide is built from.
type Source struct {
	ID        string
	Title     string
	Author    string
	Published time.Time
	URL       string
	Note      string
	// Short is how the guide's text names the source when it cites it
	// ("Strategy vs Delivery", "Scrum Guide 2020"), if given.
	Short string
}

// CiteLabel names the source briefly where a table cell cites it: the
// short name the text uses for it, else its author and year where known,
// else its title. Every view cites with it, so a source is named the same
// way in the prose, the tables and the PDF.
func (s *Source) CiteLabel() string {
	switch {
	case s.Short != "":
		return s.Short
	case s.Author == "":
		return s.Title
	case s.Published.IsZero():
		return s.Author
	}
	return s.Author + ", " + s.Published.Format("2006")
}

// Comparison is the side-by-side table: one row per dimension, one column per role.
type Comparison struct {
	Caption    string
	Dimensions []*Dimension
	// Glance is the short version of the comparison: a few rows of a few
	// words each, shown on the guide's page and placed in an article by
	// {{glance}}. It may be empty.
	Glance []*GlanceRow
}

// GlanceRow is one row of the short table: a label and each role's value
// in a few words, optionally linked to the full row it summarises.
type GlanceRow struct {
	Label string
	// Values holds each role's value, in the order of Guide.Roles.
	Values []string
	// Dimension is the comparison row this row summarises, or nil.
	Dimension *Dimension
}

// Dimension is one row of the comparison.
type Dimension struct {
	ID   string
	Name string
	Note string
	// Values holds each role's value, in the order of Guide.Roles.
	Values []string
	// SourcesDiffer explains, when set, where the sources disagree on this row.
	SourcesDiffer template.HTML
	Sources       []*Source
}

// Anchor is the row's fragment id on every page that shows the table.
func (d *Dimension) Anchor() string { return "row-" + d.ID }

// FAQItem is one question and its answer.
type FAQItem struct {
	ID       string
	Question string
	Answer   template.HTML
	Sources  []*Source
	// SeeAlso, when set, is the assessment outcome this answer touches on.
	SeeAlso *OutcomeRef
}

// Anchor is the answer's fragment id. It names the answer inside the
// <details>, not the <details> itself: browsers open a closed <details> when
// the fragment targets an element inside it.
func (f *FAQItem) Anchor() string { return "faq-" + f.ID }

// OutcomeRef points to one outcome of one assessment.
type OutcomeRef struct {
	Assessment *Assessment
	Outcome    *Outcome
}

// Article is one long-form page of a guide.
type Article struct {
	Guide       *Guide
	Slug        string
	Title       string
	Description string
	Author      string
	Published   time.Time
	Updated     time.Time
	Tags        []string
	Order       int
	// Draft keeps the article out of the published site (draft: true);
	// so does a Published date still to come. The preview shows both.
	Draft bool
	// Aliases are the article's old paths; each redirects to URL (aliases.go).
	Aliases []Alias
	// Moved lists the anchors that used to be on this article and now live
	// on another page; the article shows where each went (aliases.go).
	Moved   []*MovedAnchor
	TLDR    []template.HTML
	Sources []*Source
	Blocks  []Block
	TOC     []TOCEntry
	// ReadingMinutes is estimated from the words of the prose and of the
	// structured parts the article places.
	ReadingMinutes int
	// IDs is every fragment id the article page carries.
	IDs map[string]bool
}

// URL is the article's canonical path.
func (a *Article) URL() string { return a.Guide.URL() + "/" + a.Slug }

// Places reports whether the article places a structured part of kind k.
func (a *Article) Places(k BlockKind) bool {
	for _, b := range a.Blocks {
		if b.Kind == k {
			return true
		}
	}
	return false
}

// BlockKind says what a Block holds.
type BlockKind int

// The kinds of article blocks. A directive line in the Markdown
// ({{comparison}}, {{profiles}}, {{faq}}, {{tools}}, {{decisions}},
// {{week}}, {{hiring}}) becomes its own block,
// rendered by the real component; everything else is rendered Markdown.
const (
	BlockHTML BlockKind = iota
	BlockComparison
	BlockProfiles
	BlockFAQ
	BlockTools
	BlockDecisions
	BlockWeek
	BlockHiring
	BlockGlance
)

// Block is one part of an article body.
type Block struct {
	Kind BlockKind
	HTML template.HTML // for BlockHTML
}

// TOCEntry is one heading of an article's table of contents.
type TOCEntry struct {
	ID    string
	Text  string
	Level int // 2 or 3
}
