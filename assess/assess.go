// Package assess serves the self-assessments: each assessment's form (GET,
// pre-filled from a query), its submission (POST) and its result links
// (GET …/result?answers). It is a server feature: cmd/site passes Routes in
// server.Options.Features, and the server calls it for every snapshot.
//
// The form itself (without a query) is built with every other page by the
// build package; this package adds what depends on the request.
package assess

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"net/url"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"github.com/pmvspo/site/build"
	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/server"
	"github.com/pmvspo/site/views"
)

// maxFormBytes bounds a submission. The largest honest form (every question
// answered with its longest ids) is far below this.
const maxFormBytes = 4 << 10

// resultCacheEntries bounds the rendered results kept per assessment and
// snapshot. A result page is about 13 KB, and kept with its gzip and brotli
// encodings about 20 KB, so the cache holds at most about 10 MB for each
// assessment; a new snapshot starts with empty caches.
const resultCacheEntries = 512

// Routes registers every assessment's form, submission and result routes
// of the snapshot in d. It is a server.Feature.
//
// Only submissions are rate limited. Result pages are read-only, rendered
// once per distinct result and then served from a cache, so a shared link
// opened by a whole office behind one address, or fetched by link
// unfurlers, costs a map lookup each and is never refused.
func Routes(r chi.Router, d server.Deps) {
	for _, g := range d.Snapshot.Site.Guides {
		for _, a := range g.Assessments {
			results := newResultCache[*build.Resource](resultCacheEntries)
			results.record = d.Metrics.ResultCache
			h := &handler{snap: d.Snapshot, a: a, built: d.Snapshot.Page(a.URL()), results: results}
			server.Get(r, a.URL(), d.Handle(h.form))
			// Refuse cross-origin posts before counting them: otherwise any
			// page a reader visits could use up the reader's own limit.
			r.With(d.SameOrigin, d.Limit).Post(a.URL(), d.Handle(h.submit))
			server.Get(r, a.ResultURL(), d.Handle(h.result))
		}
	}
}

// handler serves one assessment of one snapshot.
type handler struct {
	snap    *build.Snapshot
	a       *content.Assessment
	built   *build.Page // the form page as built
	results *resultCache[*build.Resource]
}

func (h *handler) isQuestion(id string) bool { return h.a.Question(id) != nil }

// query reads a form's or a result link's query as far as it can be read:
// url.ParseQuery keeps every pair it understood even when another part is
// malformed (a link cut short in the middle of "%2"), and nothing a reader
// chose is thrown away for that. It reports whether part was unreadable.
func query(raw string) (url.Values, bool) {
	v, err := url.ParseQuery(raw)
	return v, err != nil
}

// unreadable is the message for a link or form that was partly malformed.
const unreadable = "Part of the address could not be read, perhaps because it was cut short when it was copied; the answers before that point are kept."

// withoutTracking redirects (301) an address that carries tracking or
// click-id parameters to the same address without them, and reports
// whether it did. Everything else in the query is kept as it was.
func (h *handler) withoutTracking(w http.ResponseWriter, r *http.Request, v url.Values) bool {
	if !stripTracking(v, h.isQuestion) {
		return false
	}
	target := r.URL.Path
	if len(v) > 0 {
		target += "?" + v.Encode()
	}
	http.Redirect(w, r, target, http.StatusMovedPermanently)
	return true
}

// read takes the answers from a link's query (after tracking parameters
// are gone): every answer that still fits, a message by question for each
// value that had to be left out (see Salvage), and a note when part of the
// query was too malformed to read. Parameters that are not questions are
// ignored; the reader did not choose them.
func (h *handler) read(v url.Values, bad bool) (content.Answers, map[string]string, []string) {
	answers, rejected := h.a.Salvage(v)
	var notes []string
	if bad && len(answers) < len(h.a.Questions) {
		// Only worth saying when an answer may have been in the lost part.
		notes = append(notes, unreadable)
	}
	return answers, rejected, notes
}

