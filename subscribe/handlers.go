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

	"github.com/a-h/templ"

	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/subscribe/queue"
	"github.com/pmvspo/site/subscribe/store"
	"github.com/pmvspo/site/views"
)

// maxFormBytes bounds a posted form; an honest one is far smaller.
const maxFormBytes = 4 << 10

// pageError is a page to show instead: a status and plain words. The
// cause, if any, is logged and never shown.
type pageError struct {
	status           int
	heading, message string
	cause            error
}

func (e *pageError) Error() string { return e.heading }

func (f *Feature) handle(fn func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			f.serveError(w, r, err)
		}
	}
}

func (f *Feature) serveError(w http.ResponseWriter, r *http.Request, err error) {
	var pe *pageError
	if !errors.As(err, &pe) {
		pe = &pageError{status: http.StatusInternalServerError, heading: "Something went wrong on our side",
			message: "The error has been logged. Please try again in a moment.", cause: err}
	}
	if pe.status >= 500 {
		f.log.Error("subscribe", "path", r.URL.Path, "status", pe.status, "err", pe.cause)
	}
	site := f.site()
	f.write(w, r, pe.status, views.ErrorPage(f.meta(pe.heading, ""), site.Guides, pe.status, pe.heading, pe.message, ""))
}

func (f *Feature) meta(title, path string) views.Meta {
	return views.Meta{Title: title, Path: path, NoIndex: path == "", Assets: f.assets, Origin: f.baseURL}
}

// write renders into a buffer first, so a failed render never sends half a
// page. These pages may hold a token or what a reader typed: nobody caches them.
func (f *Feature) write(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	var b bytes.Buffer
	if err := c.Render(r.Context(), &b); err != nil {
		f.log.Error("subscribe: rendering", "path", r.URL.Path, "err", err)
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(b.Bytes())
	}
}

func (f *Feature) tooMany(w http.ResponseWriter, r *http.Request) {
	f.serveError(w, r, &pageError{status: http.StatusTooManyRequests, heading: "Too many requests",
		message: "This address has sent the form many times in a short while. Please wait a minute and try again."})
}

func (f *Feature) crossOrigin(w http.ResponseWriter, r *http.Request) {
	f.serveError(w, r, &pageError{status: http.StatusForbidden, heading: "Submission refused",
		message: "This form can only be sent from this site's own pages. Open the guide here and subscribe from it."})
}

// guide returns the guide a form or link names, or nil.
func guideOf(site *content.Site, slug string) *content.Guide {
	if slug == "" {
		return nil
	}
	return site.Guide(slug)
}

func (f *Feature) formPage(w http.ResponseWriter, r *http.Request) error {
	site := f.site()
	st := views.SubscribeState{Guide: guideOf(site, r.URL.Query().Get("guide"))}
	f.write(w, r, http.StatusOK, views.SubscribePage(f.meta("Subscribe", "/subscribe"), site.Guides, st))
	return nil
}

// readForm parses a posted urlencoded form of bounded size.
func readForm(w http.ResponseWriter, r *http.Request) error {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		return &pageError{status: http.StatusUnsupportedMediaType, heading: "We could not read that submission",
			message: "The form must be sent as a normal web form (application/x-www-form-urlencoded)."}
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &pageError{status: http.StatusRequestEntityTooLarge, heading: "That submission is too large",
				message: "The form sent far more than an email address. Please fill it in again."}
		}
		return &pageError{status: http.StatusBadRequest, heading: "We could not read that submission",
			message: "The form data was malformed. Please fill it in again."}
	}
	return nil
}

// subscribe handles the sign-up form. Every valid submission gets the same
// 303 to the same page, whether the address is new, pending, confirmed or
// unsubscribed, and whether or not an email goes out: the response never
// tells anyone whether an address is subscribed.
func (f *Feature) subscribe(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	site := f.site()
	g := guideOf(site, r.PostForm.Get("guide"))
	st := views.SubscribeState{Guide: g, Email: r.PostForm.Get("email"), Consent: r.PostForm.Get("consent") == "yes"}
	if r.PostForm.Get("website") != "" {
		// The honeypot: only programs fill in a field people cannot see.
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
		f.write(w, r, http.StatusUnprocessableEntity, views.SubscribePage(f.meta("Check the form · Subscribe", ""), site.Guides, st))
		return nil
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
		msg, err := f.confirmEmail(addr, res.Token)
		if err != nil {
			return err
		}
		return f.queue.Enqueue(ctx, tx, queue.EmailArgs{Message: msg, SubscriberID: res.Subscriber.ID, Purpose: queue.PurposeConfirm})
	})
	if err != nil {
		// Keep what they typed, and say plainly that nothing was saved.
		f.log.Error("subscribe: storing a subscription", "err", err)
		st.Failure = "We could not save it just now, on our side. Your address is still in the form: please send it again in a moment."
		f.write(w, r, http.StatusServiceUnavailable, views.SubscribePage(f.meta("Not saved · Subscribe", ""), site.Guides, st))
		return nil
	}
	http.Redirect(w, r, "/subscribe/check-inbox", http.StatusSeeOther)
	return nil
}

