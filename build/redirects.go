package build

import (
	"fmt"
	"sort"

	"github.com/pmvspo/site/content"
)

// Redirect is an old path of a page (an alias in its front matter) and the
// page's current path. The server answers the old path with a 301 to the
// new one, keeping the query; browsers keep the #fragment themselves.
type Redirect struct {
	From, To string
}

// CacheRedirect is the Cache-Control of a redirect. A 301 without one is
// cached by browsers for as long as they like, which makes a wrong alias
// impossible to take back; a day is long enough that returning readers and
// shared caches skip the hop, and short enough that a corrected alias
// reaches everyone by the next day.
const CacheRedirect = "public, max-age=86400"

// Redirect returns the redirect from path, or nil.
func (s *Snapshot) Redirect(path string) *Redirect { return s.redirects[path] }

// Redirects lists every redirect, sorted by old path.
func (s *Snapshot) Redirects() []*Redirect {
	out := make([]*Redirect, 0, len(s.redirects))
	for _, r := range s.redirects {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].From < out[j].From })
	return out
}

// redirects collects the aliases of every built page. An alias whose path
// the snapshot serves anything at (a page, a file, a share image) would
// never be reached: it is a content error at the line that wrote it, like
// an alias given twice. The loader already refuses the pages it knows of;
// this catches every other path the build makes.
func (b *builder) redirects() error {
	var errs content.Errors
	where := map[string]content.Alias{}
	for _, p := range b.snap.order {
		for _, al := range p.aliases {
			switch prev, dup := where[al.Path]; {
			case b.snap.exists(al.Path):
				errs = append(errs, &content.Error{File: al.File, Line: al.Line,
					Msg: fmt.Sprintf("alias %q is the address of something the site serves: an alias must be an old address that nothing uses any more", al.Path)})
			case dup:
				errs = append(errs, &content.Error{File: al.File, Line: al.Line,
					Msg: fmt.Sprintf("alias %q is also an alias of %s (%s:%d): one old address can lead to one page only", al.Path, b.snap.redirects[al.Path].To, prev.File, prev.Line)})
			default:
				where[al.Path] = al
				b.snap.redirects[al.Path] = &Redirect{From: al.Path, To: p.Meta.Path}
			}
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}
