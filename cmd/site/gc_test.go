package main

import (
	"context"
	"log/slog"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

func TestGCPercentFor(t *testing.T) {
	for _, tc := range []struct {
		live uint64
		want int
	}{
		{0, 100},       // nothing measured: Go's default
		{4 << 20, 800}, // a small site: 32 MB of headroom is 8 times what is live
		{3 << 20, 1066},
		{gcHeadroom, 100},         // the headroom and Go's default agree
		{480 << 20, 100},          // 1,000 guides: never below Go's default
		{gcHeadroom * 3 / 2, 100}, // between the two: still Go's default, never less
	} {
		if got := gcPercentFor(tc.live); got != tc.want {
			t.Errorf("gcPercentFor(%d MB) = %d, want %d", tc.live>>20, got, tc.want)
		}
		// The heap may grow by the headroom, or by what is live if that is
		// more (one percent of rounding allowed).
		if p := gcPercentFor(tc.live); tc.live > 0 && uint64(p+1)*tc.live/100 < max(gcHeadroom, tc.live) {
			t.Errorf("gcPercentFor(%d MB) = %d leaves less than %d MB of headroom", tc.live>>20, p, gcHeadroom>>20)
		}
	}
}

// gcPercent is the collector's current percent.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestGovernGC: the governor sets the percent for the live heap, follows
// the live heap when it grows (connections, a larger rebuild) back to Go's
// default, and leaves an operator's GOGC alone.
func TestGovernGC(t *testing.T) {
	defer debug.SetGCPercent(gcPercent())

	var out lineRecorder
	debug.SetGCPercent(100)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		governGC(ctx, slog.New(slog.NewTextHandler(&out, nil)), func(string) string { return "" }, 10*time.Millisecond)
	}()
	waitFor := func(what string, ok func(p int) bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !ok(gcPercent()) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: the percent is %d (live heap %d MB)", what, gcPercent(), liveHeap()>>20)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	runtime.GC()
	small := gcPercentFor(liveHeap())
	waitFor("a small heap", func(p int) bool { return p > 100 && p*10 >= small*9 && p*10 <= small*11 })
	if !strings.Contains(out.String(), `msg="garbage collector" gogc=`) || !strings.Contains(out.String(), "headroom_mb=32") {
		t.Errorf("the governor logged %q", out.String())
	}

	// A live heap of twice the headroom: Go's default again.
	held := make([][]byte, 64)
	for i := range held {
		held[i] = make([]byte, 1<<20)
	}
	runtime.GC()
	waitFor("a heap larger than the headroom", func(p int) bool { return p == 100 })
	runtime.KeepAlive(held)
	cancel()
	<-done

	// The operator's GOGC wins, and the log says so.
	var set lineRecorder
	debug.SetGCPercent(250)
	governGC(context.Background(), slog.New(slog.NewTextHandler(&set, nil)), func(k string) string {
		if k == "GOGC" {
			return "250"
		}
		return ""
	}, time.Millisecond)
	if got := gcPercent(); got != 250 {
		t.Errorf("with GOGC=250 the governor changed the percent to %d", got)
	}
	if !strings.Contains(set.String(), "gogc=250 set_by=GOGC") {
		t.Errorf("with GOGC set the governor logged %q", set.String())
	}
}
