// Command sigterm checks that the server shuts down gracefully under load.
// It starts the server given after "--", drives -rate GET requests per
// second at -url for -duration with a keep-alive net/http client, sends the
// server SIGTERM at -term-at while the load goes on, and reports how every
// request ended, the server's exit code and how long it took to exit.
//
//	sigterm -url http://127.0.0.1:8080/guides/x -- ./site -addr 127.0.0.1:8080 -drain-delay 2s
//
// Outcomes are told apart with net/http/httptrace, per attempt (the
// Transport silently retries an idempotent request once when a reused
// keep-alive connection turns out to be closed):
//
//	ok            2xx with the whole body
//	refused       the dial was refused: the listener was already closed
//	mid_response  the connection failed after the first response byte
//	http_5xx      the server answered 5xx
//	timeout       no answer within -timeout
//	idle_race     a reused connection closed before any response byte (the
//	              server closed it as idle just as the request was sent)
//	backlog_reset a new connection reset before any response byte: it was
//	              still in the kernel's accept queue when the listener closed
//	other         anything else (samples are printed)
//	missed        the generator had no free worker at the scheduled time
//
// In-flight failures are mid_response + http_5xx + timeout. Output is
// key=value lines for bench/load.sh. Only -url's host is contacted.
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// attempt is what httptrace saw of the latest attempt of one request.
type attempt struct {
	mu        sync.Mutex
	attempts  int
	reused    bool
	wrote     bool
	firstByte bool
}

func (a *attempt) trace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		GetConn: func(string) {
			a.mu.Lock()
			a.attempts++
			a.reused, a.wrote, a.firstByte = false, false, false
			a.mu.Unlock()
		},
		GotConn: func(i httptrace.GotConnInfo) {
			a.mu.Lock()
			a.reused = i.Reused
			a.mu.Unlock()
		},
		WroteRequest: func(httptrace.WroteRequestInfo) {
			a.mu.Lock()
			a.wrote = true
			a.mu.Unlock()
		},
		GotFirstResponseByte: func() {
			a.mu.Lock()
			a.firstByte = true
			a.mu.Unlock()
		},
	}
}

var outcomes = []string{"ok", "refused", "mid_response", "http_5xx", "timeout", "idle_race", "backlog_reset", "other", "missed"}

type stats struct {
	mu           sync.Mutex
	count        map[string]int
	afterTerm    map[string]int // requests started after SIGTERM, by outcome
	retried      int
	lastOKAfter  time.Duration // last ok request started after SIGTERM
	firstRefused time.Duration // first refused request, relative to SIGTERM
	samples      []string
	okLatency    []time.Duration
}

