package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pmvspo/site/content"
)

// getBody fetches url and returns its status and body.
func getBody(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := (&http.Client{Timeout: 2 * time.Second}).Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitFor polls url until ok accepts its answer, or fails after within.
func waitFor(t *testing.T, url string, within time.Duration, what string, ok func(int, string) bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	var status int
	var body string
	for time.Now().Before(deadline) {
		if status, body = getBody(t, url); ok(status, body) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s: GET %s never became right (last: %d %.300q)", what, url, status, body)
}

// editFile replaces old with new in a content file, failing if old is absent.
func editFile(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s has no %q", path, old)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// firstGuide is the first guide readers see of the content in dir.
func firstGuide(t *testing.T, dir string) *content.Guide {
	t.Helper()
	site, err := content.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	pub := site.Published(time.Now())
	if len(pub.Guides) == 0 {
		t.Fatalf("%s has no published guide", dir)
	}
	return pub.Guides[0]
}

// TestContentDirRebuilds: with -content, a saved edit is served without a
// restart; a bad edit is logged with its file:line and the last good build
// keeps serving, ready.
func TestContentDirRebuilds(t *testing.T) {
	dir := contentCopy(t)
	g := firstGuide(t, dir)
	guideFile := filepath.Join(dir, "guides", g.Slug, "guide.yaml")
	addr := freeAddr(t)
	var logs syncBuffer
	srv := start(t, "http://"+addr+"/readyz", func(ctx context.Context) error {
		return run(ctx, []string{"-addr", addr, "-content", dir}, env(), &logs)
	})
	page := "http://" + addr + g.URL()

	const edited = "A title saved while the server runs"
	editFile(t, guideFile, "title: "+g.Title+"\n", "title: "+edited+"\n")
	waitFor(t, page, 10*time.Second, "after a good edit", func(s int, b string) bool {
		return s == http.StatusOK && strings.Contains(b, edited)
	})

	editFile(t, guideFile, "title: "+edited+"\n", "title:\n")
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(logs.String(), "guide.yaml:") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(logs.String(), filepath.Join("guides", g.Slug, "guide.yaml")+":") {
		t.Fatalf("a bad edit was not logged as file:line:\n%s", logs.String())
	}
	if s, b := getBody(t, page); s != http.StatusOK || !strings.Contains(b, edited) {
		t.Errorf("after a bad edit: %d, want the last good page (200, with %q)", s, edited)
	}
	if s, _ := getBody(t, "http://"+addr+"/readyz"); s != http.StatusOK {
		t.Errorf("/readyz after a bad edit: %d, want 200", s)
	}
	if err := srv.stop(); err != nil {
		t.Errorf("run: %v", err)
	}
}

// TestPreview: preview starts even on broken content, shows every defect
// on every page, serves the fixed site once it builds, and never caches.
func TestPreview(t *testing.T) {
	dir := contentCopy(t)
	g := firstGuide(t, dir)
	guideFile := filepath.Join(dir, "guides", g.Slug, "guide.yaml")
	editFile(t, guideFile, "title: "+g.Title+"\n", "title:\n")
	addr := freeAddr(t)
	srv := start(t, "http://"+addr+"/readyz", func(ctx context.Context) error {
		return preview(ctx, []string{"-addr", addr, dir}, env(), io.Discard)
	})

	for _, path := range []string{"/", g.URL(), "/no/such/page"} {
		s, b := getBody(t, "http://"+addr+path)
		if s != http.StatusInternalServerError || !strings.Contains(b, filepath.ToSlash(filepath.Join("guides", g.Slug, "guide.yaml"))+":1: ") {
			t.Errorf("%s with broken content: %d, want 500 and the defect at guide.yaml:1:\n%.500s", path, s, b)
		}
	}
	editFile(t, guideFile, "title:\n", "title: "+g.Title+"\n")
	waitFor(t, "http://"+addr+g.URL(), 10*time.Second, "after the fix", func(s int, b string) bool {
		return s == http.StatusOK && strings.Contains(b, g.Title)
	})
	resp, err := http.Get("http://" + addr + g.URL())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" || resp.Header.Get("Etag") != "" {
		t.Errorf("preview page: Cache-Control %q, ETag %q; want no-store and none", cc, resp.Header.Get("Etag"))
	}
	select {
	case <-srv.done:
		t.Fatalf("preview stopped by itself: %v", srv.err)
	default:
	}
	if err := srv.stop(); err != nil {
		t.Errorf("preview: %v", err)
	}
}

func TestPreviewArgs(t *testing.T) {
	for _, c := range []struct {
		args  []string
		flags []string
		dir   string
		ok    bool
	}{
		{nil, nil, "content", true},
		{[]string{"site"}, nil, "site", true},
		{[]string{"-addr", ":9000", "site"}, []string{"-addr", ":9000"}, "site", true},
		{[]string{"site", "-addr=:9000"}, []string{"-addr=:9000"}, "site", true},
		{[]string{"a", "b"}, nil, "", false},
	} {
		flags, dir, ok := previewArgs(c.args)
		if ok != c.ok || (ok && (dir != c.dir || strings.Join(flags, " ") != strings.Join(c.flags, " "))) {
			t.Errorf("previewArgs(%q) = %q, %q, %v; want %q, %q, %v", c.args, flags, dir, ok, c.flags, c.dir, c.ok)
		}
	}
}
