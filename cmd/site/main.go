// Command site serves the comparison guides.
//
//	site [-addr :8080] [-content DIR]   serve the site
//	site check [DIR]                     validate content and exit
//	site healthcheck                     exit 0 if the local server answers /healthz (for container HEALTHCHECK)
//	site preview [flags] [DIR]           serve DIR (default content) for editing: rebuild on save, reload the tab
//	site subscribers export|delete EMAIL CSV of the newsletter's subscribers; erase one person
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/pmvspo/site/assess"
	"github.com/pmvspo/site/build"
	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/server"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "check" {
		os.Exit(check(os.Args[2:], os.Stdout, os.Stderr))
	}
	if len(os.Args) > 1 && os.Args[1] == "healthcheck" {
		os.Exit(healthcheck(os.Getenv, os.Stderr))
	}
	if len(os.Args) > 1 && os.Args[1] == "subscribers" {
		os.Exit(subscribers(os.Args[2:], os.Getenv, os.Stdout, os.Stderr))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	stopSignals = stop
	runFn := run
	args := os.Args[1:]
	if len(args) > 0 && args[0] == "preview" {
		runFn, args = preview, args[1:]
	}
	if err := runFn(ctx, args, os.Getenv, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "site:", err)
		os.Exit(1)
	}
}

// features are the site's feature packages: each adds its routes to every snapshot.
var features = []server.Feature{assess.Routes}

// stopSignals, when set, restores the default signal handling once
// shutdown has begun.
var stopSignals func()

// config is everything the server is told from outside.
type config struct {
	addr       string
	contentDir string
	logFormat  string
	baseURL    string
	proxies    []string
	drainDelay time.Duration
	submits    int
	shutdown   time.Duration
}

func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("site", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var badEnv []string
	defAddr := ":8080"
	if p := getenv("PORT"); p != "" {
		defAddr = ":" + p
	}
	if a := getenv("ADDR"); a != "" {
		defAddr = a
	}
	fs.StringVar(&c.addr, "addr", defAddr, "listen address (env ADDR; PORT=n means :n)")
	fs.StringVar(&c.contentDir, "content", getenv("CONTENT_DIR"), "serve content from this folder instead of the embedded copy (env CONTENT_DIR)")
	fs.StringVar(&c.logFormat, "log", envOr(getenv, "LOG_FORMAT", "text"), "log format: text or json (env LOG_FORMAT)")
	fs.StringVar(&c.baseURL, "base-url", getenv("BASE_URL"), "public origin for share links and canonical URLs, such as https://example.com (env BASE_URL)")
	proxies := fs.String("trusted-proxies", getenv("TRUSTED_PROXIES"), "comma-separated CIDR prefixes of proxies whose X-Forwarded-For names the client (env TRUSTED_PROXIES); empty trusts no header")
	fs.DurationVar(&c.shutdown, "shutdown-timeout", envDuration(getenv, "SHUTDOWN_TIMEOUT", 15*time.Second, &badEnv), "how long in-flight requests may take to finish on shutdown (env SHUTDOWN_TIMEOUT)")
	fs.DurationVar(&c.drainDelay, "drain-delay", envDuration(getenv, "DRAIN_DELAY", 0, &badEnv), "on SIGTERM, how long /readyz fails before the listener closes, so load balancers can stop sending traffic (env DRAIN_DELAY)")
	fs.IntVar(&c.submits, "submits-per-minute", 30, "form submissions and result pages each client may request per minute")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if len(badEnv) > 0 {
		return c, errors.New(strings.Join(badEnv, "; "))
	}
	for _, p := range strings.Split(*proxies, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if _, err := netip.ParsePrefix(p); err != nil {
			return c, fmt.Errorf("-trusted-proxies: %q is not a CIDR prefix such as 10.0.0.0/8", p)
		}
		c.proxies = append(c.proxies, p)
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if c.baseURL != "" {
		u, err := url.Parse(c.baseURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || (u.Path != "" && u.Path != "/") ||
			u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.User != nil {
			return c, fmt.Errorf("-base-url must be an origin such as https://example.com, not %q", c.baseURL)
		}
	}
	if c.logFormat != "text" && c.logFormat != "json" {
		return c, fmt.Errorf("-log must be text or json, not %q", c.logFormat)
	}
	return c, nil
}

// localOrigin is the origin a developer reaches the server at when no
// public origin is configured.
func localOrigin(addr string) string {
	_, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		port = "8080"
	}
	return "http://localhost:" + port
}

// envDuration reads a duration such as "15s" from the environment; a value
// that does not parse is recorded in bad, so start-up fails instead of
// silently using the default.
func envDuration(getenv func(string) string, key string, def time.Duration, bad *[]string) time.Duration {
	if v := getenv(key); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			*bad = append(*bad, fmt.Sprintf("%s=%q is not a duration such as 15s", key, v))
			return def
		}
		return d
	}
	return def
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// contentFS is the embedded content, or a folder when one is given.
func contentFS(dir string) (fs.FS, string) {
	if dir == "" {
		return content.Embedded(), "embedded"
	}
	return os.DirFS(dir), dir
}

