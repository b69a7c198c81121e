package subscribe

import (
	"context"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pmvspo/site/build"
	"github.com/pmvspo/site/server"
)

func TestFlags(t *testing.T) {
	env := map[string]string{"DATA_DIR": "/var/lib/site", "DATABASE_URL": "postgres://x@y/z", "SMTP_URL": "smtp://h", "MAIL_FROM": "A <a@b.example>"}
	fs := flag.NewFlagSet("site", flag.ContinueOnError)
	o := Flags(fs, func(k string) string { return env[k] })
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	if o.DataDir != "/var/lib/site" || o.DatabaseURL != env["DATABASE_URL"] || o.SMTPURL != env["SMTP_URL"] || o.MailFrom != env["MAIL_FROM"] {
		t.Errorf("from the environment: %+v", o)
	}
	fs = flag.NewFlagSet("site", flag.ContinueOnError)
	o = Flags(fs, func(string) string { return "" })
	if fs.Parse([]string{"-data", "elsewhere"}); o.DataDir != "elsewhere" {
		t.Errorf("-data: %q", o.DataDir)
	}
	fs = flag.NewFlagSet("site", flag.ContinueOnError)
	if o = Flags(fs, func(string) string { return "" }); fs.Parse(nil) == nil && o.DataDir != "data" {
		t.Errorf("default data folder %q, want data", o.DataDir)
	}
	if _, err := Open(context.Background(), Options{SMTPURL: "smtp://h:587", DataDir: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "MAIL_FROM is required") {
		t.Errorf("SMTP_URL without MAIL_FROM: %v", err)
	}
}

// TestLocalOutbox is `go run ./cmd/site` on a fresh machine: no SMTP
// server, so the confirmation email lands in DATA/outbox as an .eml file
// whose link confirms the subscription.
func TestLocalOutbox(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	f, err := Open(context.Background(), Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	defer ts.Close()
	snap, err := build.Build(loadSite(t), build.Options{Origin: ts.URL})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(snap, server.Options{Features: []server.Feature{f.Routes}})
	if err != nil {
		t.Fatal(err)
	}
	h = srv
	if err := f.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer f.Close(context.Background())

	res, err := http.PostForm(ts.URL+"/subscribe", map[string][]string{"email": {"editor@example.com"}, "consent": {"yes"}})
	if err != nil || res.StatusCode != http.StatusOK || !strings.HasSuffix(res.Request.URL.Path, "/subscribe/check-inbox") {
		t.Fatalf("subscribing: %v %v", res, err)
	}
	var files []string
	for deadline := time.Now().Add(20 * time.Second); len(files) == 0 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		files, _ = filepath.Glob(filepath.Join(dir, "outbox", "*.eml"))
	}
	if len(files) != 1 {
		t.Fatalf("%d .eml files in the outbox, want 1", len(files))
	}
	fh, _ := os.Open(files[0])
	defer fh.Close()
	m, err := mail.ReadMessage(fh)
	if err != nil {
		t.Fatal(err)
	}
	if m.Header.Get("To") != "<editor@example.com>" {
		t.Errorf("To: %q", m.Header.Get("To"))
	}
	body, _ := io.ReadAll(m.Body)
	raw := strings.ReplaceAll(strings.ReplaceAll(string(body), "=\r\n", ""), "=3D", "=") // quoted-printable soft breaks
	link := confirmLink.FindString(raw)
	if link == "" || !strings.HasPrefix(link, ts.URL) {
		t.Fatalf("no confirm link to %s in the .eml:\n%s", ts.URL, raw)
	}
	page, err := http.Get(link)
	if err != nil || page.StatusCode != http.StatusOK {
		t.Fatalf("opening the link: %v %v", page, err)
	}
}
