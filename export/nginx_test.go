package export

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/pmvspo/site/accesslog"
	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/server"
)

const brotliModule = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so"

// nginxRequired says whether a missing nginx fails the test: in CI, or
// with NGINX_TESTS=required.
func nginxRequired() bool {
	return os.Getenv("NGINX_TESTS") == "required" || os.Getenv("CI") == "true"
}

// lockedBuffer collects the Go server's log while it serves.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// siteConf is deploy/nginx/site.conf with its deployment values replaced
// by this test's: each must be in the file exactly once.
func siteConf(t *testing.T, replace map[string]string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "deploy", "nginx", "site.conf"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for old, repl := range replace {
		if n := strings.Count(s, old); n != 1 {
			t.Fatalf("deploy/nginx/site.conf has %q %d times, want once (the test replaces it)", old, n)
		}
		s = strings.Replace(s, old, repl, 1)
	}
	return s
}

// nginxBinary finds Debian's nginx and its brotli module, or skips (fails
// with NGINX_TESTS=required or in CI).
func nginxBinary(t *testing.T) string {
	t.Helper()
	nginx, err := exec.LookPath("nginx")
	if err != nil {
		nginx = "/usr/sbin/nginx"
	}
	if _, err := os.Stat(nginx); err != nil {
		if nginxRequired() {
			t.Fatalf("nginx is required (NGINX_TESTS=required or CI=true) but not installed: apt-get install nginx libnginx-mod-http-brotli-static")
		}
		t.Skip("nginx is not installed (apt-get install nginx libnginx-mod-http-brotli-static); NGINX_TESTS=required makes this a failure")
	}
	if _, err := os.Stat(brotliModule); err != nil {
		if nginxRequired() {
			t.Fatalf("%s is required: apt-get install libnginx-mod-http-brotli-static", brotliModule)
		}
		t.Skipf("%s is missing (apt-get install libnginx-mod-http-brotli-static)", brotliModule)
	}

	return nginx
}

// runNginx serves root with deploy/nginx/site.conf on nginxAddr, passing
// what it does not serve to the Go server at goAddr, until the test ends.
func runNginx(t *testing.T, nginx, work, root, goAddr, nginxAddr string) *http.Client {
	t.Helper()
	for _, d := range []string{"tmp", "snippets", "logs"} {
		if err := os.MkdirAll(filepath.Join(work, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	headers, err := os.ReadFile(filepath.Join("..", "deploy", "nginx", "site-headers.conf"))
	if err != nil {
		t.Fatal(err)
	}
	conf := siteConf(t, map[string]string{
		"server 127.0.0.1:8080;":            "server " + goAddr + ";",
		"listen 80;":                        "listen " + nginxAddr + ";",
		"root /srv/site;":                   "root " + root + ";",
		"include /srv/site/redirects.conf;": "include " + filepath.Join(root, RedirectsFile) + ";",
		"/var/log/nginx/site.access.log":    filepath.Join(work, "logs", "access.log"),
	})
	files := map[string]string{
		"snippets/site-headers.conf": string(headers),
		"site.conf":                  conf,
		"nginx.conf": fmt.Sprintf(`daemon off;
master_process off;
pid %[1]s/nginx.pid;
error_log %[1]s/logs/error.log warn;
load_module %[2]s;
events { worker_connections 512; }
http {
    client_body_temp_path %[1]s/tmp/body;
    proxy_temp_path %[1]s/tmp/proxy;
    fastcgi_temp_path %[1]s/tmp/fastcgi;
    uwsgi_temp_path %[1]s/tmp/uwsgi;
    scgi_temp_path %[1]s/tmp/scgi;
    include %[1]s/site.conf;
}
`, work, brotliModule),
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(work, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	nginxConf := filepath.Join(work, "nginx.conf")
	if out, err := exec.Command(nginx, "-t", "-p", work, "-c", nginxConf).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t: %v\n%s", err, out)
	}
	cmd := exec.Command(nginx, "-p", work, "-c", nginxConf)
	var nginxOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &nginxOut, &nginxOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGQUIT)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
		}
	})
	client := &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if resp, err := client.Get("http://" + nginxAddr + "/healthz"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			errLog, _ := os.ReadFile(filepath.Join(work, "logs", "error.log"))
			t.Fatalf("nginx did not answer on %s: %s\n%s", nginxAddr, nginxOut.String(), errLog)
		}
		time.Sleep(50 * time.Millisecond)
	}

	return client
}

