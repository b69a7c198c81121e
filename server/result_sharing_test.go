package server_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pmvspo/site/content"
)

// TestSharedResultLinkIsNeverLimited: a whole office behind one address
// opening one shared result link, link unfurlers and revalidations are
// reads, not submissions: none of them is refused, however low the limit.
func TestSharedResultLinkIsNeverLimited(t *testing.T) {
	h := newSite(t, testOptions{SubmitsPerMinute: 5})
	const office = "198.51.100.7:1234"
	for _, a := range guide(t).Assessments {
		link := a.ResultURL() + "?" + a.Query(answersBy(a, lastOption))
		counts := map[int]int{}
		etag := ""
		for range 45 {
			w := getFrom(h, link, office, "Accept-Encoding", "br, gzip")
			counts[w.Code]++
			etag = w.Header().Get("ETag")
		}
		if counts[http.StatusOK] != 45 {
			t.Errorf("%s: 45 GETs of one result link from one address got %v, want 45 × 200", a.ID, counts)
		}
		clear(counts)
		for range 45 {
			counts[getFrom(h, link, office, "Accept-Encoding", "br, gzip", "If-None-Match", etag).Code]++
		}
		if counts[http.StatusNotModified] != 45 {
			t.Errorf("%s: 45 revalidations got %v, want 45 × 304", a.ID, counts)
		}
	}
	// Submissions from the same address are still counted.
	spend(t, h, 5, office, nil)
	checkLimited(t, submitFrom(t, h, office), "the 6th submission after 90 result GETs")
}

// TestResultPageCaching: a result is served like a built page: compressed,
// with a strong ETag per encoding, Vary: Accept-Encoding and a 304 on
// revalidation; every encoding decodes to the same page, which names itself
// as canonical and carries its outcome's share image.
func TestResultPageCaching(t *testing.T) {
	for _, a := range guide(t).Assessments {
		ans := answersBy(a, firstOption)
		link := a.ResultURL() + "?" + a.Query(ans)
		plain := get(t, link)
		wantStatus(t, plain, "GET "+link, http.StatusOK)
		tags := map[string]bool{}
		for _, enc := range []string{"br", "gzip"} {
			w := get(t, link, "Accept-Encoding", enc)
			wantStatus(t, w, "GET "+link+" "+enc, http.StatusOK)
			if got := w.Header().Get("Content-Encoding"); got != enc {
				t.Errorf("%s with Accept-Encoding %s: Content-Encoding %q", a.ID, enc, got)
			}
			if !varyHas(w.Header(), "Accept-Encoding") {
				t.Errorf("%s %s: no Vary: Accept-Encoding", a.ID, enc)
			}
			if !bytes.Equal(decode(t, w), plain.Body.Bytes()) {
				t.Errorf("%s: the %s body does not decode to the page", a.ID, enc)
			}
			if w.Body.Len() >= plain.Body.Len() {
				t.Errorf("%s: %s is %d bytes, the page %d", a.ID, enc, w.Body.Len(), plain.Body.Len())
			}
			etag := w.Header().Get("ETag")
			if etag == "" || tags[etag] {
				t.Errorf("%s %s: ETag %q is missing or shared with another encoding", a.ID, enc, etag)
			}
			tags[etag] = true
			nm := get(t, link, "Accept-Encoding", enc, "If-None-Match", etag)
			wantStatus(t, nm, "revalidation", http.StatusNotModified)
			if nm.Body.Len() != 0 {
				t.Errorf("the 304 has a body")
			}
		}
		if cc := plain.Header().Get("Cache-Control"); !strings.Contains(cc, "private") {
			t.Errorf("%s: Cache-Control %q, want private (the address holds answers)", a.ID, cc)
		}
		if plain.Header().Get("X-Robots-Tag") != "noindex" {
			t.Errorf("%s: no X-Robots-Tag: noindex", a.ID)
		}
		checkResultPage(t, a, link, outcomeTitle(t, a, ans)) // canonical link, share image, change my answers
	}
}

