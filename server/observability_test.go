package server_test

// What an operator sees of each request: the access line, the request id,
// the client address, the metrics, and how every error response may be
// cached.

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/pmvspo/site/accesslog"
	"github.com/pmvspo/site/metrics"
	"github.com/pmvspo/site/server"
)

// jsonLog collects JSON log records.
type jsonLog struct {
	mu   sync.Mutex
	recs []map[string]any
}

func (l *jsonLog) Write(p []byte) (int, error) {
	var rec map[string]any
	if err := json.Unmarshal(p, &rec); err != nil {
		return 0, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recs = append(l.recs, rec)
	return len(p), nil
}

// last is the latest access line.
func (l *jsonLog) last(t *testing.T) map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := len(l.recs) - 1; i >= 0; i-- {
		if l.recs[i]["msg"] == "request" {
			return l.recs[i]
		}
	}
	t.Fatal("no access line logged")
	return nil
}

func observedSite(t *testing.T, opts testOptions) (*server.Server, *jsonLog) {
	t.Helper()
	logs := &jsonLog{}
	opts.Logger = slog.New(slog.NewJSONHandler(logs, nil))
	opts.AccessLog = accesslog.New(accesslog.JSON, logs)
	opts.NoWarm = true
	h, err := newHandler(testSite(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	return h, logs
}

// generatedID is the shape of an id the server makes itself.
var generatedID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-z]+$`)

func TestAccessLine(t *testing.T) {
	h, logs := observedSite(t, testOptions{TrustedProxies: []string{"10.0.0.0/8"}})
	page := h.Snapshot().Pages()[0]
	path := page.Meta.Path
	if path == "" {
		path = "/"
	}
	w := getFrom(h, path+"?utm_source=newsletter&answer=secret", "10.1.2.3:5000",
		"X-Forwarded-For", "198.51.100.9, 203.0.113.7", "X-Request-Id", "9f86d081884c7d659a2feaa0c55ad015")
	wantStatus(t, w, "GET "+path, http.StatusOK)
	if got := w.Header().Get("X-Request-Id"); got != "9f86d081884c7d659a2feaa0c55ad015" {
		t.Errorf("X-Request-Id in the response: %q, want the proxy's", got)
	}
	line := logs.last(t)
	want := map[string]any{"client": "203.0.113.7", "request_id": "9f86d081884c7d659a2feaa0c55ad015", "method": "GET",
		"route": page.Kind, "path": path, "status": float64(200), "bytes": float64(w.Body.Len())}
	for k, v := range want {
		if line[k] != v {
			t.Errorf("access line %s = %v, want %v", k, line[k], v)
		}
	}
	if d, ok := line["duration_ms"].(float64); !ok || d < 0 || d > 60000 {
		t.Errorf("duration_ms = %v, want milliseconds as a number", line["duration_ms"])
	}
	raw, _ := json.Marshal(line)
	if strings.Contains(string(raw), "secret") || strings.Contains(string(raw), "utm_source") {
		t.Errorf("the access line holds the query: %s", raw)
	}

	// Other routes: an asset, an unknown path.
	css, _, _ := assetURLs(t)
	getFrom(h, css, "192.0.2.10:1234")
	if l := logs.last(t); l["route"] != "/static/*" || l["client"] != "192.0.2.10" {
		t.Errorf("an asset: route %v client %v", l["route"], l["client"])
	}
	getFrom(h, "/no/such/page", "192.0.2.11:1234")
	if l := logs.last(t); l["route"] != "unmatched" || l["status"] != float64(404) {
		t.Errorf("an unknown path: route %v status %v", l["route"], l["status"])
	}
}

func TestRequestIDs(t *testing.T) {
	h, logs := observedSite(t, testOptions{})
	for _, tc := range []struct {
		in   string
		keep bool
	}{
		{"9f86d081884c7d659a2feaa0c55ad015", true},
		{"123e4567-e89b-12d3-a456-426614174000", true},
		{"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", true},
		{"Root=1-67891233-abcdef012345678912345678", true},
		{"", false},
		{strings.Repeat("a", 129), false},
		{"two words", false},
		{"tab\there", false},
		{"<script>alert(1)</script>", false},
		{"caf\u00e9", false},
		{`quote"d`, false},
	} {
		w := getFrom(h, "/", "192.0.2.1:1", "X-Request-Id", tc.in)
		got := w.Header().Get("X-Request-Id")
		logged := logs.last(t)["request_id"]
		if logged != got {
			t.Errorf("X-Request-Id %q: response has %q, log has %v", tc.in, got, logged)
		}
		if tc.keep && got != tc.in {
			t.Errorf("X-Request-Id %q: not kept (response has %q)", tc.in, got)
		}
		if !tc.keep && !generatedID.MatchString(got) {
			t.Errorf("X-Request-Id %q: response has %q, want a new id", tc.in, got)
		}
	}
	a, b := getFrom(h, "/", "192.0.2.1:1").Header().Get("X-Request-Id"), getFrom(h, "/", "192.0.2.1:1").Header().Get("X-Request-Id")
	if a == b || !generatedID.MatchString(a) {
		t.Errorf("two requests without an id got %q and %q", a, b)
	}
}

