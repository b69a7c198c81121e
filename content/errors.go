package content

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error is one content defect, located in a file.
type Error struct {
	File string // path relative to the content root
	Line int    // 1-based; 0 when the defect is about the whole file
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Errors is every defect found in one load, sorted by file and line, so an
// editor sees all of them at once rather than one per restart.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// collector gathers defects while a load goes on.
type collector struct {
	errs Errors
	// muted holds lines whose defect is already reported, so that its
	// consequences on the same line (a field of the wrong kind, then left
	// empty) are not reported again; mutedMissing holds lines where only
	// "missing required" consequences are dropped (the item holding a
	// misspelt field, whose correct spelling is then missing).
	muted, mutedMissing map[fileLine]bool
	// unread holds the files that could not be read or decoded at all.
	unread map[string]bool
}

func (c *collector) markUnread(file string) {
	if c.unread == nil {
		c.unread = map[string]bool{}
	}
	c.unread[file] = true
}

type fileLine struct {
	file string
	line int
}

func (c *collector) add(file string, line int, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	at := fileLine{file, line}
	if c.muted[at] || (c.mutedMissing[at] && strings.Contains(msg, "missing required")) {
		return
	}
	c.errs = append(c.errs, &Error{File: file, Line: line, Msg: msg})
}

func (c *collector) mute(file string, line int) {
	if c.muted == nil {
		c.muted = map[fileLine]bool{}
	}
	c.muted[fileLine{file, line}] = true
}

func (c *collector) muteMissing(file string, line int) {
	if c.mutedMissing == nil {
		c.mutedMissing = map[fileLine]bool{}
	}
	c.mutedMissing[fileLine{file, line}] = true
}

func (c *collector) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	sort.SliceStable(c.errs, func(i, j int) bool {
		if c.errs[i].File != c.errs[j].File {
			return c.errs[i].File < c.errs[j].File
		}
		return c.errs[i].Line < c.errs[j].Line
	})
	return c.errs
}

// AsErrors returns the located defects inside err, if it holds any.
func AsErrors(err error) (Errors, bool) {
	var es Errors
	if errors.As(err, &es) {
		return es, true
	}
	return nil, false
}