func main() {
	target := flag.String("url", "", "URL to load (required)")
	rate := flag.Int("rate", 500, "requests per second")
	duration := flag.Duration("duration", 10*time.Second, "how long to send load")
	termAt := flag.Duration("term-at", 5*time.Second, "when to send SIGTERM, from the start of the load")
	workers := flag.Int("workers", 256, "concurrent requests at most")
	timeout := flag.Duration("timeout", 5*time.Second, "per-request timeout")
	serverLog := flag.String("server-log", "", "file for the server's stdout and stderr (default: discarded)")
	exitTimeout := flag.Duration("exit-timeout", 30*time.Second, "kill the server if it has not exited this long after SIGTERM")
	settle := flag.Duration("settle", 2*time.Second, "pause after the first good answer from -url before the load starts (start-up compression runs in the background)")
	flag.Parse()
	args := flag.Args()
	u, err := url.Parse(*target)
	if *target == "" || len(args) == 0 || err != nil || u.Host == "" {
		fmt.Fprintln(os.Stderr, "usage: sigterm -url URL [flags] -- server-binary [server args]")
		os.Exit(2)
	}
	base := u.Scheme + "://" + u.Host

	// Start the server.
	cmd := exec.Command(args[0], args[1:]...)
	if *serverLog != "" {
		f, err := os.Create(*serverLog)
		if err != nil {
			fail(err)
		}
		defer f.Close()
		cmd.Stdout, cmd.Stderr = f, f
	}
	if err := cmd.Start(); err != nil {
		fail(err)
	}
	exited := make(chan struct{})
	var waitErr error
	var exitAt time.Time
	go func() {
		waitErr = cmd.Wait()
		exitAt = time.Now()
		close(exited)
	}()
	began := time.Now()
	if err := waitReady(base+"/healthz", exited); err != nil {
		_ = cmd.Process.Kill()
		fail(err)
	}
	fmt.Printf("healthz_ok_after_start_ms=%.0f\n", ms(time.Since(began)))
	if err := waitReady(*target, exited); err != nil {
		_ = cmd.Process.Kill()
		fail(err)
	}
	fmt.Printf("first_page_after_start_ms=%.0f\n", ms(time.Since(began)))
	time.Sleep(*settle)

	tr := &http.Transport{
		MaxIdleConns:        *workers,
		MaxIdleConnsPerHost: *workers,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		TLSNextProto:        map[string]func(string, *tls.Conn) http.RoundTripper{},
	}
	client := &http.Client{Transport: tr, Timeout: *timeout}
	st := &stats{count: map[string]int{}, afterTerm: map[string]int{}}

	var termAtTime atomic.Pointer[time.Time]
	sinceTerm := func(t time.Time) (time.Duration, bool) {
		p := termAtTime.Load()
		if p == nil {
			return 0, false
		}
		return t.Sub(*p), true
	}

	jobs := make(chan struct{})
	var wg sync.WaitGroup
	for range *workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range jobs {
				started := time.Now()
				outcome, retried, detail := one(client, *target)
				took := time.Since(started)
				st.mu.Lock()
				st.count[outcome]++
				if outcome == "ok" {
					st.okLatency = append(st.okLatency, took)
				}
				if retried {
					st.retried++
				}
				if d, ok := sinceTerm(started); ok && d >= 0 {
					st.afterTerm[outcome]++
					if outcome == "ok" && d > st.lastOKAfter {
						st.lastOKAfter = d
					}
				}
				if outcome == "refused" {
					if d, ok := sinceTerm(time.Now()); ok && (st.firstRefused == 0 || d < st.firstRefused) {
						st.firstRefused = d
					}
				}
				if detail != "" && len(st.samples) < 5 {
					st.samples = append(st.samples, outcome+": "+detail)
				}
				st.mu.Unlock()
			}
		}()
	}

	// Watch /readyz from SIGTERM on, with its own client.
	var readyFailAfter atomic.Int64
	readyFailAfter.Store(-1)
	termSent := make(chan struct{})
	go func() {
		<-termSent
		c := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
		for {
			select {
			case <-exited:
				return
			case <-time.After(50 * time.Millisecond):
			}
			resp, err := c.Get(base + "/readyz")
			if err != nil {
				continue
			}
			resp.Body.Close()
			if resp.StatusCode == http.StatusServiceUnavailable {
				if d, ok := sinceTerm(time.Now()); ok {
					readyFailAfter.CompareAndSwap(-1, int64(d))
				}
				return
			}
		}
	}()

	// Constant-rate schedule: request i is due at start + i/rate.
	start := time.Now()
	gap := time.Second / time.Duration(*rate)
	total := int(*duration / gap)
	sent := false
	var termErr error
	for i := range total {
		due := start.Add(time.Duration(i) * gap)
		if !sent && time.Since(start) >= *termAt {
			now := time.Now()
			termAtTime.Store(&now)
			termErr = cmd.Process.Signal(syscall.SIGTERM)
			sent = true
			close(termSent)
		}
		time.Sleep(time.Until(due))
		select {
		case jobs <- struct{}{}:
		default:
			st.mu.Lock()
			st.count["missed"]++
			st.mu.Unlock()
		}
	}
	close(jobs)
	wg.Wait()
	loadTime := time.Since(start)

	exitCode, exitNote := -1, ""
	if !sent {
		exitNote = "SIGTERM was never sent (-term-at >= -duration)"
		_ = cmd.Process.Kill()
	}
	select {
	case <-exited:
	case <-time.After(*exitTimeout):
		exitNote = "server did not exit; killed"
		_ = cmd.Process.Kill()
		<-exited
	}
	var ee *exec.ExitError
	switch {
	case waitErr == nil:
		exitCode = 0
	case errors.As(waitErr, &ee):
		exitCode = ee.ExitCode()
		if exitCode < 0 {
			exitNote = waitErr.Error()
		}
	default:
		exitNote = waitErr.Error()
	}

	requested := 0
	for _, o := range outcomes {
		requested += st.count[o]
	}
	fmt.Printf("load_seconds=%.1f\nrate=%d\nrequests=%d\nachieved_rps=%.0f\n", loadTime.Seconds(), *rate, requested, float64(requested-st.count["missed"])/loadTime.Seconds())
	for _, o := range outcomes {
		fmt.Printf("%s=%d\n", o, st.count[o])
	}
	for _, o := range outcomes {
		fmt.Printf("after_term_%s=%d\n", o, st.afterTerm[o])
	}
	slices.Sort(st.okLatency)
	if n := len(st.okLatency); n > 0 {
		fmt.Printf("ok_p50_ms=%.2f\nok_p99_ms=%.2f\nok_max_ms=%.2f\n", ms(st.okLatency[n/2]), ms(st.okLatency[n*99/100]), ms(st.okLatency[n-1]))
	}
	fmt.Printf("in_flight_failures=%d\n", st.count["mid_response"]+st.count["http_5xx"]+st.count["timeout"])
	fmt.Printf("transport_retries=%d\n", st.retried)
	fmt.Printf("last_ok_started_after_term_ms=%.0f\n", ms(st.lastOKAfter))
	fmt.Printf("first_refused_after_term_ms=%.0f\n", ms(st.firstRefused))
	fmt.Printf("readyz_503_after_term_ms=%.0f\n", ms(time.Duration(readyFailAfter.Load())))
	if p := termAtTime.Load(); p != nil && !exitAt.IsZero() {
		fmt.Printf("exit_after_term_ms=%.0f\n", ms(exitAt.Sub(*p)))
	}
	fmt.Printf("exit_code=%d\n", exitCode)
	if termErr != nil {
		fmt.Printf("signal_error=%q\n", termErr.Error())
	}
	if exitNote != "" {
		fmt.Printf("exit_note=%q\n", exitNote)
	}
	for _, s := range st.samples {
		fmt.Printf("sample=%q\n", s)
	}
}

