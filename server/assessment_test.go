package server_test

import (
	"fmt"
	"io/fs"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

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
	// noindex keeps result pages out of search results; the canonical link
	// still names the one address of this result, for link previews and
	// for anything that reached it with extra parameters.
	if c := find(doc, and(tag("link"), withAttr("rel", "canonical"))); c == nil {
		t.Errorf("the result page has no canonical link")
	} else if u, err := url.Parse(attr(c, "href")); err != nil || u.RequestURI() != link {
		t.Errorf("canonical link %q, want the result's own address %s", attr(c, "href"), link)
	}
	if img := find(doc, and(tag("meta"), withAttr("property", "og:image"))); img == nil || !strings.Contains(attr(img, "content"), "/og/") {
		t.Errorf("the result page has no share image of its outcome")
	}
	// "Change my answers" opens the form with every answer checked.
	change := mustFind(t, doc, and(tag("a"), func(n *html.Node) bool { return text(n) == "Change my answers" }), "the change-my-answers link")
	u, err := url.Parse(attr(change, "href"))
	if err != nil || u.Path != a.URL() {
		t.Errorf("Change my answers links to %q, want the form %s", attr(change, "href"), a.URL())
	} else {
		fw := get(t, u.RequestURI())
		wantStatus(t, fw, "GET "+u.RequestURI(), http.StatusOK)
		checked := checkedAnswers(parseHTML(t, fw.Body.Bytes()))
		lu, _ := url.Parse(link)
		for q, v := range lu.Query() {
			if checked[q] != v[0] {
				t.Errorf("the pre-filled form has %s=%q checked, the result has %q", q, checked[q], v[0])
			}
		}
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
		if o := chosenOption(q, link); o != nil {
			for _, want := range wantEffects(a, o) {
				if !strings.Contains(text(it), want) {
					t.Errorf("why item %s (answer %s) does not say %q: %q", q.ID, o.ID, want, text(it))
				}
			}
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
	a := assessment(t)
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
	// Only the last question left out: a summary short enough to name it.
	allButLast := maps.Clone(all)
	last := a.Questions[len(a.Questions)-1]
	delete(allButLast, last.ID)
	for name, tc := range map[string]struct {
		body    string
		given   content.Answers
		missing []*content.Question
	}{
		"left out":     {formBody(a, given), given, missing},
		"empty value":  {formBody(a, given) + "&" + missing[0].ID + "=", given, missing},
		"one left out": {formBody(a, allButLast), allButLast, []*content.Question{last}},
	} {
		body, given, missing := tc.body, tc.given, tc.missing
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
			// Each link names the question by the number the form shows: in
			// full, or, when many are left, as a number in a sentence about
			// questions, which keeps the form near the top of a phone.
			for i, l := range findAll(sum, tag("a")) {
				q := missing[i]
				n := slices.Index(a.Questions, q) + 1
				full, short := fmt.Sprintf("Question %d: %s", n, q.Prompt), strconv.Itoa(n)
				if got := text(l); got != full && !(got == short && strings.Contains(text(l.Parent), "Choose one option for questions")) {
					t.Errorf("error summary link %d reads %q, want %q, or %q in a sentence about questions", i+1, got, full, short)
				}
			}
			if len(missing) == 1 {
				if l := find(sum, tag("a")); l == nil || !strings.Contains(text(l), missing[0].Prompt) {
					t.Errorf("with one question left, the error summary does not name it in full: %q", text(sum))
				}
			}
			if title := text(mustFind(t, doc, tag("title"), "<title>")); !strings.HasPrefix(title, "Error: ") {
				t.Errorf("title %q does not start with \"Error: \"", title)
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
	a := assessment(t)
	valid := formBody(a, answersBy(a, firstOption))
	tests := []struct {
		name    string
		body    string
		headers []string // replaces the browser form headers when set
		status  int
		mention string
	}{
		{"too large", valid + "&pad=" + strings.Repeat("x", 5000), nil, 413, ""},
		{"too large, padding first", "pad=" + strings.Repeat("x", 5000) + "&" + valid, nil, 413, ""},
		{"text/plain", valid, []string{"Content-Type", "text/plain", "Sec-Fetch-Site", "same-origin"}, 415, ""},
		{"json", fmt.Sprintf(`{%q:%q}`, a.Questions[0].ID, a.Questions[0].Options[0].ID), []string{"Content-Type", "application/json", "Sec-Fetch-Site", "same-origin"}, 415, ""},
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

// TestStaleSubmissionKeepsAnswers: a form left open across a change of
// questions, or one something added a field to, loses nothing that still
// fits. Fields that are no question are ignored; an answer that fits no
// option, or two different answers to one question, show the form again
// (422) with every other answer checked and a message naming the question.
func TestStaleSubmissionKeepsAnswers(t *testing.T) {
	for _, a := range guide(t).Assessments {
		ans := answersBy(a, firstOption)
		valid := formBody(a, ans)
		q0, q1 := a.Questions[0], a.Questions[1]
		pair := func(q *content.Question, o string) string { return q.ID + "=" + o }
		tests := []struct {
			name    string
			body    string
			status  int
			lost    []*content.Question // questions whose answer is not kept
			mention string              // what the message must name
			beside  string              // what the message beside a lost question must say
		}{
			{"unknown field", valid + "&nope-question=x", 303, nil, "", ""},
			{"the same answer twice", valid + "&" + pair(q0, q0.Options[0].ID), 303, nil, "", ""},
			{"unreadable part after every answer", valid + "&x=%zz", 303, nil, "", ""},
			{"unknown field alone", "nope-question=x", 422, a.Questions, "", "Choose one answer"},
			{"renamed option", strings.Replace(valid, pair(q0, q0.Options[0].ID), pair(q0, "renamed-option"), 1), 422, []*content.Question{q0}, q0.Prompt, `"renamed-option", is not one of its options`},
			{"two different answers", valid + "&" + pair(q0, q0.Options[1].ID), 422, []*content.Question{q0}, q0.Prompt, "2 different answers"},
			{"unreadable part", strings.Replace(valid, pair(q1, q1.Options[0].ID), q1.ID+"=%zz", 1), 422, []*content.Question{q1}, "could not be read", "Choose one answer"},
			{"semicolon", strings.Replace(valid, "&", ";", 1), 422, []*content.Question{q0, q1}, "could not be read", "Choose one answer"},
		}
		for _, tc := range tests {
			t.Run(a.ID+" "+tc.name, func(t *testing.T) {
				w := post(t, a.URL(), tc.body)
				wantStatus(t, w, "POST "+tc.name, tc.status)
				if tc.status == http.StatusSeeOther {
					if loc := w.Header().Get("Location"); loc != a.ResultURL()+"?"+a.Query(ans) {
						t.Errorf("Location %q, want the canonical result %s", loc, a.ResultURL()+"?"+a.Query(ans))
					}
					return
				}
				doc := wantHTML(t, w, tc.name)
				checked := checkedAnswers(doc)
				for _, q := range a.Questions {
					if slices.Contains(tc.lost, q) {
						if v, ok := checked[q.ID]; ok {
							t.Errorf("%s is checked as %q, but its answer could not be kept", q.ID, v)
						}
						fs := find(doc, withAttr("id", q.Anchor()))
						if fs == nil || find(fs, withClass("error-message")) == nil {
							t.Errorf("%s has no error message beside it", q.ID)
						} else if msg := text(find(fs, withClass("error-message"))); !strings.Contains(msg, tc.beside) {
							t.Errorf("the message beside %s reads %q, want it to say %q", q.ID, msg, tc.beside)
						}
					} else if checked[q.ID] != ans[q.ID] {
						t.Errorf("%s = %q after a stale submission, want the answer %q kept", q.ID, checked[q.ID], ans[q.ID])
					}
				}
				summary := mustFind(t, doc, withClass("error-summary"), "the error summary")
				if tc.mention != "" && !strings.Contains(text(summary), tc.mention) {
					t.Errorf("the error summary does not name %q: %q", tc.mention, text(summary))
				}
				if tc.beside != "" && tc.beside != "Choose one answer" && !strings.Contains(text(summary), tc.beside) {
					t.Errorf("the error summary does not say why the answer was left out (%q): %q", tc.beside, text(summary))
				}
				// Each question once: a rejected answer is not listed again
				// among the unanswered ones.
				links := hrefs(summary)
				if d := slices.Compact(slices.Sorted(slices.Values(links))); len(d) != len(links) {
					t.Errorf("the error summary links to a question twice: %q", links)
				}
				// With nothing answered, one link starts the reader at question 1
				// instead of a list of every question.
				want := len(tc.lost)
				if want == len(a.Questions) {
					want = 1
					if l := find(summary, tag("a")); l == nil || attr(l, "href") != "#"+a.Questions[0].Anchor() {
						t.Errorf("with nothing answered, the error summary does not link to the first question")
					}
				}
				if n := len(findAll(summary, tag("a"))); n != want {
					t.Errorf("the error summary links to %d questions, want %d", n, want)
				}
			})
		}
	}
}

// TestAssessmentSameOrigin: browsers that send only Origin, or tools that
// send neither header, may still post.
func TestAssessmentSameOrigin(t *testing.T) {
	a := assessment(t)
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
// all, as text, and never cost a 5xx.
func TestAssessmentScriptPayload(t *testing.T) {
	a := assessment(t)
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
			if w.Code >= 500 {
				t.Errorf("status %d", w.Code)
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
	a := assessment(t)
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

	// A link edited by hand, or made before an option was renamed, keeps
	// what still fits: a 400 that shows the form pre-filled.
	t.Run("tampered", func(t *testing.T) {
		q0 := a.Questions[0]
		p := strings.Replace(canonical, q0.ID+"="+ans[q0.ID], q0.ID+"=tampered", 1)
		w := get(t, p)
		wantStatus(t, w, "GET "+p, http.StatusBadRequest)
		doc := wantHTML(t, w, p)
		checkPrefilled(t, doc, a, ans, q0)
		if !strings.Contains(text(doc), q0.Prompt) || !strings.Contains(text(doc), `"tampered"`) {
			t.Errorf("GET %s: the page does not say which answer could not be kept", p)
		}
	})

	t.Run("padded", func(t *testing.T) {
		q0 := a.Questions[0]
		for _, p := range []string{canonical + "&" + q0.ID + "=" + ans[q0.ID], canonical + "&%zz", canonical + "&nope=1"} {
			w := get(t, p)
			wantStatus(t, w, "GET "+p, http.StatusMovedPermanently)
			if loc := w.Header().Get("Location"); loc != canonical {
				t.Errorf("GET %s: Location %q, want %q", p, loc, canonical)
			}
		}
	})

	t.Run("no answers", func(t *testing.T) {
		for _, p := range []string{a.ResultURL(), a.ResultURL() + "?", a.ResultURL() + "?" + a.Questions[0].ID + "="} {
			w := get(t, p)
			wantStatus(t, w, "GET "+p, http.StatusMovedPermanently)
			if loc := w.Header().Get("Location"); loc != a.URL() {
				t.Errorf("GET %s: Location %q, want the form %s", p, loc, a.URL())
			}
		}
	})

	// A link cut short (or made before questions were added) opens the form
	// with the answers it holds.
	t.Run("some answers", func(t *testing.T) {
		part := content.Answers{}
		for _, q := range a.Questions[:len(a.Questions)/2] {
			part[q.ID] = ans[q.ID]
		}
		p := a.ResultURL() + "?" + a.Query(part)
		w := get(t, p)
		wantStatus(t, w, "GET "+p, http.StatusOK)
		doc := wantHTML(t, w, p)
		checkPrefilled(t, doc, a, part)
		notice := mustFind(t, doc, withClass("notice-summary"), "the notice naming what the link held")
		usable := "usable answers"
		if len(part) == 1 {
			usable = "usable answer"
		}
		if want := fmt.Sprintf("%d %s of %d", len(part), usable, len(a.Questions)); !strings.Contains(text(notice), want) {
			t.Errorf("the notice %q does not say %q", text(notice), want)
		}
		if n := len(findAll(notice, tag("a"))); n != len(a.Questions)-len(part) {
			t.Errorf("the notice links to %d unanswered questions, want %d", n, len(a.Questions)-len(part))
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
	a1 := assessment(t)
	name := "guides/" + a1.Guide.Slug + "/assessments/" + a1.ID + ".yaml"
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
	a2 := site2.Guide(a1.Guide.Slug).Assessment(a1.ID)
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
	a := assessment(t)
	ans := answersBy(a, firstOption)
	canonical := a.ResultURL() + "?" + a.Query(ans)
	for _, extra := range []string{"fbclid=IwAR0abc", "utm_source=newsletter&utm_medium=email", "gclid=xyz"} {
		t.Run(extra, func(t *testing.T) {
			form := get(t, a.URL()+"?"+extra)
			if form.Code != http.StatusMovedPermanently || form.Header().Get("Location") != a.URL() {
				t.Errorf("GET %s?%s: %d to %q, want a 301 to the form", a.URL(), extra, form.Code, form.Header().Get("Location"))
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
	a := assessment(t)
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

// checkedAnswers reads which radio of each question a form has checked.
func checkedAnswers(doc *html.Node) map[string]string {
	out := map[string]string{}
	for _, in := range findAll(doc, and(tag("input"), withAttr("type", "radio"))) {
		if _, ok := attrOK(in, "checked"); ok {
			out[attr(in, "name")] = attr(in, "value")
		}
	}
	return out
}

// checkPrefilled checks a form pre-filled from a link: it posts to the
// assessment, has every answer of ans checked except those of lost, and is
// kept out of search engines.
func checkPrefilled(t *testing.T, doc *html.Node, a *content.Assessment, ans content.Answers, lost ...*content.Question) {
	t.Helper()
	if f := find(doc, and(tag("form"), withAttr("action", a.URL()))); f == nil {
		t.Errorf("no form posting to %s", a.URL())
	}
	checked := checkedAnswers(doc)
	for _, q := range a.Questions {
		want, given := ans[q.ID]
		if slices.Contains(lost, q) || !given {
			want = ""
		}
		if checked[q.ID] != want {
			t.Errorf("%s = %q on the pre-filled form, want %q", q.ID, checked[q.ID], want)
		}
	}
	if find(doc, and(tag("meta"), withAttr("name", "robots"), withAttr("content", "noindex"))) == nil {
		t.Errorf("a pre-filled form is not noindex")
	}
}

// chosenOption is the option of q that a result link chose, if any.
func chosenOption(q *content.Question, link string) *content.Option {
	u, err := url.Parse(link)
	if err != nil {
		return nil
	}
	id := u.Query().Get(q.ID)
	for _, o := range q.Options {
		if o.ID == id {
			return o
		}
	}
	return nil
}

// wantEffects are what the why item of an answer must say about its
// effect: which end of a drawn scale it moves toward, what it adds to a
// counted factor (one with no bar, so a reader never reads "+1" as part of
// a score that does not include it), or that it has no effect.
func wantEffects(a *content.Assessment, o *content.Option) []string {
	var out []string
	for _, f := range a.Factors {
		w := o.Weights[f.ID]
		if w == 0 {
			continue
		}
		drawn := false
		for _, sc := range a.Scales {
			if sc.Factor == f {
				drawn = true
				// A distance without a sign: "+2 toward" the low end read as a
				// contradiction where that end counts as negative.
				unit := "points"
				if w == 1 || w == -1 {
					unit = "point"
				}
				if w > 0 {
					out = append(out, fmt.Sprintf("%d %s toward %s", w, unit, sc.High))
				} else {
					out = append(out, fmt.Sprintf("%d %s toward %s", -w, unit, sc.Low))
				}
			}
		}
		if !drawn {
			if w > 0 {
				out = append(out, fmt.Sprintf("adds %d to “%s”", w, f.Label))
			} else {
				out = append(out, fmt.Sprintf("takes %d from “%s”", -w, f.Label))
			}
		}
	}
	if len(out) == 0 {
		out = append(out, "No effect on the score")
	}
	return out
}

// TestResultLinkFromBeforeAQuestion: a result link shared before a question
// was added lacks its answer. Where the content names the answer such links
// stand for (assumed), the link still shows a result: it redirects to the
// canonical link with that answer filled in. A link that lacks any other
// answer opens the form instead.
func TestResultLinkFromBeforeAQuestion(t *testing.T) {
	checked := 0
	for _, g := range testSite(t).Published(time.Now()).Guides {
		for _, a := range g.Assessments {
			for _, q := range a.Questions {
				if q.Assumed == "" {
					continue
				}
				checked++
				t.Run(a.ID+"/"+q.ID, func(t *testing.T) {
					full := answersBy(a, lastOption)
					full[q.ID] = q.Assumed
					old := maps.Clone(full)
					delete(old, q.ID)
					link := a.ResultURL() + "?" + a.Query(old)
					w := get(t, link)
					wantStatus(t, w, "GET "+link, http.StatusMovedPermanently)
					want := a.ResultURL() + "?" + a.Query(full)
					if loc := w.Header().Get("Location"); loc != want {
						t.Fatalf("GET %s: Location %q, want %q", link, loc, want)
					}
					res, err := a.Score(full)
					if err != nil {
						t.Fatal(err)
					}
					w = get(t, want)
					wantStatus(t, w, "GET "+want, http.StatusOK)
					if h1 := h1Text(t, wantHTML(t, w, want)); !strings.Contains(h1, res.Outcome.Title) {
						t.Errorf("GET %s: heading %q, want the outcome %q", want, h1, res.Outcome.Title)
					}
					// Without one more answer, one that has no assumed value,
					// the link cannot stand for a result: the form opens.
					for _, other := range a.Questions {
						if other.Assumed != "" {
							continue
						}
						cut := maps.Clone(old)
						delete(cut, other.ID)
						link := a.ResultURL() + "?" + a.Query(cut)
						w := get(t, link)
						wantStatus(t, w, "GET "+link, http.StatusOK)
						doc := wantHTML(t, w, link)
						if find(doc, tag("form")) == nil {
							t.Errorf("GET %s (lacks %s, which has no assumed answer): no form", link, other.ID)
						}
						break
					}
				})
			}
		}
	}
	if checked == 0 {
		t.Skip("no question of the shipped content names an assumed answer (assumed:), so there is no older link to check")
	}
}

// TestResultShowsCounts checks that a result page shows the total of every
// factor without a bar that the answers moved: the breakdown says an answer
// "adds 1 to" such a count, so the reader must be able to see what it came
// to. Personas give answer sets that move them; the first and last options
// everywhere are tried too.
func TestResultShowsCounts(t *testing.T) {
	for _, g := range testSite(t).Published(time.Now()).Guides {
		for _, a := range g.Assessments {
			t.Run(g.Slug+"/"+a.ID, func(t *testing.T) {
				sets := []content.Answers{answersBy(a, firstOption), answersBy(a, lastOption)}
				for _, p := range a.Personas {
					sets = append(sets, p.Answers)
				}
				for _, ans := range sets {
					res, err := a.Score(ans)
					if err != nil {
						t.Fatal(err)
					}
					var want []string
					for _, f := range a.Factors {
						drawn := false
						for _, sc := range a.Scales {
							drawn = drawn || sc.Factor == f
						}
						if !drawn && res.Totals[f.ID] != 0 {
							want = append(want, fmt.Sprintf("%s: %d", f.Label, res.Totals[f.ID]))
						}
					}
					target := a.ResultURL() + "?" + a.Query(ans)
					w := get(t, target)
					wantStatus(t, w, "GET "+target, http.StatusOK)
					doc := wantHTML(t, w, target)
					var got []string
					if box := find(doc, withClass("counts")); box != nil {
						for _, li := range findAll(box, tag("li")) {
							got = append(got, text(li))
						}
					}
					if !slices.Equal(got, want) {
						t.Errorf("%s: the page counts %q, want %q", target, got, want)
					}
				}
			})
		}
	}
}
