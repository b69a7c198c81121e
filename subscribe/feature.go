// Package subscribe is the newsletter: a double opt-in sign-up form, the
// confirmation and one-click unsubscribe pages, a privacy page, and the
// emails (confirmation, welcome with the guide's PDF, and at most one
// weekly email listing what is new or updated). Subscribers live in
// package store, emails go through package queue (River, in the same
// transaction as the change that causes them) and package mail delivers them.
//
// The server mounts it with Routes and runs its worker with Start and Stop.
package subscribe

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/httprate"

	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/subscribe/mail"
	"github.com/pmvspo/site/subscribe/queue"
	"github.com/pmvspo/site/subscribe/store"
	"github.com/pmvspo/site/views"
)

// Config is what the feature needs from the server.
type Config struct {
	DB *store.DB
	// Sender delivers emails; see NewSender.
	Sender mail.Sender
	// Site returns the current content (the server may swap it on rebuild).
	Site func() *content.Site
	// BaseURL is the public origin for links in emails, such as https://example.com.
	BaseURL string
	// Assets are the hashed URLs of the site's CSS, script and icon.
	Assets views.Assets
	Logger *slog.Logger
	// Limit, when set, is the server's per-client limit, applied to form
	// posts. Nil uses a limit of its own: PostsPerMinute per TCP peer.
	Limit          func(http.Handler) http.Handler
	PostsPerMinute int
	// Limits bound confirmations per address and link lifetimes; zero
	// means store.DefaultLimits.
	Limits store.Limits
	// Queue adjusts the delivery worker (retries, polling); tests shorten it.
	Queue queue.Options
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Feature is the newsletter, ready to route.
type Feature struct {
	db      *store.DB
	queue   *queue.Queue
	site    func() *content.Site
	baseURL string
	assets  views.Assets
	log     *slog.Logger
	limit   func(http.Handler) http.Handler
	limits  store.Limits
	now     func() time.Time
	cop     *http.CrossOriginProtection
}

// New builds the feature. It does not start delivering: call Start.
func New(cfg Config) (*Feature, error) {
	if cfg.DB == nil || cfg.Sender == nil || cfg.Site == nil || cfg.BaseURL == "" {
		return nil, errors.New("subscribe: DB, Sender, Site and BaseURL are required")
	}
	f := &Feature{db: cfg.DB, site: cfg.Site, baseURL: cfg.BaseURL, assets: cfg.Assets, log: cfg.Logger,
		limit: cfg.Limit, limits: cfg.Limits, now: cfg.Now}
	if f.log == nil {
		f.log = slog.New(slog.DiscardHandler)
	}
	if f.now == nil {
		f.now = time.Now
	}
	if f.limits == (store.Limits{}) {
		f.limits = store.DefaultLimits
	}
	if f.limit == nil {
		perMinute := cfg.PostsPerMinute
		if perMinute <= 0 {
			perMinute = 10
		}
		f.limit = httprate.LimitBy(perMinute, time.Minute, func(r *http.Request) (string, error) {
			host, _, err := net.SplitHostPort(r.RemoteAddr)
			if err != nil {
				return r.RemoteAddr, nil
			}
			return host, nil
		}, httprate.WithLimitHandler(f.tooMany))
	}
	f.cop = http.NewCrossOriginProtection()
	f.cop.SetDenyHandler(http.HandlerFunc(f.crossOrigin))
	// One-click unsubscribe posts come from mail providers' servers and
	// webmail pages on other origins (RFC 8058); the token in the URL is
	// what authorises them, so the origin check does not apply.
	f.cop.AddInsecureBypassPattern("POST /subscribe/unsubscribe")

	qo := cfg.Queue
	qo.Sender = cfg.Sender
	qo.Logger = f.log
	qo.StillWanted = f.stillWanted
	qo.Weekly = f.RunWeekly
	q, err := queue.New(cfg.DB, qo)
	if err != nil {
		return nil, err
	}
	f.queue = q
	return f, nil
}

// Routes registers the newsletter's pages:
//
//	GET  /subscribe                 the form on its own page
//	POST /subscribe                 sign up: 303 to check-inbox, or 422 with the form
//	GET  /subscribe/check-inbox     "check your inbox"
//	GET  /subscribe/confirm?token=  a page with the confirm button (changes nothing)
//	POST /subscribe/confirm         confirm: 303 to /subscribe/confirmed
//	GET  /subscribe/confirmed       thank-you page with the PDF
//	GET  /subscribe/unsubscribe?token=  a page with the unsubscribe button
//	POST /subscribe/unsubscribe?token=  unsubscribe at once (also RFC 8058 one-click)
//	GET  /privacy                   what is stored and how to leave
func (f *Feature) Routes(r chi.Router) {
	r.Get("/subscribe", f.handle(f.formPage))
	// Refuse cross-origin posts before counting them against the limit.
	r.With(f.cop.Handler, f.limit).Post("/subscribe", f.handle(f.subscribe))
	r.Get("/subscribe/check-inbox", f.handle(f.checkInbox))
	r.Get("/subscribe/confirm", f.handle(f.confirmPage))
	r.With(f.cop.Handler).Post("/subscribe/confirm", f.handle(f.confirm))
	r.Get("/subscribe/confirmed", f.handle(f.confirmedPage))
	r.Get("/subscribe/unsubscribe", f.handle(f.unsubscribePage))
	r.With(f.cop.Handler).Post("/subscribe/unsubscribe", f.handle(f.unsubscribe))
	r.Get("/privacy", f.handle(f.privacy))
}

// Start begins delivering emails and checking for the weekly email.
func (f *Feature) Start(ctx context.Context) error { return f.queue.Start(ctx) }

// Stop lets deliveries in progress finish within ctx; what is left is
// delivered after the next start.
func (f *Feature) Stop(ctx context.Context) error { return f.queue.Stop(ctx) }

// stillWanted is checked just before a welcome or weekly email goes out.
func (f *Feature) stillWanted(ctx context.Context, id string) (bool, error) {
	var ok bool
	err := f.db.Tx(ctx, func(tx *store.Tx) error {
		s, err := tx.Subscriber(ctx, id)
		if store.IsNotFound(err) {
			return nil
		}
		ok = err == nil && s.Status == store.Confirmed
		return err
	})
	return ok, err
}

// NewSender picks how emails leave: SMTP when smtpURL is set, otherwise
// .eml files in dataDir/outbox (their paths are logged).
func NewSender(smtpURL, from, dataDir string, log *slog.Logger) (mail.Sender, error) {
	if from == "" {
		if smtpURL != "" {
			return nil, errors.New("MAIL_FROM is required with SMTP_URL, for example \"Role Compass <news@example.com>\"")
		}
		from = views.SiteName + " <newsletter@localhost>"
	}
	if err := mail.ParseFrom(from); err != nil {
		return nil, err
	}
	if smtpURL != "" {
		return mail.NewSMTP(smtpURL, from)
	}
	if dataDir == "" {
		dataDir = "data"
	}
	return mail.NewDir(dataDir+"/outbox", from, log), nil
}
