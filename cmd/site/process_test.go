package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pmvspo/site/build"
	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/server"
)

// TestMain lets a test start this test binary as the real program: with
// SITE_TEST_MAIN=1 it runs main() with the arguments after the binary's name,
// so signals, exit codes and pipes are those of the real process.
func TestMain(m *testing.M) {
	if os.Getenv("SITE_TEST_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	// Servers started by the tests keep their subscribers in a throwaway
	// data folder, never in cmd/site/data.
	dir, err := os.MkdirTemp("", "site-test-data-")
	if err != nil {
		panic(err)
	}
	os.Setenv("DATA_DIR", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// program is the site as a child process.
func program(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "SITE_TEST_MAIN=1")
	return cmd
}

// listeningAddr reads log lines until the "listening" one and returns its
// address; the other lines read are returned too.
func listeningAddr(t *testing.T, r *bufio.Reader) (string, []string) {
	t.Helper()
	var lines []string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("the server stopped before listening: %v; log:\n%s", err, strings.Join(lines, ""))
		}
		lines = append(lines, line)
		var rec struct{ Msg, Addr string }
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "listening" {
			return rec.Addr, lines
		}
	}
}

func get(t *testing.T, url string) int {
	t.Helper()
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// TestBrokenLogPipe: the reader of the server's stderr goes away; the
// server must keep serving (it used to die of SIGPIPE, exit 141) and still
// stop cleanly on SIGTERM.
func TestBrokenLogPipe(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGPIPE on Windows")
	}
	cmd := program(t, "-addr", "127.0.0.1:0", "-log", "json")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	addr, _ := listeningAddr(t, bufio.NewReader(stderr))
	stderr.Close() // the reader dies: every later write to stderr is EPIPE

	for i := 0; i < 50; i++ {
		if code := get(t, "http://"+addr+"/"); code != http.StatusOK {
			t.Fatalf("GET / with a broken log pipe: %d", code)
		}
	}
	get(t, "http://"+addr+"/no-such-page") // a 404 logs too
	time.Sleep(3 * accessWindow)           // the batched access lines are written (and fail)
	for i := 0; i < 5; i++ {
		if code := get(t, "http://"+addr+"/healthz"); code != http.StatusOK {
			t.Fatalf("GET /healthz after the log pipe broke: %d", code)
		}
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err = waitExit(t, cmd)
	if err != nil {
		t.Errorf("the server with a broken log pipe exited with %v, want status 0", err)
	}
}

func waitExit(t *testing.T, cmd *exec.Cmd) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(15 * time.Second):
		t.Fatal("the server did not exit")
		return nil
	}
}

// TestKillKeepsSettledAccessLines: access lines are batched for at most
// accessWindow, so after a kill -9 every request answered longer ago than
// that is in the log (the old 250 ms ticker lost 15 of 21 lines).
func TestKillKeepsSettledAccessLines(t *testing.T) {
	cmd := program(t, "-addr", "127.0.0.1:0", "-log", "json")
	var logs syncBuffer
	pr, pw := io.Pipe()
	cmd.Stderr = pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	r := bufio.NewReader(pr)
	addr, _ := listeningAddr(t, r)
	go func() { _, _ = io.Copy(&logs, r) }()
	const n = 21
	for i := 0; i < n; i++ {
		get(t, "http://"+addr+"/")
	}
	time.Sleep(10 * accessWindow)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	pw.Close()
	time.Sleep(50 * time.Millisecond)
	if got := strings.Count(logs.String(), `"msg":"request"`); got != n {
		t.Errorf("after kill -9, %d of %d access lines are in the log:\n%s", got, n, logs.String())
	}
}

// TestStartupErrorsJSON: in JSON mode every start-up error is one JSON
// record on stderr, never plain text; in text mode it stays readable.
func TestStartupErrorsJSON(t *testing.T) {
	empty := t.TempDir()
	tests := []struct {
		name string
		args []string
		env  []string
		want string
	}{
		{"a port out of range", []string{"-log", "json", "-addr", ":99999"}, nil, "99999"},
		{"an unknown flag", []string{"-no-such-flag"}, []string{"LOG_FORMAT=json"}, "no-such-flag"},
		{"a base URL in capitals", []string{"-base-url", "HTTPS://EXAMPLE.COM"}, []string{"LOG_FORMAT=json"}, "lower case"},
		{"content with errors", []string{"-log=json", "-addr", "127.0.0.1:0", "-content", empty}, nil, "content"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cmd := program(t, tc.args...)
			cmd.Env = append(cmd.Env, tc.env...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 {
				t.Fatalf("exit %v, want status 1; stderr:\n%s", err, stderr.String())
			}
			found := false
			for _, line := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
				var rec map[string]any
				if err := json.Unmarshal([]byte(line), &rec); err != nil {
					t.Fatalf("a line that is not JSON: %q", line)
				}
				if rec["level"] == "ERROR" && strings.Contains(rec["error"].(string), tc.want) {
					found = true
				}
			}
			if !found {
				t.Errorf("no ERROR record naming %q:\n%s", tc.want, stderr.String())
			}
		})
	}

	// Text mode: a person reads it.
	cmd := program(t, "-addr", ":99999")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err == nil || !strings.HasPrefix(stderr.String(), "site: ") || !strings.Contains(stderr.String(), "99999") {
		t.Errorf("text mode: %v %q", err, stderr.String())
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"-version"}} {
		out, err := program(t, args...).Output()
		if err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		s := string(out)
		if !strings.HasPrefix(s, "site ") || !strings.Contains(s, "\nrevision ") || !strings.Contains(s, "\ntime ") || !strings.Contains(s, runtime.Version()) {
			t.Errorf("%q printed %q", args, s)
		}
	}

	defer func(old string) { stamp = old }(stamp)
	stamp = "v1.4.0,0123456789abcdef0123456789abcdef01234567,2026-12-01T18:00:00Z"
	v := readVersion()
	if v.Version != "v1.4.0" || v.Revision != "0123456789abcdef0123456789abcdef01234567" || v.Time != "2026-12-01T18:00:00Z" {
		t.Errorf("from the build stamp: %+v", v)
	}
	if s := v.String(); !strings.Contains(s, "site v1.4.0\n") || !strings.Contains(s, "revision 0123456789abcdef") || !strings.Contains(s, "2026-12-01T18:00:00Z") {
		t.Errorf("printed %q", s)
	}
}

