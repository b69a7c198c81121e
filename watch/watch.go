// Package watch reports changes under a folder tree, for rebuilding the
// site when an editor saves a file. Editors save in bursts (a temporary
// file, a rename, a chmod), so changes are collected until the tree has
// been quiet for a moment and reported as one.
package watch

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Quiet is how long the tree must be still before a change is reported.
// Long enough to gather one save's events, short enough not to be felt.
const Quiet = 40 * time.Millisecond

// Dir calls changed after each burst of changes under dir, until ctx is
// done. Folders created later are watched too. It returns once watching
// has started; errors of the watcher itself go to onErr.
func Dir(ctx context.Context, dir string, changed func(), onErr func(error)) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	if err := addTree(w, dir); err != nil {
		w.Close()
		return err
	}
	go func() {
		defer w.Close()
		var timer *time.Timer
		var fire <-chan time.Time
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-w.Events:
				if !ok {
					return
				}
				if ev.Has(fsnotify.Create) {
					if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
						_ = addTree(w, ev.Name)
					}
				}
				if timer == nil {
					timer = time.NewTimer(Quiet)
				} else {
					timer.Reset(Quiet)
				}
				fire = timer.C
			case <-fire:
				fire = nil
				changed()
			case err, ok := <-w.Errors:
				if !ok {
					return
				}
				onErr(err)
			}
		}
	}()
	return nil
}

// addTree watches dir and every folder under it (fsnotify watches one
// folder, not its subfolders).
func addTree(w *fsnotify.Watcher, dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return w.Add(p)
		}
		return nil
	})
}
