package export

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// RedirectsFile is the nginx map of the site's old paths (aliases) to their
// current ones, written into the export folder for deploy/nginx/site.conf
// to include; it is written even when there are none, so the include
// never fails. nginx must not serve it as a file: site.conf hands its path
// to the Go server, which answers 404.
const RedirectsFile = "redirects.conf"

// redirects asks the site for each alias and keeps where it leads.
func (c *crawler) redirects(aliases []string) ([]Redirect, error) {
	var out []Redirect
	for _, p := range aliases {
		rec := c.get(p, "identity")
		if rec.Code != http.StatusMovedPermanently {
			return nil, fmt.Errorf("export: GET %s (an alias): status %d, want 301", p, rec.Code)
		}
		loc, err := url.Parse(rec.Header().Get("Location"))
		if err != nil || loc.Path == "" || loc.Host != "" || loc.RawQuery != "" || !cleanRedirectPath(p) || !cleanRedirectPath(loc.Path) {
			return nil, fmt.Errorf("export: GET %s (an alias): Location %q is not a clean path of this site", p, rec.Header().Get("Location"))
		}
		out = append(out, Redirect{From: p, To: loc.Path})
	}
	return out, nil
}

// cleanRedirectPath reports whether p can go into the nginx map unquoted:
// the content's aliases and page paths are only a-z, 0-9, - and /.
func cleanRedirectPath(p string) bool {
	if !strings.HasPrefix(p, "/") {
		return false
	}
	for _, r := range p {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '/') {
			return false
		}
	}
	return true
}

// nginxRedirects writes the map that deploy/nginx/site.conf reads: nginx
// answers each old path with a 301 to its new one, the query kept, as the
// Go server does.
func nginxRedirects(rs []Redirect) []byte {
	var b bytes.Buffer
	b.WriteString("# Written by `site export`: the site's old paths (aliases in the content) and where\n")
	b.WriteString("# each leads now. deploy/nginx/site.conf includes this file; export again to change it.\n")
	// Each key must fit in one bucket of nginx's map hash (64 bytes by
	// default): size the buckets for the longest old path.
	longest := 0
	for _, r := range rs {
		longest = max(longest, len(r.From))
	}
	fmt.Fprintf(&b, "map_hash_bucket_size %d;\n", bucketSize(longest))
	b.WriteString("map $uri $site_redirect {\n    default \"\";\n")
	for _, r := range rs {
		fmt.Fprintf(&b, "    %s %s;\n", r.From, r.To)
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// bucketSize is the smallest power of two, at least 64, that holds a map
// key of n bytes with nginx's per-entry overhead (a pointer, a length,
// alignment) and the bucket's end marker.
func bucketSize(n int) int {
	size := 64
	for size < n+32 {
		size *= 2
	}
	return size
}
