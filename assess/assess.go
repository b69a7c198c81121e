// Package assess serves the self-assessments: each assessment's form (GET,
// pre-filled from a query), its submission (POST) and its result links
// (GET …/result?answers). It is a server feature: cmd/site passes Routes in
// server.Options.Features, and the server calls it for every snapshot.
//
// The form itself (without a query) is built with every other page by the
// build package; this package adds what depends on the request.
package assess

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strings"

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

// Routes registers every assessment's form, submission and result routes
// of the snapshot in d. It is a server.Feature.
func Routes(r chi.Router, d server.Deps) {
	for _, g := range d.Snapshot.Site.Guides {
		for _, a := range g.Assessments {
			h := &handler{snap: d.Snapshot, a: a, built: d.Snapshot.Page(a.URL())}
			server.Get(r, a.URL(), d.Handle(h.form))
			// Refuse cross-origin posts before counting them: otherwise any
			// page a reader visits could use up the reader's own limit.
			r.With(d.SameOrigin, d.Limit).Post(a.URL(), d.Handle(h.submit))
			server.Get(r.With(d.Limit), a.ResultURL(), d.Handle(h.result))
		}
	}
}

// handler serves one assessment of one snapshot.
type handler struct {
	snap  *build.Snapshot
	a     *content.Assessment
	built *build.Page // the form page as built
}

// form serves the built form, or, when the address has a query, the form
// pre-filled with it: "change my answers" from a result, or an outdated
// result link whose questions have changed.
func (h *handler) form(w http.ResponseWriter, r *http.Request) error {
	a := h.a
	if r.URL.RawQuery == "" {
		h.built.Body.Serve(w, r, http.StatusOK)
		return nil
	}
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return h.error(http.StatusBadRequest, "We could not read that link", "The address is malformed, perhaps cut short when it was copied.")
	}
	if dropTracking(v) && len(v) == 0 {
		h.built.Body.Serve(w, r, http.StatusOK) // only tracking parameters: the plain form
		return nil
	}
	answers, _, err := a.ParseAnswers(v)
	if err != nil {
		return h.error(http.StatusBadRequest, "We could not read that link", inputMessage(err))
	}
	return server.WritePage(w, r, http.StatusOK, views.AssessmentPage(h.formMeta(), h.snap.Site, a, views.FormState{Answers: answers}))
}

// formMeta is the form page's Meta for a per-request variant: kept out of
// search engines, since the built form is the page to index.
func (h *handler) formMeta() views.Meta {
	m := h.built.Meta
	m.NoIndex = true
	return m
}

// submit reads a posted form. Missing answers show the form again (422)
// with every given answer kept; anything no form of ours could send is a
// 400; a complete form redirects to its result link (303).
func (h *handler) submit(w http.ResponseWriter, r *http.Request) error {
	a := h.a
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		return h.error(http.StatusUnsupportedMediaType, "We could not read that submission",
			"The form must be sent as a normal web form (application/x-www-form-urlencoded).")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return h.error(http.StatusRequestEntityTooLarge, "That submission is too large",
				"The form sent far more data than the questions need. Please fill in the form again.")
		}
		return h.error(http.StatusBadRequest, "We could not read that submission",
			"The form data was malformed. Please fill in the form again.")
	}
	answers, missing, err := a.ParseAnswers(r.PostForm)
	if err != nil {
		return h.error(http.StatusBadRequest, "We could not read that submission", inputMessage(err))
	}
	if len(missing) > 0 {
		return server.WritePage(w, r, http.StatusUnprocessableEntity,
			views.AssessmentPage(h.formMeta(), h.snap.Site, a, views.FormState{Answers: answers, Missing: missing}))
	}
	http.Redirect(w, r, a.ResultURL()+"?"+a.Query(answers), http.StatusSeeOther)
	return nil
}

// result shows the result a link's answers add up to. The link holds the
// answers by id, so it needs no storage and survives rewording and reordering.
func (h *handler) result(w http.ResponseWriter, r *http.Request) error {
	a := h.a
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return h.error(http.StatusBadRequest, "We could not read this result link",
			"The address is malformed, perhaps cut short when it was copied. You can take the assessment again; it takes a few minutes.")
	}
	dropTracking(v) // the canonical redirect below then removes them from the address
	answers, missing, err := a.ParseAnswers(v)
	if err != nil {
		return h.error(http.StatusBadRequest, "This result link does not match the assessment",
			inputMessage(err)+" The link may have been edited, or the questions may have changed since it was made.")
	}
	if len(missing) > 0 {
		if len(answers) == 0 {
			return h.error(http.StatusNotFound, "This result link holds no answers",
				"A result link carries the answers that produced it; this one has none. Take the assessment to get your result.")
		}
		return h.error(http.StatusNotFound, "This result link is out of date",
			"The assessment has questions this link has no answer for, probably because they were added after it was made. Take the assessment again to see a current result.")
	}
	res, err := a.Score(answers)
	if err != nil {
		return err // every answer set selects one outcome (checked at start-up); this is a bug
	}
	if canonical := a.Query(answers); canonical != r.URL.RawQuery {
		// One result, one address: reordered or re-encoded links redirect.
		http.Redirect(w, r, a.ResultURL()+"?"+canonical, http.StatusMovedPermanently)
		return nil
	}
	link := h.snap.Origin + a.ResultURL() + "?" + r.URL.RawQuery
	m := h.snap.Meta(res.Outcome.Title+" · "+a.Title, res.Outcome.Summary, "", views.Crumb{Label: "Home", URL: "/"},
		views.Crumb{Label: a.Guide.Title, URL: a.Guide.URL()}, views.Crumb{Label: a.Title, URL: a.URL()})
	m.NoIndex = true
	m.Image, m.ImageAlt = build.OutcomeImage(a, res.Outcome)
	m.Path = a.ResultURL() + "?" + r.URL.RawQuery
	return server.WritePage(w, r, http.StatusOK, views.ResultPage(m, h.snap.Site, views.ResultView{Assessment: a, Result: res, Permalink: link}))
}

func inputMessage(err error) string {
	var ie *content.InputError
	if errors.As(err, &ie) {
		return ie.Msg
	}
	return "The answers could not be read."
}

// error is an error page that offers to take the assessment again.
func (h *handler) error(status int, heading, message string) error {
	site, a := h.snap.Site, h.a
	return &server.Error{Status: status, Heading: heading, Message: message,
		Page: func(m views.Meta, e *server.Error) templ.Component {
			return views.AssessmentErrorPage(m, site, a, e.Heading, e.Message)
		}}
}

// trackingParams are added to shared links by social networks, mail
// campaigns and ad platforms; they carry no answer and must not break one.
var trackingParams = map[string]bool{"fbclid": true, "gclid": true, "dclid": true, "msclkid": true, "twclid": true,
	"igshid": true, "mc_cid": true, "mc_eid": true, "ref": true, "ref_src": true, "_hsenc": true, "_hsmi": true}

// dropTracking removes tracking parameters from v and reports whether it
// removed any.
func dropTracking(v url.Values) bool {
	dropped := false
	for k := range v {
		if trackingParams[strings.ToLower(k)] || strings.HasPrefix(strings.ToLower(k), "utm_") {
			delete(v, k)
			dropped = true
		}
	}
	return dropped
}