// TestExportBehindNginx exports the site, serves the folder with Debian's
// nginx and deploy/nginx/site.conf, proxies the rest to a running Go server,
// and checks through nginx: every link and #fragment resolves, an
// assessment round-trips, and every exported file comes with the Go
// server's headers and bytes.
func TestExportBehindNginx(t *testing.T) {
	nginx := nginxBinary(t)
	work := t.TempDir()
	nginxAddr := freePort(t)
	origin := "http://" + nginxAddr

	site, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	// What readers see: drafts and scheduled guides answer 404.
	pub := site.Published(time.Now())
	if len(pub.Guides) == 0 {
		t.Fatal("the embedded content has no published guide")
	}
	first := pub.Guides[0]
	var logs lockedBuffer
	h := newSite(t, site, origin, server.Options{TrustedProxies: []string{"127.0.0.1/32"},
		Logger: slog.New(slog.NewJSONHandler(&logs, nil)), AccessLog: accesslog.New(accesslog.JSON, &logs)})
	goSrv := httptest.NewServer(h)
	defer goSrv.Close()

	root := filepath.Join(work, "export")
	res, err := Write(root, h, origin)
	if err != nil {
		t.Fatal(err)
	}
	client := runNginx(t, nginx, work, root, goSrv.Listener.Addr().String(), nginxAddr)

	get := func(base, target, encoding string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", base+target, nil)
		req.Header.Set("Accept-Encoding", encoding)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("GET %s%s: %v", base, target, err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, body
	}

	t.Run("headers and bytes", func(t *testing.T) {
		compare := []string{"Content-Type", "Content-Encoding", "Content-Length", "Cache-Control", "Vary", "X-Robots-Tag",
			"Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options", "X-Frame-Options",
			"Referrer-Policy", "Cross-Origin-Opener-Policy", "Cross-Origin-Resource-Policy", "Permissions-Policy"}
		paths := []string{"/no-such-page", "/static/site.0000000000.css", first.URL() + "/", "/Guides/" + strings.ToUpper(first.Slug), "/healthz", "/" + RedirectsFile}
		for _, f := range res.Files {
			if f.URLPath != notFoundProbe {
				paths = append(paths, f.URLPath)
			}
		}
		for _, p := range paths {
			for _, enc := range []string{"identity", "br", "gzip", "br, gzip"} {
				viaNginx, nb := get(origin, p, enc)
				direct, db := get(goSrv.URL, p, enc)
				if viaNginx.StatusCode != direct.StatusCode {
					t.Errorf("GET %s (%s): nginx %d, Go %d", p, enc, viaNginx.StatusCode, direct.StatusCode)
					continue
				}
				for _, k := range compare {
					if a, b := viaNginx.Header.Values(k), direct.Header.Values(k); !slices.Equal(a, b) {
						t.Errorf("GET %s (%s): %s: nginx %q, Go %q", p, enc, k, a, b)
					}
				}
				if a, b := viaNginx.Header.Values("X-Request-Id"), direct.Header.Values("X-Request-Id"); len(a) != 1 || len(b) != 1 {
					t.Errorf("GET %s (%s): X-Request-Id: nginx %q, Go %q; want one each", p, enc, a, b)
				}
				if !bytes.Equal(nb, db) && viaNginx.StatusCode != http.StatusMovedPermanently {
					t.Errorf("GET %s (%s): nginx sent %d bytes, Go %d, not the same", p, enc, len(nb), len(db))
				}
			}
		}
	})

	t.Run("crawl", func(t *testing.T) {
		type ref struct{ from, target, fragment string }
		ids := map[string]map[string]bool{}
		var refs []ref
		seen := map[string]bool{}
		todo := []string{"/"}
		_, sitemap := get(origin, "/sitemap.xml", "identity")
		for _, m := range regexp.MustCompile(`<loc>([^<]+)</loc>`).FindAllSubmatch(sitemap, -1) {
			todo = append(todo, strings.TrimPrefix(string(m[1]), origin))
		}
		for len(todo) > 0 {
			p := todo[0]
			todo = todo[1:]
			if seen[p] {
				continue
			}
			seen[p] = true
			resp, body := get(origin, p, "identity")
			if resp.StatusCode != http.StatusOK {
				t.Errorf("through nginx, GET %s: %d", p, resp.StatusCode)
				continue
			}
			if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				continue
			}
			pageIDs, links := parsePage(body)
			ids[p] = pageIDs
			for _, l := range links {
				u, err := url.Parse(l)
				if err != nil {
					t.Errorf("%s: link %q does not parse", p, l)
					continue
				}
				u = (&url.URL{Scheme: "http", Host: nginxAddr, Path: p}).ResolveReference(u)
				if u.Host != nginxAddr || (u.Scheme != "http" && u.Scheme != "https") {
					continue
				}
				target := u.EscapedPath()
				if u.RawQuery != "" {
					target += "?" + u.RawQuery
				}
				if u.Fragment != "" {
					refs = append(refs, ref{p, target, u.Fragment})
				}
				todo = append(todo, target)
			}
		}
		if len(ids) < 3 {
			t.Fatalf("the crawl found only %d pages", len(ids))
		}
		for _, r := range refs {
			if !ids[r.target][r.fragment] {
				t.Errorf("%s links to %s#%s: no such id there", r.from, r.target, r.fragment)
			}
		}
		t.Logf("crawled %d URLs through nginx, %d pages, %d #fragment links", len(seen), len(ids), len(refs))
	})

	t.Run("assessment round trip", func(t *testing.T) {
		n := 0
		for _, g := range pub.Guides {
			for _, a := range g.Assessments {
				n++
				resp, body := get(origin, a.URL(), "identity")
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("GET %s through nginx: %d", a.URL(), resp.StatusCode)
				}
				action, form := firstAnswers(body)
				if action == "" || len(form) == 0 {
					t.Fatalf("%s: no form with answers found", a.URL())
				}
				req, _ := http.NewRequest("POST", origin+action, strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Origin", origin)
				req.Header.Set("Sec-Fetch-Site", "same-origin")
				req.Header.Set("X-Request-Id", "nginx-test-"+a.ID)
				post, err := client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				post.Body.Close()
				if post.StatusCode != http.StatusSeeOther {
					t.Fatalf("POST %s through nginx: %d, want 303", action, post.StatusCode)
				}
				loc, err := url.Parse(post.Header.Get("Location"))
				if err != nil || loc.RawQuery == "" {
					t.Fatalf("POST %s: Location %q", action, post.Header.Get("Location"))
				}
				result, rb := get(origin, loc.RequestURI(), "identity")
				if result.StatusCode != http.StatusOK || !strings.Contains(result.Header.Get("Cache-Control"), "private") {
					t.Errorf("GET %s through nginx: %d, Cache-Control %q", loc.RequestURI(), result.StatusCode, result.Header.Get("Cache-Control"))
				}
				if bytes.Equal(rb, body) {
					t.Errorf("the result page of %s is the form itself", a.URL())
				}
			}
		}
		if n == 0 {
			t.Skip("the content has no assessment")
		}
	})

	accessLog, _ := os.ReadFile(filepath.Join(work, "logs", "access.log"))
	if !bytes.Contains(accessLog, []byte("rid=")) {
		t.Errorf("nginx's access log has no request ids:\n%.500s", accessLog)
	}
	if testing.Verbose() {
		lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
		for _, l := range lines {
			if strings.Contains(l, `"method":"POST"`) {
				t.Logf("a Go access line from behind nginx: %s", l)
				break
			}
		}
	}
}