func (f *Feature) checkInbox(w http.ResponseWriter, r *http.Request) error {
	site := f.site()
	f.write(w, r, http.StatusOK, withChildren(views.MessagePage(f.meta("Check your inbox", ""), site.Guides, "Subscription", "Check your inbox",
		"If the address can get our emails, a message with a confirmation link is on its way. Open it and press the button in the page it opens; until then we send nothing else. The link works for "+validFor(f.limits.ConfirmTTL)+"."),
		views.GuideLinks(site.Guides)))
	return nil
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
	return &pageError{status: http.StatusGone, heading: "This link no longer works", message: msg}
}

func (f *Feature) confirmPage(w http.ResponseWriter, r *http.Request) error {
	token := r.URL.Query().Get("token")
	ctx := r.Context()
	err := f.db.Tx(ctx, func(tx *store.Tx) error {
		_, err := tx.CheckToken(ctx, token, "confirm", f.now())
		return err
	})
	if errors.Is(err, store.ErrTokenInvalid) {
		return linkGone("confirm")
	}
	if err != nil {
		return err
	}
	site := f.site()
	f.write(w, r, http.StatusOK, views.ConfirmPage(f.meta("Confirm your subscription", ""), site.Guides, token))
	return nil
}

// confirm spends the token, marks the subscriber confirmed and queues the
// welcome email, all in one transaction.
func (f *Feature) confirm(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	now := f.now()
	site := f.site()
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
		msg, err := f.welcomeEmail(s.Email, unsub, guideOf(site, s.Source), site)
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

func (f *Feature) confirmedPage(w http.ResponseWriter, r *http.Request) error {
	site := f.site()
	f.write(w, r, http.StatusOK, views.ConfirmedPage(f.meta("You are subscribed", ""), site.Guides, guideOf(site, r.URL.Query().Get("guide"))))
	return nil
}

func (f *Feature) unsubscribePage(w http.ResponseWriter, r *http.Request) error {
	token := r.URL.Query().Get("token")
	ctx := r.Context()
	err := f.db.Tx(ctx, func(tx *store.Tx) error {
		_, err := tx.CheckToken(ctx, token, "unsubscribe", f.now())
		return err
	})
	if errors.Is(err, store.ErrTokenInvalid) {
		return linkGone("unsubscribe")
	}
	if err != nil {
		return err
	}
	site := f.site()
	f.write(w, r, http.StatusOK, views.UnsubscribePage(f.meta("Unsubscribe", ""), site.Guides, "/subscribe/unsubscribe?token="+url.QueryEscape(token)))
	return nil
}

// unsubscribe is both the page's button and RFC 8058's one-click POST: the
// token is in the URL, the body is "List-Unsubscribe=One-Click" or empty,
// and the POST alone unsubscribes.
func (f *Feature) unsubscribe(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	token := r.URL.Query().Get("token")
	if token == "" {
		if err := r.ParseForm(); err == nil {
			token = r.PostForm.Get("token")
		}
	}
	ctx := r.Context()
	err := f.db.Tx(ctx, func(tx *store.Tx) error {
		_, err := tx.Unsubscribe(ctx, token, f.now())
		return err
	})
	if errors.Is(err, store.ErrTokenInvalid) {
		return linkGone("unsubscribe")
	}
	if err != nil {
		return err
	}
	site := f.site()
	f.write(w, r, http.StatusOK, withChildren(views.MessagePage(f.meta("Unsubscribed", ""), site.Guides, "Subscription", "You are unsubscribed",
		"We will send you no more emails. If you change your mind, you can subscribe again from any guide."), views.GuideLinks(site.Guides)))
	return nil
}

func (f *Feature) privacy(w http.ResponseWriter, r *http.Request) error {
	site := f.site()
	f.write(w, r, http.StatusOK, views.PrivacyPage(f.meta("Privacy", "/privacy"), site.Guides))
	return nil
}
