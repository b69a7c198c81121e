package content

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
)

// Layout and component ids. The views render these exact ids; the loader
// reserves them so that no heading takes one, and link checks rely on them.
const (
	IDMain       = "main"
	IDTOC        = "toc"
	IDSources    = "sources"
	IDComparison = "comparison"
	IDProfiles   = "profiles"
	IDFAQ        = "faq"
	IDTools      = "tools"
	// IDStructuredData is the JSON-LD script element in every page's head.
	IDStructuredData = "structured-data"
	profilePrefix    = "profile-"
)

// ProfileAnchor is the fragment id of a role's profile card.
func ProfileAnchor(roleID string) string { return profilePrefix + roleID }

// reservedSlugs cannot be article slugs: they are other pages of a guide.
var reservedSlugs = map[string]bool{"faq": true, "fit": true, "team": true, "compare": true, "result": true}

type rawGuide struct {
	Title       string      `yaml:"title"`
	Description string      `yaml:"description"`
	Summary     string      `yaml:"summary"`
	Order       int         `yaml:"order"`
	Draft       bool        `yaml:"draft"`
	Aliases     []string    `yaml:"aliases"` // see aliases.go
	Roles       []rawRole   `yaml:"roles"`
	Sources     []rawSource `yaml:"sources"`
}

type rawRole struct {
	ID      string     `yaml:"id"`
	Name    string     `yaml:"name"`
	Short   string     `yaml:"short"`
	Tagline string     `yaml:"tagline"`
	Profile rawProfile `yaml:"profile"`
}

type rawProfile struct {
	Focus            string     `yaml:"focus"`
	CoreQuestion     string     `yaml:"core_question"`
	Mindset          string     `yaml:"mindset"`
	Owns             []string   `yaml:"owns"`
	LivesIn          []string   `yaml:"lives_in"`
	Responsibilities []string   `yaml:"responsibilities"`
	Strengths        []rawPoint `yaml:"strengths"`
	Struggles        []rawPoint `yaml:"struggles"`
}

type rawPoint struct {
	Title  string `yaml:"title"`
	Detail string `yaml:"detail"`
}

type rawSource struct {
	ID        string `yaml:"id"`
	Title     string `yaml:"title"`
	Author    string `yaml:"author"`
	Published string `yaml:"published"`
	URL       string `yaml:"url"`
	Note      string `yaml:"note"`
	Short     string `yaml:"short"`
}

type rawComparison struct {
	Caption    string         `yaml:"caption"`
	Dimensions []rawDimension `yaml:"dimensions"`
	Glance     []rawGlance    `yaml:"glance"`
}

type rawGlance struct {
	Label  string            `yaml:"label"`
	Row    string            `yaml:"row"`
	Values map[string]string `yaml:"values"`
}

type rawDimension struct {
	ID            string            `yaml:"id"`
	Name          string            `yaml:"name"`
	Note          string            `yaml:"note"`
	Values        map[string]string `yaml:"values"`
	SourcesDiffer string            `yaml:"sources_differ"`
	Sources       []string          `yaml:"sources"`
}

type rawFAQ struct {
	Items []rawFAQItem `yaml:"items"`
}

type rawFAQItem struct {
	ID       string   `yaml:"id"`
	Question string   `yaml:"question"`
	Answer   string   `yaml:"answer"`
	Sources  []string `yaml:"sources"`
	SeeAlso  string   `yaml:"see_also"`
}

// loader holds the state of one Load.
type loader struct {
	fsys  fs.FS
	c     collector
	md    goldmark.Markdown
	links []mdLink
	refs  []pendingRef
	// words counts the words of each guide's structured parts, for reading time.
	words map[*Guide]map[BlockKind]int
	// outcomes remembers the outcome check of each distinct scoring, shared
	// by the loaders of one Load.
	outcomes *outcomeMemo
	// titles are the titles of the published guides and articles, checked
	// for repeats across the site once every guide is loaded.
	titles []titleClaim
}

// titleClaim is where a guide or an article sets its title.
type titleClaim struct {
	what, title, file string
	line              int
}

