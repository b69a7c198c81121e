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
type collector struct{ errs Errors }

func (c *collector) add(file string, line int, format string, args ...any) {
	c.errs = append(c.errs, &Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
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
