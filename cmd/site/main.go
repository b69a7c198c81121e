// Command site serves the comparison guides.
//
//	site [-addr :8080] [-content DIR]   serve the site
//	site check [DIR]                     validate content and exit
//	site export [-base-url URL] DIR      write the static part of the site into DIR
//	site version                         print the version (also -version)
//	site healthcheck                     exit 0 if the local server answers /healthz (for container HEALTHCHECK)
//	site preview [flags] [DIR]           serve DIR (default content) for editing: rebuild on save, reload the tab
//	site subscribers export|delete EMAIL CSV of the newsletter's subscribers; erase one person
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/pmvspo/site/assess"
	"github.com/pmvspo/site/build"
	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/metrics"
	"github.com/pmvspo/site/server"
	"github.com/pmvspo/site/subscribe"
)

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "check":
			os.Exit(check(os.Args[2:], os.Stdout, os.Stderr))
		case "healthcheck":
			os.Exit(healthcheck(os.Args[2:], os.Getenv, os.Stderr))
		case "export":
			os.Exit(exportSite(os.Args[2:], os.Getenv, os.Stdout, os.Stderr))
		case "subscribers":
			os.Exit(subscribers(os.Args[2:], os.Getenv, os.Stdout, os.Stderr))
		case "version":
			fmt.Print(readVersion())
			return
		}
	}
	// A reader of stderr that goes away (a log shipper restarting, a closed
	// terminal) must not kill the server: with SIGPIPE ignored, writes to
	// the broken pipe fail with EPIPE and the log lines are dropped.
	signal.Ignore(syscall.SIGPIPE)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	stopSignals = stop
	runFn := run
	args := os.Args[1:]
	if len(args) > 0 && args[0] == "preview" {
		runFn, args = preview, args[1:]
	}
	err := runFn(ctx, args, os.Getenv, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
	case err != nil:
		reportError(os.Stderr, logFormatOf(args, os.Getenv), err)
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
	// newsletter configures subscriptions: data folder, database, SMTP.
	newsletter *subscribe.Options
	// adminAddr serves /metrics and /debug/pprof; empty means off.
	adminAddr string
	// trustAllProxies accepts a trusted-proxy prefix that covers every
	// address, for a server that only a proxy can reach.
	trustAllProxies bool
	version         bool
}