// claimTitle records a title for checkTitles.
func (l *loader) claimTitle(what, title, file string, line int) {
	if t := strings.TrimSpace(title); t != "" {
		l.titles = append(l.titles, titleClaim{what: what, title: t, file: file, line: line})
	}
}

// checkTitles reports a guide or article whose title another one already
// has: a browser tab, a search result and a shared link show the title, and
// two pages that share one cannot be told apart there (a guide's title is
// also part of the title of each of its pages). A copied guide is the usual
// cause.
func (l *loader) checkTitles() {
	first := map[string]titleClaim{}
	for _, c := range l.titles {
		key := c.what + "\x00" + c.title
		if prev, ok := first[key]; ok {
			l.c.add(c.file, c.line, "title: %q is already the title of the %s in %s (line %d); give this %s a title of its own, since tabs and search results tell pages apart by it",
				c.title, c.what, prev.file, prev.line, c.what)
			continue
		}
		first[key] = c
	}
}

// unreadFile reports whether a file of g whose path holds part
// ("/guide.yaml", or "/assessments/" for any assessment) could not be read
// or decoded: checks that need what it defines are skipped, so that one
// broken file gives one defect, not one more per use of what it defines.
func (l *loader) unreadFile(g *Guide, part string) bool {
	for f := range l.c.unread {
		if strings.HasPrefix(f, "guides/"+g.Slug+"/") && strings.Contains(f, part) {
			return true
		}
	}
	return false
}

// Load reads every guide under guides/ in fsys, renders and validates it.
// The same function serves the embedded copy, a folder on disk (os.DirFS)
// and fstest.MapFS in tests. The error, when not nil, is an Errors listing
// every defect as file:line: message.
func Load(fsys fs.FS) (*Site, error) {
	l := &loader{fsys: fsys, md: newMarkdown(), words: map[*Guide]map[BlockKind]int{}, outcomes: &outcomeMemo{}}
	site := &Site{byslug: map[string]*Guide{}}
	// partial holds guides with defects: their pages cannot be trusted as
	// link targets, but links inside them to their own page are still checked.
	var partial []*Guide
	dirs, err := fs.ReadDir(fsys, "guides")
	if err != nil {
		return nil, Errors{{File: "guides", Msg: "cannot read the guides folder: " + errMsg(err)}}
	}
	var slugs []string
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		if !validID(d.Name()) {
			l.c.add("guides/"+d.Name(), 0, "folder name %q is not a valid slug: use only a-z, 0-9 and hyphens", d.Name())
			continue
		}
		slugs = append(slugs, d.Name())
	}
	// Guides are independent until their references are resolved, so each
	// is loaded by a loader of its own, on every CPU, and the results are
	// merged in folder order.
	subs := loadGuides(l, slugs)
	for _, sub := range subs {
		l.c.errs = append(l.c.errs, sub.l.c.errs...)
		l.links = append(l.links, sub.l.links...)
		l.refs = append(l.refs, sub.l.refs...)
		l.titles = append(l.titles, sub.l.titles...)
		for g, w := range sub.l.words {
			l.words[g] = w
		}
		if sub.ok {
			site.Guides = append(site.Guides, sub.g)
			site.byslug[sub.g.Slug] = sub.g
		} else if sub.g != nil {
			partial = append(partial, sub.g)
		}
	}
	if len(site.Guides) == 0 && len(l.c.errs) == 0 {
		l.c.add("guides", 0, "no guides found: add a folder guides/<slug>/ with a guide.yaml")
	}
	l.checkTitles()
	sort.SliceStable(site.Guides, func(i, j int) bool { return site.Guides[i].Order < site.Guides[j].Order })
	if len(l.c.errs) == 0 {
		l.resolveRefs(site)
		l.checkAliases(site)
		l.checkLinks(nil, false)
		l.exportLinks(site)
	} else {
		// Report every broken same-page link now too, so that fixing one
		// defect does not just reveal the next on the following start.
		l.checkLinks(fragmentsByPage(append(partial, site.Guides...)), true)
	}
	if err := l.c.err(); err != nil {
		return nil, err
	}
	return site, nil
}