// TestClientAddress: the address logged is the one the limiter keys by.
func TestClientAddress(t *testing.T) {
	for _, tc := range []struct {
		name    string
		trusted []string
		remote  string
		xff     []string
		want    string
	}{
		{"no proxies trusted: the peer", nil, "198.51.100.1:4000", []string{"203.0.113.1"}, "198.51.100.1"},
		{"IPv6 peer", nil, "[2001:db8::1]:4000", nil, "2001:db8::1"},
		{"trusted proxy", []string{"10.0.0.0/8"}, "10.0.0.2:4000", []string{"203.0.113.1"}, "203.0.113.1"},
		{"forged entries left of the proxy's", []string{"10.0.0.0/8"}, "10.0.0.2:4000", []string{"1.2.3.4, 203.0.113.1"}, "203.0.113.1"},
		{"two trusted proxies", []string{"10.0.0.0/8"}, "10.0.0.2:4000", []string{"203.0.113.1, 10.0.0.9"}, "203.0.113.1"},
		{"several header lines", []string{"10.0.0.0/8"}, "10.0.0.2:4000", []string{"1.2.3.4", "203.0.113.1"}, "203.0.113.1"},
		{"an untrusted peer's header is ignored", []string{"10.0.0.0/8"}, "192.0.2.7:4000", []string{"203.0.113.1"}, "192.0.2.7"},
		{"trusted peer without the header: the peer", []string{"10.0.0.0/8"}, "10.0.0.2:4000", nil, "10.0.0.2"},
		{"nonsense from the proxy: the last trusted hop", []string{"10.0.0.0/8"}, "10.0.0.2:4000", []string{"unknown"}, "10.0.0.2"},
		{"IPv4-mapped IPv6", []string{"10.0.0.0/8"}, "10.0.0.2:4000", []string{"::ffff:203.0.113.1"}, "203.0.113.1"},
		{"everyone trusted: the leftmost", []string{"0.0.0.0/0"}, "10.0.0.2:4000", []string{"203.0.113.1, 10.0.0.9"}, "203.0.113.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, logs := observedSite(t, testOptions{TrustedProxies: tc.trusted})
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = tc.remote
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			do(h, r)
			if got := logs.last(t)["client"]; got != tc.want {
				t.Errorf("client %v, want %s", got, tc.want)
			}
		})
	}
}

// TestUnresolvedClientsHaveTheirOwnLimit: behind a trusted proxy that sent
// no X-Forwarded-For, each TCP peer is its own client; they used to share
// one bucket keyed "unknown".
func TestUnresolvedClientsHaveTheirOwnLimit(t *testing.T) {
	h := newSite(t, testOptions{TrustedProxies: []string{"10.0.0.0/8"}, SubmitsPerMinute: 2})
	spend(t, h, 2, "10.0.0.1:4000", nil)
	checkLimited(t, submitFrom(t, h, "10.0.0.1:4000"), "peer A's third submission")
	if w := submitFrom(t, h, "10.0.0.2:4000"); w.Code == http.StatusTooManyRequests {
		t.Error("peer B was refused because peer A used up the limit: they share a bucket")
	}
}

