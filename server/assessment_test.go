package server_test

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"go.yaml.in/yaml/v3"
	"golang.org/x/net/html"

	"github.com/pmvspo/site/content"
)

// answersBy answers every question with the option pick chooses.
func answersBy(a *content.Assessment, pick func(q *content.Question) *content.Option) content.Answers {
	ans := content.Answers{}
	for _, q := range a.Questions {
		ans[q.ID] = pick(q).ID
	}
	return ans
}

func firstOption(q *content.Question) *content.Option { return q.Options[0] }
func lastOption(q *content.Question) *content.Option  { return q.Options[len(q.Options)-1] }

// firstQuery is the canonical result query of the first option everywhere.
func firstQuery(a *content.Assessment) string { return a.Query(answersBy(a, firstOption)) }

// formBody encodes answers as a browser would post them (in page order).
func formBody(a *content.Assessment, ans content.Answers) string {
	var parts []string
	for _, q := range a.Questions {
		if o, ok := ans[q.ID]; ok {
			parts = append(parts, url.QueryEscape(q.ID)+"="+url.QueryEscape(o))
		}
	}
	return strings.Join(parts, "&")
}

func outcomeTitle(t *testing.T, a *content.Assessment, ans content.Answers) string {
	t.Helper()
	res, err := a.Score(ans)
	if err != nil {
		t.Fatalf("scoring %v: %v", ans, err)
	}
	return res.Outcome.Title
}

func TestAssessmentForm(t *testing.T) {
	for _, a := range guide(t).Assessments {
		t.Run(a.ID, func(t *testing.T) {
			w := get(t, a.URL())
			wantStatus(t, w, "GET "+a.URL(), http.StatusOK)
			doc := wantHTML(t, w, a.URL())
			if got := h1Text(t, doc); got != a.Title {
				t.Errorf("h1 %q, want %q", got, a.Title)
			}
			form := mustFind(t, doc, tag("form"), "<form>")
			if m := strings.ToLower(attr(form, "method")); m != "post" {
				t.Errorf("form method %q, want post", m)
			}
			if act := attr(form, "action"); act != a.URL() {
				t.Errorf("form action %q, want %q", act, a.URL())
			}
			if n := strconv.Itoa(len(a.Questions)) + " questions"; !strings.Contains(text(doc), n) {
				t.Errorf("the page does not say it has %q", n)
			}
			sets := findAll(form, tag("fieldset"))
			if len(sets) != len(a.Questions) {
				t.Fatalf("%d fieldsets, want one per question (%d)", len(sets), len(a.Questions))
			}
			pageIDs := ids(doc)
			for id, n := range pageIDs {
				if n > 1 {
					t.Errorf("id %q appears %d times", id, n)
				}
			}
			for i, q := range a.Questions {
				fs := sets[i]
				if got := attr(fs, "id"); got != "q-"+q.ID {
					t.Errorf("fieldset %d has id %q, want q-%s", i, got, q.ID)
				}
				lg := find(fs, tag("legend"))
				if lg == nil || !strings.Contains(text(lg), q.Prompt) {
					t.Errorf("fieldset %s: legend %q does not hold the prompt %q", q.ID, textOrNil(lg), q.Prompt)
				}
				radios := findAll(fs, and(tag("input"), withAttr("type", "radio")))
				if len(radios) != len(q.Options) {
					t.Errorf("fieldset %s: %d radios, want %d", q.ID, len(radios), len(q.Options))
					continue
				}
				for j, in := range radios {
					o := q.Options[j]
					if attr(in, "name") != q.ID || attr(in, "value") != o.ID {
						t.Errorf("radio %s/%s: name=%q value=%q", q.ID, o.ID, attr(in, "name"), attr(in, "value"))
					}
					if _, checked := attrOK(in, "checked"); checked {
						t.Errorf("radio %s/%s is checked on a fresh form", q.ID, o.ID)
					}
					id := attr(in, "id")
					if id == "" {
						t.Errorf("radio %s/%s has no id", q.ID, o.ID)
						continue
					}
					labels := findAll(fs, and(tag("label"), withAttr("for", id)))
					if len(labels) != 1 || text(labels[0]) != o.Label {
						t.Errorf("radio %s: %d labels for it, want one reading %q", id, len(labels), o.Label)
					}
				}
				if d := attr(fs, "aria-describedby"); d != "" {
					for _, ref := range strings.Fields(d) {
						if pageIDs[ref] != 1 {
							t.Errorf("fieldset %s: aria-describedby names %q, which is not on the page", q.ID, ref)
						}
					}
				}
			}
			if find(form, func(n *html.Node) bool {
				return n.Type == html.ElementNode && (n.Data == "button" || n.Data == "input") && attr(n, "type") == "submit"
			}) == nil {
				t.Errorf("the form has no submit button")
			}
		})
	}
}

