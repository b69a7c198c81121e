// Package metrics counts what the site does, for Prometheus: requests and
// their latency by route and status class, responses by encoding, result-page
// cache hits, rate-limit refusals, the snapshot being served, and the Go
// runtime and process. It serves them, with net/http/pprof, on an admin
// handler meant for a separate listener that is never the public port.
//
// The server reports through small interfaces (Requests, ResultCache,
// RateLimits, Builds, and Queue for the newsletter's jobs); *Metrics implements all of them and Discard none of
// their work, so code that is given no metrics need not check for nil.
package metrics

import (
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Requests records one answered request. route is the route pattern that
// matched (never the raw path), "" if none did.
type Requests interface {
	Request(route, method string, status int, encoding string, d time.Duration)
}

// ResultCache records whether a result page came from the cache.
type ResultCache interface {
	ResultCache(hit bool)
}

// RateLimits records a request refused by the per-client limit.
type RateLimits interface {
	RateLimited()
}

// Builds records each build of the site: a snapshot put into service, or a
// build that failed (and left the last good snapshot serving).
type Builds interface {
	Built(Snapshot)
	BuildFailed(at time.Time)
}

// Snapshot describes a build of the site that is now being served.
type Snapshot struct {
	Guides   int
	Pages    int
	Duration time.Duration // how long the build took
	At       time.Time     // when it went into service
}

// Recorder is everything the server reports.
type Recorder interface {
	Requests
	ResultCache
	RateLimits
	Builds
}

// Discard is a Recorder that records nothing.
var Discard Recorder = discard{}

type discard struct{}

func (discard) Request(string, string, int, string, time.Duration) {}
func (discard) ResultCache(bool)                                   {}
func (discard) RateLimited()                                       {}
func (discard) Built(Snapshot)                                     {}
func (discard) BuildFailed(time.Time)                              {}

// Build is the binary's version, exported as site_build_info.
type Build struct {
	Version, Revision, Time string
}

// maxRoutes bounds the route label: past it, new routes are counted as
// "other", so a mistake that passed raw paths could not grow the series
// without limit. The site has one route per page kind and asset.
const maxRoutes = 1000

// Metrics is the site's collectors, in a registry of their own.
type Metrics struct {
	reg *prometheus.Registry

	requests  *prometheus.CounterVec
	duration  *prometheus.HistogramVec
	encodings *prometheus.CounterVec
	results   *prometheus.CounterVec
	limited   prometheus.Counter

	guides, pages     prometheus.Gauge
	buildSeconds      prometheus.Gauge
	builtAt           prometheus.Gauge
	lastBuildFailed   prometheus.Gauge
	lastBuildFailedAt prometheus.Gauge
	builds            *prometheus.CounterVec

	// series caches the counter and histogram of each route, method and
	// class, so a request costs one map lookup rather than three label
	// hashes; encodings are the fixed set of encoding counters.
	series    sync.Map // seriesKey -> *series
	encodingC map[string]prometheus.Counter

	mu     sync.Mutex
	routes map[string]struct{}

	queue queueMetrics
}

type seriesKey struct{ route, method, code string }

type series struct {
	requests prometheus.Counter
	duration prometheus.Observer
}

// New makes the collectors and registers them with the Go runtime, process
// and build-info collectors.
func New(b Build) *Metrics {
	m := &Metrics{
		reg:    prometheus.NewRegistry(),
		routes: map[string]struct{}{},
		queue:  newQueueMetrics(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "site_http_requests_total",
			Help: "Requests answered, by route pattern, method and status class.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "site_http_request_duration_seconds",
			Help:    "Time from the request's headers to the handler's return, by route pattern and status class.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route", "code"}),
		encodings: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "site_http_responses_by_encoding_total",
			Help: "Responses by Content-Encoding (identity when none).",
		}, []string{"encoding"}),
		results: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "site_result_cache_requests_total",
			Help: "Result pages served from the cache (hit) or rendered (miss).",
		}, []string{"result"}),
		limited: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "site_rate_limited_total",
			Help: "Requests refused by the per-client rate limit (429).",
		}),
		guides: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "site_snapshot_guides", Help: "Guides in the snapshot being served.",
		}),
		pages: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "site_snapshot_pages", Help: "Pre-rendered pages in the snapshot being served.",
		}),
		buildSeconds: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "site_snapshot_build_seconds", Help: "How long the build of the snapshot being served took.",
		}),
		builtAt: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "site_snapshot_built_timestamp_seconds", Help: "When the snapshot being served went into service (Unix time).",
		}),
		lastBuildFailed: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "site_snapshot_last_build_failed", Help: "1 if the latest build failed (the previous snapshot is still served), else 0. The log has the error.",
		}),
		lastBuildFailedAt: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "site_snapshot_last_build_error_timestamp_seconds", Help: "When a build last failed (Unix time); 0 if none has.",
		}),
		builds: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "site_snapshot_builds_total", Help: "Builds of the site since start-up, by result (ok, error); rebuilds are all but the first.",
		}, []string{"result"}),
	}
	info := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "site_build_info",
		Help:        "The running binary's version; always 1.",
		ConstLabels: prometheus.Labels{"version": b.Version, "revision": b.Revision, "time": b.Time},
	})
	info.Set(1)
	m.reg.MustRegister(m.requests, m.duration, m.encodings, m.results, m.limited,
		m.guides, m.pages, m.buildSeconds, m.builtAt, m.lastBuildFailed, m.lastBuildFailedAt, m.builds, info,
		m.queue.failures, m.queue.sent,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewBuildInfoCollector(),
	)
	// Both results show from the start, so a rate() over them never has a gap.
	m.results.WithLabelValues("hit")
	m.results.WithLabelValues("miss")
	m.builds.WithLabelValues("ok")
	m.builds.WithLabelValues("error")
	m.encodingC = map[string]prometheus.Counter{}
	for _, e := range []string{"identity", "gzip", "br", "zstd", "other"} {
		m.encodingC[e] = m.encodings.WithLabelValues(e)
	}
	return m
}

