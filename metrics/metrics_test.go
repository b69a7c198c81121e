package metrics

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// scrape fetches /metrics from the admin handler as Prometheus would.
func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.AdminHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics: %d", rec.Code)
	}
	return rec.Body.String()
}

// value finds the sample of a series line such as `name{a="b"} 3`.
func value(t *testing.T, body, series string) float64 {
	t.Helper()
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no series %s in:\n%s", series, grepLines(body, strings.SplitN(series, "{", 2)[0]))
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func grepLines(body, prefix string) string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestRequestsByRouteAndClass(t *testing.T) {
	m := New(Build{Version: "v1.0.0", Revision: "abc", Time: "2026-12-01T00:00:00Z"})
	// What the server reports for: two GETs of one route (one with
	// brotli), a refused POST, a 404 and a method nobody routes.
	m.Request("/guides/{slug}", "GET", 200, "br", time.Millisecond)
	m.Request("/guides/{slug}", "GET", 200, "", time.Millisecond)
	m.Request("/guides/{slug}/assess", "POST", http.StatusTooManyRequests, "", time.Millisecond)
	m.Request("", "GET", http.StatusNotFound, "", time.Millisecond)
	m.Request("", "PROPFIND", http.StatusNotFound, "", time.Millisecond)

	body := scrape(t, m)
	if got := value(t, body, `site_http_requests_total{code="2xx",method="GET",route="/guides/{slug}"}`); got != 2 {
		t.Errorf("GET /guides/{slug} 2xx: %v, want 2", got)
	}
	if got := value(t, body, `site_http_requests_total{code="4xx",method="POST",route="/guides/{slug}/assess"}`); got != 1 {
		t.Errorf("POST 4xx: %v, want 1", got)
	}
	if got := value(t, body, `site_http_requests_total{code="4xx",method="GET",route="unmatched"}`); got != 1 {
		t.Errorf("unmatched 404: %v, want 1", got)
	}
	if got := value(t, body, `site_http_requests_total{code="4xx",method="other",route="unmatched"}`); got != 1 {
		t.Errorf("PROPFIND: %v, want 1 under method other", got)
	}
	if got := value(t, body, `site_http_request_duration_seconds_count{code="2xx",route="/guides/{slug}"}`); got != 2 {
		t.Errorf("latency observations: %v, want 2", got)
	}
	if got := value(t, body, `site_http_responses_by_encoding_total{encoding="br"}`); got != 1 {
		t.Errorf("br responses: %v", got)
	}
	if got := value(t, body, `site_http_responses_by_encoding_total{encoding="identity"}`); got != 4 {
		t.Errorf("identity responses: %v", got)
	}
}

func TestRouteCardinalityIsBounded(t *testing.T) {
	m := New(Build{})
	for i := 0; i < maxRoutes+50; i++ {
		m.Request(fmt.Sprintf("/r%d", i), "GET", 200, "", time.Millisecond)
	}
	body := scrape(t, m)
	n := strings.Count(body, "\nsite_http_requests_total{")
	if n > maxRoutes+1 {
		t.Errorf("%d request series, want at most %d", n, maxRoutes+1)
	}
	if got := value(t, body, `site_http_requests_total{code="2xx",method="GET",route="other"}`); got != 50 {
		t.Errorf("routes past the bound counted as other: %v, want 50", got)
	}
}

func TestSnapshotCacheAndLimits(t *testing.T) {
	m := New(Build{Version: "v1.2.3", Revision: "deadbeef", Time: "2026-12-01T18:00:00Z"})
	at := time.Date(2026, 12, 1, 19, 0, 0, 0, time.UTC)
	m.Built(Snapshot{Guides: 2, Pages: 17, Duration: 1500 * time.Millisecond, At: at})
	m.ResultCache(true)
	m.ResultCache(true)
	m.ResultCache(false)
	m.RateLimited()
	body := scrape(t, m)
	for series, want := range map[string]float64{
		"site_snapshot_guides":                                                              2,
		"site_snapshot_pages":                                                               17,
		"site_snapshot_build_seconds":                                                       1.5,
		"site_snapshot_built_timestamp_seconds":                                             float64(at.Unix()),
		"site_snapshot_last_build_failed":                                                   0,
		"site_snapshot_last_build_error_timestamp_seconds":                                  0,
		`site_snapshot_builds_total{result="ok"}`:                                           1,
		`site_snapshot_builds_total{result="error"}`:                                        0,
		`site_result_cache_requests_total{result="hit"}`:                                    2,
		`site_result_cache_requests_total{result="miss"}`:                                   1,
		"site_rate_limited_total":                                                           1,
		`site_build_info{revision="deadbeef",time="2026-12-01T18:00:00Z",version="v1.2.3"}`: 1,
	} {
		if got := value(t, body, series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
	failed := at.Add(time.Minute)
	m.BuildFailed(failed)
	body = scrape(t, m)
	if value(t, body, "site_snapshot_last_build_failed") != 1 || value(t, body, `site_snapshot_builds_total{result="error"}`) != 1 ||
		value(t, body, "site_snapshot_last_build_error_timestamp_seconds") != float64(failed.Unix()) {
		t.Errorf("after a failed build:\n%s", grepLines(body, "site_snapshot"))
	}
	if value(t, body, "site_snapshot_pages") != 17 {
		t.Error("a failed build changed the served snapshot's figures")
	}
	for _, name := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "go_build_info{"} {
		if !strings.Contains(body, "\n"+name) {
			t.Errorf("no %s", name)
		}
	}
	if runtime.GOOS == "linux" && !strings.Contains(body, "\nprocess_resident_memory_bytes ") {
		t.Error("no process_resident_memory_bytes")
	}
}

func TestAdminHandlerProfiles(t *testing.T) {
	h := New(Build{}).AdminHandler()
	for path, want := range map[string]string{
		"/":                              "/metrics",
		"/debug/pprof/":                  "goroutine",
		"/debug/pprof/goroutine?debug=1": "goroutine profile",
		"/debug/pprof/cmdline":           "",
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), want) {
			t.Errorf("GET %s: %d, body has %q: %v", path, rec.Code, want, strings.Contains(rec.Body.String(), want))
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/elsewhere", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("GET /elsewhere: %d, want 404", rec.Code)
	}
}
