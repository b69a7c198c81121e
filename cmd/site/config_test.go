package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestParseConfigRejectsPorts(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  func(string) string
		want string // in the message: the setting to fix
	}{
		{"PORT out of range", nil, env("PORT", "99999"), "PORT="},
		{"PORT zero", nil, env("PORT", "0"), "PORT="},
		{"PORT not a number", nil, env("PORT", "http"), "PORT="},
		{"PORT negative", nil, env("PORT", "-1"), "PORT="},
		{"ADDR out of range", nil, env("ADDR", "127.0.0.1:65536"), "ADDR"},
		{"ADDR without a port", nil, env("ADDR", "127.0.0.1"), "ADDR"},
		{"-addr out of range", []string{"-addr", ":99999"}, env(), "-addr"},
		{"-addr service name", []string{"-addr", ":http"}, env(), "-addr"},
		{"-addr wins and is checked", []string{"-addr", ":70000"}, env("PORT", "9090"), "-addr"},
		{"-admin-addr out of range", []string{"-admin-addr", "127.0.0.1:99999"}, env(), "-admin-addr"},
		{"-admin-addr on the public port", []string{"-addr", ":8080", "-admin-addr", "127.0.0.1:8080"}, env(), "public port"},
		{"ADMIN_ADDR on the public port", nil, env("PORT", "9000", "ADMIN_ADDR", "127.0.0.1:9000"), "public port"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseConfig(tc.args, tc.env, io.Discard)
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("message %q does not name %q", err, tc.want)
			}
		})
	}
	for _, ok := range [][]string{{"-addr", ":0"}, {"-addr", "127.0.0.1:65535"}, {"-addr", ":8080", "-admin-addr", "127.0.0.1:9090"}} {
		if _, err := parseConfig(ok, env(), io.Discard); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	c, err := parseConfig(nil, env("ADMIN_ADDR", "127.0.0.1:9090"), io.Discard)
	if err != nil || c.adminAddr != "127.0.0.1:9090" {
		t.Errorf("ADMIN_ADDR: %q %v", c.adminAddr, err)
	}
	if c, _ := parseConfig(nil, env(), io.Discard); c.adminAddr != "" {
		t.Errorf("the admin listener is on by default: %q", c.adminAddr)
	}
}

func TestParseConfigBaseURLCase(t *testing.T) {
	for _, u := range []string{"HTTPS://EXAMPLE.COM", "https://Example.com", "Https://example.com", "https://example.com:99999", "https://example.com:0", "https://:443"} {
		_, err := parseConfig([]string{"-base-url", u}, env(), io.Discard)
		if err == nil {
			t.Errorf("-base-url %q: accepted", u)
			continue
		}
		if strings.ToLower(u) != u && !strings.Contains(err.Error(), strings.ToLower(u)) {
			t.Errorf("-base-url %q: the message does not show the lower-case form: %v", u, err)
		}
	}
}

