package subscribe

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/pmvspo/site/build"
	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/subscribe/mail"
	"github.com/pmvspo/site/views"
)

// Each email is built twice from one view struct: as plain text and as
// HTML, so the two cannot say different things.

type confirmView struct {
	Site, Subject, ConfirmURL, Valid string
}

type guideLink struct {
	Title, URL, PDF, Summary, Change, Date string
	Articles                               []articleLink
}

type articleLink struct{ Title, URL, Change, Date string }

type welcomeView struct {
	Site, Subject, UnsubscribeURL string
	Guides                        []guideLink
}

type weeklyView struct {
	Site, Subject, UnsubscribeURL string
	Guides                        []guideLink
}

// emails writes the emails of one snapshot: links point at its origin.
type emails struct {
	origin     string
	confirmTTL time.Duration
}

func (f *Feature) emails(snap *build.Snapshot) emails {
	return emails{origin: snap.Origin, confirmTTL: f.limits.ConfirmTTL}
}

func (f emails) abs(path string) string { return f.origin + path }

func (f emails) confirmURL(token string) string {
	return f.abs("/subscribe/confirm?token=" + url.QueryEscape(token))
}

func (f emails) unsubscribeURL(token string) string {
	return f.abs("/subscribe/unsubscribe?token=" + url.QueryEscape(token))
}

// unsubscribeHeaders are RFC 8058's one-click headers: a mail program POSTs
// "List-Unsubscribe=One-Click" to the URL, and that alone unsubscribes.
func unsubscribeHeaders(u string) map[string]string {
	return map[string]string{"List-Unsubscribe": "<" + u + ">", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
}

func renderHTML(c templ.Component) (string, error) {
	var b bytes.Buffer
	if err := c.Render(context.Background(), &b); err != nil {
		return "", err
	}
	return b.String(), nil
}

func validFor(d time.Duration) string {
	if h := int(d.Hours()); h%24 == 0 && h >= 48 {
		return fmt.Sprintf("%d days", h/24)
	}
	return fmt.Sprintf("%d hours", int(d.Hours()))
}

func (f emails) confirm(to, token string) (mail.Message, error) {
	v := confirmView{Site: views.SiteName, Subject: "Confirm your subscription to " + views.SiteName,
		ConfirmURL: f.confirmURL(token), Valid: validFor(f.confirmTTL)}
	html, err := renderHTML(confirmHTML(v))
	if err != nil {
		return mail.Message{}, err
	}
	var t strings.Builder
	fmt.Fprintf(&t, "Confirm your subscription\n\n")
	fmt.Fprintf(&t, "Someone, probably you, asked to get new and updated comparisons from %s at this address: at most one email a week.\n\n", v.Site)
	fmt.Fprintf(&t, "To confirm, open this link and press the button:\n%s\n\n", v.ConfirmURL)
	fmt.Fprintf(&t, "The link works for %s. If you did not ask for this, ignore this email: nothing more will be sent.\n", v.Valid)
	return mail.Message{To: to, Subject: v.Subject, Text: t.String(), HTML: html}, nil
}

func (f emails) guideLink(g *content.Guide) guideLink {
	return guideLink{Title: g.Title, URL: f.abs(g.URL()), PDF: f.abs(g.URL() + ".pdf"), Summary: g.Summary}
}

func (f emails) welcome(to, unsubToken string, from *content.Guide, site *content.Site) (mail.Message, error) {
	v := welcomeView{Site: views.SiteName, UnsubscribeURL: f.unsubscribeURL(unsubToken)}
	if from != nil {
		v.Guides = []guideLink{f.guideLink(from)}
		v.Subject = "You are subscribed: your PDF of “" + from.Title + "”"
	} else {
		for _, g := range site.Guides {
			v.Guides = append(v.Guides, f.guideLink(g))
		}
		v.Subject = "You are subscribed to " + views.SiteName
	}
	html, err := renderHTML(welcomeHTML(v))
	if err != nil {
		return mail.Message{}, err
	}
	var t strings.Builder
	fmt.Fprintf(&t, "You are subscribed\n\n")
	fmt.Fprintf(&t, "Thank you for confirming. You will get an email when a comparison on %s is new or updated, at most one a week.\n\n", v.Site)
	for _, g := range v.Guides {
		fmt.Fprintf(&t, "%s (PDF):\n%s\n\n", g.Title, g.PDF)
	}
	textFooter(&t, v.Site, v.UnsubscribeURL)
	return mail.Message{To: to, Subject: v.Subject, Text: t.String(), HTML: html, Headers: unsubscribeHeaders(v.UnsubscribeURL)}, nil
}

func textFooter(t *strings.Builder, site, unsub string) {
	fmt.Fprintf(t, "-- \nYou get this email because you subscribed to %s and confirmed your address.\n", site)
	fmt.Fprintf(t, "Unsubscribe from every email in one click:\n%s\n", unsub)
}

// changedSince lists the guides that are new or updated after t, with the
// articles that changed, newest first as the content orders them.
func (f emails) changedSince(site *content.Site, t time.Time) []guideLink {
	var out []guideLink
	for _, g := range site.Guides {
		if !g.Updated.After(t) && !g.Published.After(t) {
			continue
		}
		l := f.guideLink(g)
		l.Change, l.Date = change(g.Published, g.Updated, t)
		for _, a := range g.Articles {
			if a.Updated.After(t) || a.Published.After(t) {
				c, d := change(a.Published, a.Updated, t)
				l.Articles = append(l.Articles, articleLink{Title: a.Title, URL: f.abs(a.URL()), Change: c, Date: d})
			}
		}
		out = append(out, l)
	}
	return out
}

func change(published, updated, since time.Time) (string, string) {
	if published.After(since) {
		return "New", published.Format("2 January 2006")
	}
	return "Updated", updated.Format("2 January 2006")
}

func (f emails) weekly(to, unsubToken string, guides []guideLink) (mail.Message, error) {
	titles := make([]string, len(guides))
	for i, g := range guides {
		titles[i] = g.Title
	}
	v := weeklyView{Site: views.SiteName, UnsubscribeURL: f.unsubscribeURL(unsubToken), Guides: guides,
		Subject: "New and updated on " + views.SiteName + ": " + strings.Join(titles, ", ")}
	html, err := renderHTML(weeklyHTML(v))
	if err != nil {
		return mail.Message{}, err
	}
	var t strings.Builder
	fmt.Fprintf(&t, "New and updated since your last email\n\n")
	for _, g := range guides {
		fmt.Fprintf(&t, "%s\n%s %s\n%s\n%s\n", g.Title, g.Change, g.Date, g.Summary, g.URL)
		for _, a := range g.Articles {
			fmt.Fprintf(&t, "  - %s (%s %s)\n    %s\n", a.Title, a.Change, a.Date, a.URL)
		}
		fmt.Fprintf(&t, "The guide as a PDF: %s\n\n", g.PDF)
	}
	textFooter(&t, v.Site, v.UnsubscribeURL)
	return mail.Message{To: to, Subject: v.Subject, Text: t.String(), HTML: html, Headers: unsubscribeHeaders(v.UnsubscribeURL)}, nil
}
