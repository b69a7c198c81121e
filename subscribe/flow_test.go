package subscribe

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html/atom"

	xhtml "golang.org/x/net/html"

	"github.com/pmvspo/site/subscribe/store"
)

// findAll returns the elements of a page matching pred.
func findAll(t *testing.T, body string, pred func(*xhtml.Node) bool) []*xhtml.Node {
	t.Helper()
	doc, err := xhtml.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var out []*xhtml.Node
	var walk func(*xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode && pred(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func attr(n *xhtml.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func text(n *xhtml.Node) string {
	var b strings.Builder
	var walk func(*xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

func input(t *testing.T, body, name string) *xhtml.Node {
	t.Helper()
	in := findAll(t, body, func(n *xhtml.Node) bool { return n.DataAtom == atom.Input && attr(n, "name") == name })
	if len(in) != 1 {
		t.Fatalf("%d inputs named %q, want 1", len(in), name)
	}
	return in[0]
}

// TestForm: the sign-up form has what the issue asks for.
func TestForm(t *testing.T) {
	e := newEnv(t, envOptions{})
	res := e.do("GET", "/subscribe?guide="+e.site.Guides[0].Slug, "")
	if res.status != http.StatusOK {
		t.Fatalf("GET /subscribe: %d", res.status)
	}
	forms := findAll(t, res.body, func(n *xhtml.Node) bool { return n.DataAtom == atom.Form })
	if len(forms) != 1 || attr(forms[0], "method") != "post" || attr(forms[0], "action") != "/subscribe" {
		t.Fatalf("want one form posting to /subscribe")
	}
	if typ := attr(input(t, res.body, "email"), "type"); typ != "email" {
		t.Errorf("email input type %q", typ)
	}
	consent := input(t, res.body, "consent")
	if attr(consent, "type") != "checkbox" {
		t.Error("consent is not a checkbox")
	}
	if _, checked := attrOK(consent, "checked"); checked {
		t.Error("consent is ticked in advance; consent must be explicit")
	}
	labels := findAll(t, res.body, func(n *xhtml.Node) bool { return n.DataAtom == atom.Label && attr(n, "for") == attr(consent, "id") })
	if len(labels) != 1 {
		t.Fatal("the consent checkbox has no label")
	}
	lt := text(labels[0])
	for _, want := range []string{"new and updated comparisons", "at most one email a week"} {
		if !strings.Contains(lt, want) {
			t.Errorf("consent label %q does not say %q", lt, want)
		}
	}
	if links := findAll(t, res.body, func(n *xhtml.Node) bool { return n.DataAtom == atom.A && attr(n, "href") == "/privacy" }); len(links) == 0 {
		t.Error("no link to the privacy page")
	}
	hp := input(t, res.body, "website")
	if attr(hp, "tabindex") != "-1" || attr(hp.Parent, "aria-hidden") != "true" {
		t.Error("the honeypot is reachable by keyboard or screen reader")
	}
	if g := input(t, res.body, "guide"); attr(g, "value") != e.site.Guides[0].Slug {
		t.Errorf("hidden guide field %q", attr(g, "value"))
	}
	if res.header.Get("Set-Cookie") != "" {
		t.Error("the form sets a cookie")
	}

	priv := e.do("GET", "/privacy", "")
	if priv.status != http.StatusOK || !strings.Contains(priv.body, "How to leave") || !strings.Contains(priv.body, "email address") {
		t.Errorf("privacy page: %d", priv.status)
	}
}

func attrOK(n *xhtml.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// TestDoubleOptIn walks the whole life of a subscription through HTTP and
// the emails a real SMTP server receives: pending, confirmed (GET changes
// nothing, POST confirms), welcome email with one-click headers, RFC 8058
// one-click unsubscribe, and resubscribing.
func TestDoubleOptIn(t *testing.T) {
	eachDB(t, func(t *testing.T, postgres bool) {
		e := newEnv(t, envOptions{postgres: postgres})
		e.start()
		g := e.site.Guides[0]
		addr := "ada@example.com"

		res := e.subscribe("  Ada@Example.com ")
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/subscribe/check-inbox" {
			t.Fatalf("POST /subscribe: %d to %q", res.status, res.header.Get("Location"))
		}
		if st := e.status(addr); st != store.Pending {
			t.Fatalf("after subscribing: %q, want pending", st)
		}
		inbox := e.do("GET", "/subscribe/check-inbox", "")
		if inbox.status != http.StatusOK || !strings.Contains(inbox.body, "Check your inbox") {
			t.Fatalf("check-inbox page: %d", inbox.status)
		}

		conf := e.waitEmails(addr, 1)[0]
		if conf.header.Get("List-Unsubscribe") != "" {
			t.Error("the confirmation email has List-Unsubscribe, but the reader is not subscribed yet")
		}
		link := confirmLink.FindString(conf.text)
		if link == "" || !strings.Contains(conf.html, html.EscapeString(link)) {
			t.Fatalf("confirmation email has no confirm link in both parts:\n%s", conf.text)
		}

		// Mail scanners open links: a GET shows a button and changes nothing.
		for range 2 {
			page := e.do("GET", link, "")
			if page.status != http.StatusOK {
				t.Fatalf("GET confirm link: %d", page.status)
			}
			if btn := findAll(t, page.body, func(n *xhtml.Node) bool { return n.DataAtom == atom.Button }); len(btn) == 0 {
				t.Fatal("the confirm page has no button")
			}
			if page.header.Get("Cache-Control") != "no-store" {
				t.Errorf("confirm page Cache-Control %q", page.header.Get("Cache-Control"))
			}
		}
		if st := e.status(addr); st != store.Pending {
			t.Fatalf("after GET of the confirm link: %q, want still pending", st)
		}
		u, _ := url.Parse(link)
		token := u.Query().Get("token")
		res = e.do("POST", "/subscribe/confirm", form("token", token))
		want := "/subscribe/confirmed?guide=" + g.Slug
		if res.status != http.StatusSeeOther || res.header.Get("Location") != want {
			t.Fatalf("POST confirm: %d to %q, want 303 to %q", res.status, res.header.Get("Location"), want)
		}
		if st := e.status(addr); st != store.Confirmed {
			t.Fatalf("after confirming: %q", st)
		}
		thanks := e.do("GET", want, "")
		pdf := g.URL() + ".pdf"
		if thanks.status != http.StatusOK || len(findAll(t, thanks.body, func(n *xhtml.Node) bool { return n.DataAtom == atom.A && attr(n, "href") == pdf })) != 1 {
			t.Fatalf("thank-you page: %d, want a link to %s", thanks.status, pdf)
		}
		// The link is single-use.
		if again := e.do("POST", "/subscribe/confirm", form("token", token)); again.status != http.StatusGone {
			t.Errorf("second use of the confirm token: %d, want 410", again.status)
		}

		welcome := e.waitEmails(addr, 2)[1]
		if !strings.Contains(welcome.text, e.ts.URL+pdf) || !strings.Contains(welcome.html, e.ts.URL+pdf) {
			t.Errorf("welcome email lacks the PDF link %s", pdf)
		}
		lu := welcome.header.Get("List-Unsubscribe")
		if welcome.header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
			t.Errorf("List-Unsubscribe-Post %q", welcome.header.Get("List-Unsubscribe-Post"))
		}
		if !strings.HasPrefix(lu, "<http://") || !strings.HasSuffix(lu, ">") {
			t.Fatalf("List-Unsubscribe %q, want <http(s)://…>", lu)
		}
		oneClick := strings.Trim(lu, "<>")
		if !strings.Contains(welcome.text, oneClick) || unsubLink.FindString(welcome.html) == "" {
			t.Error("the welcome email's body has no unsubscribe link")
		}

		// The unsubscribe link in the body opens a page with a button.
		page := e.do("GET", oneClick, "")
		if page.status != http.StatusOK || len(findAll(t, page.body, func(n *xhtml.Node) bool { return n.DataAtom == atom.Button })) == 0 {
			t.Fatalf("GET unsubscribe link: %d", page.status)
		}
		if st := e.status(addr); st != store.Confirmed {
			t.Fatalf("after GET of the unsubscribe link: %q, want still confirmed", st)
		}
		// RFC 8058: the mail program POSTs "List-Unsubscribe=One-Click" to
		// the header's URL, from its own origin or none.
		res = e.do("POST", oneClick, "List-Unsubscribe=One-Click", "Sec-Fetch-Site", "cross-site", "Origin", "https://mail.example.net")
		if res.status != http.StatusOK || !strings.Contains(res.body, "You are unsubscribed") {
			t.Fatalf("one-click POST: %d", res.status)
		}
		if st := e.status(addr); st != store.Unsubscribed {
			t.Fatalf("after one-click: %q", st)
		}
		if again := e.do("POST", oneClick, "List-Unsubscribe=One-Click"); again.status != http.StatusOK {
			t.Errorf("second one-click: %d, want 200 (still unsubscribed)", again.status)
		}

		// Resubscribe: a new double opt-in.
		e.subscribe(addr)
		third := e.waitEmails(addr, 3)[2]
		if confirmLink.FindString(third.text) == "" {
			t.Fatal("resubscribing sent no confirmation")
		}
		if st := e.status(addr); st != store.Pending {
			t.Fatalf("after resubscribing: %q, want pending", st)
		}
		if n := len(e.smtp.Messages()); n != 3 {
			t.Errorf("%d emails in all, want 3", n)
		}
	})
}

// TestNoEnumeration: the response to a valid submission is the same
// whatever state the address is in.
func TestNoEnumeration(t *testing.T) {
	eachDB(t, func(t *testing.T, postgres bool) {
		e := newEnv(t, envOptions{postgres: postgres})
		e.start()
		confirmed, unsub := "confirmed@example.com", "unsub@example.com"
		for _, a := range []string{"pending@example.com", confirmed, unsub} {
			e.subscribe(a)
		}
		for _, a := range []string{confirmed, unsub} {
			link := confirmLink.FindString(e.waitEmails(a, 1)[0].text)
			u, _ := url.Parse(link)
			e.do("POST", "/subscribe/confirm", form("token", u.Query().Get("token")))
		}
		lu := strings.Trim(e.waitEmails(unsub, 2)[1].header.Get("List-Unsubscribe"), "<>")
		e.do("POST", lu, "List-Unsubscribe=One-Click")
		if e.status(unsub) != store.Unsubscribed || e.status(confirmed) != store.Confirmed || e.status("pending@example.com") != store.Pending {
			t.Fatal("setup did not reach the four states")
		}
		var first response
		for i, a := range []string{"new@example.com", "pending@example.com", confirmed, unsub} {
			res := e.subscribe(a)
			res.header.Del("Date")
			res.header.Del("X-Request-Id") // one per request, whatever the address
			for k := range res.header {
				if strings.HasPrefix(k, "X-Ratelimit-") {
					res.header.Del(k) // counts this client's posts, not the address
				}
			}
			if i == 0 {
				first = res
				continue
			}
			if res.status != first.status || res.body != first.body || !sameHeader(res.header, first.header) {
				t.Errorf("%s: %d %v %q; new address: %d %v %q", a, res.status, res.header, res.body, first.status, first.header, first.body)
			}
		}
	})
}

func sameHeader(a, b http.Header) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if strings.Join(a[k], ",") != strings.Join(b[k], ",") {
			return false
		}
	}
	return true
}

// TestBadInput: every bad submission gets a clear message and keeps what
// was typed, and nothing is stored.
func TestBadInput(t *testing.T) {
	e := newEnv(t, envOptions{})
	slug := e.site.Guides[0].Slug
	cases := []struct {
		name, body string
		status     int
		want       []string
		keep       string
	}{
		{"invalid address", form("email", "ada.example.com", "consent", "yes", "guide", slug), 422, []string{"with an @"}, "ada.example.com"},
		{"header injection", form("email", "ada@example.com\r\nBcc: v@example.com", "consent", "yes"), 422, []string{"spaces or line breaks"}, ""},
		{"too long", form("email", strings.Repeat("a", 65)+"@example.com", "consent", "yes"), 422, []string{"at most 64"}, strings.Repeat("a", 65) + "@example.com"},
		{"markup", form("email", `<script>alert(1)</script>@x.com`, "consent", "yes"), 422, []string{"before the @"}, ""},
		{"no consent", form("email", "ada@example.com", "guide", slug), 422, []string{"Tick the box"}, "ada@example.com"},
		{"consent wrong value", form("email", "ada@example.com", "consent", "on"), 422, []string{"Tick the box"}, "ada@example.com"},
		{"nothing", form(), 422, []string{"Enter your email address", "Tick the box"}, ""},
	}
	for _, c := range cases {
		res := e.do("POST", "/subscribe", c.body)
		if res.status != c.status {
			t.Errorf("%s: status %d, want %d", c.name, res.status, c.status)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(html.UnescapeString(res.body), w) {
				t.Errorf("%s: page does not say %q", c.name, w)
			}
		}
		if strings.Contains(res.body, "<script>alert") {
			t.Errorf("%s: markup reflected", c.name)
		}
		if c.keep != "" {
			if v := attr(input(t, res.body, "email"), "value"); v != c.keep {
				t.Errorf("%s: email field holds %q, want what was typed, %q", c.name, v, c.keep)
			}
		}
		if strings.Contains(c.body, "consent=yes") {
			if _, ok := attrOK(input(t, res.body, "consent"), "checked"); !ok {
				t.Errorf("%s: the ticked consent box came back unticked", c.name)
			}
		}
		if summary := findAll(t, res.body, func(n *xhtml.Node) bool { return strings.Contains(attr(n, "class"), "error-summary") }); len(summary) != 1 {
			t.Errorf("%s: no error summary", c.name)
		}
	}
	for _, c := range []struct {
		name, ctype, body string
		status            int
	}{
		{"not a form", "application/json", `{"email":"a@b.com"}`, http.StatusUnsupportedMediaType},
		{"too large", "application/x-www-form-urlencoded", "email=" + strings.Repeat("a", 10000), http.StatusRequestEntityTooLarge},
		{"malformed", "application/x-www-form-urlencoded", "email=%zz", http.StatusBadRequest},
	} {
		res := e.do("POST", "/subscribe", c.body, "Content-Type", c.ctype)
		if res.status != c.status {
			t.Errorf("%s: %d, want %d", c.name, res.status, c.status)
		}
	}
	if n := e.countSubscribers(); n != 0 {
		t.Errorf("%d subscribers stored from bad input", n)
	}
}

func TestHoneypot(t *testing.T) {
	e := newEnv(t, envOptions{})
	res := e.do("POST", "/subscribe", form("email", "bot@example.com", "consent", "yes", "website", "http://spam.example"))
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/subscribe/check-inbox" {
		t.Fatalf("honeypot: %d %q, want the same 303 as a person gets", res.status, res.header.Get("Location"))
	}
	if n := e.countSubscribers(); n != 0 {
		t.Errorf("honeypot submission stored")
	}
	if n := e.countJobs(""); n != 0 {
		t.Errorf("honeypot submission queued %d emails", n)
	}
}

func TestCrossOriginRefused(t *testing.T) {
	e := newEnv(t, envOptions{})
	res := e.do("POST", "/subscribe", form("email", "ada@example.com", "consent", "yes"), "Sec-Fetch-Site", "cross-site")
	if res.status != http.StatusForbidden || !strings.Contains(res.body, "Submission refused") {
		t.Fatalf("cross-origin post: %d", res.status)
	}
	if res := e.do("POST", "/subscribe/confirm", form("token", "x"), "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"); res.status != http.StatusForbidden {
		t.Errorf("cross-origin confirm: %d, want 403", res.status)
	}
	if n := e.countSubscribers(); n != 0 {
		t.Error("a cross-origin post was stored")
	}
}

// TestLimits: the form is limited per client, and an address gets at most
// a few confirmation emails a day however often the form is sent.
func TestLimits(t *testing.T) {
	t.Run("per client", func(t *testing.T) {
		e2 := newEnv(t, envOptions{postsPerMinute: 3})
		for i := range 3 {
			if res := e2.subscribe("a@example.com"); res.status != http.StatusSeeOther {
				t.Fatalf("post %d: %d", i+1, res.status)
			}
		}
		res := e2.subscribe("a@example.com")
		if res.status != http.StatusTooManyRequests || !strings.Contains(res.body, "Too many requests") {
			t.Fatalf("post beyond the limit: %d", res.status)
		}
	})
	t.Run("per address", func(t *testing.T) {
		e := newEnv(t, envOptions{})
		for i := range 6 {
			if res := e.subscribe("flood@example.com"); res.status != http.StatusSeeOther {
				t.Fatalf("post %d: %d", i+1, res.status)
			}
		}
		if n := e.countJobs(""); n != store.DefaultLimits.ConfirmationsPerDay {
			t.Errorf("%d confirmation emails queued for one address, want %d", n, store.DefaultLimits.ConfirmationsPerDay)
		}
		e.clock.Add(25 * time.Hour)
		e.subscribe("flood@example.com")
		if n := e.countJobs(""); n != store.DefaultLimits.ConfirmationsPerDay+1 {
			t.Errorf("a day later: %d emails queued, want one more", n)
		}
	})
}

// TestExpiredLink: a confirmation link stops working after its lifetime.
func TestExpiredLink(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.start()
	e.subscribe("late@example.com")
	link := confirmLink.FindString(e.waitEmails("late@example.com", 1)[0].text)
	u, _ := url.Parse(link)
	e.clock.Add(store.DefaultLimits.ConfirmTTL + time.Minute)
	if res := e.do("GET", link, ""); res.status != http.StatusGone || !strings.Contains(res.body, "no longer works") {
		t.Errorf("GET expired link: %d", res.status)
	}
	if res := e.do("POST", "/subscribe/confirm", form("token", u.Query().Get("token"))); res.status != http.StatusGone {
		t.Errorf("POST expired token: %d", res.status)
	}
	if st := e.status("late@example.com"); st != store.Pending {
		t.Errorf("status %q, want still pending", st)
	}
	for _, p := range []string{"/subscribe/confirm?token=nope", "/subscribe/unsubscribe?token=nope", "/subscribe/confirm"} {
		if res := e.do("GET", p, ""); res.status != http.StatusGone {
			t.Errorf("GET %s: %d, want 410", p, res.status)
		}
	}
	if res := e.do("POST", "/subscribe/unsubscribe?token=nope", "List-Unsubscribe=One-Click"); res.status != http.StatusGone {
		t.Errorf("one-click with an unknown token: %d, want 410", res.status)
	}
}