// check validates content like start-up does, for editors and their CI.
func check(args []string, stdout, stderr io.Writer) int {
	dir := ""
	if len(args) > 0 {
		dir = args[0]
	}
	fsys, name := contentFS(dir)
	snap, err := build.Load(fsys, build.Options{})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	site := snap.Site
	articles, faqs := 0, 0
	for _, g := range site.Guides {
		articles += len(g.Articles)
		faqs += len(g.FAQ)
	}
	fmt.Fprintf(stdout, "%s: ok: %d guides, %d articles, %d FAQ answers\n", name, len(site.Guides), articles, faqs)
	return 0
}

// healthcheck asks the server on this machine whether it is alive. The
// container image has no shell or curl, so the binary checks itself.
func healthcheck(getenv func(string) string, stderr io.Writer) int {
	cfg, err := parseConfig(nil, getenv, stderr)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	_, port, err := net.SplitHostPort(cfg.addr)
	if err != nil {
		fmt.Fprintln(stderr, "healthcheck:", err)
		return 1
	}
	client := &http.Client{Timeout: 3 * time.Second}
	resp, err := client.Get("http://127.0.0.1:" + port + "/healthz")
	if err != nil {
		fmt.Fprintln(stderr, "healthcheck:", err)
		return 1
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintln(stderr, "healthcheck: status", resp.StatusCode)
		return 1
	}
	return 0
}

func run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	cfg, err := parseConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	return serve(ctx, cfg, false, stderr)
}

// preview serves a content folder for its editor: `site preview [flags] [DIR]`.
func preview(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	flags, dir, ok := previewArgs(args)
	if !ok {
		return errors.New("preview takes one folder: site preview [flags] [DIR]")
	}
	cfg, err := parseConfig(flags, getenv, stderr)
	if err != nil {
		return err
	}
	cfg.contentDir = dir
	return serve(ctx, cfg, true, stderr)
}

// serve runs the server until ctx is done, then drains and shuts down. With
// a content folder it rebuilds on every change; in preview a content error
// never stops it.
func serve(ctx context.Context, cfg config, preview bool, stderr io.Writer) error {
	logOut := newLogWriter(stderr, 250*time.Millisecond)
	defer logOut.Close()
	var lh slog.Handler = slog.NewTextHandler(logOut, nil)
	if cfg.logFormat == "json" {
		lh = slog.NewJSONHandler(logOut, nil)
	}
	log := slog.New(lh)

	start := time.Now()
	fsys, name := contentFS(cfg.contentDir)
	if cfg.baseURL == "" {
		cfg.baseURL = localOrigin(cfg.addr)
	}
	bopts := build.Options{Origin: cfg.baseURL, Preview: preview}
	snap, err := build.Load(fsys, bopts)
	var firstErr error
	if err != nil {
		if !preview {
			return fmt.Errorf("content (%s) has errors:\n%w", name, err)
		}
		// Preview serves the errors instead, until they are fixed.
		logContentErrors(log, "content has errors", name, err)
		firstErr = err
		if snap, err = build.Build(&content.Site{}, bopts); err != nil {
			return err
		}
	}
	site := snap.Site
	if !preview {
		snap.Warm()
	}
	h, err := server.New(snap, server.Options{Logger: log, TrustedProxies: cfg.proxies, SubmitsPerMinute: cfg.submits,
		Features: features, Preview: preview})
	if err != nil {
		return err
	}
	if firstErr != nil {
		h.Failed(0, firstErr)
	}
	lv := &live{fsys: fsys, dir: cfg.contentDir, opts: bopts, srv: h, log: log, flush: logOut.Flush}
	if err := lv.start(ctx); err != nil {
		return fmt.Errorf("watching %s: %w", cfg.contentDir, err)
	}
	srv := &http.Server{
		Addr:              cfg.addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(lh, slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	log.Info("listening", "addr", ln.Addr().String(), "content", name, "guides", len(site.Guides), "startup", time.Since(start).Round(time.Millisecond), "preview", preview)
	logOut.Flush() // life-cycle lines go out at once; access lines are batched

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// A second signal now stops the process at once, as people expect of Ctrl-C.
	if stopSignals != nil {
		stopSignals()
	}
	log.Info("shutting down", "drain", cfg.drainDelay, "deadline", cfg.shutdown)
	logOut.Flush()
	h.Drain()
	if cfg.drainDelay > 0 {
		time.Sleep(cfg.drainDelay)
	}
	sctx, cancel := context.WithTimeout(context.Background(), cfg.shutdown)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}
