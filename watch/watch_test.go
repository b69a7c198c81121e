package watch_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pmvspo/site/watch"
)

// TestDir: saving a file, and a file in a folder created after watching
// began, are each reported.
func TestDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.md"), []byte("one"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changed := make(chan struct{}, 10)
	if err := watch.Dir(ctx, dir, func() { changed <- struct{}{} }, func(err error) { t.Error(err) }); err != nil {
		t.Fatal(err)
	}
	wait := func(what string) {
		t.Helper()
		select {
		case <-changed:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: no change reported", what)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "a.md"), []byte("two"), 0o644); err != nil {
		t.Fatal(err)
	}
	wait("an edited file")

	sub := filepath.Join(dir, "guides", "new")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	wait("a new folder")
	if err := os.WriteFile(filepath.Join(sub, "guide.yaml"), []byte("title: x"), 0o644); err != nil {
		t.Fatal(err)
	}
	wait("a file in the new folder")
}