// TestAssessmentFlow submits a complete form and follows it to the result.
func TestAssessmentFlow(t *testing.T) {
	for _, a := range guide(t).Assessments {
		for name, pick := range map[string]func(*content.Question) *content.Option{"first": firstOption, "last": lastOption} {
			t.Run(a.ID+" "+name, func(t *testing.T) {
				ans := answersBy(a, pick)
				w := post(t, a.URL(), formBody(a, ans))
				wantStatus(t, w, "POST "+a.URL(), http.StatusSeeOther)
				loc := w.Header().Get("Location")
				if !strings.HasPrefix(loc, a.ResultURL()+"?") {
					t.Fatalf("Location %q, want %s?…", loc, a.ResultURL())
				}
				if loc != a.ResultURL()+"?"+a.Query(ans) {
					t.Errorf("Location %q, want the canonical %q", loc, a.ResultURL()+"?"+a.Query(ans))
				}
				checkResultPage(t, a, loc, outcomeTitle(t, a, ans))
			})
		}
	}
}

// checkResultPage fetches a result link and checks the page.
func checkResultPage(t *testing.T, a *content.Assessment, link, title string) *html.Node {
	t.Helper()
	r := get(t, link)
	wantStatus(t, r, "GET "+link, http.StatusOK)
	doc := wantHTML(t, r, link)
	if got := h1Text(t, doc); got != title {
		t.Errorf("h1 %q, want the outcome %q", got, title)
	}
	if find(doc, and(tag("meta"), withAttr("name", "robots"), withAttr("content", "noindex"))) == nil {
		t.Errorf(`the result page has no <meta name="robots" content="noindex">`)
	}
	if find(doc, and(tag("link"), withAttr("rel", "canonical"))) != nil {
		t.Errorf("the result page names a canonical URL although it is noindex")
	}
	if cc := r.Header().Get("Cache-Control"); !strings.Contains(cc, "private") {
		t.Errorf("Cache-Control %q, want private", cc)
	}
	why := mustFind(t, doc, withClass("why-list"), "the why breakdown")
	items := findAll(why, tag("li"))
	if len(items) != len(a.Questions) {
		t.Fatalf("%d why items, want one per question (%d)", len(items), len(a.Questions))
	}
	for i, q := range a.Questions {
		it := items[i]
		if !strings.Contains(text(it), q.Prompt) {
			t.Errorf("why item %d does not quote the question %q", i, q.Prompt)
		}
		as := findAll(it, tag("a"))
		if len(as) == 0 {
			t.Errorf("why item %s has no link into the guide", q.ID)
			continue
		}
		for _, l := range as {
			checkLinkTarget(t, link, attr(l, "href"))
		}
	}
	if !hasHref(doc, a.URL()) {
		t.Errorf("the result page has no link to take the assessment again")
	}
	shown := false
	for _, h := range hrefs(mustFind(t, doc, withClass("share"), "the share section")) {
		if u, err := url.Parse(h); err == nil && u.RequestURI() == link {
			shown = true
		}
	}
	if !shown {
		t.Errorf("the result page does not show its own permalink %s", link)
	}
	return doc
}

// checkLinkTarget follows href from page and checks that the page answers
// 200 and holds the fragment.
func checkLinkTarget(t *testing.T, page, href string) {
	t.Helper()
	u := resolve(t, page, href)
	if u.Host != "" || u.Scheme != "" {
		t.Errorf("link %q on %s leaves the site", href, page)
		return
	}
	target := u.Path
	if u.RawQuery != "" {
		target += "?" + u.RawQuery
	}
	w := get(t, target)
	if w.Code != http.StatusOK {
		t.Errorf("link %q on %s: %s answers %d", href, page, target, w.Code)
		return
	}
	if u.Fragment != "" {
		if ids(parseHTML(t, w.Body.Bytes()))[u.Fragment] == 0 {
			t.Errorf("link %q on %s: %s has no element with id %q", href, page, target, u.Fragment)
		}
	}
}

