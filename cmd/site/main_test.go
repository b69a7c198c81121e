package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pmvspo/site/build"
	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/server"
)

// env is a fake environment: only what a test sets is set.
func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	if _, ok := m["DATA_DIR"]; !ok {
		m["DATA_DIR"] = os.Getenv("DATA_DIR") // the throwaway folder TestMain made
	}
	return func(k string) string { return m[k] }
}

// syncBuffer is an io.Writer safe to read while a server logs to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestParseConfigAddr(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  func(string) string
		want string
	}{
		{"default", nil, env(), ":8080"},
		{"PORT", nil, env("PORT", "9090"), ":9090"},
		{"ADDR overrides PORT", nil, env("PORT", "9090", "ADDR", "127.0.0.1:7070"), "127.0.0.1:7070"},
		{"ADDR alone", nil, env("ADDR", "[::1]:7071"), "[::1]:7071"},
		{"-addr wins over ADDR and PORT", []string{"-addr", "127.0.0.1:6060"}, env("PORT", "9090", "ADDR", "127.0.0.1:7070"), "127.0.0.1:6060"},
		{"-addr= form", []string{"-addr=:5050"}, env("PORT", "9090"), ":5050"},
		{"--addr form", []string{"--addr", ":5051"}, env(), ":5051"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := parseConfig(tc.args, tc.env, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if c.addr != tc.want {
				t.Errorf("addr %q, want %q", c.addr, tc.want)
			}
		})
	}
}

