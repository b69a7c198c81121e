package subscribe

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pmvspo/site/build"
	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/server"
	"github.com/pmvspo/site/subscribe/internal/pgtest"
	"github.com/pmvspo/site/subscribe/internal/smtptest"
	smail "github.com/pmvspo/site/subscribe/mail"
	"github.com/pmvspo/site/subscribe/queue"
	"github.com/pmvspo/site/subscribe/store"
)

var (
	pg       *pgtest.Server
	pgErr    error
	dbNumber atomic.Int64
)

func TestMain(m *testing.M) {
	pg, pgErr = pgtest.Start(18192)
	code := m.Run()
	if pg != nil {
		pg.Close()
	}
	os.Exit(code)
}

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time)     { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// logBuffer collects log lines for tests that check nothing went wrong.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *logBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// env is a whole newsletter: the feature on a real database, mailing a
// real SMTP server, served over real HTTP.
type env struct {
	t     testing.TB
	f     *Feature
	db    *store.DB
	smtp  *smtptest.Server
	ts    *httptest.Server
	clock *clock
	site  *content.Site
	logs  *logBuffer
	dbURL string
}

type envOptions struct {
	postgres       bool
	dbURL          string // reuse a database (replicas)
	postsPerMinute int
	limits         store.Limits
	smtp           *smtptest.Server
	minResponse    time.Duration // 0: the default floor, as in production
}

func loadSite(t testing.TB) *content.Site {
	site, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	return site
}

func requirePG(t testing.TB) {
	t.Helper()
	if pg == nil {
		if pgtest.Required() {
			t.Fatalf("PostgreSQL is required (POSTGRES_TESTS=required or CI=true) but could not start: %v", pgErr)
		}
		t.Skipf("PostgreSQL tests skipped: %v (set POSTGRES_TESTS=required to make this an error)", pgErr)
	}
}

func newPGDatabase(t testing.TB) string {
	t.Helper()
	requirePG(t)
	u, err := pg.NewDatabase(fmt.Sprintf("feature_%d", dbNumber.Add(1)))
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func newEnv(t testing.TB, o envOptions) *env {
	t.Helper()
	e := &env{t: t, clock: &clock{t: time.Now().UTC().Truncate(time.Second)}, site: loadSite(t), logs: &logBuffer{}}
	so := store.Options{DataDir: t.TempDir()}
	if o.postgres || o.dbURL != "" {
		e.dbURL = o.dbURL
		if e.dbURL == "" {
			e.dbURL = newPGDatabase(t)
		}
		so = store.Options{DatabaseURL: e.dbURL}
	}
	db, err := store.Open(context.Background(), so)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e.db = db
	e.smtp = o.smtp
	if e.smtp == nil {
		if e.smtp, err = smtptest.Start("127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(e.smtp.Stop)
	}
	sender, err := smail.NewSMTP(e.smtp.URL(), "Role Compass <news@example.com>", func(c *tls.Config) { c.RootCAs = e.smtp.Roots })
	if err != nil {
		t.Fatal(err)
	}
	perMinute := o.postsPerMinute
	if perMinute == 0 {
		perMinute = 1000 // tests post far more than a person would
	}
	var h http.Handler = http.NotFoundHandler()
	e.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(e.ts.Close)
	e.f, err = New(Config{DB: db, Sender: sender, Logger: slog.New(slog.NewTextHandler(e.logs, nil)), Limits: o.limits, Now: e.clock.Now, MinResponse: o.minResponse,
		Queue: queue.Options{RetryBase: 100 * time.Millisecond, RetryMax: time.Second, PollInterval: 50 * time.Millisecond,
			SendTimeout: 5 * time.Second, RescueAfter: 10 * time.Second, WeeklyCheck: time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	// The real site: a build of the content and the server, with the
	// newsletter as one of its features.
	snap, err := build.Build(e.site, build.Options{Origin: e.ts.URL})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(snap, server.Options{Features: []server.Feature{e.f.Routes}, SubmitsPerMinute: perMinute})
	if err != nil {
		t.Fatal(err)
	}
	h = srv
	return e
}

// start runs the delivery worker for the rest of the test.
func (e *env) start() {
	if err := e.f.Start(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		e.f.Stop(ctx)
	})
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

type response struct {
	status int
	header http.Header
	body   string
}

func (e *env) do(method, path string, body string, hdr ...string) response {
	e.t.Helper()
	u := path
	if strings.HasPrefix(path, "/") {
		u = e.ts.URL + path
	}
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := noRedirect.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

func form(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v.Encode()
}

func (e *env) subscribe(email string) response {
	e.t.Helper()
	return e.do("POST", "/subscribe", form("email", email, "consent", "yes", "guide", e.site.Guides[0].Slug, "website", ""))
}

// email is one received message, decoded.
type email struct {
	header     mail.Header
	text, html string
	envelopeTo []string
	raw        []byte
}

func decode(t testing.TB, r smtptest.Received) email {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(r.Data)) // r.Msg's body may have been read already
	if err != nil {
		t.Fatal(err)
	}
	e := email{header: msg.Header, envelopeTo: r.To, raw: r.Data}
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type: %v", err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		switch ct {
		case "text/plain":
			e.text = strings.ReplaceAll(string(b), "\r\n", "\n")
		case "text/html":
			e.html = string(b)
		}
	}
	return e
}

func (m email) subject() string {
	s, _ := new(mime.WordDecoder).DecodeHeader(m.header.Get("Subject"))
	return s
}

// waitEmails waits until the SMTP server holds n messages for to.
func (e *env) waitEmails(to string, n int) []email {
	e.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var out []email
		for _, r := range e.smtp.Messages() {
			if len(r.To) == 1 && r.To[0] == to {
				out = append(out, decode(e.t, r))
			}
		}
		if len(out) >= n {
			return out
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("%d emails to %s after 30s, want %d", len(out), to, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var (
	confirmLink = regexp.MustCompile(`https?://\S+/subscribe/confirm\?token=[A-Za-z0-9_%-]+`)
	unsubLink   = regexp.MustCompile(`https?://\S+/subscribe/unsubscribe\?token=[A-Za-z0-9_%-]+`)
)

func (e *env) status(addr string) store.Status {
	e.t.Helper()
	var s store.Subscriber
	err := e.db.Tx(context.Background(), func(tx *store.Tx) error {
		var err error
		s, err = tx.SubscriberByEmail(context.Background(), addr)
		return err
	})
	if store.IsNotFound(err) {
		return ""
	}
	if err != nil {
		e.t.Fatal(err)
	}
	return s.Status
}

func (e *env) countJobs(where string) int {
	e.t.Helper()
	var n int
	if err := e.db.SQL.QueryRow(`SELECT COUNT(*) FROM river_job WHERE kind = 'subscribe_email'` + where).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func (e *env) countSubscribers() int {
	e.t.Helper()
	var n int
	if err := e.db.SQL.QueryRow(`SELECT COUNT(*) FROM subscribers`).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// eachDB runs a test against SQLite and PostgreSQL.
func eachDB(t *testing.T, fn func(t *testing.T, postgres bool)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, false) })
	t.Run("postgres", func(t *testing.T) { requirePG(t); fn(t, true) })
}