// Register adds collectors of other parts of the site (a queue's depth, say).
func (m *Metrics) Register(cs ...prometheus.Collector) error {
	for _, c := range cs {
		if err := m.reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}

// Gatherer is the registry, for tests and for other exporters.
func (m *Metrics) Gatherer() prometheus.Gatherer { return m.reg }

// Request implements Requests.
func (m *Metrics) Request(route, method string, status int, encoding string, d time.Duration) {
	k := seriesKey{route, methodLabel(method), statusClass(status)}
	var s *series
	if v, ok := m.series.Load(k); ok {
		s = v.(*series)
	} else {
		s = m.newSeries(k)
	}
	s.requests.Inc()
	s.duration.Observe(d.Seconds())
	if encoding == "" {
		encoding = "identity"
	}
	m.encodingC[encodingLabel(encoding)].Inc()
}

// newSeries looks up the series of a key not seen before. Keys of routes
// past the bound share the "other" series and are not cached, so that
// raw paths, if a mistake passed them, could not grow the cache either.
func (m *Metrics) newSeries(k seriesKey) *series {
	label := m.routeLabel(k.route)
	s := &series{requests: m.requests.WithLabelValues(label, k.method, k.code), duration: m.duration.WithLabelValues(label, k.code)}
	if label == k.route || k.route == "" {
		m.series.Store(k, s)
	}
	return s
}

func (m *Metrics) routeLabel(route string) string {
	if route == "" {
		return "unmatched"
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.routes[route]; ok {
		return route
	}
	if len(m.routes) >= maxRoutes {
		return "other"
	}
	m.routes[route] = struct{}{}
	return route
}

// ResultCache implements ResultCache.
func (m *Metrics) ResultCache(hit bool) {
	if hit {
		m.results.WithLabelValues("hit").Inc()
	} else {
		m.results.WithLabelValues("miss").Inc()
	}
}

// RateLimited implements RateLimits.
func (m *Metrics) RateLimited() { m.limited.Inc() }

// Built implements Builds.
func (m *Metrics) Built(s Snapshot) {
	m.guides.Set(float64(s.Guides))
	m.pages.Set(float64(s.Pages))
	m.buildSeconds.Set(s.Duration.Seconds())
	m.builtAt.Set(float64(s.At.UnixNano()) / 1e9)
	m.lastBuildFailed.Set(0)
	m.builds.WithLabelValues("ok").Inc()
}

// BuildFailed implements Builds.
func (m *Metrics) BuildFailed(at time.Time) {
	m.lastBuildFailed.Set(1)
	m.lastBuildFailedAt.Set(float64(at.UnixNano()) / 1e9)
	m.builds.WithLabelValues("error").Inc()
}

// statusClass is 1xx to 5xx; anything else (a handler that wrote no valid
// status) is "other".
func statusClass(status int) string {
	if status < 100 || status > 599 {
		return "other"
	}
	return classes[status/100-1]
}

var classes = [...]string{"1xx", "2xx", "3xx", "4xx", "5xx"}

func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost:
		return m
	}
	return "other"
}

func encodingLabel(e string) string {
	switch e {
	case "identity", "gzip", "br", "zstd":
		return e
	}
	return "other"
}