// TestAssessmentOutcomes: the page shows the outcome the model scores, for
// a spread of answer sets.
func TestAssessmentOutcomes(t *testing.T) {
	for _, a := range guide(t).Assessments {
		seen := map[string]bool{}
		maxOpts := 0
		for _, q := range a.Questions {
			maxOpts = max(maxOpts, len(q.Options))
		}
		for k := 0; k < maxOpts; k++ {
			for shift := 0; shift < 2; shift++ {
				ans := content.Answers{}
				for i, q := range a.Questions {
					ans[q.ID] = q.Options[(k+i*shift)%len(q.Options)].ID
				}
				title := outcomeTitle(t, a, ans)
				seen[title] = true
				w := get(t, a.ResultURL()+"?"+a.Query(ans))
				wantStatus(t, w, "result", http.StatusOK)
				if got := h1Text(t, parseHTML(t, w.Body.Bytes())); got != title {
					t.Errorf("%s?%s: h1 %q, want %q", a.ResultURL(), a.Query(ans), got, title)
				}
			}
		}
		// Find an answer set for every outcome the spread missed.
		rng := rand.New(rand.NewPCG(1, 2))
		for try := 0; try < 20000 && len(seen) < len(a.Outcomes); try++ {
			ans := answersBy(a, func(q *content.Question) *content.Option { return q.Options[rng.IntN(len(q.Options))] })
			title := outcomeTitle(t, a, ans)
			if seen[title] {
				continue
			}
			seen[title] = true
			w := get(t, a.ResultURL()+"?"+a.Query(ans))
			wantStatus(t, w, "result", http.StatusOK)
			if got := h1Text(t, parseHTML(t, w.Body.Bytes())); got != title {
				t.Errorf("%s?%s: h1 %q, want %q", a.ResultURL(), a.Query(ans), got, title)
			}
		}
		if len(seen) != len(a.Outcomes) {
			t.Errorf("%s: reached %d of %d outcomes", a.ID, len(seen), len(a.Outcomes))
		}
		t.Logf("%s: all %d outcomes shown", a.ID, len(seen))
	}
}

func TestAssessmentMissingAnswers(t *testing.T) {
	a := guide(t).Assessment("fit")
	all := answersBy(a, lastOption)
	given := content.Answers{}
	var missing []*content.Question
	for i, q := range a.Questions {
		if i%2 == 0 {
			given[q.ID] = all[q.ID]
		} else {
			missing = append(missing, q)
		}
	}
	for name, body := range map[string]string{
		"left out":    formBody(a, given),
		"empty value": formBody(a, given) + "&" + missing[0].ID + "=",
	} {
		t.Run(name, func(t *testing.T) {
			w := post(t, a.URL(), body)
			wantStatus(t, w, "POST with missing answers", http.StatusUnprocessableEntity)
			doc := wantHTML(t, w, "422")
			if cc := w.Header().Get("Cache-Control"); !strings.Contains(cc, "private") && !strings.Contains(cc, "no-store") {
				t.Errorf("Cache-Control %q on a page holding answers", cc)
			}
			h1Text(t, doc)
			sum := mustFind(t, doc, withClass("error-summary"), "error summary")
			var want []string
			for _, q := range missing {
				want = append(want, "#q-"+q.ID)
			}
			if got := hrefs(sum); !slices.Equal(got, want) {
				t.Errorf("the error summary links to %q, want %q", got, want)
			}
			sets := map[string]*html.Node{}
			for _, fs := range findAll(doc, tag("fieldset")) {
				sets[attr(fs, "id")] = fs
			}
			for _, q := range a.Questions {
				fs := sets["q-"+q.ID]
				if fs == nil {
					t.Errorf("no fieldset #q-%s", q.ID)
					continue
				}
				msg := find(fs, withClass("error-message"))
				if _, isGiven := given[q.ID]; isGiven {
					if msg != nil {
						t.Errorf("answered question %s shows an error", q.ID)
					}
					for _, in := range findAll(fs, and(tag("input"), withAttr("type", "radio"))) {
						_, checked := attrOK(in, "checked")
						if want := attr(in, "value") == given[q.ID]; checked != want {
							t.Errorf("question %s option %s: checked=%v, want %v", q.ID, attr(in, "value"), checked, want)
						}
					}
				} else {
					if msg == nil || text(msg) == "" {
						t.Errorf("unanswered question %s has no error message inside its fieldset", q.ID)
					}
					for _, in := range findAll(fs, and(tag("input"), withAttr("type", "radio"))) {
						if _, checked := attrOK(in, "checked"); checked {
							t.Errorf("unanswered question %s has option %s checked", q.ID, attr(in, "value"))
						}
					}
				}
			}
		})
	}
}

