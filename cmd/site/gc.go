package main

import (
	"context"
	"log/slog"
	"math"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// gcHeadroom is how far the heap may grow past what is live before the
// collector runs, at least. Go's default (GOGC=100) lets it grow by as much
// as is live: for a small site (a snapshot of a few MB) that means a
// collection every few MB of requests, about 70 a second under load, each
// scanning the snapshot again. With this headroom a small site collects a
// tenth as often and spends 18 % less CPU per request (bench/load.sh
// against GOGC=100, bench/results/load-2026-12-02-0424.md and -0431.md); a large one (at 1,000 guides ~480
// MB live), or one holding many connections, keeps Go's default, since
// its live heap is already larger than the headroom.
const gcHeadroom = 32 << 20

// gcEvery is how often the governor reads the live heap: it grows with
// open connections and changes with every rebuild.
const gcEvery = 100 * time.Millisecond

// gcPercentFor is the GOGC that lets a heap with live bytes grow by
// gcHeadroom, or by what is live when that is more (Go's default of 100).
func gcPercentFor(live uint64) int {
	if live == 0 {
		return 100
	}
	p := int(gcHeadroom * 100 / live)
	return max(p, 100)
}

// liveHeap is the heap the last collection found live.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// governGC keeps the collector's percent at gcPercentFor of the live heap,
// reading it every interval until ctx is done, unless the operator chose
// GOGC (then it only logs that). It logs the first percent it sets; later
// ones show as go_gc_gogc_percent in /metrics. The memory limit
// (GOMEMLIMIT) still applies: near it the collector runs as often as it
// must, whatever the percent.
func governGC(ctx context.Context, log *slog.Logger, getenv func(string) string, interval time.Duration) {
	if v := getenv("GOGC"); v != "" {
		log.Info("garbage collector", "gogc", v, "set_by", "GOGC")
		return
	}
	live := liveHeap()
	p := gcPercentFor(live)
	debug.SetGCPercent(p)
	log.Info("garbage collector", "gogc", p, "live_heap_mb", math.Round(float64(live)/(1<<20)*10)/10,
		"headroom_mb", gcHeadroom>>20, "every", interval.String())
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			// Only a change of a tenth or more: the live heap moves a little
			// with every collection.
			if q := gcPercentFor(liveHeap()); q*10 < p*9 || q*10 > p*11 {
				p = q
				debug.SetGCPercent(p)
			}
		}
	}
}