func TestParseConfigTrustAllProxies(t *testing.T) {
	for _, p := range []string{"0.0.0.0/0", "::/0", "10.0.0.0/8, 0.0.0.0/0"} {
		_, err := parseConfig([]string{"-trusted-proxies", p}, env(), io.Discard)
		if err == nil {
			t.Errorf("-trusted-proxies %q: accepted without -trust-all-proxies", p)
			continue
		}
		if !strings.Contains(err.Error(), "-trust-all-proxies") || !strings.Contains(err.Error(), "every address") {
			t.Errorf("-trusted-proxies %q: the message does not say why or how to force it: %v", p, err)
		}
		if _, err := parseConfig(nil, env("TRUSTED_PROXIES", p), io.Discard); err == nil {
			t.Errorf("TRUSTED_PROXIES=%q: accepted", p)
		}
		c, err := parseConfig([]string{"-trusted-proxies", p, "-trust-all-proxies"}, env(), io.Discard)
		if err != nil || len(c.proxies) == 0 {
			t.Errorf("-trusted-proxies %q -trust-all-proxies: %v %q", p, err, c.proxies)
		}
		if _, err := parseConfig(nil, env("TRUSTED_PROXIES", p, "TRUST_ALL_PROXIES", "true"), io.Discard); err != nil {
			t.Errorf("TRUSTED_PROXIES=%q TRUST_ALL_PROXIES=true: %v", p, err)
		}
	}
	if _, err := parseConfig(nil, env("TRUST_ALL_PROXIES", "yes please"), io.Discard); err == nil {
		t.Error("TRUST_ALL_PROXIES=\"yes please\": accepted")
	}
	if _, err := parseConfig([]string{"-submits-per-minute", "-5"}, env(), io.Discard); err == nil {
		t.Error("-submits-per-minute -5: accepted")
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"":                                      "",
		"https://example.com":                   "https://example.com",
		"postgres://site:s3cret@db:5432/site":   "postgres://site:xxxxx@db:5432/site",
		"smtp://mailer:pw@mail.example.com:587": "smtp://mailer:xxxxx@mail.example.com:587",
		"https://hooks.example.com/x?token=abc123": "https://hooks.example.com/x?redacted",
	} {
		if got := redactURL(in); got != want {
			t.Errorf("redactURL(%q) = %q, want %q", in, got, want)
		}
	}
	if got := redactURL("postgres://u:p w@%zz"); strings.Contains(got, "p w") {
		t.Errorf("an unparsable URL with credentials is logged as %q", got)
	}
}

func TestLogFormatOf(t *testing.T) {
	tests := []struct {
		args []string
		env  func(string) string
		want string
	}{
		{nil, env(), "text"},
		{nil, env("LOG_FORMAT", "json"), "json"},
		{[]string{"-log", "json"}, env(), "json"},
		{[]string{"--log=json"}, env(), "json"},
		{[]string{"-log", "text"}, env("LOG_FORMAT", "json"), "text"},
		{[]string{"-log", "xml"}, env("LOG_FORMAT", "json"), "text"},
		{[]string{"-addr", "-log"}, env(), "text"},
	}
	for _, tc := range tests {
		if got := logFormatOf(tc.args, tc.env); got != tc.want {
			t.Errorf("logFormatOf(%q) = %q, want %q", tc.args, got, tc.want)
		}
	}
}

func TestReportErrorJSON(t *testing.T) {
	var b bytes.Buffer
	reportError(&b, "json", errString("content (embedded) has errors:\nguides/x/guide.yaml:3: title is empty"))
	var rec map[string]any
	if err := json.Unmarshal(b.Bytes(), &rec); err != nil {
		t.Fatalf("not one JSON record: %v\n%s", err, b.String())
	}
	if rec["level"] != "ERROR" || !strings.Contains(rec["error"].(string), "guide.yaml:3: title is empty") {
		t.Errorf("record %v", rec)
	}
	b.Reset()
	reportError(&b, "text", errString("bad"))
	if b.String() != "site: bad\n" {
		t.Errorf("text: %q", b.String())
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func TestServerArgs(t *testing.T) {
	dir := t.TempDir()
	write := func(argv ...string) string {
		f := dir + "/cmdline"
		if err := os.WriteFile(f, []byte(strings.Join(argv, "\x00")+"\x00"), 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	if got := serverArgs(write("/site", "-addr", ":9000", "-log", "json"), "/site"); !slices.Equal(got, []string{"-addr", ":9000", "-log", "json"}) {
		t.Errorf("the server's flags: %q", got)
	}
	if got := serverArgs(write("/site"), "/usr/local/bin/site"); len(got) != 0 {
		t.Errorf("no flags: %q", got)
	}
	if got := serverArgs(write("/sbin/init", "-addr", ":1"), "/site"); got != nil {
		t.Errorf("another program as process 1: %q", got)
	}
	if got := serverArgs(write("/site", "check", "content"), "/site"); got != nil {
		t.Errorf("a subcommand as process 1: %q", got)
	}
	if got := serverArgs(dir+"/none", "/site"); got != nil {
		t.Errorf("no cmdline file: %q", got)
	}
}