const scriptPayload = "<script>alert(1)</script>"

func TestAssessmentBadSubmissions(t *testing.T) {
	a := guide(t).Assessment("fit")
	valid := formBody(a, answersBy(a, firstOption))
	q0 := a.Questions[0]
	tests := []struct {
		name    string
		body    string
		headers []string // replaces the browser form headers when set
		status  int
		mention string
	}{
		{"unknown question", valid + "&nope-question=x", nil, 400, "nope-question"},
		{"unknown question alone", "nope-question=x", nil, 400, "nope-question"},
		{"unknown option", strings.Replace(valid, q0.ID+"="+q0.Options[0].ID, q0.ID+"=no-such-option", 1), nil, 400, "no-such-option"},
		{"repeated field", valid + "&" + q0.ID + "=" + q0.Options[0].ID, nil, 400, ""},
		{"repeated field, different values", valid + "&" + q0.ID + "=" + q0.Options[1].ID, nil, 400, ""},
		{"too large", valid + "&pad=" + strings.Repeat("x", 5000), nil, 413, ""},
		{"too large, padding first", "pad=" + strings.Repeat("x", 5000) + "&" + valid, nil, 413, ""},
		{"malformed escape", "%zz", nil, 400, ""},
		{"malformed escape after answers", valid + "&x=%zz", nil, 400, ""},
		{"semicolon", strings.Replace(valid, "&", ";", 1), nil, 400, ""},
		{"text/plain", valid, []string{"Content-Type", "text/plain", "Sec-Fetch-Site", "same-origin"}, 415, ""},
		{"json", `{"roadmap":"me"}`, []string{"Content-Type", "application/json", "Sec-Fetch-Site", "same-origin"}, 415, ""},
		{"multipart", valid, []string{"Content-Type", "multipart/form-data; boundary=x", "Sec-Fetch-Site", "same-origin"}, 415, ""},
		{"no content type", valid, []string{"Sec-Fetch-Site", "same-origin"}, 415, ""},
		{"look-alike content type", valid, []string{"Content-Type", "application/x-www-form-urlencoded-but-not", "Sec-Fetch-Site", "same-origin"}, 415, ""},
		{"cross-site", valid, []string{"Content-Type", "application/x-www-form-urlencoded", "Sec-Fetch-Site", "cross-site"}, 403, ""},
		{"foreign origin", valid, []string{"Content-Type", "application/x-www-form-urlencoded", "Origin", "https://evil.example"}, 403, ""},
		{"foreign origin, null", valid, []string{"Content-Type", "application/x-www-form-urlencoded", "Origin", "null"}, 403, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hdr := tc.headers
			if hdr == nil {
				hdr = formHeaders
			}
			w := request(t, http.MethodPost, a.URL(), tc.body, hdr...)
			wantStatus(t, w, "POST "+tc.name, tc.status)
			doc := wantHTML(t, w, tc.name)
			h := h1Text(t, doc)
			if h == "" {
				t.Errorf("the error page has an empty heading")
			}
			lede := find(doc, withClass("lede"))
			if lede == nil || len(text(lede)) < 20 {
				t.Errorf("the error page does not explain what went wrong: %q", textOrNil(lede))
			}
			if tc.mention != "" && !strings.Contains(text(doc), tc.mention) {
				t.Errorf("the error page does not mention %q: %q", tc.mention, textOrNil(lede))
			}
			if tc.status != 403 && !hasHref(doc, a.URL()) {
				t.Errorf("the error page does not link back to the form %s", a.URL())
			}
			if tc.status == 403 && !strings.Contains(strings.ToLower(text(doc)), "form") {
				t.Errorf("the 403 page does not explain the form was refused: %q", textOrNil(lede))
			}
			if cc := w.Header().Get("Cache-Control"); !strings.Contains(cc, "no-store") && !strings.Contains(cc, "private") {
				t.Errorf("an error page for a submission has Cache-Control %q", cc)
			}
		})
	}
}

