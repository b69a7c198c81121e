package subscribe

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pmvspo/site/subscribe/store"
)

// addSubscriber creates a subscriber in a given state directly in the store.
func (e *env) addSubscriber(addr string, status store.Status, at time.Time) {
	e.t.Helper()
	ctx := context.Background()
	err := e.db.Tx(ctx, func(tx *store.Tx) error {
		res, err := tx.Subscribe(ctx, store.SubscribeRequest{Email: addr, ConsentVersion: "test", Source: e.site.Guides[0].Slug}, e.f.limits, at)
		if err != nil || status == store.Pending {
			return err
		}
		s, _, err := tx.Confirm(ctx, res.Token, at)
		if err != nil || status == store.Confirmed {
			return err
		}
		tok, err := tx.NewUnsubscribeToken(ctx, s.ID, e.f.limits, at)
		if err != nil {
			return err
		}
		_, err = tx.Unsubscribe(ctx, tok, at)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// ageContent makes every guide and article of the test's own copy of the
// content older than t, as if nobody had edited anything since.
func (e *env) ageContent(t time.Time) {
	for _, g := range e.site.Guides {
		g.Published, g.Updated = t.AddDate(0, 0, -20), t.AddDate(0, 0, -10)
		for _, a := range g.Articles {
			a.Published, a.Updated = t.AddDate(0, 0, -20), t.AddDate(0, 0, -10)
		}
	}
}

func (e *env) runWeekly() {
	e.t.Helper()
	if err := e.f.RunWeekly(context.Background()); err != nil {
		e.t.Fatal(err)
	}
}

func TestWeeklyEmail(t *testing.T) {
	eachDB(t, func(t *testing.T, postgres bool) {
		e := newEnv(t, envOptions{postgres: postgres})
		t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC) // a Monday
		e.clock.Set(t0)
		e.ageContent(t0)
		e.addSubscriber("ada@example.com", store.Confirmed, t0.Add(-24*time.Hour))
		e.addSubscriber("bob@example.com", store.Unsubscribed, t0.Add(-24*time.Hour))
		e.addSubscriber("carol@example.com", store.Pending, t0.Add(-24*time.Hour))
		before := e.countJobs("")

		// Nothing changed since Ada confirmed: nothing is sent.
		e.runWeekly()
		if n := e.countJobs("") - before; n != 0 {
			t.Fatalf("a week with nothing new queued %d emails", n)
		}

		// The next week an editor updates a guide and one of its articles.
		e.clock.Set(t0.AddDate(0, 0, 7))
		g := e.site.Guides[0]
		g.Updated = t0.AddDate(0, 0, 3)
		a := g.Articles[0]
		a.Updated = g.Updated
		e.runWeekly()
		if n := e.countJobs("") - before; n != 1 {
			t.Fatalf("week with an update queued %d emails, want 1 (only the confirmed subscriber)", n)
		}
		// However often it runs that week, and from however many replicas,
		// nothing more is sent.
		e.clock.Add(time.Hour)
		e.runWeekly()
		replica := newEnv(t, envOptions{dbURL: e.dbURL})
		if !postgres {
			replica = e // SQLite is one process's file
		}
		replica.clock.Set(e.clock.Now())
		replica.runWeekly()
		if n := e.countJobs("") - before; n != 1 {
			t.Fatalf("after running again in the same week: %d emails, want still 1", n)
		}
		// The week after, with nothing new since that email: nothing.
		e.clock.Set(t0.AddDate(0, 0, 14))
		e.runWeekly()
		if n := e.countJobs("") - before; n != 1 {
			t.Fatalf("a later week with nothing new: %d emails in all, want 1", n)
		}

		e.start()
		m := e.waitEmails("ada@example.com", 1)
		var weekly *email
		for i := range m {
			if strings.Contains(m[i].text, "New and updated since your last email") {
				weekly = &m[i]
			}
		}
		if weekly == nil {
			t.Fatal("no weekly email reached Ada")
		}
		if !strings.Contains(weekly.subject(), g.Title) {
			t.Errorf("subject %q does not name %q", weekly.subject(), g.Title)
		}
		for _, part := range []struct{ name, body string }{{"text", weekly.text}, {"html", weekly.html}} {
			for _, want := range []string{g.Title, e.ts.URL + g.URL(), e.ts.URL + a.URL(), "Updated", g.Updated.Format("2 January 2006"), "/subscribe/unsubscribe?token="} {
				if !strings.Contains(part.body, htmlEscapeIf(part.name, want)) {
					t.Errorf("weekly %s part lacks %q", part.name, want)
				}
			}
			// The other guides are not listed: looked for by address, since a
			// title may contain another's ("X" and "X, revisited").
			for _, other := range e.site.Guides[1:] {
				link := e.ts.URL + other.URL()
				if strings.Contains(part.body, link+"\n") || strings.Contains(part.body, link+`"`) {
					t.Errorf("weekly %s part lists %s (%q), which did not change", part.name, link, other.Title)
				}
			}
		}
		if weekly.header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" || !strings.HasPrefix(weekly.header.Get("List-Unsubscribe"), "<http") {
			t.Errorf("weekly email headers: %q %q", weekly.header.Get("List-Unsubscribe"), weekly.header.Get("List-Unsubscribe-Post"))
		}
		time.Sleep(500 * time.Millisecond)
		for _, r := range e.smtp.Messages() {
			if r.To[0] != "ada@example.com" {
				t.Errorf("an email went to %s", r.To[0])
			}
		}
	})
}

func htmlEscapeIf(part, s string) string {
	if part == "html" {
		return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
	}
	return s
}

// TestWeeklyOnceAcrossReplicas: replicas that run the week's job at the
// same moment on one PostgreSQL send one set of emails.
func TestWeeklyOnceAcrossReplicas(t *testing.T) {
	requirePG(t)
	e := newEnv(t, envOptions{postgres: true})
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	e.clock.Set(t0)
	e.ageContent(t0)
	for _, a := range []string{"a@example.com", "b@example.com", "c@example.com"} {
		e.addSubscriber(a, store.Confirmed, t0.Add(-24*time.Hour))
	}
	replicas := []*env{e}
	for range 3 {
		r := newEnv(t, envOptions{dbURL: e.dbURL})
		r.ageContent(t0)
		r.clock.Set(t0)
		replicas = append(replicas, r)
	}
	for _, r := range replicas {
		r.site.Guides[0].Updated = t0.Add(-time.Hour) // the same edit, deployed everywhere
	}
	before := e.countJobs("")
	var wg sync.WaitGroup
	for _, r := range replicas {
		wg.Go(func() {
			if err := r.f.RunWeekly(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := e.countJobs("") - before; n != 3 {
		t.Fatalf("%d weekly emails from 4 replicas, want 3 (one per subscriber)", n)
	}
}

// TestErase: deleting a person removes their row, their tokens and the
// emails still queued for them.
func TestErase(t *testing.T) {
	eachDB(t, func(t *testing.T, postgres bool) {
		e := newEnv(t, envOptions{postgres: postgres})
		e.subscribe("erase@example.com")
		e.subscribe("keep@example.com")
		if n := e.countJobs(""); n != 2 {
			t.Fatalf("%d emails queued, want 2", n)
		}
		found, err := Delete(context.Background(), e.db, "  Erase@Example.com")
		if err != nil || !found {
			t.Fatalf("Delete: %v %v", found, err)
		}
		if st := e.status("erase@example.com"); st != "" {
			t.Errorf("erased person still stored as %q", st)
		}
		if n := e.countJobs(""); n != 1 {
			t.Errorf("%d emails queued after erasing, want 1 (the other person's)", n)
		}
		var tokens int
		e.db.SQL.QueryRow("SELECT COUNT(*) FROM tokens").Scan(&tokens)
		if tokens != 1 {
			t.Errorf("%d tokens left, want 1", tokens)
		}
		e.start()
		e.waitEmails("keep@example.com", 1)
		time.Sleep(300 * time.Millisecond)
		for _, r := range e.smtp.Messages() {
			if r.To[0] == "erase@example.com" {
				t.Error("an email reached the erased person")
			}
		}
	})
}
