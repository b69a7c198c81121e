package subscribe

import (
	"fmt"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkSubscribe posts the sign-up form over HTTP with new addresses,
// from parallel clients, to the real handler on each database: every
// request stores a pending subscriber, a token and a queued confirmation
// email in one transaction. It reports subscriptions per second and the
// 99th percentile of the POST's latency.
//
//	go test ./subscribe -run '^$' -bench Subscribe -benchtime 2000x
func BenchmarkSubscribe(b *testing.B) {
	for _, db := range []string{"sqlite", "postgres"} {
		b.Run(db, func(b *testing.B) {
			if db == "postgres" {
				requirePG(b)
			}
			e := newEnv(b, envOptions{postgres: db == "postgres", postsPerMinute: 1 << 30})
			var n atomic.Int64
			var mu sync.Mutex
			lat := make([]time.Duration, 0, b.N)
			b.SetParallelism(4) // 4 clients per CPU
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				local := make([]time.Duration, 0, 256)
				for pb.Next() {
					t0 := time.Now()
					res := e.subscribe(fmt.Sprintf("bench%d@example.com", n.Add(1)))
					local = append(local, time.Since(t0))
					if res.status != http.StatusSeeOther {
						b.Errorf("status %d", res.status)
					}
				}
				mu.Lock()
				lat = append(lat, local...)
				mu.Unlock()
			})
			elapsed := time.Since(start)
			b.StopTimer()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			if len(lat) > 0 {
				b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "subs/s")
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			}
		})
	}
}