func errMsg(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// readFile returns a file's bytes, reporting a defect when it cannot be read.
func (l *loader) readFile(name string, required bool) ([]byte, bool) {
	b, err := fs.ReadFile(l.fsys, name)
	if err != nil {
		if required || !errors.Is(err, fs.ErrNotExist) {
			l.c.add(name, 0, "cannot read the file: %s", errMsg(err))
		}
		l.c.markUnread(name)
		return nil, false
	}
	if !utf8.Valid(b) {
		b = l.checkUTF8(name, b)
	}
	return b, true
}

// checkUTF8 reports a file that is not UTF-8 (a Latin-1 or Windows-1252
// file would reach readers as broken characters) at its first bad line, and
// returns the text with each bad byte replaced, so that the rest of the file
// is still checked.
func (l *loader) checkUTF8(name string, b []byte) []byte {
	line, badByte, badLines := 0, byte(0), 0
	for i, ln := range bytes.Split(b, []byte("\n")) {
		if utf8.Valid(ln) {
			continue
		}
		badLines++
		if line == 0 {
			line = i + 1
			for j := 0; j < len(ln); {
				r, size := utf8.DecodeRune(ln[j:])
				if r == utf8.RuneError && size == 1 {
					badByte = ln[j]
					break
				}
				j += size
			}
		}
	}
	more := ""
	if badLines > 1 {
		more = fmt.Sprintf(" (%d lines of the file have such bytes)", badLines)
	}
	l.c.add(name, line, "the file is not saved as UTF-8: this line holds the byte 0x%02X, which is not UTF-8 text "+
		"(often an accented letter or a curly quote saved as Latin-1 or Windows-1252)%s; "+
		"open the file in your editor and save it again with the UTF-8 encoding", badByte, more)
	return bytes.ToValidUTF8(b, []byte("\uFFFD"))
}

func (l *loader) loadGuide(slug string) (*Guide, bool) {
	dir := "guides/" + slug
	g := &Guide{Slug: slug}
	l.words[g] = map[BlockKind]int{}
	errsBefore := len(l.c.errs)

	file := dir + "/guide.yaml"
	var rg rawGuide
	if src, ok := l.readFile(file, true); !ok {
		// reported; the guide's other files are still checked
	} else if doc, ok := decodeYAML(&l.c, file, src, 0, &rg); ok {
		g.Title = l.required(doc, rg.Title, "title")
		g.Description = l.required(doc, rg.Description, "description")
		g.Summary = l.required(doc, rg.Summary, "summary")
		g.Order = rg.Order
		g.Draft = rg.Draft
		if !g.Draft {
			l.claimTitle("guide", g.Title, file, doc.line("title"))
		}
		g.Aliases = l.aliases(doc, path.Dir(g.URL()), rg.Aliases)
		l.loadSources(doc, g, rg.Sources)
		l.loadRoles(doc, g, rg.Roles)
	}
	// Even when guide.yaml cannot be read, the guide's other files are
	// checked (see unreadFile).

	l.loadComparison(dir, g)
	l.loadFAQ(dir, g)
	l.loadAssessments(dir, g)
	l.loadParts(dir, g)
	l.loadArticles(dir, g)
	return g, len(l.c.errs) == errsBefore
}

// guideLoad is one guide loaded by a loader of its own.
type guideLoad struct {
	g  *Guide
	ok bool
	l  *loader
}

// loadGuides loads each guide with its own loader (sharing the file system
// and the goldmark instance, which are safe for concurrent use), one worker
// per CPU.
func loadGuides(parent *loader, slugs []string) []guideLoad {
	out := make([]guideLoad, len(slugs))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(1, len(slugs))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				sub := &loader{fsys: parent.fsys, md: parent.md, words: map[*Guide]map[BlockKind]int{}, outcomes: parent.outcomes}
				g, ok := sub.loadGuide(slugs[i])
				out[i] = guideLoad{g: g, ok: ok, l: sub}
			}
		}()
	}
	for i := range slugs {
		work <- i
	}
	close(work)
	wg.Wait()
	return out
}