func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("site", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var badEnv []string
	defAddr, addrFrom := ":8080", ""
	if p := getenv("PORT"); p != "" {
		defAddr, addrFrom = ":"+p, "PORT"
	}
	if a := getenv("ADDR"); a != "" {
		defAddr, addrFrom = a, "ADDR"
	}
	fs.StringVar(&c.addr, "addr", defAddr, "listen address (env ADDR; PORT=n means :n)")
	fs.StringVar(&c.adminAddr, "admin-addr", getenv("ADMIN_ADDR"), "listen address for /metrics and /debug/pprof, such as 127.0.0.1:9090 (env ADMIN_ADDR); empty means off. Never expose it publicly")
	fs.StringVar(&c.contentDir, "content", getenv("CONTENT_DIR"), "serve content from this folder instead of the embedded copy (env CONTENT_DIR)")
	fs.StringVar(&c.logFormat, "log", envOr(getenv, "LOG_FORMAT", "text"), "log format: text or json (env LOG_FORMAT)")
	fs.StringVar(&c.baseURL, "base-url", getenv("BASE_URL"), "public origin for share links and canonical URLs, such as https://example.com (env BASE_URL)")
	proxies := fs.String("trusted-proxies", getenv("TRUSTED_PROXIES"), "comma-separated CIDR prefixes of proxies whose X-Forwarded-For names the client (env TRUSTED_PROXIES); empty trusts no header")
	fs.BoolVar(&c.trustAllProxies, "trust-all-proxies", envBool(getenv, "TRUST_ALL_PROXIES", &badEnv), "allow a -trusted-proxies prefix such as 0.0.0.0/0 that trusts every address: only for a server no client can reach except through the proxy (env TRUST_ALL_PROXIES)")
	fs.DurationVar(&c.shutdown, "shutdown-timeout", envDuration(getenv, "SHUTDOWN_TIMEOUT", 15*time.Second, &badEnv), "how long in-flight requests may take to finish on shutdown (env SHUTDOWN_TIMEOUT)")
	fs.DurationVar(&c.drainDelay, "drain-delay", envDuration(getenv, "DRAIN_DELAY", 0, &badEnv), "on SIGTERM, how long /readyz fails before the listener closes, so load balancers can stop sending traffic (env DRAIN_DELAY)")
	c.newsletter = subscribe.Flags(fs, getenv)
	fs.IntVar(&c.submits, "submits-per-minute", 30, "form submissions each client may send per minute (result pages are never limited)")
	fs.BoolVar(&c.version, "version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if len(badEnv) > 0 {
		return c, errors.New(strings.Join(badEnv, "; "))
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "addr" {
			addrFrom = "-addr"
		}
	})
	if err := checkListenAddr(addrFrom, c.addr); err != nil {
		return c, err
	}
	if c.adminAddr != "" {
		if err := checkListenAddr("-admin-addr", c.adminAddr); err != nil {
			return c, err
		}
		if samePort(c.addr, c.adminAddr) {
			return c, fmt.Errorf("-admin-addr %s shares the public port of %s: metrics and profiles must never be served on the public port", c.adminAddr, c.addr)
		}
	}
	var err error
	if c.proxies, err = parseProxies(*proxies, c.trustAllProxies); err != nil {
		return c, err
	}
	if c.baseURL != "" {
		if err := checkBaseURL(c.baseURL); err != nil {
			return c, err
		}
	}
	if c.logFormat != "text" && c.logFormat != "json" {
		return c, fmt.Errorf("-log must be text or json, not %q", c.logFormat)
	}
	if c.submits < 0 {
		return c, fmt.Errorf("-submits-per-minute must be a positive number, not %d", c.submits)
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

// contentFS is the embedded content, or a folder when one is given. The
// folder is looked at first, so that a wrong path gets a message saying
// which folder to give, not the loader's "cannot read the guides folder".
func contentFS(dir string) (fs.FS, string, error) {
	if dir == "" {
		return content.Embedded(), "embedded", nil
	}
	if err := checkContentDir(dir); err != nil {
		return nil, dir, err
	}
	return os.DirFS(dir), dir, nil
}

// checkContentDir reports a content folder that does not exist or holds no
// guides/ folder, naming the folder to give instead when dir is the guides
// folder itself or one guide's folder (the usual slips).
func checkContentDir(dir string) error {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("content folder %s does not exist", dir)
	case err != nil:
		return fmt.Errorf("content folder %s: %w", dir, err)
	case !st.IsDir():
		return fmt.Errorf("content folder %s is a file; give the folder that holds guides/", dir)
	}
	if st, err := os.Stat(filepath.Join(dir, "guides")); err == nil && st.IsDir() {
		return nil
	}
	clean := filepath.Clean(dir)
	hint := "give the folder that holds guides/ (in the repository, content)"
	if _, err := os.Stat(filepath.Join(dir, "guide.yaml")); err == nil {
		hint = "it is one guide's folder; give the folder that holds guides/: " + filepath.Dir(filepath.Dir(clean))
	} else if m, _ := filepath.Glob(filepath.Join(dir, "*", "guide.yaml")); len(m) > 0 {
		hint = "it is the guides folder itself; give the folder that holds it: " + filepath.Dir(clean)
	}
	return fmt.Errorf("content folder %s has no guides/ folder: %s", dir, hint)
}