// TestAliasesBehindNginx exports a guide with old paths (aliases) and
// checks that nginx, with deploy/nginx/site.conf and the export's
// redirects.conf, answers each with the Go server's 301 (the query kept,
// the same Location and caching) without asking the Go server.
func TestAliasesBehindNginx(t *testing.T) {
	nginx := nginxBinary(t)
	work := t.TempDir()
	nginxAddr := freePort(t)
	origin := "http://" + nginxAddr

	site, err := content.Load(os.DirFS("../content/testdata/moved"))
	if err != nil {
		t.Fatal(err)
	}
	// The old paths and the pages they lead to, from the model.
	want := map[string]string{}
	for _, g := range site.Guides {
		for _, al := range g.Aliases {
			want[al.Path] = g.URL()
		}
		for _, a := range g.Articles {
			for _, al := range a.Aliases {
				want[al.Path] = a.URL()
			}
		}
	}
	if len(want) == 0 {
		t.Fatal("content/testdata/moved has no aliases to test")
	}
	var aliases []string
	for from := range want {
		aliases = append(aliases, from)
	}
	slices.Sort(aliases)

	var logs lockedBuffer
	h := newSite(t, site, origin, server.Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil)), AccessLog: accesslog.New(accesslog.JSON, &logs)})
	goSrv := httptest.NewServer(h)
	defer goSrv.Close()
	root := filepath.Join(work, "export")
	res, err := Write(root, h, origin, aliases...)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Redirects) != len(aliases) {
		t.Fatalf("the export wrote %d redirects, want %d: %v", len(res.Redirects), len(aliases), res.Redirects)
	}
	client := runNginx(t, nginx, work, root, goSrv.Listener.Addr().String(), nginxAddr)
	get := func(url string) *http.Response {
		t.Helper()
		resp, err := client.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}

	logged := len(logs.String()) // the export asked for each alias too
	for _, from := range aliases {
		target := from + "?utm_source=old-link"
		viaNginx := get(origin + target)
		direct := get(goSrv.URL + target)
		if viaNginx.StatusCode != http.StatusMovedPermanently {
			t.Errorf("through nginx, GET %s: %d, want 301", target, viaNginx.StatusCode)
			continue
		}
		if loc, wantLoc := viaNginx.Header.Get("Location"), want[from]+"?utm_source=old-link"; loc != wantLoc || loc != direct.Header.Get("Location") {
			t.Errorf("GET %s: Location through nginx %q, from Go %q, want %q", target, loc, direct.Header.Get("Location"), wantLoc)
		}
		for _, k := range []string{"Cache-Control", "Content-Security-Policy", "X-Content-Type-Options", "Strict-Transport-Security"} {
			if a, b := viaNginx.Header.Values(k), direct.Header.Values(k); !slices.Equal(a, b) {
				t.Errorf("GET %s: %s: nginx %q, Go %q", target, k, a, b)
			}
		}
		if page := get(origin + want[from]); page.StatusCode != http.StatusOK {
			t.Errorf("through nginx, GET %s (where %s leads): %d", want[from], from, page.StatusCode)
		}
	}
	// Go saw only the direct requests: nginx answered every alias itself.
	for _, from := range aliases {
		if n := strings.Count(logs.String()[logged:], `"path":"`+from+`"`); n != 1 {
			t.Errorf("the Go server logged %d requests for %s, want 1 (the direct one): nginx should answer aliases from %s", n, from, RedirectsFile)
		}
	}
	if resp := get(origin + "/" + RedirectsFile); resp.StatusCode != http.StatusNotFound {
		t.Errorf("through nginx, GET /%s: %d, want 404 (it is configuration, not a page)", RedirectsFile, resp.StatusCode)
	}
}

