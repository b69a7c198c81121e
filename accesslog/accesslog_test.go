package accesslog

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// slogLine is what slog's handler for format writes for e, as the server
// wrote its access lines before this package: the reference.
func slogLine(format Format, e *Entry) string {
	var buf bytes.Buffer
	var h slog.Handler = slog.NewTextHandler(&buf, nil)
	if format == JSON {
		h = slog.NewJSONHandler(&buf, nil)
	}
	rec := slog.NewRecord(e.Time, slog.LevelInfo, Message, 0)
	rec.AddAttrs(
		slog.String("client", e.Client),
		slog.String("request_id", e.RequestID),
		slog.String("method", e.Method),
		slog.String("route", e.Route),
		slog.String("path", e.Path),
		slog.Int("status", e.Status),
		slog.Int("bytes", e.Bytes),
		slog.Float64("duration_ms", float64(e.Duration.Microseconds())/1000),
	)
	_ = h.Handle(context.Background(), rec)
	return buf.String()
}

var when = time.Date(2026, 12, 2, 3, 19, 6, 627443147, time.UTC)

func typical() Entry {
	return Entry{Time: when, Client: "203.0.113.7", RequestID: "a5adc5ea197e01574b4d15ac22201454", Method: "GET",
		Route: "article", Path: "/guides/pm-vs-po/difference", Status: 200, Bytes: 10893, Duration: 57 * time.Microsecond}
}

func TestSameAsSlog(t *testing.T) {
	odd := []func(*Entry){
		func(e *Entry) {},
		func(e *Entry) { e.Path = `/a "quoted" path\with\backslashes` },
		func(e *Entry) { e.Path = "/tab\there/new\nline/\r/\x00/\x1f/\x7f" },
		func(e *Entry) { e.Path = "/caf\u00e9/\u2028/\u2029/\U0001F600/" },
		func(e *Entry) { e.Path = "/bad-utf8/\xff\xfe/\xc3" },
		func(e *Entry) { e.Path = "/a=b c/<script>&amp;" },
		func(e *Entry) { e.Path, e.Method, e.RequestID = "", "", "" },
		func(e *Entry) { e.Path = "/nbsp\u00a0/zero-width\u200b/" },
		func(e *Entry) { e.Duration = 0 },
		func(e *Entry) { e.Duration = 999 * time.Nanosecond },
		func(e *Entry) { e.Duration = 90 * time.Minute },
		func(e *Entry) { e.Status, e.Bytes = 599, 0 },
		func(e *Entry) { e.Time = time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("X", -90*60)) },
		func(e *Entry) { e.Time = time.Date(2026, 1, 2, 3, 4, 5, 999999999, time.UTC) },
	}
	for _, format := range []Format{JSON, Text} {
		for i, change := range odd {
			e := typical()
			change(&e)
			got := string(Append(nil, &e, format))
			if want := slogLine(format, &e); got != want {
				t.Errorf("format %d, case %d:\n got %q\nwant %q", format, i, got, want)
			}
		}
	}
}

// FuzzSameAsSlog: for any strings, numbers and times, a line is byte for
// byte what slog writes, and a JSON line decodes to the entry's values.
func FuzzSameAsSlog(f *testing.F) {
	e := typical()
	f.Add(e.Client, e.RequestID, e.Method, e.Route, e.Path, e.Status, e.Bytes, int64(e.Duration), e.Time.UnixNano())
	f.Add("::1", "", "PATCH", "unmatched", "/\"\\\n\xff\u2028", 404, 0, int64(0), int64(0))
	f.Fuzz(func(t *testing.T, client, id, method, route, path string, status, n int, d, unixNano int64) {
		e := Entry{Time: time.Unix(0, unixNano).UTC(), Client: client, RequestID: id, Method: method, Route: route,
			Path: path, Status: status, Bytes: n, Duration: time.Duration(d)}
		if y := e.Time.Year(); y < 0 || y >= 10000 {
			return // slog writes an error there instead of a time; a request is never dated so
		}
		for _, format := range []Format{JSON, Text} {
			got := string(Append(nil, &e, format))
			if want := slogLine(format, &e); got != want {
				t.Fatalf("format %d:\n got %q\nwant %q", format, got, want)
			}
		}
		var rec map[string]any
		if err := json.Unmarshal(Append(nil, &e, JSON), &rec); err != nil {
			t.Fatalf("the JSON line does not decode: %v", err)
		}
		if rec["msg"] != Message || rec["status"] != float64(status) || !strings.HasSuffix(string(Append(nil, &e, Text)), "\n") {
			t.Fatalf("decoded: %v", rec)
		}
	})
}

// lines collects whole Write calls.
type lines struct {
	mu  sync.Mutex
	got []string
}

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.got = append(l.got, string(p))
	return len(p), nil
}

// TestOneWritePerLine: concurrent requests never interleave within a line,
// since each line reaches the writer in one Write call.
func TestOneWritePerLine(t *testing.T) {
	out := &lines{}
	l := New(JSON, out)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			e := typical()
			e.Path = strings.Repeat("/x", i*20) // lines of different lengths, some past the buffer's first size
			l.Log(&e)
		})
	}
	wg.Wait()
	if len(out.got) != 50 {
		t.Fatalf("%d writes for 50 lines", len(out.got))
	}
	for _, w := range out.got {
		var rec map[string]any
		if err := json.Unmarshal([]byte(w), &rec); err != nil || strings.Count(w, "\n") != 1 {
			t.Fatalf("a write is not one whole line (%v): %q", err, w)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{"text": Text, "json": JSON} {
		if got, ok := ParseFormat(in); !ok || got != want {
			t.Errorf("ParseFormat(%q) = %v, %v", in, got, ok)
		}
	}
	if _, ok := ParseFormat("JSON "); ok {
		t.Error(`ParseFormat("JSON ") was accepted`)
	}
}

// BenchmarkLine compares a line written here with the same line through
// slog's handler (go test -bench Line ./accesslog).
func BenchmarkLine(b *testing.B) {
	e := typical()
	for _, format := range []struct {
		name string
		f    Format
	}{{"json", JSON}, {"text", Text}} {
		b.Run(format.name+"/accesslog", func(b *testing.B) {
			l := New(format.f, io.Discard)
			b.ReportAllocs()
			for b.Loop() {
				l.Log(&e)
			}
		})
		b.Run(format.name+"/slog", func(b *testing.B) {
			var h slog.Handler = slog.NewTextHandler(io.Discard, nil)
			if format.f == JSON {
				h = slog.NewJSONHandler(io.Discard, nil)
			}
			b.ReportAllocs()
			for b.Loop() {
				rec := slog.NewRecord(e.Time, slog.LevelInfo, Message, 0)
				rec.AddAttrs(slog.String("client", e.Client), slog.String("request_id", e.RequestID),
					slog.String("method", e.Method), slog.String("route", e.Route), slog.String("path", e.Path),
					slog.Int("status", e.Status), slog.Int("bytes", e.Bytes),
					slog.Float64("duration_ms", float64(e.Duration.Microseconds())/1000))
				_ = h.Handle(context.Background(), rec)
			}
		})
	}
}