// required reports a missing field at the line of its parent, and returns
// s as tidy plain text.
func (l *loader) required(doc *yamlDoc, s string, path ...any) string {
	if strings.TrimSpace(s) == "" {
		l.c.add(doc.file, doc.line(path...), "missing required field %q", fmt.Sprint(path[len(path)-1]))
	}
	return plain(s)
}

// checkID reports an id that is empty, malformed or already used in seen.
func (l *loader) checkID(doc *yamlDoc, id, what string, seen map[string]int, path ...any) bool {
	line := doc.line(append(path, "id")...)
	switch {
	case id == "":
		l.c.add(doc.file, line, "%s: missing required field \"id\"", what)
		return false
	case !validID(id):
		l.c.add(doc.file, line, "%s id %q is malformed: use only a-z, 0-9 and single hyphens", what, id)
		return false
	}
	if prev, dup := seen[id]; dup {
		l.c.add(doc.file, line, "duplicate %s id %q (first used on line %d)", what, id, prev)
		return false
	}
	seen[id] = line
	return true
}

func (l *loader) loadSources(doc *yamlDoc, g *Guide, raws []rawSource) {
	if len(raws) == 0 {
		l.c.add(doc.file, doc.line("sources"), "missing required field \"sources\": list what the guide is built from")
	}
	seen := map[string]int{}
	for i, r := range raws {
		if !l.checkID(doc, r.ID, "source", seen, "sources", i) {
			continue
		}
		s := &Source{ID: r.ID, URL: r.URL, Author: plain(r.Author), Note: plain(r.Note), Short: plain(r.Short),
			Title: l.required(doc, r.Title, "sources", i, "title")}
		var ok bool
		if s.Published, ok = parseDate(r.Published); !ok {
			l.c.add(doc.file, doc.line("sources", i, "published"), "published: %q is not a date like 2026-02-19", r.Published)
		}
		if r.URL != "" && !strings.HasPrefix(r.URL, "https://") && !strings.HasPrefix(r.URL, "http://") {
			l.c.add(doc.file, doc.line("sources", i, "url"), "url %q must start with https://", r.URL)
		}
		g.Sources = append(g.Sources, s)
	}
}

func (l *loader) loadRoles(doc *yamlDoc, g *Guide, raws []rawRole) {
	if len(raws) < 2 || len(raws) > 3 {
		l.c.add(doc.file, doc.line("roles"), "a guide compares 2 or 3 roles; found %d", len(raws))
	}
	seen := map[string]int{}
	for i, r := range raws {
		if !l.checkID(doc, r.ID, "role", seen, "roles", i) {
			continue
		}
		p := r.Profile
		at := func(f string) []any { return []any{"roles", i, "profile", f} }
		role := &Role{
			ID: r.ID, Index: len(g.Roles),
			Name:    l.required(doc, r.Name, "roles", i, "name"),
			Short:   l.required(doc, r.Short, "roles", i, "short"),
			Tagline: l.required(doc, r.Tagline, "roles", i, "tagline"),
			Profile: Profile{
				Focus:            l.required(doc, p.Focus, at("focus")...),
				CoreQuestion:     l.required(doc, p.CoreQuestion, at("core_question")...),
				Mindset:          l.required(doc, p.Mindset, at("mindset")...),
				Owns:             l.list(doc, p.Owns, at("owns")...),
				LivesIn:          l.list(doc, p.LivesIn, at("lives_in")...),
				Responsibilities: l.list(doc, p.Responsibilities, at("responsibilities")...),
				Strengths:        l.points(doc, p.Strengths, at("strengths")...),
				Struggles:        l.points(doc, p.Struggles, at("struggles")...),
			},
		}
		g.Roles = append(g.Roles, role)
	}
	words := 0
	for _, r := range g.Roles {
		p := r.Profile
		words += wordCount(p.Focus, p.CoreQuestion, p.Mindset) + wordCount(p.Owns...) + wordCount(p.LivesIn...) + wordCount(p.Responsibilities...)
		for _, pt := range append(append([]Point{}, p.Strengths...), p.Struggles...) {
			words += wordCount(pt.Title, string(pt.Detail))
		}
	}
	l.words[g][BlockProfiles] = words
}

