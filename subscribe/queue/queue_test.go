package queue

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/pmvspo/site/subscribe/internal/pgtest"
	"github.com/pmvspo/site/subscribe/internal/smtptest"
	"github.com/pmvspo/site/subscribe/mail"
	"github.com/pmvspo/site/subscribe/store"
)

var (
	pg       *pgtest.Server
	pgErr    error
	dbNumber atomic.Int64
)

func TestMain(m *testing.M) {
	if os.Getenv("QUEUE_HELPER_SMTP") != "" {
		os.Exit(helperProcess())
	}
	pg, pgErr = pgtest.Start(18191)
	code := m.Run()
	if pg != nil {
		pg.Close()
	}
	os.Exit(code)
}

type database struct {
	name string
	open func(t *testing.T) (*store.DB, store.Options)
}

var databases = []database{
	{"sqlite", func(t *testing.T) (*store.DB, store.Options) {
		o := store.Options{DataDir: t.TempDir()}
		return mustOpen(t, o), o
	}},
	{"postgres", func(t *testing.T) (*store.DB, store.Options) {
		if pg == nil {
			if pgtest.Required() {
				t.Fatalf("PostgreSQL is required (POSTGRES_TESTS=required or CI=true) but could not start: %v", pgErr)
			}
			t.Skipf("PostgreSQL tests skipped: %v (set POSTGRES_TESTS=required to make this an error)", pgErr)
		}
		url, err := pg.NewDatabase(fmt.Sprintf("queue_%d", dbNumber.Add(1)))
		if err != nil {
			t.Fatal(err)
		}
		o := store.Options{DatabaseURL: url}
		return mustOpen(t, o), o
	}},
}

func mustOpen(t *testing.T, o store.Options) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func eachDB(t *testing.T, fn func(t *testing.T, db *store.DB, o store.Options)) {
	for _, d := range databases {
		t.Run(d.name, func(t *testing.T) {
			db, o := d.open(t)
			fn(t, db, o)
		})
	}
}

const from = "Role Compass <news@example.com>"

func smtpSender(t *testing.T, srv *smtptest.Server) mail.Sender {
	t.Helper()
	s, err := mail.NewSMTP(srv.URL(), from, func(c *tls.Config) { c.RootCAs = srv.Roots })
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// fast are options for tests: quick retries and rescue.
func fast(sender mail.Sender) Options {
	return Options{Sender: sender, RetryBase: 100 * time.Millisecond, RetryMax: 500 * time.Millisecond,
		PollInterval: 50 * time.Millisecond, SendTimeout: 2 * time.Second, RescueAfter: 3 * time.Second}
}

func startQueue(t *testing.T, db *store.DB, o Options) *Queue {
	t.Helper()
	q, err := New(db, o)
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
	return q
}

// enqueue inserts n emails, each in its own transaction, through a client
// that does not work jobs (as a web request would).
func enqueue(t *testing.T, db *store.DB, n int, prefix string) []string {
	t.Helper()
	q, err := New(db, Options{Sender: mail.NewDir(t.TempDir(), from, nil)})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range n {
		id := fmt.Sprintf("%s-%d", prefix, i)
		ids = append(ids, id)
		err := db.Tx(context.Background(), func(tx *store.Tx) error {
			return q.Enqueue(context.Background(), tx, EmailArgs{Purpose: PurposeConfirm,
				Message: mail.Message{ID: id, To: fmt.Sprintf("r%d@example.com", i), Subject: "Confirm", Text: "hello"}})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return ids
}

// delivered counts the messages the server accepted, by Message-ID.
func delivered(srv *smtptest.Server) map[string]int {
	out := map[string]int{}
	for _, m := range srv.Messages() {
		out[m.Msg.Header.Get("Message-Id")]++
	}
	return out
}

func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func checkOnce(t *testing.T, srv *smtptest.Server, ids []string) {
	t.Helper()
	got := delivered(srv)
	for _, id := range ids {
		if n := got["<"+id+"@example.com>"]; n != 1 {
			t.Errorf("email %s delivered %d times, want once", id, n)
		}
	}
	if len(srv.Messages()) != len(ids) {
		t.Errorf("server got %d messages, want %d", len(srv.Messages()), len(ids))
	}
}

// TestSMTPOutageDelaysNeverDrops: with the SMTP server down, emails fail
// and are retried; once it is back, each is delivered exactly once.
func TestSMTPOutageDelaysNeverDrops(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB, _ store.Options) {
		srv, err := smtptest.Start("127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Stop()
		srv.Stop()
		ids := enqueue(t, db, 5, "outage")
		startQueue(t, db, fast(smtpSender(t, srv)))
		waitFor(t, 20*time.Second, "failed attempts to be recorded", func() bool {
			var n int
			db.SQL.QueryRow(`SELECT COUNT(*) FROM river_job WHERE kind = 'subscribe_email' AND attempt >= 2`).Scan(&n)
			return n == len(ids)
		})
		if n := len(srv.Messages()); n != 0 {
			t.Fatalf("%d messages delivered while the server was down", n)
		}
		if err := srv.Restart(); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 30*time.Second, "every email to be delivered", func() bool { return len(srv.Messages()) >= len(ids) })
		time.Sleep(time.Second) // a duplicate would arrive now
		checkOnce(t, srv, ids)
	})
}

// TestRolledBackChangeQueuesNothing: the email belongs to its transaction.
func TestRolledBackChangeQueuesNothing(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB, _ store.Options) {
		q, err := New(db, Options{Sender: mail.NewDir(t.TempDir(), from, nil)})
		if err != nil {
			t.Fatal(err)
		}
		err = db.Tx(context.Background(), func(tx *store.Tx) error {
			if err := q.Enqueue(context.Background(), tx, EmailArgs{Purpose: PurposeConfirm, Message: mail.Message{To: "a@example.com", Subject: "x", Text: "x"}}); err != nil {
				return err
			}
			return errors.New("the change failed")
		})
		if err == nil {
			t.Fatal("transaction did not fail")
		}
		var n int
		db.SQL.QueryRow(`SELECT COUNT(*) FROM river_job WHERE kind = 'subscribe_email'`).Scan(&n)
		if n != 0 {
			t.Fatalf("%d emails queued by a rolled-back transaction", n)
		}
	})
}