// one sends a GET and classifies how it ended. detail is set for outcomes
// worth a sample line.
func one(client *http.Client, target string) (outcome string, retried bool, detail string) {
	a := &attempt{}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), a.trace()), http.MethodGet, target, nil)
	if err != nil {
		return "other", false, err.Error()
	}
	req.Header.Set("Accept-Encoding", "br")
	resp, err := client.Do(req)
	if err == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	retried = a.attempts > 1
	switch {
	case err == nil && resp.StatusCode >= 500:
		return "http_5xx", retried, resp.Status
	case err == nil && resp.StatusCode >= 200 && resp.StatusCode < 300:
		return "ok", retried, ""
	case err == nil:
		return "other", retried, resp.Status
	case errors.Is(err, syscall.ECONNREFUSED):
		return "refused", retried, ""
	case isTimeout(err):
		return "timeout", retried, err.Error()
	case a.firstByte:
		return "mid_response", retried, err.Error()
	case a.reused:
		return "idle_race", retried, err.Error()
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return "backlog_reset", retried, err.Error()
	}
	return "other", retried, err.Error()
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &t) && t.Timeout())
}

// waitReady polls url until it answers 200, the server exits, or 10 s pass.
func waitReady(url string, exited <-chan struct{}) error {
	c := &http.Client{Timeout: time.Second}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		select {
		case <-exited:
			return errors.New("server exited before it was ready")
		default:
		}
		if resp, err := c.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				c.CloseIdleConnections()
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return errors.New("server not ready after 10s")
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func fail(err error) {
	fmt.Fprintln(os.Stderr, "sigterm:", err)
	os.Exit(1)
}
