// Package queue delivers the newsletter's emails with River, a job queue
// that keeps its jobs in the same database as the subscribers. An email is
// a job inserted in the transaction of the change that causes it, so a
// subscription is never stored without its confirmation email, nor the
// email queued for a change that rolled back. Workers send with retries and
// exponential backoff (an SMTP outage delays mail, never drops it); a job
// left running by a crashed process is rescued and retried; on PostgreSQL
// jobs are locked with FOR UPDATE SKIP LOCKED, so replicas never work the
// same email at once. The weekly email is a periodic job that River's
// elected leader inserts.
package queue

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivertype"

	"github.com/pmvspo/site/metrics"
	"github.com/pmvspo/site/subscribe/mail"
	"github.com/pmvspo/site/subscribe/store"
)

// Purposes of an email. Only confirmations go to someone who has not
// confirmed; the others are dropped if the reader left before delivery.
const (
	PurposeConfirm = "confirm"
	PurposeWelcome = "welcome"
	PurposeWeekly  = "weekly"
)

// EmailArgs is one email to deliver.
type EmailArgs struct {
	mail.Message
	SubscriberID string `json:"subscriber_id"`
	Purpose      string `json:"purpose"`
}

// Kind names the job type in River's table.
func (EmailArgs) Kind() string { return "subscribe_email" }

// InsertOpts: emails retry for days before they give up.
func (EmailArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: emailQueue, MaxAttempts: maxAttempts}
}

// WeeklyArgs starts the weekly email run.
type WeeklyArgs struct{}

// Kind names the job type in River's table.
func (WeeklyArgs) Kind() string { return "subscribe_weekly" }

// InsertOpts: at most one queued run per hour; the run itself claims its
// week in the database, so a second run in a week sends nothing.
func (WeeklyArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: emailQueue, MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByPeriod: time.Hour}}
}

const (
	emailQueue  = "email"
	maxAttempts = 60 // with backoff capped at an hour: about two and a half days
)

// Options configure the queue.
type Options struct {
	Sender mail.Sender
	// StillWanted reports whether a welcome or weekly email should still go
	// to a subscriber (they may have unsubscribed since it was queued).
	StillWanted func(ctx context.Context, subscriberID string) (bool, error)
	// Weekly runs the weekly email; nil leaves it out.
	Weekly func(ctx context.Context) error
	// WeeklyCheck is how often the leader checks whether the week's email is
	// due (default one hour).
	WeeklyCheck time.Duration
	// RetryBase and RetryMax bound the backoff: RetryBase·2^(attempt-1), at
	// most RetryMax (defaults 30 s and 1 h).
	RetryBase, RetryMax time.Duration
	// SendTimeout bounds one delivery attempt (default 1 min); RescueAfter is
	// how long a job may stay running before it counts as abandoned by a
	// crashed process and is retried (default 5 min).
	SendTimeout, RescueAfter time.Duration
	// PollInterval is how often idle workers look for new jobs (default 1 s).
	PollInterval time.Duration
	Workers      int
	Logger       *slog.Logger
	// Metrics counts failed attempts and emails sent; nil counts nothing.
	Metrics metrics.Queue
}

// Queue is the River client.
type Queue struct {
	client  *river.Client[*sql.Tx]
	driver  riverdriver.Driver[*sql.Tx]
	metrics metrics.Queue
	// stopEvents ends the subscription to River's events that feeds the
	// failure counts; set while the queue runs.
	stopEvents func()
	eventsDone chan struct{}
}

// New builds the client; Start begins working.
func New(db *store.DB, o Options) (*Queue, error) {
	if o.Sender == nil {
		return nil, errors.New("queue: no sender")
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.WeeklyCheck, time.Hour)
	def(&o.RetryBase, 30*time.Second)
	def(&o.RetryMax, time.Hour)
	def(&o.SendTimeout, time.Minute)
	def(&o.RescueAfter, 5*time.Minute)
	def(&o.PollInterval, time.Second)
	if o.Workers <= 0 {
		o.Workers = 4
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Metrics == nil {
		o.Metrics = metrics.DiscardQueue
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &emailWorker{o: &o})
	cfg := &river.Config{
		Queues:               map[string]river.QueueConfig{emailQueue: {MaxWorkers: o.Workers}},
		Workers:              workers,
		RetryPolicy:          backoff{base: o.RetryBase, max: o.RetryMax},
		JobTimeout:           o.SendTimeout,
		RescueStuckJobsAfter: o.RescueAfter,
		FetchPollInterval:    o.PollInterval,
		FetchCooldown:        min(o.PollInterval, 100*time.Millisecond),
		MaxAttempts:          maxAttempts,
		// A sent email holds its links (the tokens themselves); keep it no
		// longer than needed to see it went out.
		CompletedJobRetentionPeriod: time.Hour,
		Logger:                      o.Logger,
		// database/sql connections cannot LISTEN; polling is the fallback River documents.
		PollOnly: true,
	}
	if o.Weekly != nil {
		river.AddWorker(workers, &weeklyWorker{run: o.Weekly})
		cfg.PeriodicJobs = []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(o.WeeklyCheck),
			func() (river.JobArgs, *river.InsertOpts) { return WeeklyArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true})}
	}
	driver := db.RiverDriver()
	client, err := river.NewClient(driver, cfg)
	if err != nil {
		return nil, err
	}
	return &Queue{client: client, driver: driver, metrics: o.Metrics}, nil
}

