package build

import (
	"image/color"
	"net/http"
	"sync"

	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/ogimage"
	"github.com/pmvspo/site/views"
)

// Share images: every path is made here, once, and the pages that show an
// image and the set the snapshot serves both come from these functions, so
// no page can point at an image that does not exist.

// shareImage is a page's link-preview image: where it is served, its text
// equivalent and what it shows.
type shareImage struct {
	path, alt string
	card      ogimage.Card
}

// roleColors match --role-a, --role-b and --role-c of the light scheme in
// static/site.css, so a preview shows each role in its colour on the page.
var roleColors = []color.RGBA{{0x1d, 0x4f, 0x91, 0xff}, {0x8a, 0x4a, 0x00, 0xff}, {0x2f, 0x6b, 0x3a, 0xff}}

func guideRoles(g *content.Guide) []ogimage.Role {
	var out []ogimage.Role
	for _, r := range g.Roles {
		out = append(out, ogimage.Role{Name: r.Name, Color: roleColors[r.Index%len(roleColors)]})
	}
	return out
}

// siteImage is the home page's image, in the colours of the first guide's roles.
func siteImage(s *content.Site) shareImage {
	img := shareImage{path: "/og/site.png", alt: views.SiteName + ": " + views.SiteTagline,
		card: ogimage.Card{Eyebrow: "Guides", Title: views.SiteTagline}}
	if len(s.Guides) > 0 {
		img.card.Roles = guideRoles(s.Guides[0])
	}
	return img
}

func guideImage(g *content.Guide) shareImage {
	return shareImage{path: "/og/" + g.Slug + ".png", alt: g.Title + ": " + g.Description,
		card: ogimage.Card{Eyebrow: "Guide", Title: g.Title, Detail: g.Description, Roles: guideRoles(g)}}
}

func articleImage(a *content.Article) shareImage {
	return shareImage{path: "/og/" + a.Guide.Slug + "/" + a.Slug + ".png", alt: a.Title,
		card: ogimage.Card{Eyebrow: a.Guide.Title, Title: a.Title, Roles: guideRoles(a.Guide)}}
}

func assessmentImage(a *content.Assessment) shareImage {
	return shareImage{path: "/og/" + a.Guide.Slug + "/" + a.ID + ".png", alt: a.Title,
		card: ogimage.Card{Eyebrow: a.Guide.Title, Title: a.Title, Detail: a.Description, Roles: guideRoles(a.Guide)}}
}

func outcomeImage(a *content.Assessment, o *content.Outcome) shareImage {
	return shareImage{path: "/og/" + a.Guide.Slug + "/" + a.ID + "/" + o.ID + ".png", alt: o.Title,
		card: ogimage.Card{Eyebrow: "A result of “" + a.Title + "”", Title: o.Title, Detail: o.Summary, Roles: guideRoles(a.Guide)}}
}

// OutcomeImage is the share image path and alt text of an assessment's
// outcome, for result pages (which are rendered per request, not built).
func OutcomeImage(a *content.Assessment, o *content.Outcome) (path, alt string) {
	img := outcomeImage(a, o)
	return img.path, img.alt
}

// lazyImage is a share image drawn on first request and then kept: drawing
// every image at build time would slow every start for images most
// deployments never serve.
type lazyImage struct {
	once sync.Once
	card ogimage.Card
	res  *Resource
	err  error
}

func (li *lazyImage) resource() (*Resource, error) {
	li.once.Do(func() {
		png, err := ogimage.Render(li.card)
		li.err = err
		if err == nil {
			// PNG is compressed already; the resource adds the ETag.
			li.res = PlainResource(png, "image/png", CachePage)
		}
	})
	return li.res, li.err
}

// addImage adds img to the snapshot's image set (once per path).
func (b *builder) addImage(img shareImage) {
	if _, ok := b.snap.images[img.path]; ok {
		return
	}
	img.card.Site = views.SiteName
	b.snap.images[img.path] = &lazyImage{card: img.card}
}

// HasImage reports whether the snapshot has a share image at path.
func (s *Snapshot) HasImage(path string) bool { _, ok := s.images[path]; return ok }

// ServeImage serves the share image at path, drawing it on first request.
// It reports false when the snapshot has no image there.
func (s *Snapshot) ServeImage(w http.ResponseWriter, r *http.Request, path string) (bool, error) {
	li, ok := s.images[path]
	if !ok {
		return false, nil
	}
	res, err := li.resource()
	if err != nil {
		return true, err
	}
	res.Serve(w, r, http.StatusOK)
	return true, nil
}
