package handlers

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/views"
)

// maxFormBytes bounds a submission. The largest honest form (every question
// answered with its longest ids) is far below this.
const maxFormBytes = 4 << 10

// routeAssessment registers an assessment's form, its submission and its
// result pages.
func (s *server) routeAssessment(r chi.Router, a *content.Assessment, form *resource, cop *http.CrossOriginProtection) {
	get(r, a.URL(), s.handle(func(w http.ResponseWriter, r *http.Request) error {
		if r.URL.RawQuery == "" {
			form.serve(w, r, http.StatusOK)
			return nil
		}
		// A query pre-fills the form: "change my answers" from a result, or
		// an outdated result link whose questions have changed.
		v, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			return s.assessmentError(a, http.StatusBadRequest, "We could not read that link", "The address is malformed, perhaps cut short when it was copied.")
		}
		if dropTracking(v) && len(v) == 0 {
			form.serve(w, r, http.StatusOK) // only tracking parameters: the plain form
			return nil
		}
		answers, _, err := a.ParseAnswers(v)
		if err != nil {
			return s.assessmentError(a, http.StatusBadRequest, "We could not read that link", inputMessage(err))
		}
		m := s.formMeta(a, true)
		m.Title = "Change your answers · " + a.Title
		return s.renderDynamic(w, r, http.StatusOK, views.AssessmentPage(m, s.site, a, views.FormState{Answers: answers, Prefilled: true}))
	}))
	// Refuse cross-origin posts before counting them: otherwise any page a
	// reader visits could use up the reader's own limit.
	r.With(cop.Handler, s.limit).Post(a.URL(), s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return s.submit(w, r, a)
	}))
	get(r.With(s.limit), a.ResultURL(), s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return s.result(w, r, a)
	}))
}

func (s *server) formMeta(a *content.Assessment, noindex bool) views.Meta {
	m := s.meta(a.Title, a.Description, a.URL(), views.Crumb{Label: "Home", URL: "/"}, views.Crumb{Label: a.Guide.Title, URL: a.Guide.URL()})
	m.NoIndex = noindex
	return m
}

// submit reads a posted form. Missing answers show the form again (422)
// with every given answer kept; anything no form of ours could send is a
// 400; a complete form redirects to its result link (303).
func (s *server) submit(w http.ResponseWriter, r *http.Request, a *content.Assessment) error {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		return s.assessmentError(a, http.StatusUnsupportedMediaType, "We could not read that submission",
			"The form must be sent as a normal web form (application/x-www-form-urlencoded).")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return s.assessmentError(a, http.StatusRequestEntityTooLarge, "That submission is too large",
				"The form sent far more data than the questions need. Please fill in the form again.")
		}
		return s.assessmentError(a, http.StatusBadRequest, "We could not read that submission",
			"The form data was malformed. Please fill in the form again.")
	}
	answers, missing, err := a.ParseAnswers(r.PostForm)
	if err != nil {
		return s.assessmentError(a, http.StatusBadRequest, "We could not read that submission", inputMessage(err))
	}
	if len(missing) > 0 {
		return s.renderDynamic(w, r, http.StatusUnprocessableEntity,
			views.AssessmentPage(s.formMeta(a, true), s.site, a, views.FormState{Answers: answers, Missing: missing}))
	}
	http.Redirect(w, r, a.ResultURL()+"?"+a.Query(answers), http.StatusSeeOther)
	return nil
}

// result shows the result a link's answers add up to. The link holds the
// answers by id, so it needs no storage and survives rewording and reordering.
func (s *server) result(w http.ResponseWriter, r *http.Request, a *content.Assessment) error {
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return s.assessmentError(a, http.StatusBadRequest, "We could not read this result link",
			"The address is malformed, perhaps cut short when it was copied. You can take the assessment again; it takes a few minutes.")
	}
	dropTracking(v) // the canonical redirect below then removes them from the address
	answers, missing, err := a.ParseAnswers(v)
	if err != nil {
		return s.assessmentError(a, http.StatusBadRequest, "This result link does not match the assessment",
			inputMessage(err)+" The link may have been edited, or the questions may have changed since it was made.")
	}
	if len(missing) > 0 {
		if len(answers) == 0 {
			return s.assessmentError(a, http.StatusNotFound, "This result link holds no answers",
				"A result link carries the answers that produced it; this one has none. Take the assessment to get your result.")
		}
		return s.assessmentError(a, http.StatusNotFound, "This result link is out of date",
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
	link := s.baseURL + a.ResultURL() + "?" + r.URL.RawQuery
	m := s.meta(res.Outcome.Title+" · "+a.Title, res.Outcome.Summary, "", views.Crumb{Label: "Home", URL: "/"},
		views.Crumb{Label: a.Guide.Title, URL: a.Guide.URL()}, views.Crumb{Label: a.Title, URL: a.URL()})
	m.NoIndex = true
	m.Image, m.ImageAlt = outcomeImage(a, res.Outcome), res.Outcome.Title
	m.Path = a.ResultURL() + "?" + r.URL.RawQuery
	return s.renderDynamic(w, r, http.StatusOK, views.ResultPage(m, s.site, views.ResultView{Assessment: a, Result: res, Permalink: link, ChangeURL: a.URL() + "?" + r.URL.RawQuery}))
}

func inputMessage(err error) string {
	var ie *content.InputError
	if errors.As(err, &ie) {
		return ie.Msg
	}
	return "The answers could not be read."
}

// assessmentError is an error page that offers to take the assessment again.
func (s *server) assessmentError(a *content.Assessment, status int, heading, message string) error {
	return &httpError{status: status, heading: heading, message: message, assessment: a}
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