func wordCount(ss ...string) int {
	n := 0
	for _, s := range ss {
		n += len(strings.Fields(s))
	}
	return n
}

// list requires a non-empty list of non-empty strings.
func (l *loader) list(doc *yamlDoc, items []string, path ...any) []string {
	if len(items) == 0 {
		l.c.add(doc.file, doc.line(path...), "missing required list %q", fmt.Sprint(path[len(path)-1]))
	}
	out := make([]string, len(items))
	for i, s := range items {
		if strings.TrimSpace(s) == "" {
			l.c.add(doc.file, doc.line(append(path, i)...), "empty item in %q", fmt.Sprint(path[len(path)-1]))
		}
		out[i] = plain(s)
	}
	return out
}

func (l *loader) points(doc *yamlDoc, raws []rawPoint, path ...any) []Point {
	if len(raws) == 0 {
		l.c.add(doc.file, doc.line(path...), "missing required list %q", fmt.Sprint(path[len(path)-1]))
	}
	var out []Point
	for i, r := range raws {
		p := append(path, i)
		out = append(out, Point{
			Title:  l.required(doc, r.Title, append(p, "title")...),
			Detail: l.inline(doc, r.Detail, append(p, "detail")...),
		})
	}
	return out
}

// block renders a Markdown field of a YAML file. Its links are checked later;
// because such text can appear on several pages, a bare "#fragment" link is
// refused there.
func (l *loader) block(doc *yamlDoc, s string, path ...any) template.HTML {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	line := doc.line(path...)
	// A block scalar (|) starts on the line after its key.
	if strings.Contains(s, "\n") {
		line++
	}
	src := mdSource{file: doc.file, line: line, text: []byte(s)}
	first := len(l.links)
	defer func() {
		// Place each link on the file line that holds it, whatever the
		// scalar style did to the line breaks.
		for i := first; i < len(l.links); i++ {
			l.links[i].line = doc.lineContaining(doc.line(path...), "("+l.links[i].dest)
		}
	}()
	root, badLine, err := parseMarkdown(l.md, src.text, newPageIDs(nil))
	if err != nil {
		l.c.add(doc.file, line+badLine-1, "cannot read this Markdown: %v", err)
		return ""
	}
	collectLinks(src, root, "", &l.links)
	l.checkRawHTML(doc.file, src.text, root, func(off int) int {
		// Find the line again by its text, whatever the scalar style did
		// to the line breaks.
		text := src.text[off:]
		if i := bytes.IndexByte(text, '\n'); i >= 0 {
			text = text[:i]
		}
		return doc.lineContaining(doc.line(path...), strings.TrimSpace(string(text)))
	})
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			l.c.add(doc.file, src.line+lineOf(src.text, h)-1, "headings are not allowed in %q: it is shown inside a page section", fmt.Sprint(path[len(path)-1]))
		}
		return ast.WalkContinue, nil
	})
	out, err := renderNode(l.md, src.text, root)
	if err != nil {
		l.c.add(doc.file, line, "cannot render Markdown: %v", err)
	}
	return out
}

// inline renders a one-paragraph Markdown field without its <p> wrapper.
func (l *loader) inline(doc *yamlDoc, s string, path ...any) template.HTML {
	if strings.TrimSpace(s) == "" {
		l.c.add(doc.file, doc.line(path...), "missing required field %q", fmt.Sprint(path[len(path)-1]))
		return ""
	}
	return stripParagraph(l.block(doc, s, path...))
}

func stripParagraph(h template.HTML) template.HTML {
	s := strings.TrimSpace(string(h))
	if strings.HasPrefix(s, "<p>") && strings.HasSuffix(s, "</p>") && strings.Count(s, "<p>") == 1 {
		s = s[3 : len(s)-4]
	}
	return template.HTML(s)
}

// sourceRefs resolves a list of source ids.
func (l *loader) sourceRefs(doc *yamlDoc, g *Guide, ids []string, path ...any) []*Source {
	var out []*Source
	for i, id := range ids {
		s := g.Source(id)
		if s == nil && l.unreadFile(g, "/guide.yaml") {
			continue
		}
		if s == nil {
			l.c.add(doc.file, doc.line(append(path, i)...), "unknown source %q (guide.yaml lists: %s)", id, g.sourceIDs())
			continue
		}
		out = append(out, s)
	}
	return out
}

