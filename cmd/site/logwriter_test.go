package main

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pmvspo/site/accesslog"
)

// lineRecorder is an io.Writer that can be made to fail, like a pipe whose
// reader went away.
type lineRecorder struct {
	mu     sync.Mutex
	b      strings.Builder
	broken bool
}

func (w *lineRecorder) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.broken {
		return 0, errors.New("broken pipe")
	}
	return w.b.Write(p)
}

func (w *lineRecorder) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

func (w *lineRecorder) setBroken(b bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.broken = b
}

func TestLoggerFlushPolicy(t *testing.T) {
	var out lineRecorder
	log, access, lw := newLogger("json", &out)
	defer lw.Close()

	access.Log(&accesslog.Entry{Path: "/a"})
	if strings.Contains(out.String(), `"path":"/a"`) {
		t.Error("an access line was written at once; it should wait for the batch")
	}
	// An error is written at once, and the access line before it with it,
	// in order.
	log.Error("render failed", "request_id", "x")
	s := out.String()
	if !strings.Contains(s, `"msg":"render failed"`) || strings.Index(s, `"path":"/a"`) > strings.Index(s, "render failed") {
		t.Errorf("after an error line the log holds:\n%s", s)
	}
	log.Info("listening", "addr", ":1")
	if !strings.Contains(out.String(), `"msg":"listening"`) {
		t.Error("a life-cycle line waited in the buffer")
	}
	log.Warn("slow request", "path", "/warn")
	if !strings.Contains(out.String(), `"path":"/warn"`) {
		t.Error("a warning waited in the buffer")
	}

	access.Log(&accesslog.Entry{Path: "/b"})
	deadline := time.Now().Add(20 * accessWindow)
	for !strings.Contains(out.String(), `"path":"/b"`) {
		if time.Now().After(deadline) {
			t.Fatalf("an access line was not written within %v", 20*accessWindow)
		}
		time.Sleep(accessWindow / 5)
	}
}

// TestLoggerSurvivesBrokenWriter: a failed write drops what was buffered
// but later lines are written once the writer works again.
func TestLoggerSurvivesBrokenWriter(t *testing.T) {
	var out lineRecorder
	log, access, lw := newLogger("text", &out)
	out.setBroken(true)
	log.Error("lost")
	out.setBroken(false)
	log.Error("kept")
	if s := out.String(); !strings.Contains(s, "msg=kept") || strings.Contains(s, "msg=lost") {
		t.Errorf("log after a broken write:\n%s", s)
	}
	lw.Close()
	access.Log(&accesslog.Entry{Path: "/after-close"})
	if !strings.Contains(out.String(), "/after-close") {
		t.Error("a line logged after Close was not written")
	}
}
