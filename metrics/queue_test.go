package metrics

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestQueueDepthReadFailure: a depth that cannot be read leaves the gauges
// out of that scrape and counts the failure; the scrape itself still works.
func TestQueueDepthReadFailure(t *testing.T) {
	m := New(Build{})
	fail := true
	if err := m.Register(NewQueueDepth(func(context.Context) (map[string]int, error) {
		if fail {
			return nil, errors.New("database is down")
		}
		return map[string]int{"available": 2, "retryable": 1, "completed": 40}, nil
	})); err != nil {
		t.Fatal(err)
	}
	body := scrape(t, m)
	if strings.Contains(body, "site_queue_jobs{") {
		t.Errorf("depth reported although it could not be read:\n%s", grepLines(body, "site_queue_jobs"))
	}
	if got := value(t, body, "site_queue_depth_errors_total"); got != 1 {
		t.Errorf("depth errors %v, want 1", got)
	}
	fail = false
	body = scrape(t, m)
	for state, want := range map[string]float64{"available": 2, "retryable": 1, "scheduled": 0, "running": 0, "pending": 0} {
		if got := value(t, body, `site_queue_jobs{state="`+state+`"}`); got != want {
			t.Errorf("%s: %v, want %v", state, got, want)
		}
	}
	if strings.Contains(body, `state="completed"`) {
		t.Error("completed jobs are history, not depth; they should not be reported")
	}
}

// TestQueueLabelsAreBounded: job kinds and email purposes past the bound
// are counted as "other".
func TestQueueLabelsAreBounded(t *testing.T) {
	m := New(Build{})
	for i := range maxQueueLabels + 5 {
		m.JobFailed(fmt.Sprintf("kind-%d", i), i%2 == 0)
		m.EmailSent(fmt.Sprintf("purpose-%d", i))
	}
	body := scrape(t, m)
	if n := strings.Count(body, "\nsite_emails_sent_total{"); n != maxQueueLabels+1 {
		t.Errorf("%d purpose series, want %d and other", n, maxQueueLabels)
	}
	if got := value(t, body, `site_emails_sent_total{purpose="other"}`); got != 5 {
		t.Errorf("other purposes: %v, want 5", got)
	}
	if got := value(t, body, `site_queue_job_failures_total{kind="kind-0",result="discarded"}`); got != 1 {
		t.Errorf("kind-0 discarded: %v, want 1", got)
	}
	other := value(t, body, `site_queue_job_failures_total{kind="other",result="retry"}`) +
		value(t, body, `site_queue_job_failures_total{kind="other",result="discarded"}`)
	if other != 5 {
		t.Errorf("other kinds: %v, want 5", other)
	}
}