// check validates content like start-up does, for editors and their CI.
func check(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("site check", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: site check [DIR]\n\n"+
			"Checks the content in DIR, the folder that holds guides/ (such as content), as start-up does,\n"+
			"and lists every defect as file:line: what is wrong. Without DIR it checks the embedded content.")
	}
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fl.NArg() > 1 {
		fmt.Fprintf(stderr, "site check takes one folder, not %d: %q\n", fl.NArg(), fl.Args())
		fl.Usage()
		return 2
	}
	fsys, name, err := contentFS(fl.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "site check:", err)
		return 2
	}
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
	for _, h := range snap.OverBudget() {
		fmt.Fprintf(stdout, "warning: %s weighs %d bytes compressed, over the %d KB that reach a reader in the first round trip; "+
			"on a slow connection it shows a round trip later. Shorten it, or move a part to a page of its own.\n",
			h.Path, h.Size, build.PageBudget>>10)
	}
	return 0
}

func run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	// In JSON mode the flag package's own messages would be plain text in a
	// JSON log; its error comes back as err and is reported as JSON instead.
	flagOut := stderr
	var usage bytes.Buffer
	if logFormatOf(args, getenv) == "json" {
		flagOut = &usage
	}
	cfg, err := parseConfig(args, getenv, flagOut)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			_, _ = usage.WriteTo(stderr)
		}
		return err
	}
	if cfg.version {
		fmt.Fprint(stdout, readVersion())
		return nil
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
	log, access, logOut := newLogger(cfg.logFormat, stderr)
	defer logOut.Close()
	lh := log.Handler()
	log.Info("configuration", cfg.logAttrs()...)

	start := time.Now()
	fsys, name, err := contentFS(cfg.contentDir)
	if err != nil {
		return err
	}
	if cfg.baseURL == "" {
		cfg.baseURL = localOrigin(cfg.addr)
	}
	m := newMetrics()
	buildStart := time.Now()
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
		m.BuildFailed(time.Now())
		if snap, err = build.Build(&content.Site{}, bopts); err != nil {
			return err
		}
	} else {
		m.Built(metrics.Snapshot{Guides: len(snap.Site.Guides), Pages: len(snap.Pages()), Duration: time.Since(buildStart), At: time.Now()})
	}
	site := snap.Site
	if !preview {
		snap.Warm()
		go func() {
			select {
			case <-snap.Compressed(): // the build's garbage is gone: the live heap is the snapshot's
				governGC(ctx, log, os.Getenv, gcEvery)
			case <-ctx.Done():
			}
		}()
	}
	nopts := *cfg.newsletter
	nopts.Logger = log
	nopts.Metrics = m
	newsletter, err := subscribe.Open(ctx, nopts)
	if err != nil {
		return fmt.Errorf("newsletter: %w", err)
	}
	if err := m.Register(metrics.NewQueueDepth(newsletter.QueueDepth)); err != nil {
		newsletter.Close(ctx)
		return err
	}
	defer func() {
		// After the HTTP server: emails being sent finish, the rest wait
		// in the database for the next start.
		sctx, cancel := context.WithTimeout(context.Background(), cfg.shutdown)
		defer cancel()
		newsletter.Close(sctx)
	}()
	h, err := server.New(snap, server.Options{Logger: log, AccessLog: access, TrustedProxies: cfg.proxies, SubmitsPerMinute: cfg.submits,
		Features: append(features[:len(features):len(features)], newsletter.Routes), Preview: preview, Metrics: m})
	if err != nil {
		return err
	}
	// The worker outlives the signal context: Close stops it after the drain.
	if err := newsletter.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("newsletter: %w", err)
	}
	if firstErr != nil {
		h.Failed(0, firstErr)
	}
	lv := &live{fsys: fsys, dir: cfg.contentDir, opts: bopts, srv: h, log: log, flush: logOut.Flush, metrics: m}
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
	admin, err := startAdmin(cfg.adminAddr, m, log)
	if err != nil {
		ln.Close()
		return fmt.Errorf("-admin-addr: %w", err)
	}
	defer admin.Close()
	log.Info("listening", "addr", ln.Addr().String(), "content", name, "guides", len(site.Guides), "startup", time.Since(start).Round(time.Millisecond).String(), "preview", preview)

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
	log.Info("shutting down", "drain", cfg.drainDelay.String(), "deadline", cfg.shutdown.String())
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
