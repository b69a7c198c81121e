package main

import (
	"os"
	"runtime/debug"
)

// gcPercent is the garbage collector's target (GOGC) when the environment
// sets none. The live heap is small (a few MB: the snapshot, the
// database's caches) while every request allocates a few KB (net/http's
// header maps and buffers, mostly), so at Go's default of 100 a collection
// runs every few hundred requests and marks the whole heap each time: in a
// CPU profile of the article under wrk, 8 % of the server's time went to
// the collector, against 3 % at 400, and the CPU per request fell by about
// a tenth. The price is memory: the heap may grow to five times what is
// live instead of twice (bench/load.sh without GOMEMLIMIT: 53-62 MiB
// resident idle instead of 26, 125-127 MiB at most under 1,000 connections
// instead of 89). GOGC and
// GOMEMLIMIT in the environment still decide; with GOMEMLIMIT set, as the
// README recommends for a container, the runtime collects earlier whenever
// the limit comes near, so the limit, not GOGC, bounds the memory.
const gcPercent = 400

func setGCPercent() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}
