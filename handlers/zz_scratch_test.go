package handlers_test

import (
	"os"
	"testing"
)

func TestZZDump(t *testing.T) {
	if os.Getenv("DUMP") == "" {
		t.Skip()
	}
	w := get(t, os.Getenv("DUMP"))
	t.Logf("%d %v", w.Code, w.Header())
	os.WriteFile("/tmp/dump.html", w.Body.Bytes(), 0o644)
}