func (g *Guide) sourceIDs() string {
	var ids []string
	for _, s := range g.Sources {
		ids = append(ids, s.ID)
	}
	return strings.Join(ids, ", ")
}

func (g *Guide) roleIDs() string {
	var ids []string
	for _, r := range g.Roles {
		ids = append(ids, r.ID)
	}
	return strings.Join(ids, ", ")
}

func (l *loader) loadComparison(dir string, g *Guide) {
	file := dir + "/comparison.yaml"
	src, ok := l.readFile(file, true)
	if !ok {
		return
	}
	var rc rawComparison
	doc, ok := decodeYAML(&l.c, file, src, 0, &rc)
	if !ok {
		return
	}
	g.Comparison.Caption = l.required(doc, rc.Caption, "caption")
	if len(rc.Dimensions) == 0 {
		l.c.add(file, doc.line("dimensions"), "missing required list \"dimensions\"")
	}
	seen := map[string]int{}
	words := 0
	for i, r := range rc.Dimensions {
		if !l.checkID(doc, r.ID, "dimension", seen, "dimensions", i) {
			continue
		}
		d := &Dimension{ID: r.ID,
			Name:          l.required(doc, r.Name, "dimensions", i, "name"),
			Note:          plain(r.Note),
			SourcesDiffer: l.block(doc, r.SourcesDiffer, "dimensions", i, "sources_differ"),
			Sources:       l.sourceRefs(doc, g, r.Sources, "dimensions", i, "sources"),
		}
		for _, role := range g.Roles {
			v, ok := r.Values[role.ID]
			if !ok || strings.TrimSpace(v) == "" {
				l.c.add(file, doc.line("dimensions", i, "values"), "dimension %q: no value for role %q", r.ID, role.ID)
			}
			d.Values = append(d.Values, plain(v))
		}
		for id := range r.Values {
			if g.Role(id) == nil && !l.unreadFile(g, "/guide.yaml") {
				l.c.add(file, doc.line("dimensions", i, "values", id), "dimension %q: unknown role %q (guide.yaml defines: %s)", r.ID, id, g.roleIDs())
			}
		}
		words += wordCount(d.Name, d.Note) + wordCount(d.Values...) + wordCount(string(d.SourcesDiffer))
		g.Comparison.Dimensions = append(g.Comparison.Dimensions, d)
	}
	l.words[g][BlockComparison] = words
	l.loadGlance(doc, g, rc.Glance)
}

func (l *loader) loadFAQ(dir string, g *Guide) {
	file := dir + "/faq.yaml"
	src, ok := l.readFile(file, true)
	if !ok {
		return
	}
	var rf rawFAQ
	doc, ok := decodeYAML(&l.c, file, src, 0, &rf)
	if !ok {
		return
	}
	if len(rf.Items) == 0 {
		l.c.add(file, doc.line("items"), "missing required list \"items\"")
	}
	seen := map[string]int{}
	words := 0
	for i, r := range rf.Items {
		if !l.checkID(doc, r.ID, "FAQ", seen, "items", i) {
			continue
		}
		f := &FAQItem{ID: r.ID,
			Question: l.required(doc, r.Question, "items", i, "question"),
			Sources:  l.sourceRefs(doc, g, r.Sources, "items", i, "sources"),
		}
		if strings.TrimSpace(r.Answer) == "" {
			l.c.add(file, doc.line("items", i, "answer"), "FAQ %q: missing required field \"answer\"", r.ID)
		}
		f.Answer = l.block(doc, r.Answer, "items", i, "answer")
		if r.SeeAlso != "" {
			l.refs = append(l.refs, pendingRef{file: file, line: doc.line("items", i, "see_also"), raw: r.SeeAlso, guide: g,
				set: func(ref Ref) { f.SeeAlso = ref.Outcome }, outcomeOnly: true})
		}
		words += wordCount(f.Question, r.Answer)
		g.FAQ = append(g.FAQ, f)
	}
	l.words[g][BlockFAQ] = words
}
