package server_test

import (
	"bufio"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pmvspo/site/assess"
	"github.com/pmvspo/site/build"
	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/server"
)

func previewServer(t *testing.T) *server.Server {
	t.Helper()
	snap, err := build.Build(testSite(t), build.Options{Preview: true})
	if err != nil {
		t.Fatal(err)
	}
	h, err := server.New(snap, server.Options{Preview: true, Features: []server.Feature{assess.Routes}})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestPreviewPages: in preview every page loads the reload script from this
// origin (so the CSP stays as strict as ever) and nothing is cacheable.
func TestPreviewPages(t *testing.T) {
	h := previewServer(t)
	g := testSite(t).Guides[0]
	for _, path := range []string{"/", g.URL(), g.Articles[0].URL(), g.Assessments[0].URL()} {
		w := do(h, newRequest(http.MethodGet, path, nil))
		doc := wantHTML(t, w, path)
		if cc := w.Header().Get("Cache-Control"); cc != "no-store" || w.Header().Get("Etag") != "" {
			t.Errorf("%s: Cache-Control %q, ETag %q; want no-store and none", path, cc, w.Header().Get("Etag"))
		}
		s := find(doc, and(tag("script"), withAttr("src", server.PreviewScript)))
		if s == nil || attr(s, "data-build") == "" {
			t.Errorf("%s: no reload script with its build number", path)
		}
	}
	w := do(h, newRequest(http.MethodGet, server.PreviewScript, nil))
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/javascript") || !strings.Contains(w.Body.String(), "EventSource") {
		t.Errorf("%s: %d %q", server.PreviewScript, w.Code, w.Header().Get("Content-Type"))
	}
	// Outside preview, pages carry no such script.
	if strings.Contains(get(t, "/").Body.String(), server.PreviewScript) {
		t.Error("a page outside preview loads the preview script")
	}
}

// TestPreviewFailedBuild: after a failed rebuild every HTML page answers
// with every defect until the next good build; files, assets and health
// checks are untouched.
func TestPreviewFailedBuild(t *testing.T) {
	h := previewServer(t)
	g := testSite(t).Guides[0]
	errs := content.Errors{
		{File: "guides/" + g.Slug + "/guide.yaml", Line: 3, Msg: "missing required field \"title\""},
		{File: "guides/" + g.Slug + "/faq.yaml", Line: 12, Msg: "link \"#x\": no element with that id on this page"},
	}
	h.Failed(7, errs)
	for _, path := range []string{"/", g.URL(), g.Assessments[0].URL(), "/no/such/page"} {
		w := do(h, newRequest(http.MethodGet, path, nil))
		if w.Code != http.StatusInternalServerError {
			t.Errorf("%s after a failed build: %d, want 500", path, w.Code)
		}
		doc := parseHTML(t, w.Body.Bytes())
		body := text(doc)
		for _, e := range errs {
			if !strings.Contains(body, e.Error()) {
				t.Errorf("%s: the error page does not list %q", path, e.Error())
			}
		}
		if s := find(doc, and(tag("script"), withAttr("src", server.PreviewScript))); s == nil || attr(s, "data-build") != "7" {
			t.Errorf("%s: the error page does not reload on the next build", path)
		}
	}
	for _, path := range []string{"/readyz", "/sitemap.xml", h.Snapshot().Assets.CSS} {
		if w := do(h, newRequest(http.MethodGet, path, nil)); w.Code != http.StatusOK {
			t.Errorf("%s after a failed build: %d, want 200", path, w.Code)
		}
	}
	h.Swap(h.Snapshot())
	if w := do(h, newRequest(http.MethodGet, g.URL(), nil)); w.Code != http.StatusOK {
		t.Errorf("%s after the next good build: %d, want 200", g.URL(), w.Code)
	}

	// Outside preview a failed rebuild changes nothing.
	plain := testHandler(t).(*server.Server)
	plain.Failed(1, errors.New("broken"))
	if w := get(t, guide(t).URL()); w.Code != http.StatusOK {
		t.Errorf("outside preview, after Failed: %d, want 200", w.Code)
	}
}

// TestPreviewEvents: the event stream names the current build at once and
// each new one, good or failed, as it happens; it ends when the server drains.
func TestPreviewEvents(t *testing.T) {
	h := previewServer(t)
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/_preview/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("Content-Type %q", ct)
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				lines <- d
			}
		}
		close(lines)
	}()
	next := func(what string) (string, bool) {
		t.Helper()
		select {
		case d, ok := <-lines:
			return d, ok
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: no event", what)
			return "", false
		}
	}
	if d, _ := next("on connecting"); d != "0" {
		t.Errorf("first event %q, want 0", d)
	}
	h.Failed(1, errors.New("broken"))
	if d, _ := next("after a failed build"); d != "1" {
		t.Errorf("after a failed build: %q, want 1", d)
	}
	snap, err := build.Build(testSite(t), build.Options{Preview: true, Generation: 2})
	if err != nil {
		t.Fatal(err)
	}
	h.Swap(snap)
	if d, _ := next("after a good build"); d != "2" {
		t.Errorf("after a good build: %q, want 2", d)
	}
	h.Drain()
	if _, ok := next("after Drain"); ok {
		t.Error("the stream goes on after Drain")
	}
}
