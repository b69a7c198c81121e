package main

import (
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/pmvspo/site/metrics"
)

// newMetrics makes the site's metrics, labelled with this binary's version.
func newMetrics() *metrics.Metrics {
	v := readVersion()
	return metrics.New(metrics.Build{Version: v.Version, Revision: v.Revision, Time: v.Time})
}

// startAdmin serves /metrics and /debug/pprof on addr, a listener of its
// own; with addr empty it does nothing. Close the server to stop it: it holds
// no requests worth draining.
func startAdmin(addr string, m *metrics.Metrics, log *slog.Logger) (*http.Server, error) {
	srv := &http.Server{
		Handler:           m.AdminHandler(),
		ReadHeaderTimeout: 5 * time.Second,
		// A CPU profile or trace streams for ?seconds=N (30 by default).
		WriteTimeout: 2 * time.Minute,
		IdleTimeout:  2 * time.Minute,
		ErrorLog:     slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	if addr == "" {
		return srv, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	log.Info("admin listening", "addr", ln.Addr().String(), "paths", "/metrics /debug/pprof/")
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("admin listener stopped", "error", err)
		}
	}()
	return srv, nil
}