// TestHealthcheckFollowsServerArgs: in a container the server is process 1;
// started with -addr, the health check (run with no arguments) finds it.
func TestHealthcheckFollowsServerArgs(t *testing.T) {
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
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmdline := filepath.Join(t.TempDir(), "cmdline")
	write := func(argv ...string) {
		if err := os.WriteFile(cmdline, []byte(strings.Join(argv, "\x00")+"\x00"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	defer func(old string) { serverCmdline = old }(serverCmdline)
	serverCmdline = cmdline

	addr := srv.Listener.Addr().String()
	write(self, "-addr", addr, "-log", "json")
	var stderr bytes.Buffer
	if code := healthcheck(nil, env("PORT", "1"), &stderr); code != 0 {
		t.Errorf("server started with -addr %s, PORT=1 in the environment: exit %d, %s", addr, code, stderr.String())
	}
	// Its own -addr wins.
	_, closed, _ := net.SplitHostPort(freeAddr(t))
	if code := healthcheck([]string{"-addr", "127.0.0.1:" + closed}, env(), &stderr); code != 1 {
		t.Errorf("healthcheck -addr of a closed port: exit %d, want 1", code)
	}
	_, port, _ := net.SplitHostPort(addr)
	write(self, "-addr", ":"+port)
	stderr.Reset()
	if code := healthcheck(nil, env(), &stderr); code != 0 {
		t.Errorf("server on :%s (every address): exit %d, %s", port, code, stderr.String())
	}
}

// TestRunLogsConfiguration: the effective configuration is logged once,
// before listening, without secrets.
func TestRunLogsConfiguration(t *testing.T) {
	addr := freeAddr(t)
	var logs syncBuffer
	srv := start(t, "http://"+addr+"/healthz", func(ctx context.Context) error {
		return run(ctx, []string{"-addr", addr, "-log", "json", "-trusted-proxies", "10.0.0.0/8", "-base-url", "https://example.com"}, env("DRAIN_DELAY", "2s"), &logs)
	})
	if err := srv.stop(); err != nil {
		t.Fatal(err)
	}
	var cfg map[string]any
	n := 0
	for _, line := range strings.Split(logs.String(), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) == nil && rec["msg"] == "configuration" {
			cfg = rec
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d configuration lines, want 1:\n%s", n, logs.String())
	}
	want := map[string]any{"addr": addr, "base_url": "https://example.com", "log": "json", "drain_delay": "2s", "shutdown_timeout": "15s", "admin_addr": ""}
	for k, v := range want {
		if cfg[k] != v {
			t.Errorf("configuration %s = %v, want %v", k, cfg[k], v)
		}
	}
	if p, _ := cfg["trusted_proxies"].([]any); len(p) != 1 || p[0] != "10.0.0.0/8" {
		t.Errorf("trusted_proxies %v", cfg["trusted_proxies"])
	}
}

// TestRunAdminListener: -admin-addr serves metrics and profiles on its own
// listener; the public port serves neither. Without -admin-addr nothing
// listens for them.
func TestRunAdminListener(t *testing.T) {
	addr, adminAddr := freeAddr(t), freeAddr(t)
	srv := start(t, "http://"+addr+"/healthz", func(ctx context.Context) error {
		return run(ctx, []string{"-addr", addr, "-admin-addr", adminAddr}, env(), io.Discard)
	})

	resp, err := http.Get("http://" + adminAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("admin GET /metrics: %d", resp.StatusCode)
	}
	for _, want := range []string{"\ngo_goroutines ", "\nsite_build_info{", "\nprocess_resident_memory_bytes ",
		"\nsite_http_requests_total{code=\"2xx\",method=\"GET\",route=\"/healthz\"} ", "\nsite_snapshot_pages ", "\nsite_snapshot_builds_total{result=\"ok\"} 1"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("admin /metrics has no %q", strings.TrimSpace(want))
		}
	}
	if code := get(t, "http://"+adminAddr+"/debug/pprof/"); code != http.StatusOK {
		t.Errorf("admin GET /debug/pprof/: %d", code)
	}
	for _, p := range []string{"/metrics", "/debug/pprof/", "/debug/pprof/cmdline"} {
		if code := get(t, "http://"+addr+p); code != http.StatusNotFound {
			t.Errorf("public GET %s: %d, want 404", p, code)
		}
	}
	if err := srv.stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := net.DialTimeout("tcp", adminAddr, time.Second); err == nil {
		t.Error("the admin listener is still open after run returned")
	}

	// Off by default.
	addr2 := freeAddr(t)
	var logs syncBuffer
	srv2 := start(t, "http://"+addr2+"/healthz", func(ctx context.Context) error {
		return run(ctx, []string{"-addr", addr2, "-log", "json"}, env(), &logs)
	})
	if strings.Contains(logs.String(), "admin listening") {
		t.Error("an admin listener started without -admin-addr")
	}
	if err := srv2.stop(); err != nil {
		t.Error(err)
	}
}