// TestAssessmentSameOrigin: browsers that send only Origin, or tools that
// send neither header, may still post.
func TestAssessmentSameOrigin(t *testing.T) {
	a := guide(t).Assessment("fit")
	valid := formBody(a, answersBy(a, firstOption))
	for name, hdr := range map[string][]string{
		"same-origin Origin":  {"Content-Type", "application/x-www-form-urlencoded", "Origin", "http://example.com"},
		"no fetch metadata":   {"Content-Type", "application/x-www-form-urlencoded"},
		"Sec-Fetch-Site none": {"Content-Type", "application/x-www-form-urlencoded", "Sec-Fetch-Site", "none"},
		"charset parameter":   {"Content-Type", "application/x-www-form-urlencoded; charset=UTF-8", "Sec-Fetch-Site", "same-origin"},
	} {
		w := request(t, http.MethodPost, a.URL(), valid, hdr...)
		if w.Code != http.StatusSeeOther {
			t.Errorf("%s: status %d, want 303", name, w.Code)
		}
	}
}

// TestAssessmentScriptPayload: hostile names and values are shown, if at
// all, as text.
func TestAssessmentScriptPayload(t *testing.T) {
	a := guide(t).Assessment("fit")
	valid := formBody(a, answersBy(a, firstOption))
	q0 := a.Questions[0].ID
	esc := url.QueryEscape(scriptPayload)
	cases := []struct {
		name   string
		method string
		target string
		body   string
	}{
		{"post name", "POST", a.URL(), valid + "&" + esc + "=1"},
		{"post value", "POST", a.URL(), strings.Replace(valid, q0+"="+a.Questions[0].Options[0].ID, q0+"="+esc, 1)},
		{"post raw", "POST", a.URL(), scriptPayload},
		{"post raw value", "POST", a.URL(), q0 + "=" + scriptPayload},
		{"result name", "GET", a.ResultURL() + "?" + valid + "&" + esc + "=1", ""},
		{"result value", "GET", a.ResultURL() + "?" + q0 + "=" + esc, ""},
		{"form prefill name", "GET", a.URL() + "?" + esc + "=1", ""},
		{"form prefill value", "GET", a.URL() + "?" + q0 + "=" + esc, ""},
		{"404 path", "GET", "/guides/" + url.PathEscape(scriptPayload), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var hdr []string
			if tc.method == "POST" {
				hdr = formHeaders
			}
			w := request(t, tc.method, tc.target, tc.body, hdr...)
			if w.Code < 400 {
				t.Errorf("status %d, want a 4xx", w.Code)
			}
			b := w.Body.String()
			if strings.Contains(b, scriptPayload) || strings.Contains(b, "<script>alert") {
				t.Errorf("the payload appears unescaped in the %d response", w.Code)
			}
			doc := parseHTML(t, w.Body.Bytes())
			for _, s := range findAll(doc, tag("script")) {
				if attr(s, "type") == "application/ld+json" {
					continue // data, not script
				}
				if attr(s, "src") == "" || text(s) != "" {
					t.Errorf("an inline script is on the page: %q", text(s))
				}
			}
		})
	}
}

