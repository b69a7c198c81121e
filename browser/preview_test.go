package browser

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pmvspo/site/content"
)

// reloadWait is how long the preview may take to notice a save, rebuild and
// reload the tab: generous, because the machine may be busy. It bounds a
// wait for an event; nothing asserts how fast the event came.
const reloadWait = 20 * time.Second

// TestPreviewReload runs `site preview` on a copy of the content, as an
// editor does, opens an article in Chromium and edits its Markdown on disk:
// the tab reloads by itself into the edit; a broken edit turns the tab into
// the list of file:line errors; fixing it reloads the tab into the fixed
// page. Every preview response is Cache-Control: no-store.
func TestPreviewReload(t *testing.T) {
	ctx := newBrowser(t)
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "guides"), os.DirFS(filepath.Join("..", "content", "guides"))); err != nil {
		t.Fatal(err)
	}
	site, err := content.Load(os.DirFS(dir))
	if err != nil {
		t.Fatalf("loading the copy of the content: %v", err)
	}
	pub := site.Published(time.Now())
	if len(pub.Guides) == 0 {
		t.Fatal("the content has no published guide")
	}
	article := pub.Guides[0].Articles[0]
	rel := "guides/" + article.Guide.Slug + "/articles/" + article.Slug + ".md"
	file := filepath.Join(dir, filepath.FromSlash(rel))
	original, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("the article %s is not in %s: %v", article.URL(), rel, err)
	}

	base := startPreview(t, dir)
	page := base + article.URL()
	for _, p := range []string{page, base + "/"} {
		if cc := cacheControl(t, p); cc != "no-store" {
			t.Errorf("GET %s in preview: Cache-Control %q, want no-store", p, cc)
		}
	}

	c, cancel := context.WithTimeout(ctx, 4*reloadWait)
	defer cancel()
	if err := chromedp.Do(c, view(1280, "light"), chromedp.Navigate(page)); err != nil {
		t.Fatal(err)
	}

	// save writes the article, marks the open document so that a reload
	// can be told from an update in place, and waits until a fresh
	// document satisfies cond.
	save := func(step string, body []byte, cond string) {
		t.Helper()
		if _, err := chromedp.Run(c, chromedp.Evaluate[bool](`window.previewTestStale = true`)); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if err := os.WriteFile(file, body, 0o644); err != nil {
			t.Fatal(err)
		}
		waitForPage(t, c, step, `!window.previewTestStale && document.readyState === "complete" && (`+cond+`)`)
	}

	// An edit: the tab reloads and shows it.
	edit := "Edited while the preview was open, first save."
	save("after a good edit", append(append([]byte{}, original...), "\n\n"+edit+"\n"...),
		fmt.Sprintf(`document.querySelector("main").innerText.includes(%q)`, edit))

	// A broken edit: an unknown directive. The tab shows every error as
	// file:line: message, and the page says so with a no-store 500.
	broken := append(append([]byte{}, original...), "\n\n{{no-such-part}}\n"...)
	save("after a broken edit", broken, `document.querySelector(".preview-errors") !== null`)
	errs, err := chromedp.Run(c, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".preview-errors li")].map(li => li.innerText.trim())`))
	if err != nil {
		t.Fatal(err)
	}
	at := regexp.MustCompile(`^` + regexp.QuoteMeta(rel) + `:\d+: \S`)
	found := false
	for _, e := range errs {
		found = found || (at.MatchString(e) && strings.Contains(e, "no-such-part"))
	}
	if !found {
		t.Errorf("the preview's error page does not name %s:line and the unknown directive; it lists %q", rel, errs)
	}
	if cc := cacheControl(t, page); cc != "no-store" {
		t.Errorf("GET %s while the content is broken: Cache-Control %q, want no-store", page, cc)
	}

	// Fixed: the tab reloads into the article, with the new text.
	fixed := "Fixed after the broken save, second save."
	save("after fixing the edit", append(append([]byte{}, original...), "\n\n"+fixed+"\n"...),
		fmt.Sprintf(`document.querySelector(".preview-errors") === null && document.querySelector("main").innerText.includes(%q)`, fixed))
	if h1, err := chromedp.Run(c, chromedp.Evaluate[string](`document.querySelector("h1").innerText`)); err != nil || !strings.Contains(h1, article.Title) {
		t.Errorf("after the fix the tab shows h1 %q (%v), want the article's title %q", h1, err, article.Title)
	}
}

// startPreview builds cmd/site and runs `site preview` on dir on a free
// port, until the test ends; it returns the server's base URL.
func startPreview(t *testing.T, dir string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build cmd/site: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "site")
	if out, err := exec.Command(goTool, "build", "-o", bin, "../cmd/site").CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/site: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "preview", "-addr", "127.0.0.1:0", "-log", "json", dir)
	cmd.Env = append(os.Environ(), "DATA_DIR="+t.TempDir())
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	})
	r := bufio.NewReader(stderr)
	var lines []string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("site preview stopped before listening: %v; log:\n%s", err, strings.Join(lines, ""))
		}
		lines = append(lines, line)
		var rec struct{ Msg, Addr string }
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "listening" {
			go func() { _, _ = io.Copy(io.Discard, r) }() // keep the log pipe flowing
			return "http://" + rec.Addr
		}
	}
}

// waitForPage evaluates cond in the tab until it is true, through reloads
// (an evaluation during a navigation fails and is tried again), for up to
// reloadWait.
func waitForPage(t *testing.T, ctx context.Context, step, cond string) {
	t.Helper()
	deadline := time.Now().Add(reloadWait)
	var last error
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { try { return !!(`+cond+`); } catch (e) { return false; } })()`))
		if err == nil && ok {
			return
		}
		last = err
		time.Sleep(100 * time.Millisecond)
	}
	state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + " | " + (document.querySelector("h1") || {}).innerText`))
	t.Fatalf("%s: the tab did not reload into the expected page within %s (last error %v; it shows %s)", step, reloadWait, last, state)
}

// cacheControl is the Cache-Control header of a GET of url.
func cacheControl(t *testing.T, url string) string {
	t.Helper()
	resp, err := (&http.Client{Timeout: reloadWait}).Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.Header.Get("Cache-Control")
}
