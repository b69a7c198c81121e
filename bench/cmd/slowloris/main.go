// Command slowloris checks that slow clients cannot starve a server. It
// opens -n TCP connections that each send the start of a GET request and
// then one more header line every -interval, never finishing the header.
// While they are held it times -probes normal GETs of -path, each with a
// fresh client (new TCP connection, no keep-alive), and the same number
// before the slow connections are opened, as a baseline. It then waits up to
// -hold for the server to close the slow connections and reports how many
// it closed and when, counted from each connection's own start.
//
//	slowloris -addr 127.0.0.1:8080 -path /guides/x -n 500
//
// Output is key=value lines for bench/load.sh. It only ever connects to
// -addr, and stops by itself after -hold.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "server host:port")
	path := flag.String("path", "/", "path the slow requests and the probes ask for")
	n := flag.Int("n", 500, "slow connections to hold")
	interval := flag.Duration("interval", 2*time.Second, "time between header lines on each slow connection")
	probes := flag.Int("probes", 20, "normal GETs to time while the slow connections are held")
	probeGap := flag.Duration("probe-gap", 100*time.Millisecond, "pause between probes")
	hold := flag.Duration("hold", 20*time.Second, "how long to wait for the server to close the slow connections")
	flag.Parse()

	var (
		mu      sync.Mutex
		closed  []time.Duration // connection lifetime when the server closed it
		gotResp atomic.Int64    // connections that received bytes (e.g. a 408) before closing
		open    atomic.Int64
		stop    = make(chan struct{})
		wg      sync.WaitGroup
	)
	// Baseline: the same probes before any slow connection exists.
	base, baseErr := probeAll("http://"+*addr+*path, *probes, 0, nil)
	fmt.Printf("baseline_errors=%d\n", baseErr)
	if len(base) > 0 {
		fmt.Printf("baseline_median_ms=%.2f\nbaseline_max_ms=%.2f\n", ms(base[len(base)/2]), ms(base[len(base)-1]))
	}

	dialFail := 0
	var conns []net.Conn
	start := time.Now()
	for i := range *n {
		c, err := net.DialTimeout("tcp", *addr, 5*time.Second)
		if err != nil {
			dialFail++
			continue
		}
		born := time.Now()
		if _, err := fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: slowloris-bench\r\n", *path, *addr); err != nil {
			c.Close()
			dialFail++
			continue
		}
		open.Add(1)
		wg.Add(2)
		// Reader: the server closing the connection shows up as EOF or reset.
		go func() {
			defer wg.Done()
			buf := make([]byte, 512)
			got := false
			for {
				k, err := c.Read(buf)
				if k > 0 {
					got = true
				}
				if err != nil {
					select {
					case <-stop: // we closed it ourselves at the end
					default:
						mu.Lock()
						closed = append(closed, time.Since(born))
						mu.Unlock()
						if got {
							gotResp.Add(1)
						}
					}
					open.Add(-1)
					return
				}
			}
		}()
		// Writer: one more header line every interval, never the blank line.
		go func(i int) {
			defer wg.Done()
			t := time.NewTicker(*interval)
			defer t.Stop()
			for k := 0; ; k++ {
				select {
				case <-stop:
					return
				case <-t.C:
					if _, err := fmt.Fprintf(c, "X-Slow-%d: %d\r\n", k, i); err != nil {
						return
					}
				}
			}
		}(i)
		conns = append(conns, c)
	}
	opened := time.Since(start)
	fmt.Printf("slow_opened=%d\nslow_dial_failed=%d\nslow_open_time_ms=%.0f\n", *n-dialFail, dialFail, ms(opened))

	// Probes while the slow connections are held.
	minOpen := int64(*n)
	lat, probeErr := probeAll("http://"+*addr+*path, *probes, *probeGap, func() {
		if o := open.Load(); o < minOpen {
			minOpen = o
		}
	})
	fmt.Printf("probe_ok=%d\nprobe_errors=%d\nprobe_min_slow_open=%d\n", len(lat), probeErr, minOpen)
	if len(lat) > 0 {
		fmt.Printf("probe_median_ms=%.2f\nprobe_max_ms=%.2f\n", ms(lat[len(lat)/2]), ms(lat[len(lat)-1]))
	}
	fmt.Printf("probes_done_at_ms=%.0f\n", ms(time.Since(start)))

	// Wait for the server to close the slow connections, or for -hold.
	deadline := time.Now().Add(*hold)
	for open.Load() > 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	mu.Lock()
	c := slices.Clone(closed)
	mu.Unlock()
	slices.Sort(c)
	fmt.Printf("slow_closed_by_server=%d\nslow_still_open=%d\nslow_closed_with_response=%d\n", len(c), open.Load(), gotResp.Load())
	if len(c) > 0 {
		fmt.Printf("slow_closed_after_min_ms=%.0f\nslow_closed_after_median_ms=%.0f\nslow_closed_after_max_ms=%.0f\n",
			ms(c[0]), ms(c[len(c)/2]), ms(c[len(c)-1]))
	}
	close(stop)
	for _, c := range conns {
		c.Close()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
	}
}

// probeAll times count probes, pausing gap between them and calling before
// (if not nil) ahead of each, and returns the sorted latencies of those that
// succeeded and the number that failed.
func probeAll(url string, count int, gap time.Duration, before func()) ([]time.Duration, int) {
	var lat []time.Duration
	failed := 0
	for range count {
		if before != nil {
			before()
		}
		d, err := probe(url)
		if err != nil {
			failed++
			fmt.Fprintln(os.Stderr, "probe:", err)
		} else {
			lat = append(lat, d)
		}
		time.Sleep(gap)
	}
	slices.Sort(lat)
	return lat, failed
}

// probe times one GET on a new connection, reading the whole body.
func probe(url string) (time.Duration, error) {
	tr := &http.Transport{DisableKeepAlives: true, DisableCompression: true}
	defer tr.CloseIdleConnections()
	cl := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Accept-Encoding", "br")
	t := time.Now()
	resp, err := cl.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("status %d", resp.StatusCode)
	}
	return time.Since(t), err
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
