package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/pmvspo/site/accesslog"
)

// accessWindow is how long an access line may wait in memory before it is
// written: under load one write system call carries many lines instead of
// one per request. A kill -9 loses at most this much of the access log.
// Every other line (errors, warnings, start-up and shutdown) is written at
// once, with anything batched before it.
const accessWindow = 50 * time.Millisecond

// logWriter buffers log lines. The first line into an empty buffer starts a
// timer of window; when it fires, everything buffered is written. Flush
// writes at once. When the buffer fills it writes through, so memory stays
// bounded under any load.
type logWriter struct {
	mu     sync.Mutex
	out    io.Writer
	buf    *bufio.Writer
	timer  *time.Timer
	window time.Duration
	closed bool
}

func newLogWriter(w io.Writer, window time.Duration) *logWriter {
	lw := &logWriter{out: w, buf: bufio.NewWriterSize(w, 64<<10), window: window}
	lw.timer = time.AfterFunc(time.Hour, lw.Flush)
	lw.timer.Stop()
	return lw
}

func (lw *logWriter) Write(p []byte) (int, error) {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	if lw.closed {
		return lw.out.Write(p) // nothing would flush a buffer after Close
	}
	if lw.buf.Buffered() == 0 {
		lw.timer.Reset(lw.window)
	}
	return lw.buf.Write(p)
}

// Flush writes out the buffered lines. A write error (a reader that went
// away) is dropped: the server goes on, and so do later lines if the
// reader comes back on another descriptor.
func (lw *logWriter) Flush() {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	lw.flushLocked()
}

func (lw *logWriter) flushLocked() {
	if err := lw.buf.Flush(); err != nil {
		// bufio.Writer keeps its first error forever; start afresh so one
		// failed write does not silence the log for good.
		lw.buf.Reset(lw.out)
	}
}

// Close writes out the rest; later lines are written at once.
func (lw *logWriter) Close() {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	lw.timer.Stop()
	lw.flushLocked()
	lw.closed = true
}

// flushingHandler writes every record at once, with the access lines
// batched before it: only access lines wait.
type flushingHandler struct {
	slog.Handler
	lw *logWriter
}

func (h flushingHandler) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	h.lw.Flush()
	return err
}

func (h flushingHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return flushingHandler{h.Handler.WithAttrs(attrs), h.lw}
}

func (h flushingHandler) WithGroup(name string) slog.Handler {
	return flushingHandler{h.Handler.WithGroup(name), h.lw}
}

// newLogger logs in format ("text" or "json") to w: access lines (the
// second logger) batched for up to accessWindow, everything else (the
// first) at once. Close the logWriter to write out the rest.
func newLogger(format string, w io.Writer) (*slog.Logger, *accesslog.Logger, *logWriter) {
	lw := newLogWriter(w, accessWindow)
	f, _ := accesslog.ParseFormat(format) // anything but json is text
	return slog.New(flushingHandler{formatHandler(f, lw), lw}), accesslog.New(f, lw), lw
}

// formatHandler is the slog handler writing the lines of format, so that
// they and the access lines are written alike.
func formatHandler(f accesslog.Format, w io.Writer) slog.Handler {
	if f == accesslog.JSON {
		return slog.NewJSONHandler(w, nil)
	}
	return slog.NewTextHandler(w, nil)
}

// logFormatOf finds the log format the server would use, for errors that
// happen before (or while) the configuration is read: the last -log flag,
// else LOG_FORMAT; anything unknown is text.
func logFormatOf(args []string, getenv func(string) string) string {
	format := getenv("LOG_FORMAT")
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "log" {
			continue
		}
		if !hasValue && i+1 < len(args) {
			i++
			value = args[i]
		}
		format = value
	}
	if format == "json" {
		return "json"
	}
	return "text"
}

// reportError writes the error that stopped the server: plain text for a
// person at a terminal, or one JSON record when logs go to a collector.
func reportError(w io.Writer, format string, err error) {
	if format != "json" {
		var b bytes.Buffer
		b.WriteString("site: ")
		b.WriteString(err.Error())
		b.WriteByte('\n')
		_, _ = w.Write(b.Bytes())
		return
	}
	slog.New(formatHandler(accesslog.JSON, w)).Error("site stopped", "error", err.Error())
}

// stdout is where -version prints; tests replace it.
var stdout io.Writer = os.Stdout
