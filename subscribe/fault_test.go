package subscribe

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestConcurrentSubscriptionsSQLite: 200 people subscribing at the same
// moment on SQLite are all stored, each with one confirmation email queued,
// and nobody sees "database is locked".
func TestConcurrentSubscriptionsSQLite(t *testing.T) {
	e := newEnv(t, envOptions{})
	const n = 200
	statuses := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			statuses[i] = e.subscribe(fmt.Sprintf("person%03d@example.com", i)).status
		})
	}
	close(start)
	wg.Wait()
	for i, s := range statuses {
		if s != http.StatusSeeOther {
			t.Errorf("subscription %d: status %d", i, s)
		}
	}
	if got := e.countSubscribers(); got != n {
		t.Errorf("%d subscribers stored, want %d", got, n)
	}
	if got := e.countJobs(""); got != n {
		t.Errorf("%d confirmation emails queued, want %d", got, n)
	}
	if logs := e.logs.String(); strings.Contains(logs, "locked") || strings.Contains(logs, "BUSY") {
		t.Errorf("logs mention a locked database:\n%s", logs)
	}
}

// TestPostgresRestartUnderLoad: PostgreSQL restarts while people keep
// subscribing. Requests during the outage fail with the form kept (503) and
// are sent again, as a person would; every subscription that was answered
// with the 303 is stored, with its confirmation email, and after the
// restart everyone's is.
func TestPostgresRestartUnderLoad(t *testing.T) {
	requirePG(t)
	e := newEnv(t, envOptions{postgres: true})
	const writers, each = 10, 30
	var ok, failed atomic.Int64
	var mu sync.Mutex
	accepted := map[string]bool{}
	var wg sync.WaitGroup
	restarted := make(chan struct{})
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				addr := fmt.Sprintf("w%d-%d@example.com", w, i)
				for attempt := 0; ; attempt++ {
					res := e.subscribe(addr)
					if res.status == http.StatusSeeOther {
						ok.Add(1)
						mu.Lock()
						accepted[addr] = true
						mu.Unlock()
						break
					}
					if res.status != http.StatusServiceUnavailable || !strings.Contains(res.body, addr) {
						t.Errorf("%s: status %d during the restart, want 503 with the address kept", addr, res.status)
						return
					}
					failed.Add(1)
					if attempt > 200 {
						t.Errorf("%s: still failing after the restart", addr)
						return
					}
					time.Sleep(50 * time.Millisecond)
				}
				if i == each/3 && w == 0 {
					close(restarted)
				}
			}
		})
	}
	<-restarted
	if err := pg.Restart(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	t.Logf("%d subscriptions accepted, %d attempts refused with 503 during the restart", ok.Load(), failed.Load())
	if got := e.countSubscribers(); got != writers*each || len(accepted) != writers*each {
		t.Errorf("%d subscribers stored, %d accepted, want %d", got, len(accepted), writers*each)
	}
	if got := e.countJobs(""); got != writers*each {
		t.Errorf("%d confirmation emails queued, want %d", got, writers*each)
	}
	for addr := range accepted {
		if e.status(addr) == "" {
			t.Errorf("%s was accepted but is not stored", addr)
		}
	}
}