func TestResultPermalinks(t *testing.T) {
	a := guide(t).Assessment("fit")
	ans := answersBy(a, lastOption)
	canonical := a.ResultURL() + "?" + a.Query(ans)

	t.Run("same URL, same body", func(t *testing.T) {
		w1, w2 := get(t, canonical), get(t, canonical)
		wantStatus(t, w1, canonical, http.StatusOK)
		if w1.Body.String() != w2.Body.String() {
			t.Errorf("two GETs of %s gave different bodies", canonical)
		}
		if e1, e2 := w1.Header().Get("ETag"), w2.Header().Get("ETag"); e1 != e2 {
			t.Errorf("two GETs gave different ETags %q and %q", e1, e2)
		}
	})

	t.Run("reordered", func(t *testing.T) {
		qs := a.Questions
		var parts []string
		for i := len(qs) - 1; i >= 0; i-- {
			parts = append(parts, qs[i].ID+"="+ans[qs[i].ID])
		}
		for _, p := range []string{a.ResultURL() + "?" + strings.Join(parts, "&"), canonical + "&"} {
			w := get(t, p)
			wantStatus(t, w, "GET "+p, http.StatusMovedPermanently)
			if loc := w.Header().Get("Location"); loc != canonical {
				t.Errorf("GET %s: Location %q, want %q", p, loc, canonical)
			}
		}
	})

	t.Run("re-encoded", func(t *testing.T) {
		q0 := a.Questions[0].ID
		p := strings.Replace(canonical, "?"+q0, "?"+fmt.Sprintf("%%%02X", q0[0])+q0[1:], 1)
		w := get(t, p)
		wantStatus(t, w, "GET "+p, http.StatusMovedPermanently)
		if loc := w.Header().Get("Location"); loc != canonical {
			t.Errorf("Location %q, want %q", loc, canonical)
		}
	})

	t.Run("tampered", func(t *testing.T) {
		q0 := a.Questions[0]
		for _, p := range []string{
			strings.Replace(canonical, q0.ID+"="+ans[q0.ID], q0.ID+"=tampered", 1),
			canonical + "&" + q0.ID + "=" + ans[q0.ID],
			canonical + "&%zz",
		} {
			w := get(t, p)
			wantStatus(t, w, "GET "+p, http.StatusBadRequest)
			doc := wantHTML(t, w, p)
			if !hasHref(doc, a.URL()) {
				t.Errorf("GET %s: the 400 page has no link to retake the assessment (%s)", p, a.URL())
			}
			if find(doc, and(tag("meta"), withAttr("name", "robots"), withAttr("content", "noindex"))) == nil {
				t.Errorf("GET %s: the error page is not noindex", p)
			}
		}
	})

	t.Run("no answers", func(t *testing.T) {
		for _, p := range []string{a.ResultURL(), a.ResultURL() + "?", a.ResultURL() + "?" + a.Questions[0].ID + "="} {
			w := get(t, p)
			wantStatus(t, w, "GET "+p, http.StatusNotFound)
			doc := wantHTML(t, w, p)
			if !hasHref(doc, a.URL()) {
				t.Errorf("GET %s: the 404 page has no link to take the assessment", p)
			}
		}
	})

	t.Run("some answers", func(t *testing.T) {
		part := content.Answers{a.Questions[0].ID: ans[a.Questions[0].ID]}
		p := a.ResultURL() + "?" + a.Query(part)
		w := get(t, p)
		if w.Code != http.StatusNotFound && w.Code != http.StatusBadRequest {
			t.Errorf("GET %s: status %d, want 404 or 400", p, w.Code)
		}
		if !hasHref(wantHTML(t, w, p), a.URL()) {
			t.Errorf("GET %s: no link to take the assessment", p)
		}
	})

	t.Run("prefilled form", func(t *testing.T) {
		q0 := a.Questions[0]
		p := a.URL() + "?" + q0.ID + "=" + q0.Options[1].ID
		w := get(t, p)
		wantStatus(t, w, "GET "+p, http.StatusOK)
		doc := wantHTML(t, w, p)
		in := mustFind(t, doc, and(tag("input"), withAttr("name", q0.ID), withAttr("value", q0.Options[1].ID)), "the prefilled radio")
		if _, ok := attrOK(in, "checked"); !ok {
			t.Errorf("GET %s: option %s is not checked", p, q0.Options[1].ID)
		}
		if find(doc, and(tag("meta"), withAttr("name", "robots"), withAttr("content", "noindex"))) == nil {
			t.Errorf("GET %s: a prefilled form is not noindex", p)
		}
	})
}

