package subscribe

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/a-h/templ"

	"github.com/pmvspo/site/build"
	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/server"
	"github.com/pmvspo/site/subscribe/queue"
	"github.com/pmvspo/site/subscribe/store"
	"github.com/pmvspo/site/views"
)

// maxFormBytes bounds a posted form; an honest one is far smaller.
const maxFormBytes = 4 << 10

// pages serves the newsletter's pages of one snapshot.
type pages struct {
	f    *Feature
	snap *build.Snapshot
}

func (h *pages) guides() []*content.Guide { return h.snap.Site.Guides }

func (h *pages) meta(title, path string) views.Meta {
	return views.Meta{Title: title, Path: path, NoIndex: path == "", Assets: h.snap.Assets, Origin: h.snap.Origin}
}

// write renders into a buffer first, so a failed render never sends half a
// page. These pages may hold a token or what a reader typed: nobody caches
// them, and search engines index only the form and the privacy page.
func (h *pages) write(w http.ResponseWriter, r *http.Request, status int, m views.Meta, c templ.Component) error {
	var b bytes.Buffer
	if err := c.Render(r.Context(), &b); err != nil {
		return err
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	if m.NoIndex {
		hd.Set("X-Robots-Tag", "noindex")
	}
	hd.Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(b.Bytes())
	}
	return nil
}

// guide returns the guide a form or link names, or nil.
func guideOf(site *content.Site, slug string) *content.Guide {
	if slug == "" {
		return nil
	}
	return site.Guide(slug)
}

func (h *pages) formPage(w http.ResponseWriter, r *http.Request) error {
	st := views.SubscribeState{Guide: guideOf(h.snap.Site, r.URL.Query().Get("guide"))}
	m := h.meta("Subscribe", "/subscribe")
	return h.write(w, r, http.StatusOK, m, views.SubscribePage(m, h.guides(), st))
}

// readForm parses a posted urlencoded form of bounded size.
func readForm(w http.ResponseWriter, r *http.Request) error {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		return &server.Error{Status: http.StatusUnsupportedMediaType, Heading: "We could not read that submission",
			Message: "The form must be sent as a normal web form (application/x-www-form-urlencoded)."}
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &server.Error{Status: http.StatusRequestEntityTooLarge, Heading: "That submission is too large",
				Message: "The form sent far more than an email address. Please fill it in again."}
		}
		return &server.Error{Status: http.StatusBadRequest, Heading: "We could not read that submission",
			Message: "The form data was malformed. Please fill it in again."}
	}
	return nil
}

// subscribe handles the sign-up form. Every valid submission gets the same
// 303 to the same page, whether the address is new, pending, confirmed or
// unsubscribed, and whether or not an email goes out: the response never
// tells anyone whether an address is subscribed.
func (h *pages) subscribe(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	f := h.f
	answerAt := time.Now().Add(f.floor)
	g := guideOf(h.snap.Site, r.PostForm.Get("guide"))
	st := views.SubscribeState{Guide: g, Email: r.PostForm.Get("email"), Consent: r.PostForm.Get("consent") == "yes"}
	if r.PostForm.Get("website") != "" {
		// The honeypot: only programs fill in a field people cannot see.
		waitUntil(r, answerAt)
		http.Redirect(w, r, "/subscribe/check-inbox", http.StatusSeeOther)
		return nil
	}
	addr, err := NormalizeAddress(st.Email)
	if err != nil {
		st.EmailError = err.Error()
	}
	if !st.Consent {
		st.ConsentError = "Tick the box to agree to get these emails; we cannot send them otherwise."
	}
	if st.EmailError != "" || st.ConsentError != "" {
		m := h.meta("Check the form · Subscribe", "")
		return h.write(w, r, http.StatusUnprocessableEntity, m, views.SubscribePage(m, h.guides(), st))
	}
	source := ""
	if g != nil {
		source = g.Slug
	}
	ctx := r.Context()
	now := f.now()
	err = f.db.Tx(ctx, func(tx *store.Tx) error {
		res, err := tx.Subscribe(ctx, store.SubscribeRequest{Email: addr, ConsentVersion: views.SubscribeConsentVersion, Source: source}, f.limits, now)
		if err != nil || res.Token == "" {
			return err
		}
		msg, err := f.emails(h.snap).confirm(addr, res.Token)
		if err != nil {
			return err
		}
		return f.queue.Enqueue(ctx, tx, queue.EmailArgs{Message: msg, SubscriberID: res.Subscriber.ID, Purpose: queue.PurposeConfirm})
	})
	if err != nil {
		// Keep what they typed, and say plainly that nothing was saved.
		f.log.Error("subscribe: storing a subscription", "err", err)
		st.Failure = "We could not save it just now, on our side. Your address is still in the form: please send it again in a moment."
		m := h.meta("Not saved · Subscribe", "")
		return h.write(w, r, http.StatusServiceUnavailable, m, views.SubscribePage(m, h.guides(), st))
	}
	waitUntil(r, answerAt)
	http.Redirect(w, r, "/subscribe/check-inbox", http.StatusSeeOther)
	return nil
}