// parsePage returns the ids of an HTML page and the URLs it links to.
func parsePage(body []byte) (map[string]bool, []string) {
	ids := map[string]bool{}
	var links []string
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if errors.Is(z.Err(), io.EOF) {
				return ids, links
			}
			return ids, links
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, _ := z.TagName()
		for {
			k, v, more := z.TagAttr()
			switch string(k) {
			case "id":
				ids[string(v)] = true
			case "href", "src":
				links = append(links, string(v))
			case "content":
				if string(name) == "meta" && strings.HasPrefix(string(v), "http") {
					links = append(links, string(v))
				}
			}
			if !more {
				break
			}
		}
	}
}

// firstAnswers reads the first POST form of a page and picks the first
// option of every radio group.
func firstAnswers(body []byte) (string, url.Values) {
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return "", nil
	}
	attr := func(n *html.Node, k string) string {
		for _, a := range n.Attr {
			if a.Key == k {
				return a.Val
			}
		}
		return ""
	}
	var action string
	form := url.Values{}
	var walk func(n *html.Node, inForm bool)
	walk = func(n *html.Node, inForm bool) {
		if n.Type == html.ElementNode && n.Data == "form" && strings.EqualFold(attr(n, "method"), "post") && action == "" {
			action, inForm = attr(n, "action"), true
		}
		if inForm && n.Type == html.ElementNode && n.Data == "input" {
			name := attr(n, "name")
			switch attr(n, "type") {
			case "radio":
				if name != "" && !form.Has(name) {
					form.Set(name, attr(n, "value"))
				}
			case "hidden":
				form.Set(name, attr(n, "value"))
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inForm)
		}
	}
	walk(doc, false)
	return action, form
}