// form serves the built form, or, when the address has a query, the form
// pre-filled with every answer in it that still fits: "change my answers"
// from a result, or an outdated result link. A query with nothing to keep
// but stray parameters redirects to the clean address; one with values
// that no longer fit is a 400 that still shows the form with the rest.
func (h *handler) form(w http.ResponseWriter, r *http.Request) error {
	a := h.a
	if r.URL.RawQuery == "" {
		h.built.Body.Serve(w, r, http.StatusOK)
		return nil
	}
	v, bad := query(r.URL.RawQuery)
	if h.withoutTracking(w, r, v) {
		return nil
	}
	answers, rejected, notes := h.read(v, bad)
	if len(rejected) > 0 || len(notes) > 0 {
		return h.prefilled(w, r, http.StatusBadRequest, answers, rejected, notes)
	}
	if q := a.Query(answers); q != r.URL.RawQuery {
		target := a.URL()
		if q != "" {
			target += "?" + q
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
		return nil
	}
	return h.prefilled(w, r, http.StatusOK, answers, nil, nil)
}

// prefilled renders the form with the answers of a link: nothing it holds
// that still fits is lost, and what could not be kept is named.
func (h *handler) prefilled(w http.ResponseWriter, r *http.Request, status int, answers content.Answers, rejected map[string]string, notes []string) error {
	m := h.formMeta()
	m.Title = "Change your answers · " + h.a.Title
	return server.WritePage(w, r, status, views.AssessmentPage(m, h.snap.Site, h.a,
		views.FormState{Answers: answers, Missing: unanswered(h.a, answers), Rejected: rejected, Notes: notes, Prefilled: true}))
}

// formMeta is the form page's Meta for a per-request variant: kept out of
// search engines, with the built form as its canonical page.
func (h *handler) formMeta() views.Meta {
	m := h.built.Meta
	m.NoIndex = true
	return m
}

// unanswered lists the questions answers leaves out, in form order.
func unanswered(a *content.Assessment, answers content.Answers) []*content.Question {
	var out []*content.Question
	for _, q := range a.Questions {
		if _, ok := answers[q.ID]; !ok {
			out = append(out, q)
		}
	}
	return out
}

// submit reads a posted form. A complete form redirects to its result link
// (303). Anything else shows the form again (422) with every answer that
// still fits kept checked: a missing answer, and also a form left open
// across a change of questions (an option renamed, a question removed) or
// one a browser extension added a field to. Fields that are not questions
// are ignored.
func (h *handler) submit(w http.ResponseWriter, r *http.Request) error {
	a := h.a
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		return h.error(http.StatusUnsupportedMediaType, "We could not read that submission",
			"The form must be sent as a normal web form (application/x-www-form-urlencoded).")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	bad := false
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return h.error(http.StatusRequestEntityTooLarge, "That submission is too large",
				"The form sent far more data than the questions need. Please fill in the form again.")
		}
		bad = true // r.PostForm still holds every pair that could be read
	}
	answers, rejected := a.Salvage(r.PostForm)
	var notes []string
	if bad && len(answers) < len(a.Questions) {
		notes = append(notes, "Part of the form data could not be read; the answers we could read are kept.")
	}
	missing := unanswered(a, answers)
	if len(missing) > 0 || len(notes) > 0 {
		// The tab and a screen reader's first words say that the form came back.
		m := h.formMeta()
		m.Title = "Error: " + m.Title
		return server.WritePage(w, r, http.StatusUnprocessableEntity,
			views.AssessmentPage(m, h.snap.Site, a, views.FormState{Answers: answers, Missing: missing, Rejected: rejected, Notes: notes}))
	}
	http.Redirect(w, r, a.ResultURL()+"?"+a.Query(answers), http.StatusSeeOther)
	return nil
}

// result shows the result a link's answers add up to. The link holds the
// answers by id, so it needs no storage and survives rewording and
// reordering. Each canonical link is rendered once and kept, compressed, in
// the cache; other spellings of it redirect there. A link made before
// questions were added redirects to its result with their assumed answers,
// where the content names them; otherwise a link cut short opens the form
// pre-filled with the answers it holds (200). One with values that no longer
// fit does the same as a 400.
func (h *handler) result(w http.ResponseWriter, r *http.Request) error {
	a := h.a
	v, bad := query(r.URL.RawQuery)
	if h.withoutTracking(w, r, v) {
		return nil
	}
	answers, rejected, notes := h.read(v, bad)
	switch {
	case len(rejected) > 0 || len(notes) > 0:
		return h.prefilled(w, r, http.StatusBadRequest, answers, rejected, notes)
	case len(answers) == 0:
		http.Redirect(w, r, a.URL(), http.StatusMovedPermanently) // nothing to show but the form
		return nil
	case len(answers) < len(a.Questions):
		// A link from before questions were added still stands for a
		// result when each answer it lacks has an assumed value.
		if !a.FillAssumed(answers) {
			return h.prefilled(w, r, http.StatusOK, answers, nil, nil)
		}
	}
	canonical := a.Query(answers)
	if canonical != r.URL.RawQuery {
		// One result, one address: reordered, re-encoded or padded links redirect.
		http.Redirect(w, r, a.ResultURL()+"?"+canonical, http.StatusMovedPermanently)
		return nil
	}
	page, err := h.results.get(canonical, func() (*build.Resource, error) { return h.renderResult(answers, canonical) })
	if err != nil {
		return err
	}
	w.Header().Set("X-Robots-Tag", "noindex")
	page.Serve(w, r, http.StatusOK)
	return nil
}

// renderResult renders and compresses one result page. It depends only on
// the snapshot and the answers, never on the request, so it can be shared.
func (h *handler) renderResult(answers content.Answers, canonical string) (*build.Resource, error) {
	a := h.a
	res, err := a.Score(answers)
	if err != nil {
		return nil, err // every answer set selects one outcome (checked at start-up); this is a bug
	}
	path := a.ResultURL() + "?" + canonical
	m := h.snap.Meta(res.Outcome.Title+" · "+a.Title, res.Outcome.Summary, path, build.HomeCrumb,
		build.GuideCrumb(a.Guide), views.Crumb{Label: a.Title, URL: a.URL()})
	m.NoIndex = true
	m.Image, m.ImageAlt = build.OutcomeImage(a, res.Outcome)
	b, err := build.Render(context.Background(), views.ResultPage(m, h.snap.Site, views.ResultView{Assessment: a, Result: res,
		Permalink: h.snap.Origin + path, ChangeURL: a.URL() + "?" + canonical}))
	if err != nil {
		return nil, err
	}
	page := build.NewResource(b, build.HTMLType, build.CachePrivateResult)
	page.Encode()
	return page, nil
}

// error is an error page that offers to take the assessment again.
func (h *handler) error(status int, heading, message string) error {
	site, a := h.snap.Site, h.a
	return &server.Error{Status: status, Heading: heading, Message: message,
		Page: func(m views.Meta, e *server.Error) templ.Component {
			return views.AssessmentErrorPage(m, site, a, e.Heading, e.Message)
		}}
}