func TestParseConfigDefaults(t *testing.T) {
	c, err := parseConfig(nil, env(), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.addr != ":8080" || c.logFormat != "text" || c.baseURL != "" || c.contentDir != "" || len(c.proxies) != 0 ||
		c.shutdown != 15*time.Second || c.drainDelay != 0 || c.submits != 30 {
		t.Errorf("defaults: %+v", c)
	}
	c, err = parseConfig(nil, env("LOG_FORMAT", "json", "BASE_URL", "https://example.com", "CONTENT_DIR", "/srv/content",
		"SHUTDOWN_TIMEOUT", "3s", "DRAIN_DELAY", "2s", "TRUSTED_PROXIES", "10.0.0.0/8"), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.logFormat != "json" || c.baseURL != "https://example.com" || c.contentDir != "/srv/content" ||
		c.shutdown != 3*time.Second || c.drainDelay != 2*time.Second || !slices.Equal(c.proxies, []string{"10.0.0.0/8"}) {
		t.Errorf("from the environment: %+v", c)
	}
}

func TestParseConfigBaseURL(t *testing.T) {
	for _, u := range []string{"https://example.com", "https://example.com/", "http://localhost:8080", "https://sub.example.com:8443"} {
		if _, err := parseConfig([]string{"-base-url", u}, env(), io.Discard); err != nil {
			t.Errorf("-base-url %q: %v", u, err)
		}
	}
	for _, u := range []string{
		"example.com",                 // no scheme
		"//example.com",               // no scheme
		"https://",                    // no host
		"https://example.com/path",    // a path
		"https://example.com/a/",      // a path
		"ftp://example.com",           // not HTTP
		"javascript://example.com",    // not HTTP
		"https://example.com?x=1",     // a query: links would be https://example.com?x=1/guides/…
		"https://example.com?",        // an empty query
		"https://example.com#top",     // a fragment: every link would end at #top
		"https://user:pw@example.com", // credentials in every public link
		"https://exa mple.com",        // does not parse
	} {
		t.Run(u, func(t *testing.T) {
			if _, err := parseConfig([]string{"-base-url", u}, env(), io.Discard); err == nil {
				t.Errorf("-base-url %q: accepted, want an error (an origin is scheme://host[:port])", u)
			}
			if _, err := parseConfig(nil, env("BASE_URL", u), io.Discard); err == nil {
				t.Errorf("BASE_URL=%q: accepted, want an error", u)
			}
		})
	}
}

func TestParseConfigTrustedProxies(t *testing.T) {
	c, err := parseConfig([]string{"-trusted-proxies", " 10.0.0.0/8 , ::1/128,,"}, env(), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.proxies, []string{"10.0.0.0/8", "::1/128"}) {
		t.Errorf("proxies %q", c.proxies)
	}
	for _, p := range []string{"10.0.0.1", "nope", "10.0.0.0/8,nope", "10.0.0.0/33", "10.0.0.0/8;192.168.0.0/16"} {
		if _, err := parseConfig([]string{"-trusted-proxies", p}, env(), io.Discard); err == nil {
			t.Errorf("-trusted-proxies %q: accepted", p)
		}
		if _, err := parseConfig(nil, env("TRUSTED_PROXIES", p), io.Discard); err == nil {
			t.Errorf("TRUSTED_PROXIES=%q: accepted", p)
		}
	}
}

func TestParseConfigLogAndArgs(t *testing.T) {
	for _, f := range []string{"text", "json"} {
		if c, err := parseConfig([]string{"-log", f}, env(), io.Discard); err != nil || c.logFormat != f {
			t.Errorf("-log %s: %v %q", f, err, c.logFormat)
		}
	}
	for _, f := range []string{"xml", "JSON", "", " text"} {
		if _, err := parseConfig([]string{"-log", f}, env(), io.Discard); err == nil {
			t.Errorf("-log %q: accepted", f)
		}
	}
	if _, err := parseConfig(nil, env("LOG_FORMAT", "yaml"), io.Discard); err == nil {
		t.Error("LOG_FORMAT=yaml: accepted")
	}
	var stderr bytes.Buffer
	if _, err := parseConfig([]string{"-no-such-flag"}, env(), &stderr); err == nil || !strings.Contains(stderr.String(), "no-such-flag") {
		t.Errorf("an unknown flag: err %v, stderr %q", err, stderr.String())
	}
	if _, err := parseConfig([]string{"serve"}, env(), io.Discard); err == nil {
		t.Error("a stray argument: accepted")
	}
	if _, err := parseConfig([]string{"-submits-per-minute", "many"}, env(), io.Discard); err == nil {
		t.Error("-submits-per-minute many: accepted")
	}
}

func TestCheckEmbedded(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := check(nil, &out, &errOut); code != 0 {
		t.Fatalf("check: exit %d, stderr %q", code, errOut.String())
	}
	if !strings.Contains(out.String(), "ok") || !strings.HasPrefix(out.String(), "embedded:") {
		t.Errorf("check printed %q", out.String())
	}
}

// contentCopy copies the repository's content/guides into a temporary
// folder laid out as -content expects.
func contentCopy(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "guides"), os.DirFS(filepath.Join("..", "..", "content", "guides"))); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCheckDir(t *testing.T) {
	dir := contentCopy(t)
	var out, errOut bytes.Buffer
	if code := check([]string{dir}, &out, &errOut); code != 0 {
		t.Fatalf("check %s (an unchanged copy): exit %d, stderr %q", dir, code, errOut.String())
	}
	if !strings.HasPrefix(out.String(), dir+": ok") {
		t.Errorf("check printed %q", out.String())
	}

	// Break a field of the first guide: an empty title.
	guides, err := os.ReadDir(filepath.Join(dir, "guides"))
	if err != nil || len(guides) == 0 {
		t.Fatalf("the content copy has no guides (%v)", err)
	}
	slug := guides[0].Name()
	file := filepath.Join(dir, "guides", slug, "guide.yaml")
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	broken := regexp.MustCompile(`(?m)^title: .*$`).ReplaceAll(src, []byte(`title: ""`))
	broken = regexp.MustCompile(`(?m)^order: .*$`).ReplaceAll(broken, []byte(`order: first`))
	if bytes.Equal(broken, src) {
		t.Fatal("guide.yaml has no title or order line to break")
	}
	if err := os.WriteFile(file, broken, 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	errOut.Reset()
	if code := check([]string{dir}, &out, &errOut); code != 1 {
		t.Fatalf("check of broken content: exit %d, want 1; stdout %q", code, out.String())
	}
	if out.Len() != 0 {
		t.Errorf("check of broken content printed to stdout: %q", out.String())
	}
	if !regexp.MustCompile(`(?m)^guides/` + regexp.QuoteMeta(slug) + `/guide\.yaml:\d+: \S`).MatchString(errOut.String()) {
		t.Errorf("check did not say file:line: what is wrong:\n%s", errOut.String())
	}

	// A folder without guides is an error too.
	errOut.Reset()
	if code := check([]string{t.TempDir()}, &out, &errOut); code == 0 || errOut.Len() == 0 {
		t.Errorf("check of an empty folder: exit %d, stderr %q", code, errOut.String())
	}
}

// TestCheckWrongFolder: an editor who points check at the wrong folder is
// told which one to give, and -h explains the command instead of being
// taken for a folder.
func TestCheckWrongFolder(t *testing.T) {
	dir := contentCopy(t)
	guides, err := os.ReadDir(filepath.Join(dir, "guides"))
	if err != nil || len(guides) == 0 {
		t.Fatalf("the content copy has no guides (%v)", err)
	}
	for _, c := range []struct {
		name, arg string
		want      []string // in the message, in this order
	}{
		{"the guides folder", filepath.Join(dir, "guides"), []string{"guides folder itself", "give the folder that holds it: " + dir}},
		{"one guide's folder", filepath.Join(dir, "guides", guides[0].Name()), []string{"one guide's folder", "give the folder that holds guides/: " + dir}},
		{"a folder that does not exist", filepath.Join(dir, "nowhere"), []string{filepath.Join(dir, "nowhere") + " does not exist"}},
		{"a file", filepath.Join(dir, "guides", guides[0].Name(), "guide.yaml"), []string{"is a file"}},
	} {
		var out, errOut bytes.Buffer
		code := check([]string{c.arg}, &out, &errOut)
		if code != 2 || out.Len() != 0 {
			t.Errorf("%s: exit %d (want 2), stdout %q", c.name, code, out.String())
		}
		msg, rest := errOut.String(), errOut.String()
		for _, w := range c.want {
			i := strings.Index(rest, w)
			if i < 0 {
				t.Errorf("%s: the message does not say %q:\n%s", c.name, w, msg)
				break
			}
			rest = rest[i+len(w):]
		}
	}

	var out, errOut bytes.Buffer
	if code := check([]string{"-h"}, &out, &errOut); code != 0 || !strings.Contains(errOut.String(), "usage: site check [DIR]") {
		t.Errorf("check -h: exit %d, stderr %q; want 0 and the usage", code, errOut.String())
	}
	errOut.Reset()
	if code := check([]string{dir, dir}, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "takes one folder") {
		t.Errorf("check with two folders: exit %d, stderr %q; want 2 and \"takes one folder\"", code, errOut.String())
	}
}

// freeAddr is a loopback address no one listens on (there is a small race
// with other processes between closing it and the server listening).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// waitStatus polls url until it answers want or the deadline passes.
func waitStatus(t *testing.T, url string, want int, within time.Duration) {
	t.Helper()
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(within)
	last := ""
	for time.Now().Before(deadline) {
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == want {
				return
			}
			last = resp.Status
		} else {
			last = err.Error()
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("GET %s: no %d within %v (last: %s)", url, want, within, last)
}

// started is a server a test runs in the background, in this process.
type started struct {
	cancel context.CancelFunc
	done   chan struct{} // closed when serve has returned err
	err    error
}

// start runs serve (run or preview, with the test's arguments) until the
// test stops it, and waits until ready (a URL) answers 200.
func start(t *testing.T, ready string, serve func(ctx context.Context) error) *started {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &started{cancel: cancel, done: make(chan struct{})}
	go func() {
		s.err = serve(ctx)
		close(s.done)
	}()
	t.Cleanup(func() {
		cancel()
		<-s.done
	})
	waitStatus(t, ready, http.StatusOK, 10*time.Second)
	return s
}

// stop cancels the server's context and returns what it returned.
func (s *started) stop() error {
	s.cancel()
	<-s.done
	return s.err
}

// TestRunShutdown starts the server, waits until it is ready, starts a
// request whose body is still being sent, then cancels the context: /readyz
// fails during the drain delay, the in-flight request completes, and run
// returns nil within the shutdown deadline.
func TestRunShutdown(t *testing.T) {
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", addr, "-shutdown-timeout", "5s", "-drain-delay", "1s", "-log", "json"}, env(), &logs)
	}()
	waitStatus(t, "http://"+addr+"/readyz", http.StatusOK, 10*time.Second)

	// An in-flight request: the headers and half the form are sent.
	site, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	var a *content.Assessment
	for _, g := range site.Published(time.Now()).Guides {
		if len(g.Assessments) > 0 {
			a = g.Assessments[0]
			break
		}
	}
	if a == nil {
		t.Skip("the embedded content has no published assessment: no form to post while shutting down")
	}
	var parts []string
	for _, q := range a.Questions {
		parts = append(parts, q.ID+"="+q.Options[0].ID)
	}
	body := strings.Join(parts, "&")
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(20 * time.Second))
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nSec-Fetch-Site: same-origin\r\nContent-Length: %d\r\n\r\n%s",
		a.URL(), addr, len(body), body[:len(body)/2])
	time.Sleep(200 * time.Millisecond) // let the server read the headers and start the handler

	start := time.Now()
	cancel()
	// During the drain delay the listener is open and /readyz fails.
	waitStatus(t, "http://"+addr+"/readyz", http.StatusServiceUnavailable, 900*time.Millisecond)
	// Other routes still serve while draining.
	resp, err := (&http.Client{Timeout: time.Second}).Get("http://" + addr + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz while draining: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}

	// Finish the in-flight request after the drain, while shutdown waits.
	time.Sleep(1200 * time.Millisecond)
	if _, err := io.WriteString(conn, body[len(body)/2:]); err != nil {
		t.Fatalf("finishing the in-flight request: %v", err)
	}
	r, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the in-flight request got no response: %v", err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusSeeOther {
		t.Errorf("the in-flight request: status %d, want 303", r.StatusCode)
	}

	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run returned %v, want nil", err)
		}
	case <-time.After(8 * time.Second):
		t.Fatal("run did not return within the shutdown deadline")
	}
	if d := time.Since(start); d > 7*time.Second {
		t.Errorf("shutdown took %v", d)
	}
	if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		t.Errorf("%s still accepts connections after run returned", addr)
	}
	out := logs.String()
	for _, want := range []string{`"msg":"listening"`, `"msg":"shutting down"`, `"msg":"stopped"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the log has no %s:\n%s", want, out)
		}
	}
}

// TestRunQuickShutdown: with no drain delay and nothing in flight, run
// returns nil at once.
func TestRunQuickShutdown(t *testing.T) {
	addr := freeAddr(t)
	srv := start(t, "http://"+addr+"/readyz", func(ctx context.Context) error { return run(ctx, []string{"-addr", addr}, env(), io.Discard) })
	srv.cancel()
	select {
	case <-srv.done:
		if err := srv.err; err != nil {
			t.Errorf("run returned %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("run did not return")
	}
}

func TestRunErrors(t *testing.T) {
	ctx := context.Background()
	if err := run(ctx, []string{"-log", "xml"}, env(), io.Discard); err == nil {
		t.Error("run with -log xml: nil error")
	}
	if err := run(ctx, []string{"-addr", "127.0.0.1:0", "-content", t.TempDir()}, env(), io.Discard); err == nil {
		t.Error("run with an empty content folder: nil error")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	errc := make(chan error, 1)
	go func() { errc <- run(ctx, []string{"-addr", ln.Addr().String()}, env(), io.Discard) }()
	select {
	case err := <-errc:
		if err == nil {
			t.Error("run on an address in use: nil error")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run on an address in use did not return")
	}
}

func TestHealthcheck(t *testing.T) {
	site, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	snap, err := build.Build(site, build.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h, err := server.New(snap, server.Options{Features: features})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())

	var stderr bytes.Buffer
	if code := healthcheck(nil, env("PORT", port), &stderr); code != 0 {
		t.Errorf("healthcheck with PORT=%s: exit %d, stderr %q", port, code, stderr.String())
	}
	if code := healthcheck(nil, env("ADDR", "127.0.0.1:"+port), &stderr); code != 0 {
		t.Errorf("healthcheck with ADDR=127.0.0.1:%s: exit %d, stderr %q", port, code, stderr.String())
	}

	_, closed, _ := net.SplitHostPort(freeAddr(t))
	stderr.Reset()
	if code := healthcheck(nil, env("PORT", closed), &stderr); code != 1 {
		t.Errorf("healthcheck with nothing on port %s: exit %d, want 1", closed, code)
	}
	if !strings.Contains(stderr.String(), "healthcheck") {
		t.Errorf("healthcheck failed without saying why: %q", stderr.String())
	}

	// A server that answers, but not 200.
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer bad.Close()
	_, badPort, _ := net.SplitHostPort(bad.Listener.Addr().String())
	stderr.Reset()
	if code := healthcheck(nil, env("PORT", badPort), &stderr); code != 1 || !strings.Contains(stderr.String(), "503") {
		t.Errorf("healthcheck against a 503: exit %d, stderr %q", code, stderr.String())
	}
	stderr.Reset()
	if code := healthcheck(nil, env("LOG_FORMAT", "xml"), &stderr); code != 1 {
		t.Errorf("healthcheck with a bad configuration: exit %d, want 1", code)
	}
}

// A page heavier than the page budget still passes site check, with a
// warning that names it and says what to do: its weight is the editor's
// call, not a defect.
func TestCheckWarnsHeavyPage(t *testing.T) {
	dir := contentCopy(t)
	guides, err := os.ReadDir(filepath.Join(dir, "guides"))
	if err != nil || len(guides) == 0 {
		t.Fatalf("the content copy has no guides (%v)", err)
	}
	slug := guides[0].Name()
	articles, err := filepath.Glob(filepath.Join(dir, "guides", slug, "articles", "*.md"))
	if err != nil || len(articles) == 0 {
		t.Fatalf("guide %s has no articles (%v)", slug, err)
	}
	// Prose that compresses poorly: words of random letters, fixed seed;
	// about 2,000 words, well within an article's length limit.
	rnd := rand.New(rand.NewPCG(1, 2))
	var extra strings.Builder
	extra.WriteString("\n\n## A long appendix {#long-appendix}\n")
	for range 80 {
		extra.WriteString("\n")
		for range 25 {
			for range 7 {
				extra.WriteByte(byte('a' + rnd.IntN(26)))
			}
			extra.WriteByte(' ')
		}
		extra.WriteString("end.\n")
	}
	f, err := os.OpenFile(articles[0], os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(extra.String()); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	page := "/guides/" + slug + "/" + strings.TrimSuffix(filepath.Base(articles[0]), ".md")
	var out, errOut bytes.Buffer
	if code := check([]string{dir}, &out, &errOut); code != 0 {
		t.Fatalf("check with a heavy page: exit %d, want 0 (a warning); stderr %q", code, errOut.String())
	}
	if !strings.Contains(out.String(), "warning: "+page+" weighs ") || !strings.Contains(out.String(), "Shorten it") {
		t.Errorf("check did not warn about %s: %q", page, out.String())
	}
}
