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
			e := newEnv(b, envOptions{postgres: db == "postgres", postsPerMinute: 1 << 30, minResponse: -1})
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

// BenchmarkSubscribeByState compares the POST's cost for a new address and
// for one already confirmed (which queues no email): the timing class an
// observer could use to tell them apart.
//
//	go test ./subscribe -run '^$' -bench SubscribeByState -benchtime 500x
func BenchmarkSubscribeByState(b *testing.B) {
	for _, floor := range []struct {
		name string
		d    time.Duration
	}{{"floor=none", -1}, {"floor=default", 0}} {
		e := newEnv(b, envOptions{postsPerMinute: 1 << 30, minResponse: floor.d})
		e.addSubscriber("confirmed@example.com", "confirmed", e.clock.Now())
		var n atomic.Int64
		b.Run(floor.name+"/new", func(b *testing.B) {
			for b.Loop() {
				e.subscribe(fmt.Sprintf("new%d@example.com", n.Add(1)))
			}
		})
		b.Run(floor.name+"/confirmed", func(b *testing.B) {
			for b.Loop() {
				e.subscribe("confirmed@example.com")
			}
		})
	}
}
