package browser

import (
	"context"
	"fmt"
	"io/fs"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/pmvspo/site/assess"
	"github.com/pmvspo/site/build"
	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/server"
)

// chromiumPath finds the browser, or skips (or fails, when required).
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium", "chromium"} {
		if p == "" {
			continue
		}
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("BROWSER_TESTS") == "required" {
		t.Fatal("Chromium not found and BROWSER_TESTS=required: install it with apt-get install -y chromium")
	}
	t.Skip("browser tests skipped: Chromium not found (apt-get install -y chromium, or set CHROMIUM=/path)")
	return ""
}

var (
	siteOnce sync.Once
	siteURL  string
	siteErr  error
	siteData *content.Site
)

// faqHome is the path of the article that places the first shipped
// guide's FAQ.
func faqHome(t *testing.T) string {
	t.Helper()
	g := shippedGuide(t)
	if g.FAQHome == nil {
		t.Skipf("%s has no FAQ", g.Slug)
	}
	return g.FAQHome.URL()
}

// published is every guide readers see: drafts and scheduled guides answer 404.
func published() []*content.Guide { return siteData.Published(time.Now()).Guides }

// shippedGuide is the first published guide of the embedded content (not
// the three-role test guide served beside it). Tests take the pages they
// open from it, so that they hold for whatever guides the editors ship.
func shippedGuide(t *testing.T) *content.Guide {
	t.Helper()
	startSite(t)
	shipped, err := fs.ReadDir(content.Embedded(), "guides")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range siteData.Published(time.Now()).Guides {
		for _, e := range shipped {
			if e.IsDir() && e.Name() == g.Slug {
				return g
			}
		}
	}
	t.Fatal("the embedded content has no published guide")
	return nil
}

// threeRoles is a test guide with three roles that places every structured
// part, served next to the shipped guides so that the suite looks at a
// three-role guide at every width too.
const threeRoles = "../content/testdata/three"

// siteContent is the embedded content with the three-role guide added.
func siteContent() (fs.FS, error) {
	out := fstest.MapFS{}
	for _, fsys := range []fs.FS{content.Embedded(), os.DirFS(threeRoles)} {
		err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if _, dup := out[p]; dup {
				return fmt.Errorf("%s is in both the embedded content and %s", p, threeRoles)
			}
			b, err := fs.ReadFile(fsys, p)
			out[p] = &fstest.MapFile{Data: b}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// startSite serves the real handler on the embedded content and the
// three-role guide, once per run.
func startSite(t *testing.T) string {
	t.Helper()
	siteOnce.Do(func() {
		fsys, err := siteContent()
		if err != nil {
			siteErr = err
			return
		}
		site, err := content.Load(fsys)
		if err != nil {
			siteErr = err
			return
		}
		// Every browser request comes from 127.0.0.1: lift the per-client limit.
		snap, err := build.Build(site, build.Options{})
		if err != nil {
			siteErr = err
			return
		}
		h, err := server.New(snap, server.Options{SubmitsPerMinute: 1 << 20, Features: []server.Feature{assess.Routes}})
		if err != nil {
			siteErr = err
			return
		}
		siteData = site
		siteURL = httptest.NewServer(h).URL
	})
	if siteErr != nil {
		t.Fatal(siteErr)
	}
	return siteURL
}

// newBrowser starts a headless Chromium for one test and returns its context.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelC(); cancelA() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("starting Chromium: %v", err)
	}
	return ctx
}

// withTimeout bounds one step so a stuck page fails the test instead of hanging it.
func withTimeout(t *testing.T, ctx context.Context) context.Context {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// view sets the viewport width and colour scheme.
func view(width int64, scheme string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 800)); err != nil {
			return err
		}
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	})
}

// artifactDir is where screenshots go: $ARTIFACTS_DIR or a temp folder.
func artifactDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("ARTIFACTS_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "site-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
