// Package accesslog writes the server's access lines: one line per request,
// in the same JSON or text form as the rest of the log, which log/slog
// writes.
//
// It exists because the access line is written for every request and
// slog's handlers, being general, spend more on it than the rest of the
// request's own work for a built page (per attribute dispatch, a
// json.Marshal for the duration, a spilled attribute slice): see
// BenchmarkLine. A line here is appended field by field into a reused
// buffer, with the same escaping rules as slog's handlers; the tests
// compare every line, byte for byte, with what slog writes for the same
// record (FuzzSameAsSlog).
package accesslog

import (
	"io"
	"strconv"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// Message is the msg of every access line.
const Message = "request"

// Entry is one request as the access line gives it. The query is never part
// of it: result links carry a reader's answers.
type Entry struct {
	Time      time.Time
	Client    string // as the rate limiter resolves it
	RequestID string
	Method    string
	Route     string // a bounded name: a route pattern or a page kind
	Path      string
	Status    int
	Bytes     int
	Duration  time.Duration
}

// Format is how lines are written: as slog's JSONHandler or TextHandler would.
type Format int

const (
	Text Format = iota
	JSON
)

// ParseFormat reads "text" or "json"; anything else is Text, reported false.
func ParseFormat(s string) (Format, bool) {
	switch s {
	case "text":
		return Text, true
	case "json":
		return JSON, true
	}
	return Text, false
}

// Logger writes each entry as one line, with one Write call, to its writer.
// It is safe for concurrent use when the writer is.
type Logger struct {
	out    io.Writer
	format Format
	bufs   sync.Pool
}

// New writes lines in format to out.
func New(format Format, out io.Writer) *Logger {
	return &Logger{out: out, format: format, bufs: sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}}
}

// Log writes e. A line that cannot be written is dropped: the request it
// describes has already been answered.
func (l *Logger) Log(e *Entry) {
	bp := l.bufs.Get().(*[]byte)
	b := Append((*bp)[:0], e, l.format)
	_, _ = l.out.Write(b)
	*bp = b
	l.bufs.Put(bp)
}

// Append appends e as a line, with its newline, in format.
func Append(b []byte, e *Entry, format Format) []byte {
	ms := float64(e.Duration.Microseconds()) / 1000
	if format == JSON {
		b = append(b, `{"time":"`...)
		b = e.Time.AppendFormat(b, time.RFC3339Nano)
		b = append(b, `","level":"INFO","msg":"`+Message+`","client":"`...)
		b = appendJSONString(b, e.Client)
		b = append(b, `","request_id":"`...)
		b = appendJSONString(b, e.RequestID)
		b = append(b, `","method":"`...)
		b = appendJSONString(b, e.Method)
		b = append(b, `","route":"`...)
		b = appendJSONString(b, e.Route)
		b = append(b, `","path":"`...)
		b = appendJSONString(b, e.Path)
		b = append(b, `","status":`...)
		b = strconv.AppendInt(b, int64(e.Status), 10)
		b = append(b, `,"bytes":`...)
		b = strconv.AppendInt(b, int64(e.Bytes), 10)
		b = append(b, `,"duration_ms":`...)
		// encoding/json's form of a float64 (slog's JSON handler calls
		// json.Marshal): 'f' for every duration a request can have.
		b = strconv.AppendFloat(b, ms, 'f', -1, 64)
		return append(b, "}\n"...)
	}
	b = append(b, "time="...)
	b = e.Time.AppendFormat(b, "2006-01-02T15:04:05.000Z07:00")
	b = append(b, " level=INFO msg="+Message+" client="...)
	b = appendTextString(b, e.Client)
	b = append(b, " request_id="...)
	b = appendTextString(b, e.RequestID)
	b = append(b, " method="...)
	b = appendTextString(b, e.Method)
	b = append(b, " route="...)
	b = appendTextString(b, e.Route)
	b = append(b, " path="...)
	b = appendTextString(b, e.Path)
	b = append(b, " status="...)
	b = strconv.AppendInt(b, int64(e.Status), 10)
	b = append(b, " bytes="...)
	b = strconv.AppendInt(b, int64(e.Bytes), 10)
	b = append(b, " duration_ms="...)
	b = strconv.AppendFloat(b, ms, 'g', -1, 64)
	return append(b, '\n')
}

// safe reports whether an ASCII byte goes into a JSON string as it is: the
// printable ones but '"' and '\'.
func safe(c byte) bool { return c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf }

const hex = "0123456789abcdef"

// appendJSONString appends s escaped for a JSON string as slog does: '"',
// '\', \n, \r and \t with a backslash, other control bytes as \u00XX,
// invalid UTF-8 as \ufffd, and U+2028 and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if safe(c) {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(b, s[start:]...)
}

// appendTextString appends s as slog's text handler does: as it is, or
// quoted (strconv.Quote) when it is empty or holds a space, '=', '"', a
// control character or anything not printable.
func appendTextString(b []byte, s string) []byte {
	if needsQuoting(s) {
		return strconv.AppendQuote(b, s)
	}
	return append(b, s...)
}

func needsQuoting(s string) bool {
	if s == "" {
		return true
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c != '\\' && (c == ' ' || c == '=' || !safe(c)) {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return true
		}
		i += size
	}
	return false
}
