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
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/pmvspo/site/build"
	"github.com/pmvspo/site/metrics"
	"github.com/pmvspo/site/server"
	"github.com/pmvspo/site/subscribe/mail"
	"github.com/pmvspo/site/subscribe/queue"
	"github.com/pmvspo/site/subscribe/store"
	"github.com/pmvspo/site/views"
)

// Config is what the feature needs besides the snapshot, which it gets
// from the server with its routes.
type Config struct {
	DB *store.DB
	// Sender delivers emails; see NewSender.
	Sender mail.Sender
	Logger *slog.Logger
	// Limits bound confirmations per address and link lifetimes; zero
	// means store.DefaultLimits.
	Limits store.Limits
	// Queue adjusts the delivery worker (retries, polling); tests shorten it.
	Queue queue.Options
	// Metrics counts failed deliveries and emails sent; nil counts nothing.
	// The queue's depth is read with QueueDepth.
	Metrics metrics.Queue
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MinResponse is the least time a valid sign-up takes to answer
	// (default DefaultMinResponse; negative: none). A new address costs a
	// few milliseconds more than a confirmed one (a token and an email are
	// written); answering no sooner than this hides that difference, so the
	// response's timing cannot tell anyone whether an address is subscribed.
	MinResponse time.Duration
}

// DefaultMinResponse is well above the few milliseconds a sign-up costs and
// well below what a person notices after pressing a button.
const DefaultMinResponse = 150 * time.Millisecond

// Feature is the newsletter. It is a server feature: pass its Routes in
// server.Options.Features, and run its worker with Start and Stop.
type Feature struct {
	db     *store.DB
	queue  *queue.Queue
	log    *slog.Logger
	limits store.Limits
	now    func() time.Time
	floor  time.Duration
	// snap is the snapshot the server serves; Routes stores each new one,
	// so the emails the worker writes link to the current content.
	snap atomic.Pointer[build.Snapshot]
}

// New builds the feature. It does not start delivering: call Start.
func New(cfg Config) (*Feature, error) {
	if cfg.DB == nil || cfg.Sender == nil {
		return nil, errors.New("subscribe: DB and Sender are required")
	}
	f := &Feature{db: cfg.DB, log: cfg.Logger, limits: cfg.Limits, now: cfg.Now, floor: cfg.MinResponse}
	if f.floor == 0 {
		f.floor = DefaultMinResponse
	}
	if f.log == nil {
		f.log = slog.New(slog.DiscardHandler)
	}
	if f.now == nil {
		f.now = time.Now
	}
	if f.limits == (store.Limits{}) {
		f.limits = store.DefaultLimits
	}
	qo := cfg.Queue
	qo.Sender = cfg.Sender
	qo.Logger = f.log
	qo.Metrics = cfg.Metrics
	qo.StillWanted = f.stillWanted
	qo.Weekly = f.RunWeekly
	q, err := queue.New(cfg.DB, qo)
	if err != nil {
		return nil, err
	}
	f.queue = q
	return f, nil
}

// Routes registers the newsletter's pages for a snapshot. It is a
// server.Feature:
//
//	GET  /subscribe                     the form on its own page
//	POST /subscribe                     sign up: 303 to check-inbox, or 422 with the form
//	GET  /subscribe/check-inbox         "check your inbox"
//	GET  /subscribe/confirm?token=      a page with the confirm button (changes nothing)
//	POST /subscribe/confirm             confirm: 303 to /subscribe/confirmed
//	GET  /subscribe/confirmed           thank-you page with the PDF
//	GET  /subscribe/unsubscribe?token=  a page with the unsubscribe button
//	POST /subscribe/unsubscribe?token=  unsubscribe at once (also RFC 8058 one-click)
//	(the privacy page, /privacy, is built with the site: build/kinds.go)
func (f *Feature) Routes(r chi.Router, d server.Deps) {
	f.snap.Store(d.Snapshot)
	h := &pages{f: f, snap: d.Snapshot}
	server.Get(r, "/subscribe", d.Handle(h.formPage))
	// Refuse cross-origin posts before counting them against the limit.
	r.With(d.SameOrigin, d.Limit).Post("/subscribe", d.Handle(h.subscribe))
	server.Get(r, "/subscribe/check-inbox", d.Handle(h.checkInbox))
	server.Get(r, "/subscribe/confirm", d.Handle(h.confirmPage))
	r.With(d.SameOrigin).Post("/subscribe/confirm", d.Handle(h.confirm))
	server.Get(r, "/subscribe/confirmed", d.Handle(h.confirmedPage))
	server.Get(r, "/subscribe/unsubscribe", d.Handle(h.unsubscribePage))
	// One-click unsubscribe posts come from mail providers' servers and
	// from webmail pages on other origins (RFC 8058); the token in the URL
	// is what authorises them, so the same-origin check does not apply.
	r.Post("/subscribe/unsubscribe", d.Handle(h.unsubscribe))
}

// QueueDepth counts the queue's jobs by state (see metrics.NewQueueDepth).
func (f *Feature) QueueDepth(ctx context.Context) (map[string]int, error) { return f.queue.Depth(ctx) }

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
