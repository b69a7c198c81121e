package metrics

import (
	"testing"
	"time"
)

// BenchmarkRequest is what every request pays for its metrics.
func BenchmarkRequest(b *testing.B) {
	m := New(Build{})
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m.Request("article", "GET", 200, "br", 150*time.Microsecond)
		}
	})
}
