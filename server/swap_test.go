package server_test

import (
	"io/fs"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pmvspo/site/build"
	"github.com/pmvspo/site/content"
)

// editedSite is the shipped content with the first guide's title changed,
// loaded through the real loader.
func editedSite(t *testing.T, newTitle string) *content.Site {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(content.Embedded(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(content.Embedded(), p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	g := guide(t)
	f := m["guides/"+g.Slug+"/guide.yaml"]
	old := "title: " + g.Title + "\n"
	if !strings.Contains(string(f.Data), old) {
		t.Fatalf("guide.yaml of %s has no line %q", g.Slug, old)
	}
	f.Data = []byte(strings.Replace(string(f.Data), old, "title: "+newTitle+"\n", 1))
	site, err := content.Load(m)
	if err != nil {
		t.Fatal(err)
	}
	return site
}

// TestSwap: after Swap, requests see the new snapshot's pages, while the
// per-client limit and readiness carry over from before.
func TestSwap(t *testing.T) {
	h, err := newHandler(testSite(t), testOptions{SubmitsPerMinute: 5, NoWarm: true})
	if err != nil {
		t.Fatal(err)
	}
	g := guide(t)
	const me = "203.0.113.50:4000"
	spend(t, h, 5, me, nil)

	const newTitle = "A title only the swapped snapshot has"
	snap, err := build.Build(editedSite(t, newTitle), build.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w := do(h, newRequest(http.MethodGet, g.URL(), nil))
	if got := h1Text(t, wantHTML(t, w, "before the swap")); got != g.Title {
		t.Errorf("before the swap: h1 %q, want %q", got, g.Title)
	}
	h.Swap(snap)
	w = do(h, newRequest(http.MethodGet, g.URL(), nil))
	if got := h1Text(t, wantHTML(t, w, "after the swap")); got != newTitle {
		t.Errorf("after the swap: h1 %q, want %q", got, newTitle)
	}
	if h.Snapshot() != snap {
		t.Error("Snapshot() is not the swapped-in snapshot")
	}
	checkLimited(t, submitFrom(t, h, me), "the 6th submission, after a swap")

	h.Drain()
	h.Swap(snap)
	if w := do(h, newRequest(http.MethodGet, "/readyz", nil)); w.Code != http.StatusServiceUnavailable {
		t.Errorf("/readyz after Drain and a swap: %d, want 503", w.Code)
	}
}
