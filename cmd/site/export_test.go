package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/export"
)

func TestExportCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	var out, errOut bytes.Buffer
	if code := exportSite([]string{"-base-url", "https://guides.example.org", dir}, env(), &out, &errOut); code != 0 {
		t.Fatalf("site export: exit %d, stderr %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "https://guides.example.org") || !strings.Contains(out.String(), " files ") {
		t.Errorf("site export printed %q", out.String())
	}
	home, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(home, []byte(`https://guides.example.org/`)) {
		t.Error("the exported home page does not use -base-url for its canonical link")
	}

	for _, tc := range []struct {
		args []string
		env  func(string) string
		code int
		want string
	}{
		{[]string{dir}, env(), 1, "not empty"},
		{[]string{"-base-url", "HTTPS://EXAMPLE.COM", filepath.Join(t.TempDir(), "x")}, env(), 2, "lower case"},
		{[]string{filepath.Join(t.TempDir(), "x")}, env("BASE_URL", "ftp://example.com"), 2, "origin"},
		{nil, env(), 2, "usage"},
		{[]string{"-content", t.TempDir(), filepath.Join(t.TempDir(), "x")}, env(), 2, "has no guides/ folder"},
	} {
		out.Reset()
		errOut.Reset()
		if code := exportSite(tc.args, tc.env, &out, &errOut); code != tc.code || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("site export %q: exit %d, stderr %q; want %d and %q", tc.args, code, errOut.String(), tc.code, tc.want)
		}
	}
}

// site export writes the content's old paths into redirects.conf, each
// mapped to the page it leads to (deploy/nginx/site.conf reads it).
func TestExportCommandRedirects(t *testing.T) {
	const movedDir = "../../content/testdata/moved"
	site, err := content.Load(os.DirFS(movedDir))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "site")
	var out, errOut bytes.Buffer
	if code := exportSite([]string{"-content", movedDir, dir}, env(), &out, &errOut); code != 0 {
		t.Fatalf("site export: exit %d, stderr %s", code, errOut.String())
	}
	conf, err := os.ReadFile(filepath.Join(dir, export.RedirectsFile))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, g := range site.Guides {
		for _, a := range g.Articles {
			for _, al := range a.Aliases {
				n++
				if line := "    " + al.Path + " " + a.URL() + ";\n"; !strings.Contains(string(conf), line) {
					t.Errorf("%s lacks %q:\n%s", export.RedirectsFile, line, conf)
				}
			}
		}
		for _, al := range g.Aliases {
			n++
			if line := "    " + al.Path + " " + g.URL() + ";\n"; !strings.Contains(string(conf), line) {
				t.Errorf("%s lacks %q:\n%s", export.RedirectsFile, line, conf)
			}
		}
	}
	if n == 0 {
		t.Fatalf("%s has no aliases", movedDir)
	}
	if !strings.Contains(out.String(), export.RedirectsFile) {
		t.Errorf("site export does not say it wrote %s: %q", export.RedirectsFile, out.String())
	}
}