// TestEmailShareLinkRoundTrips reads the result page's Email link the way a
// mail program does (split the mailto: query on "&", percent-decode the
// body) and opens the address it finds: the same result.
func TestEmailShareLinkRoundTrips(t *testing.T) {
	for _, a := range guide(t).Assessments {
		ans := answersBy(a, lastOption)
		link := a.ResultURL() + "?" + a.Query(ans)
		doc := wantHTML(t, get(t, link), link)
		var mailto string
		for _, h := range hrefs(doc) {
			if strings.HasPrefix(h, "mailto:") {
				mailto = h
			}
		}
		if mailto == "" {
			t.Fatalf("%s: the result page has no Email share link", a.ID)
		}
		_, query, _ := strings.Cut(mailto, "?")
		fields := map[string]string{}
		for _, part := range strings.Split(query, "&") {
			k, v, _ := strings.Cut(part, "=")
			dv, err := url.PathUnescape(v)
			if err != nil {
				t.Fatalf("%s: %q: %s does not decode: %v", a.ID, mailto, k, err)
			}
			fields[k] = dv
		}
		if len(fields) != 2 || fields["subject"] != outcomeTitle(t, a, ans) {
			t.Errorf("%s: the mail program sees the fields %q; want a subject naming the outcome and a body", a.ID, fields)
		}
		u, err := url.Parse(strings.TrimSpace(fields["body"]))
		if err != nil || u.RequestURI() != link {
			t.Fatalf("%s: the mail's body is %q, want the result link %s", a.ID, fields["body"], link)
		}
		opened := get(t, u.RequestURI())
		wantStatus(t, opened, "opening the mailed link", http.StatusOK)
		if got := h1Text(t, parseHTML(t, opened.Body.Bytes())); got != outcomeTitle(t, a, ans) {
			t.Errorf("%s: the mailed link opens %q, want %q", a.ID, got, outcomeTitle(t, a, ans))
		}
	}
}

// TestClickIDsRedirect: every well-known tracking and click-id parameter is
// dropped with a 301 to the clean address, on the form and on a result.
func TestClickIDsRedirect(t *testing.T) {
	a := assessment(t)
	canonical := a.ResultURL() + "?" + a.Query(answersBy(a, firstOption))
	for _, p := range []string{"_gl", "gbraid", "wbraid", "ttclid", "yclid", "li_fat_id", "igsh", "srsltid", "mkt_tok",
		"_ga", "__hstc", "__hssc", "__hsfp", "mc_cid", "mc_eid", "_hsenc", "_hsmi", "dclid", "twclid", "rdt_cid", "epik",
		"s_kwcid", "ef_id", "msclkid", "fbclid", "gclid", "utm_source", "utm_campaign", "oly_anon_id", "vero_id", "ref_src"} {
		for _, c := range []struct{ from, to string }{
			{a.URL() + "?" + p + "=x1", a.URL()},
			{canonical + "&" + p + "=x1", canonical},
		} {
			w := get(t, c.from)
			if w.Code != http.StatusMovedPermanently {
				t.Errorf("GET %s: status %d, want 301", c.from, w.Code)
				continue
			}
			if loc := w.Header().Get("Location"); loc != c.to {
				// The redirect may keep the other parameters in another order.
				if u, err := url.Parse(loc); err != nil || u.Path != a.ResultURL() || !sameAnswers(t, a, u.RawQuery, canonical) {
					t.Errorf("GET %s: Location %q, want %q", c.from, loc, c.to)
				}
			}
		}
	}
}

// sameAnswers reports whether query holds the answers of the link canonical.
func sameAnswers(t *testing.T, a *content.Assessment, query, canonical string) bool {
	t.Helper()
	v, err := url.ParseQuery(query)
	if err != nil {
		return false
	}
	got, _ := a.Salvage(v)
	cu, _ := url.Parse(canonical)
	return a.Query(got) == cu.RawQuery
}
