// Package static holds the site's CSS, script and icon, embedded in the
// binary and served under content-hashed names so that browsers and CDNs can
// cache them forever: a changed file gets a new name.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"path"
	"strings"
)

//go:embed site.css site.js icon.svg assess.js
var files embed.FS

// Asset is one static file.
type Asset struct {
	Name        string // the source name, for example site.css
	URL         string // the hashed URL, for example /static/site.3f2a9c1d.css
	ContentType string
	Body        []byte
}

// Load reads every embedded file and names it by its content hash.
func Load() (map[string]*Asset, error) {
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		return nil, err
	}
	assets := make(map[string]*Asset, len(entries))
	for _, e := range entries {
		body, err := fs.ReadFile(files, e.Name())
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(e.Name())
		ctype := mime.TypeByExtension(ext)
		textual := strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "xml") || strings.Contains(ctype, "json") || strings.Contains(ctype, "javascript")
		if textual && !strings.Contains(ctype, "charset") {
			ctype += "; charset=utf-8"
		}
		assets[e.Name()] = &Asset{
			Name:        e.Name(),
			URL:         "/static/" + strings.TrimSuffix(e.Name(), ext) + "." + hex.EncodeToString(sum[:])[:10] + ext,
			ContentType: ctype,
			Body:        body,
		}
	}
	return assets, nil
}
