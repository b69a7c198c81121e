package queue

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/pmvspo/site/metrics"
	"github.com/pmvspo/site/subscribe/internal/smtptest"
	"github.com/pmvspo/site/subscribe/mail"
	"github.com/pmvspo/site/subscribe/store"
)

// newMeasuredQueue is a queue reporting to the site's metrics, with its
// depth collector, as cmd/site wires them.
func newMeasuredQueue(t *testing.T, db *store.DB, o Options) (*Queue, *metrics.Metrics) {
	t.Helper()
	m := metrics.New(metrics.Build{Version: "test"})
	o.Metrics = m
	q, err := New(db, o)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Register(metrics.NewQueueDepth(q.Depth)); err != nil {
		t.Fatal(err)
	}
	return q, m
}

// scrape fetches /metrics from the admin handler, as Prometheus would.
func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.AdminHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics: %d\n%s", rec.Code, rec.Body)
	}
	return rec.Body.String()
}

// valueIn is the value of one series of a scrape (such as
// `site_queue_jobs{state="available"}`), or -1 when the scrape lacks it.
func valueIn(t *testing.T, body, series string) float64 {
	t.Helper()
	match := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindStringSubmatch(body)
	if match == nil {
		return -1
	}
	v, err := strconv.ParseFloat(match[1], 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// sample is the value of one series in a fresh scrape.
func sample(t *testing.T, m *metrics.Metrics, series string) float64 {
	t.Helper()
	return valueIn(t, scrape(t, m), series)
}

// waiting is the depth in one scrape: jobs not yet done, whatever their state.
func waiting(t *testing.T, m *metrics.Metrics) float64 {
	t.Helper()
	body := scrape(t, m)
	var n float64
	for _, s := range metrics.QueueStates {
		v := valueIn(t, body, `site_queue_jobs{state="`+s+`"}`)
		if v < 0 {
			t.Fatalf("no site_queue_jobs series for state %s in:\n%s", s, body)
		}
		n += v
	}
	return n
}

// TestQueueMetricsFollowAnOutage: emails queued while the SMTP server is
// down show as queue depth and their failed attempts as failures; once the
// server is back they are counted as sent and the depth falls to zero.
func TestQueueMetricsFollowAnOutage(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB, _ store.Options) {
		srv, err := smtptest.Start("127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Stop()
		srv.Stop()
		ids := enqueue(t, db, 3, "metrics")
		q, m := newMeasuredQueue(t, db, fast(smtpSender(t, srv)))
		if got := sample(t, m, `site_queue_jobs{state="available"}`); got != float64(len(ids)) {
			t.Fatalf("before the worker starts, %v jobs available, want %d", got, len(ids))
		}
		failures := `site_queue_job_failures_total{kind="subscribe_email",result="retry"}`
		sent := `site_emails_sent_total{purpose="` + PurposeConfirm + `"}`
		if err := q.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			q.Stop(ctx)
		})
		waitFor(t, 20*time.Second, "a failed attempt of every email to be counted", func() bool {
			return sample(t, m, failures) >= float64(len(ids))
		})
		if got := waiting(t, m); got != float64(len(ids)) {
			t.Errorf("during the outage the queue's depth is %v, want the %d undelivered emails", got, len(ids))
		}
		if got := sample(t, m, sent); got > 0 {
			t.Errorf("%v emails counted as sent while the server was down", got)
		}
		if err := srv.Restart(); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 30*time.Second, "every email to be counted as sent", func() bool {
			return sample(t, m, sent) == float64(len(ids))
		})
		waitFor(t, 10*time.Second, "the depth to fall to zero", func() bool { return waiting(t, m) == 0 })
		if got := sample(t, m, `site_queue_job_failures_total{kind="subscribe_email",result="discarded"}`); got > 0 {
			t.Errorf("%v jobs counted as discarded; every email was retried and delivered", got)
		}
	})
}

// TestQueueMetricsCountDiscardedJobs: a job whose last attempt fails is
// counted as discarded.
func TestQueueMetricsCountDiscardedJobs(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB, _ store.Options) {
		srv, err := smtptest.Start("127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Stop()
		srv.Stop()
		q, m := newMeasuredQueue(t, db, fast(smtpSender(t, srv)))
		err = db.Tx(context.Background(), func(tx *store.Tx) error {
			_, err := q.client.InsertTx(context.Background(), tx.Tx, EmailArgs{Purpose: PurposeConfirm,
				Message: mail.Message{ID: "last", To: "a@example.com", Subject: "x", Text: "x"}},
				&river.InsertOpts{Queue: emailQueue, MaxAttempts: 1})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := q.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			q.Stop(ctx)
		})
		waitFor(t, 20*time.Second, "the discarded job to be counted", func() bool {
			return sample(t, m, `site_queue_job_failures_total{kind="subscribe_email",result="discarded"}`) == 1
		})
		if got := sample(t, m, `site_queue_job_failures_total{kind="subscribe_email",result="retry"}`); got > 0 {
			t.Errorf("%v attempts counted as retried; the only attempt was the last", got)
		}
		if got := waiting(t, m); got != 0 {
			t.Errorf("depth %v after the only job was discarded, want 0", got)
		}
	})
}
