package main

import (
	"context"
	"io/fs"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/pmvspo/site/build"
	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/server"
	"github.com/pmvspo/site/watch"
)

// live keeps a server's snapshot in step with its content: with a content
// folder, every change is rebuilt, and only a good build is swapped in (a
// bad edit is logged with its file:line messages and, in preview, shown on
// every page, while the last good snapshot goes on serving); and when a
// scheduled article's publication date comes, the site is rebuilt so that
// it appears.
type live struct {
	fsys fs.FS
	dir  string // the folder to watch, or "" (embedded content)
	opts build.Options
	srv  *server.Server
	log  *slog.Logger
	// flush sends log lines out at once (the access log is batched).
	flush func()

	mu    sync.Mutex // one rebuild at a time
	gen   uint64
	timer *time.Timer
}

// start watches the folder, if any, and schedules the next publication,
// until ctx is done.
func (l *live) start(ctx context.Context) error {
	l.schedule(ctx, l.srv.Snapshot().NextChange)
	if l.dir == "" {
		return nil
	}
	return watch.Dir(ctx, l.dir, func() { l.rebuild(ctx) }, func(err error) { l.log.Warn("watching content", "err", err) })
}

// schedule rebuilds at next, when a scheduled article comes out.
func (l *live) schedule(ctx context.Context, next time.Time) {
	if l.timer != nil {
		l.timer.Stop()
	}
	if next.IsZero() || ctx.Err() != nil {
		return
	}
	l.timer = time.AfterFunc(time.Until(next), func() {
		if ctx.Err() == nil {
			l.rebuild(ctx)
		}
	})
}

func (l *live) rebuild(ctx context.Context) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.gen++
	opts := l.opts
	opts.Generation = l.gen
	start := time.Now()
	snap, err := build.Load(l.fsys, opts)
	if err != nil {
		logContentErrors(l.log, "content has errors; still serving the last good build", l.dir, err)
		l.srv.Failed(l.gen, err)
		l.flush()
		return
	}
	if !opts.Preview {
		snap.Warm()
	}
	l.srv.Swap(snap)
	l.schedule(ctx, snap.NextChange)
	l.log.Info("rebuilt", "dir", l.dir, "guides", len(snap.Site.Guides), "build", l.gen, "took", time.Since(start).Round(time.Millisecond))
	l.flush()
}

// logContentErrors logs a failed build: a summary, then each defect as
// file:line: message on a line of its own.
func logContentErrors(log *slog.Logger, msg, dir string, err error) {
	lines := strings.Split(strings.TrimSpace(err.Error()), "\n")
	if es, ok := content.AsErrors(err); ok {
		lines = lines[:0]
		for _, e := range es {
			lines = append(lines, e.Error())
		}
	}
	log.Error(msg, "dir", dir, "errors", len(lines))
	for _, line := range lines {
		log.Error("content error", "at", line)
	}
}

// previewArgs splits `site preview [flags] [DIR]` into the server's flags
// and the folder (content when none is given). The folder may come before
// or after the flags; every flag of the server takes a value.
func previewArgs(args []string) (flags []string, dir string, ok bool) {
	dir = "content"
	seen := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case strings.HasPrefix(a, "-"):
			flags = append(flags, a)
			if !strings.Contains(a, "=") && a != "-h" && a != "-help" && a != "--help" && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		case seen:
			return nil, "", false
		default:
			dir, seen = a, true
		}
	}
	return flags, dir, true
}
