package assess

import (
	"errors"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
)

func TestResultCacheRendersOnce(t *testing.T) {
	c := newResultCache[string](8)
	var renders atomic.Int32
	release := make(chan struct{})
	render := func() (string, error) {
		renders.Add(1)
		<-release // hold every caller inside the first render
		return "page", nil
	}
	var wg sync.WaitGroup
	got := make([]string, 45)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := c.get("fit?a=1", render)
			if err != nil {
				t.Error(err)
			}
			got[i] = v
		}()
	}
	// Let the goroutines pile up on the one render, then finish it.
	for renders.Load() == 0 {
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	if n := renders.Load(); n != 1 {
		t.Errorf("45 concurrent requests rendered the result %d times, want 1", n)
	}
	for i, v := range got {
		if v != "page" {
			t.Fatalf("request %d got %q", i, v)
		}
	}
	if _, err := c.get("fit?a=1", func() (string, error) { t.Fatal("rendered again"); return "", nil }); err != nil {
		t.Fatal(err)
	}
}

func TestResultCacheIsBounded(t *testing.T) {
	c := newResultCache[int](3)
	for i := range 10 {
		if _, err := c.get(strconv.Itoa(i), func() (int, error) { return i, nil }); err != nil {
			t.Fatal(err)
		}
	}
	if c.len() != 3 {
		t.Errorf("cache holds %d results, want at most 3", c.len())
	}
	// The most recent survive; the oldest is rendered again.
	rendered := false
	if v, _ := c.get("0", func() (int, error) { rendered = true; return 0, nil }); v != 0 || !rendered {
		t.Errorf("the oldest entry was not evicted")
	}
}

func TestResultCacheKeepsNoFailure(t *testing.T) {
	c := newResultCache[string](3)
	boom := errors.New("render failed")
	if _, err := c.get("k", func() (string, error) { return "", boom }); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if v, err := c.get("k", func() (string, error) { return "ok", nil }); err != nil || v != "ok" {
		t.Errorf("after a failure: %q, %v; want a fresh render", v, err)
	}
}

func TestResultCacheRecordsHits(t *testing.T) {
	c := newResultCache[string](3)
	var hits, misses int
	c.record = func(hit bool) {
		if hit {
			hits++
		} else {
			misses++
		}
	}
	render := func() (string, error) { return "page", nil }
	for range 3 {
		if _, err := c.get("k", render); err != nil {
			t.Fatal(err)
		}
	}
	if hits != 2 || misses != 1 {
		t.Errorf("3 lookups of one result recorded %d hits and %d misses, want 2 and 1", hits, misses)
	}
}
