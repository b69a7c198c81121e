package subscribe

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/pmvspo/site/subscribe/store"
)

// TestCommand runs "site subscribers export" and "delete" against a data
// folder, as an operator would.
func TestCommand(t *testing.T) {
	dir := t.TempDir()
	db, err := store.Open(context.Background(), store.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, a := range []string{"one@example.com", "two@example.com"} {
		db.Tx(context.Background(), func(tx *store.Tx) error {
			_, err := tx.Subscribe(context.Background(), store.SubscribeRequest{Email: a, ConsentVersion: "v", Source: "g"}, store.DefaultLimits, now)
			return err
		})
	}
	db.Close()
	env := func(string) string { return "" }
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Command(context.Background(), args, env, &out, &errb)
		return code, out.String(), errb.String()
	}

	code, out, stderr := run("-data", dir, "export")
	if code != 0 {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) != 3 || recs[1][1] != "pending" {
		t.Fatalf("export output:\n%s", out)
	}
	if code, _, stderr := run("-data", dir, "delete", "ONE@example.com"); code != 0 {
		t.Fatalf("delete: exit %d: %s", code, stderr)
	}
	_, out, _ = run("-data", dir, "export")
	if strings.Contains(out, "one@example.com") || !strings.Contains(out, "two@example.com") {
		t.Errorf("after delete, export shows:\n%s", out)
	}
	if code, _, stderr := run("-data", dir, "delete", "nobody@example.com"); code != 1 || !strings.Contains(stderr, "no subscriber") {
		t.Errorf("deleting an unknown address: exit %d, %q", code, stderr)
	}
	if code, _, stderr := run("-data", dir, "delete", "not an address"); code != 1 || !strings.Contains(stderr, "spaces") {
		t.Errorf("deleting an invalid address: exit %d, %q", code, stderr)
	}
	for _, args := range [][]string{{}, {"frobnicate"}, {"delete"}, {"export", "extra"}} {
		if code, _, _ := run(args...); code != 2 {
			t.Errorf("site subscribers %v: exit %d, want 2 (usage)", args, code)
		}
	}
}