// TestErrorResponsesCaching: each kind of error response says how it may
// be cached, on purpose.
func TestErrorResponsesCaching(t *testing.T) {
	h := newSite(t, testOptions{SubmitsPerMinute: 1})
	a := assessment(t)
	css, _, _ := assetURLs(t)
	oldAsset := regexp.MustCompile(`\.[0-9a-f]{10}\.`).ReplaceAllString(css, ".0000000000.")
	if oldAsset == css {
		t.Fatalf("asset URL %s has no content hash to replace", css)
	}
	for _, tc := range []struct {
		what   string
		w      *httptest.ResponseRecorder
		status int
		cache  string
	}{
		// A missing page may be cached briefly by anyone: it is the same for all.
		{"404 page", getFrom(h, "/no-such-page", "192.0.2.20:1"), 404, "public, max-age=60"},
		// An old asset hash during a rolling deploy must not stick in a CDN.
		{"404 under /static/", getFrom(h, oldAsset, "192.0.2.21:1"), 404, "no-store"},
		{"404 under /static/ (HEAD)", do(h, withRemote(httptest.NewRequest(http.MethodHead, "/static/nothing.css", nil), "192.0.2.21:1")), 404, "no-store"},
		{"405", do(h, withRemote(httptest.NewRequest(http.MethodDelete, "/", nil), "192.0.2.22:1")), 405, "private, no-store"},
		{"403 cross-origin post", do(h, withHeaders(formRequest(a.URL(), formBody(a, answersBy(a, firstOption)), "192.0.2.23:1"), "Sec-Fetch-Site", "cross-site")), 403, "private, no-store"},
		{"400 unreadable result link", getFrom(h, a.ResultURL()+"?%zz", "192.0.2.24:1"), 400, "private, no-store"},
		{"422 missing answers", do(h, formRequest(a.URL(), "", "192.0.2.25:1")), 422, "private, no-store"},
		{"429", func() *httptest.ResponseRecorder {
			submitFrom(t, h, "192.0.2.26:1")
			return submitFrom(t, h, "192.0.2.26:1")
		}(), 429, "private, no-store"},
	} {
		if tc.w.Code != tc.status {
			t.Errorf("%s: status %d, want %d", tc.what, tc.w.Code, tc.status)
			continue
		}
		if got := tc.w.Header().Get("Cache-Control"); got != tc.cache {
			t.Errorf("%s: Cache-Control %q, want %q", tc.what, got, tc.cache)
		}
		if tc.status >= 400 && tc.w.Header().Get("Etag") != "" {
			t.Errorf("%s: an ETag on an error response", tc.what)
		}
	}
}

func withRemote(r *http.Request, addr string) *http.Request {
	r.RemoteAddr = addr
	return r
}

func withHeaders(r *http.Request, kv ...string) *http.Request {
	for i := 0; i+1 < len(kv); i += 2 {
		r.Header.Set(kv[i], kv[i+1])
	}
	return r
}

// TestMetricsCountRequests: the server reports every request, by route
// and class, and every refusal of the rate limit.
func TestMetricsCountRequests(t *testing.T) {
	m := metrics.New(metrics.Build{})
	h := newSite(t, testOptions{Metrics: m, SubmitsPerMinute: 1})
	page := h.(*server.Server).Snapshot().Pages()[0]
	css, _, _ := assetURLs(t)
	for range 3 {
		getFrom(h, page.Meta.Path, "192.0.2.30:1", "Accept-Encoding", "br")
	}
	getFrom(h, css, "192.0.2.30:1")
	getFrom(h, "/no/such/thing?secret=1", "192.0.2.30:1")
	a := assessment(t)
	submitFrom(t, h, "192.0.2.31:1")
	submitFrom(t, h, "192.0.2.31:1")
	_ = a

	rec := httptest.NewRecorder()
	m.AdminHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for series, want := range map[string]float64{
		fmt.Sprintf(`site_http_requests_total{code="2xx",method="GET",route=%q}`, page.Kind):      3,
		`site_http_requests_total{code="2xx",method="GET",route="/static/*"}`:                     1,
		`site_http_requests_total{code="4xx",method="GET",route="unmatched"}`:                     1,
		`site_http_requests_total{code="4xx",method="POST",route=` + strconv.Quote(a.URL()) + `}`: 1,
		`site_rate_limited_total`: 1,
	} {
		re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`)
		mm := re.FindStringSubmatch(body)
		if mm == nil {
			t.Errorf("no %s in the metrics", series)
			continue
		}
		if got, _ := strconv.ParseFloat(mm[1], 64); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
	if strings.Contains(body, "/no/such/thing") || strings.Contains(body, "secret") {
		t.Error("the metrics hold a raw path or query")
	}
}

// BenchmarkOverheadMetrics is the site without and with metrics (as
// cmd/site runs it; compare with BenchmarkOverhead/site.
func BenchmarkOverheadMetrics(b *testing.B) {
	for _, c := range []struct {
		name string
		m    metrics.Recorder
	}{{"off", nil}, {"on", metrics.New(metrics.Build{})}} {
		b.Run(c.name, func(b *testing.B) {
			h, err := newHandler(testSite(b), testOptions{AccessLog: benchAccessLog(), Metrics: c.m, NoWarm: true})
			if err != nil {
				b.Fatal(err)
			}
			r := newRequest(http.MethodGet, guide(b).Articles[0].URL(), nil)
			r.Header.Set("Accept-Encoding", "br")
			w := &discardWriter{h: http.Header{}}
			h.ServeHTTP(w, r) // compresses the page, once
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				h.ServeHTTP(w, r)
			}
		})
	}
}