// TestPermalinkSurvivesReorder: result links name answers by id, so an
// editor reordering the questions does not break links already shared.
func TestPermalinkSurvivesReorder(t *testing.T) {
	const name = "guides/pm-vs-po/assessments/fit.yaml"
	src := content.Embedded()
	m := fstest.MapFS{}
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		m[p] = &fstest.MapFile{Data: b, Mode: 0o444}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if m[name] == nil {
		t.Fatalf("the embedded content has no %s", name)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(m[name].Data, &doc); err != nil {
		t.Fatal(err)
	}
	root := doc.Content[0]
	reversed := false
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "questions" {
			slices.Reverse(root.Content[i+1].Content)
			reversed = true
		}
	}
	if !reversed {
		t.Fatalf("%s has no questions key", name)
	}
	out, err := yaml.Marshal(&doc)
	if err != nil {
		t.Fatal(err)
	}
	m[name] = &fstest.MapFile{Data: out, Mode: 0o444}

	site2, err := content.Load(m)
	if err != nil {
		t.Fatalf("loading the reordered content: %v", err)
	}
	h2, err := newHandler(site2, testOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a1, a2 := guide(t).Assessment("fit"), site2.Guide("pm-vs-po").Assessment("fit")
	if a1.Questions[0].ID != a2.Questions[len(a2.Questions)-1].ID {
		t.Fatalf("the questions were not reordered: %s first, %s last", a1.Questions[0].ID, a2.Questions[len(a2.Questions)-1].ID)
	}

	for name, pick := range map[string]func(*content.Question) *content.Option{"first": firstOption, "last": lastOption} {
		t.Run(name, func(t *testing.T) {
			ans := answersBy(a1, pick)
			w := post(t, a1.URL(), formBody(a1, ans))
			wantStatus(t, w, "POST", http.StatusSeeOther)
			link := w.Header().Get("Location")
			want := h1Text(t, parseHTML(t, get(t, link).Body.Bytes()))

			r := do(h2, newRequest(http.MethodGet, link, nil))
			for hops := 0; r.Code == http.StatusMovedPermanently && hops < 3; hops++ {
				r = do(h2, newRequest(http.MethodGet, r.Header().Get("Location"), nil))
			}
			wantStatus(t, r, "GET "+link+" on the reordered site", http.StatusOK)
			if got := h1Text(t, parseHTML(t, r.Body.Bytes())); got != want {
				t.Errorf("the reordered site shows %q for %s, the original %q", got, link, want)
			}
		})
	}
}

// TestTrackingParameters: links shared on social sites and in newsletters
// come back with tracking parameters appended (Facebook adds fbclid to every
// outbound link). They must not turn the assessment or a result into an
// error page.
func TestTrackingParameters(t *testing.T) {
	a := guide(t).Assessment("fit")
	ans := answersBy(a, firstOption)
	canonical := a.ResultURL() + "?" + a.Query(ans)
	for _, extra := range []string{"fbclid=IwAR0abc", "utm_source=newsletter&utm_medium=email", "gclid=xyz"} {
		t.Run(extra, func(t *testing.T) {
			form := get(t, a.URL()+"?"+extra)
			if form.Code != http.StatusOK {
				t.Errorf("GET %s?%s: status %d, want 200 (the form)", a.URL(), extra, form.Code)
			}
			p := canonical + "&" + extra
			w := get(t, p)
			for hops := 0; w.Code == http.StatusMovedPermanently && hops < 3; hops++ {
				w = get(t, w.Header().Get("Location"))
			}
			if w.Code != http.StatusOK {
				t.Errorf("GET %s: status %d, want the result (200, or a 301 to it)", p, w.Code)
				return
			}
			if got := h1Text(t, parseHTML(t, w.Body.Bytes())); got != outcomeTitle(t, a, ans) {
				t.Errorf("GET %s: h1 %q, want %q", p, got, outcomeTitle(t, a, ans))
			}
		})
	}
}

// TestSubmitSizeLimit: the limit is 4 KB exactly; padding that a form
// parser skips (empty pairs) keeps a body valid up to it.
func TestSubmitSizeLimit(t *testing.T) {
	a := guide(t).Assessment("fit")
	valid := formBody(a, answersBy(a, firstOption))
	const limit = 4 << 10
	at := valid + strings.Repeat("&", limit-len(valid))
	if w := post(t, a.URL(), at); w.Code != http.StatusSeeOther {
		t.Errorf("a %d-byte submission: status %d, want 303", len(at), w.Code)
	}
	over := at + "&"
	if w := post(t, a.URL(), over); w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("a %d-byte submission: status %d, want 413", len(over), w.Code)
	}
}