// Depth counts the jobs in each state (available, scheduled, retryable,
// running, completed, discarded, …), for the metrics.
func (q *Queue) Depth(ctx context.Context) (map[string]int, error) {
	counts, err := q.driver.GetExecutor().JobCountByAllStates(ctx, &riverdriver.JobCountByAllStatesParams{})
	if err != nil {
		return nil, err
	}
	out := make(map[string]int, len(counts))
	for state, n := range counts {
		out[string(state)] = n
	}
	return out, nil
}

// NewMessageID makes the id an email keeps across its retries.
func NewMessageID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Enqueue adds an email in the caller's transaction: it is sent only if the
// transaction commits.
func (q *Queue) Enqueue(ctx context.Context, tx *store.Tx, e EmailArgs) error {
	if e.ID == "" {
		e.ID = NewMessageID()
	}
	_, err := q.client.InsertTx(ctx, tx.Tx, e, nil)
	return err
}

// Start begins delivering; it returns at once.
func (q *Queue) Start(ctx context.Context) error {
	if q.stopEvents == nil {
		q.countFailures()
	}
	return q.client.Start(ctx)
}

// countFailures counts every failed attempt River reports (an error, a
// panic, a timeout), whichever worker it was, until Stop.
func (q *Queue) countFailures() {
	events, stop := q.client.Subscribe(river.EventKindJobFailed)
	q.stopEvents, q.eventsDone = stop, make(chan struct{})
	go func() {
		defer close(q.eventsDone)
		for e := range events {
			q.metrics.JobFailed(e.Job.Kind, e.Job.State == rivertype.JobStateDiscarded)
		}
	}()
}

// Stop lets emails being sent finish (within ctx) and stops.
func (q *Queue) Stop(ctx context.Context) error {
	err := q.client.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		// Out of time: cancel what is left; it is retried after a restart.
		err = q.client.StopAndCancel(context.WithoutCancel(ctx))
	}
	if q.stopEvents != nil {
		q.stopEvents() // closes the channel once the events already sent are read
		<-q.eventsDone
		q.stopEvents = nil
	}
	return err
}

type emailWorker struct {
	river.WorkerDefaults[EmailArgs]
	o *Options
}

func (w *emailWorker) Work(ctx context.Context, job *river.Job[EmailArgs]) error {
	a := job.Args
	if a.Purpose != PurposeConfirm && w.o.StillWanted != nil {
		ok, err := w.o.StillWanted(ctx, a.SubscriberID)
		if err != nil {
			return err
		}
		if !ok {
			w.o.Logger.Info("email dropped: the reader has unsubscribed", "purpose", a.Purpose)
			return nil
		}
	}
	if err := w.o.Sender.Send(ctx, a.Message); err != nil {
		w.o.Logger.Warn("email not delivered, will retry", "purpose", a.Purpose, "attempt", job.Attempt, "err", err)
		return err
	}
	w.o.Metrics.EmailSent(a.Purpose)
	return nil
}

type weeklyWorker struct {
	river.WorkerDefaults[WeeklyArgs]
	run func(context.Context) error
}

func (w *weeklyWorker) Work(ctx context.Context, _ *river.Job[WeeklyArgs]) error { return w.run(ctx) }

// backoff doubles the wait after each failed attempt, up to a ceiling.
type backoff struct{ base, max time.Duration }

func (b backoff) NextRetry(job *rivertype.JobRow) time.Time {
	d := b.base
	for i := 1; i < job.Attempt && d < b.max; i++ {
		d *= 2
	}
	return time.Now().Add(min(d, b.max))
}