// TestKilledMidDelivery: a process is killed with SIGKILL while an email is
// being handed to the SMTP server; a new process delivers every queued email,
// each once.
func TestKilledMidDelivery(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB, o store.Options) {
		srv, err := smtptest.Start("127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Stop()
		ids := enqueue(t, db, 3, "kill")
		release := srv.Stall()
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "QUEUE_HELPER_DB="+o.DataDir, "QUEUE_HELPER_URL="+o.DatabaseURL,
			"QUEUE_HELPER_SMTP="+srv.Addr)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		select {
		case <-srv.DataStarted():
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			t.Fatal("the helper process never started sending")
		}
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		release()
		var running int
		db.SQL.QueryRow(`SELECT COUNT(*) FROM river_job WHERE state = 'running'`).Scan(&running)
		if running == 0 {
			t.Fatal("no job was left running by the killed process; the test did not kill it mid-delivery")
		}
		if n := len(srv.Messages()); n != 0 {
			t.Fatalf("%d messages delivered before the kill", n)
		}
		startQueue(t, db, fast(smtpSender(t, srv)))
		waitFor(t, 90*time.Second, "every email to be delivered after the restart", func() bool { return len(srv.Messages()) >= len(ids) })
		time.Sleep(time.Second)
		checkOnce(t, srv, ids)
	})
}

// helperProcess is the process TestKilledMidDelivery kills: it works the
// queue against the stalled SMTP server until it is killed.
func helperProcess() int {
	o := store.Options{DataDir: os.Getenv("QUEUE_HELPER_DB"), DatabaseURL: os.Getenv("QUEUE_HELPER_URL")}
	if o.DatabaseURL != "" {
		o.DataDir = ""
	}
	db, err := store.Open(context.Background(), o)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// The stalled server never completes STARTTLS-free delivery; trust is
	// irrelevant here because the kill comes during DATA, after TLS, so
	// skip verification in this throwaway process only.
	s, err := mail.NewSMTP("smtp://"+smtptest.User+":"+smtptest.Password+"@"+os.Getenv("QUEUE_HELPER_SMTP"), from,
		func(c *tls.Config) { c.InsecureSkipVerify = true })
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	opts := fast(s)
	opts.SendTimeout, opts.RescueAfter, opts.Workers = time.Minute, 2*time.Minute, 1
	q, err := New(db, opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := q.Start(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	select {} // until killed
}

// TestUnsubscribedBeforeDelivery: a welcome or weekly email queued for
// someone who has left since is not sent; a confirmation always is.
func TestUnsubscribedBeforeDelivery(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB, _ store.Options) {
		srv, err := smtptest.Start("127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Stop()
		q, err := New(db, Options{Sender: smtpSender(t, srv)})
		if err != nil {
			t.Fatal(err)
		}
		db.Tx(context.Background(), func(tx *store.Tx) error {
			q.Enqueue(context.Background(), tx, EmailArgs{Purpose: PurposeWeekly, SubscriberID: "gone", Message: mail.Message{ID: "w", To: "a@example.com", Subject: "x", Text: "x"}})
			return q.Enqueue(context.Background(), tx, EmailArgs{Purpose: PurposeConfirm, SubscriberID: "gone", Message: mail.Message{ID: "c", To: "a@example.com", Subject: "x", Text: "x"}})
		})
		o := fast(smtpSender(t, srv))
		o.StillWanted = func(context.Context, string) (bool, error) { return false, nil }
		startQueue(t, db, o)
		waitFor(t, 20*time.Second, "the confirmation", func() bool { return len(srv.Messages()) >= 1 })
		waitFor(t, 20*time.Second, "both jobs to finish", func() bool {
			var n int
			db.SQL.QueryRow(`SELECT COUNT(*) FROM river_job WHERE kind = 'subscribe_email' AND state = 'completed'`).Scan(&n)
			return n == 2
		})
		got := delivered(srv)
		if got["<c@example.com>"] != 1 || got["<w@example.com>"] != 0 {
			t.Fatalf("delivered %v; want only the confirmation", got)
		}
	})
}
