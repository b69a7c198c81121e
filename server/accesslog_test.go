package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestAccessLogHostilePath: a path with line breaks cannot forge log lines,
// and a result link's query (a reader's answers) is never logged.
func TestAccessLogHostilePath(t *testing.T) {
	h, logs := panicking(t)
	a := panicSite.Guides[0].Assessments[0]
	for _, target := range []string{
		"/a%0Atime=2000-01-01T00:00:00Z%20level=ERROR%20msg=forged",
		"/a%0D%0Alevel=ERROR",
		a.ResultURL() + "?secret-answer-canary=1",
	} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
	}
	out := logs.String()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 3 {
		t.Errorf("3 requests gave %d log lines:\n%s", len(lines), out)
	}
	for _, l := range lines {
		if strings.HasPrefix(l, "time=2000") || strings.HasPrefix(l, "level=") {
			t.Errorf("a forged log line: %q", l)
		}
	}
	if strings.Contains(out, "secret-answer-canary") {
		t.Errorf("the access log holds a result link's query:\n%s", out)
	}
}