// waitUntil holds the answer until t (or until the client goes away), so a
// valid sign-up answers in the same time whatever the address's state.
func waitUntil(r *http.Request, t time.Time) {
	d := time.Until(t)
	if d <= 0 {
		return
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-r.Context().Done():
	}
}

func (h *pages) checkInbox(w http.ResponseWriter, r *http.Request) error {
	m := h.meta("Check your inbox", "")
	return h.write(w, r, http.StatusOK, m, withChildren(views.MessagePage(m, h.guides(), "Subscription", "Check your inbox",
		"If the address can get our emails, a message with a confirmation link is on its way. Open it and press the button on the page it opens; until then we send nothing else. The link works for "+validFor(h.f.limits.ConfirmTTL)+"."),
		views.GuideLinks(h.guides())))
}

// withChildren fills a component's { children... } from Go.
func withChildren(c, children templ.Component) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		return c.Render(templ.WithChildren(ctx, children), w)
	})
}

// linkGone is the page for a confirmation or unsubscribe link that is
// unknown, expired or used.
func linkGone(what string) error {
	msg := "This confirmation link has expired or has already been used. If you already confirmed, you are subscribed and there is nothing more to do; otherwise subscribe again to get a new link."
	if what == "unsubscribe" {
		msg = "This unsubscribe link is not valid: it may be incomplete or very old. Use the link in a recent email from us, or write to the address our emails come from and we will remove you."
	}
	return &server.Error{Status: http.StatusGone, Heading: "This link no longer works", Message: msg}
}

// checkToken looks a token up without changing anything.
func (h *pages) checkToken(r *http.Request, token, purpose string) error {
	ctx := r.Context()
	err := h.f.db.Tx(ctx, func(tx *store.Tx) error {
		_, err := tx.CheckToken(ctx, token, purpose, h.f.now())
		return err
	})
	if errors.Is(err, store.ErrTokenInvalid) {
		return linkGone(purpose)
	}
	return err
}

func (h *pages) confirmPage(w http.ResponseWriter, r *http.Request) error {
	token := r.URL.Query().Get("token")
	if err := h.checkToken(r, token, "confirm"); err != nil {
		return err
	}
	m := h.meta("Confirm your subscription", "")
	return h.write(w, r, http.StatusOK, m, views.ConfirmPage(m, h.guides(), token))
}

// confirm spends the token, marks the subscriber confirmed and queues the
// welcome email, all in one transaction.
func (h *pages) confirm(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	f := h.f
	ctx := r.Context()
	now := f.now()
	var source string
	err := f.db.Tx(ctx, func(tx *store.Tx) error {
		s, changed, err := tx.Confirm(ctx, r.PostForm.Get("token"), now)
		if err != nil {
			return err
		}
		source = s.Source
		if !changed {
			return nil
		}
		unsub, err := tx.NewUnsubscribeToken(ctx, s.ID, f.limits, now)
		if err != nil {
			return err
		}
		msg, err := f.emails(h.snap).welcome(s.Email, unsub, guideOf(h.snap.Site, s.Source), h.snap.Site)
		if err != nil {
			return err
		}
		return f.queue.Enqueue(ctx, tx, queue.EmailArgs{Message: msg, SubscriberID: s.ID, Purpose: queue.PurposeWelcome})
	})
	if errors.Is(err, store.ErrTokenInvalid) {
		return linkGone("confirm")
	}
	if err != nil {
		return err
	}
	to := "/subscribe/confirmed"
	if source != "" {
		to += "?guide=" + url.QueryEscape(source)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

func (h *pages) confirmedPage(w http.ResponseWriter, r *http.Request) error {
	m := h.meta("You are subscribed", "")
	return h.write(w, r, http.StatusOK, m, views.ConfirmedPage(m, h.guides(), guideOf(h.snap.Site, r.URL.Query().Get("guide"))))
}

func (h *pages) unsubscribePage(w http.ResponseWriter, r *http.Request) error {
	token := r.URL.Query().Get("token")
	if err := h.checkToken(r, token, "unsubscribe"); err != nil {
		return err
	}
	m := h.meta("Unsubscribe", "")
	return h.write(w, r, http.StatusOK, m, views.UnsubscribePage(m, h.guides(), "/subscribe/unsubscribe?token="+url.QueryEscape(token)))
}

// unsubscribe is both the page's button and RFC 8058's one-click POST: the
// token is in the URL, the body is "List-Unsubscribe=One-Click" or empty,
// and the POST alone unsubscribes.
func (h *pages) unsubscribe(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	token := r.URL.Query().Get("token")
	ctx := r.Context()
	err := h.f.db.Tx(ctx, func(tx *store.Tx) error {
		_, err := tx.Unsubscribe(ctx, token, h.f.now())
		return err
	})
	if errors.Is(err, store.ErrTokenInvalid) {
		return linkGone("unsubscribe")
	}
	if err != nil {
		return err
	}
	m := h.meta("Unsubscribed", "")
	return h.write(w, r, http.StatusOK, m, withChildren(views.MessagePage(m, h.guides(), "Subscription", "You are unsubscribed",
		"We will send you no more emails. If you change your mind, you can subscribe again from any guide."), views.GuideLinks(h.guides())))
}
