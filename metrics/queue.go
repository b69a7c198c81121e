package metrics

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Queue records what the newsletter's job queue does. kind and purpose
// come from a small fixed set in the code (job kinds, email purposes);
// past maxQueueLabels distinct values they are counted as "other", so a
// mistake could not grow the series without limit.
type Queue interface {
	// JobFailed records an attempt of a job that failed: it is retried
	// later, or, when discarded is true, it was the last attempt and the
	// job is given up.
	JobFailed(kind string, discarded bool)
	// EmailSent records an email handed to the mail server (or written to
	// the outbox).
	EmailSent(purpose string)
}

// DiscardQueue is a Queue that records nothing.
var DiscardQueue Queue = discard{}

func (discard) JobFailed(string, bool) {}
func (discard) EmailSent(string)       {}

const maxQueueLabels = 20

// queueMetrics are the queue's counters, part of Metrics.
type queueMetrics struct {
	failures *prometheus.CounterVec
	sent     *prometheus.CounterVec
	kinds    boundedLabel
	purposes boundedLabel
}

func newQueueMetrics() queueMetrics {
	return queueMetrics{
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "site_queue_job_failures_total",
			Help: "Failed attempts of queued jobs, by job kind and result: retry (tried again later) or discarded (the last attempt; given up).",
		}, []string{"kind", "result"}),
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "site_emails_sent_total",
			Help: "Emails delivered to the mail server (or the outbox), by purpose.",
		}, []string{"purpose"}),
		kinds:    boundedLabel{max: maxQueueLabels},
		purposes: boundedLabel{max: maxQueueLabels},
	}
}

// JobFailed implements Queue.
func (m *Metrics) JobFailed(kind string, discarded bool) {
	result := "retry"
	if discarded {
		result = "discarded"
	}
	m.queue.failures.WithLabelValues(m.queue.kinds.of(kind), result).Inc()
}

// EmailSent implements Queue.
func (m *Metrics) EmailSent(purpose string) {
	m.queue.sent.WithLabelValues(m.queue.purposes.of(purpose)).Inc()
}

// boundedLabel passes label values through until it has seen max distinct
// ones; later new values become "other".
type boundedLabel struct {
	mu   sync.Mutex
	max  int
	seen map[string]struct{}
}

func (b *boundedLabel) of(v string) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.seen[v]; ok {
		return v
	}
	if len(b.seen) >= b.max {
		return "other"
	}
	if b.seen == nil {
		b.seen = map[string]struct{}{}
	}
	b.seen[v] = struct{}{}
	return v
}

// QueueStates are the job states that make up a queue's depth, each
// reported even when no job is in it.
var QueueStates = []string{"available", "scheduled", "retryable", "running", "pending"}

// depthTimeout bounds the database query of one scrape.
const depthTimeout = 2 * time.Second

// queueDepth reports the jobs waiting in each state, read from the queue's
// database when Prometheus scrapes.
type queueDepth struct {
	depth  func(context.Context) (map[string]int, error)
	jobs   *prometheus.Desc
	errors prometheus.Counter
}

// NewQueueDepth is a collector of site_queue_jobs{state}: the jobs in each
// of QueueStates, as depth (a count by state) reads them at each scrape. A
// failed read leaves the gauges out of that scrape and counts
// site_queue_depth_errors_total. Add it with Metrics.Register.
func NewQueueDepth(depth func(context.Context) (map[string]int, error)) prometheus.Collector {
	return &queueDepth{
		depth: depth,
		jobs: prometheus.NewDesc("site_queue_jobs",
			"Jobs in the newsletter's queue by state: available (due now), scheduled (due later), retryable (failed, to be retried), running, pending.",
			[]string{"state"}, nil),
		errors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "site_queue_depth_errors_total",
			Help: "Scrapes whose read of the queue's depth failed (the database was unreachable, say).",
		}),
	}
}

func (q *queueDepth) Describe(ch chan<- *prometheus.Desc) {
	ch <- q.jobs
	q.errors.Describe(ch)
}

func (q *queueDepth) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), depthTimeout)
	defer cancel()
	counts, err := q.depth(ctx)
	if err != nil {
		q.errors.Inc()
	} else {
		for _, s := range QueueStates {
			ch <- prometheus.MustNewConstMetric(q.jobs, prometheus.GaugeValue, float64(counts[s]), s)
		}
	}
	q.errors.Collect(ch)
}
