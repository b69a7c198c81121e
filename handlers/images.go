package handlers

import (
	"image/color"
	"net/http"
	"sync"

	"github.com/go-chi/chi/v5"

	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/ogimage"
	"github.com/pmvspo/site/views"
)

// roleColors match --role-a, --role-b and --role-c of the light scheme in
// static/site.css, so a preview shows each role in its colour on the page.
var roleColors = []color.RGBA{{0x1d, 0x4f, 0x91, 0xff}, {0x8a, 0x4a, 0x00, 0xff}, {0x2f, 0x6b, 0x3a, 0xff}}

// lazyImage is a share image drawn on first request and then kept: drawing
// every image at start-up would slow every start for images most
// deployments never serve.
type lazyImage struct {
	once sync.Once
	card ogimage.Card
	res  *resource
	err  error
}

func (li *lazyImage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	li.once.Do(func() {
		png, err := ogimage.Render(li.card)
		li.err = err
		if err == nil {
			// PNG is compressed already; the resource adds the ETag.
			li.res = plainResource(png, "image/png", cachePage)
		}
	})
	if li.err != nil {
		panic(li.err) // recoverPanic logs it and answers 500
	}
	li.res.serve(w, r, http.StatusOK)
}

func guideRoles(g *content.Guide) []ogimage.Role {
	var out []ogimage.Role
	for _, r := range g.Roles {
		out = append(out, ogimage.Role{Name: r.Name, Color: roleColors[r.Index%len(roleColors)]})
	}
	return out
}

func outcomeImage(a *content.Assessment, o *content.Outcome) string {
	return "/og/" + a.Guide.Slug + "/" + a.ID + "/" + o.ID + ".png"
}

// routeImages registers one share image per guide, article, assessment and
// outcome, plus one for the site.
func (s *server) routeImages(r chi.Router) {
	add := func(path string, c ogimage.Card) {
		c.Site = views.SiteName
		get(r, path, &lazyImage{card: c})
	}
	var roles []ogimage.Role
	if len(s.site.Guides) > 0 {
		roles = guideRoles(s.site.Guides[0])
	}
	add("/og/site.png", ogimage.Card{Eyebrow: "Guides", Title: "Clear comparisons of the roles people confuse", Roles: roles})
	for _, g := range s.site.Guides {
		roles := guideRoles(g)
		add("/og/"+g.Slug+".png", ogimage.Card{Eyebrow: "Guide", Title: g.Title, Detail: g.Description, Roles: roles})
		for _, a := range g.Articles {
			add("/og/"+g.Slug+"/"+a.Slug+".png", ogimage.Card{Eyebrow: g.Title, Title: a.Title, Roles: roles})
		}
		for _, a := range g.Assessments {
			add("/og/"+g.Slug+"/"+a.ID+".png", ogimage.Card{Eyebrow: g.Title, Title: a.Title, Detail: a.Description, Roles: roles})
			for _, o := range a.Outcomes {
				add(outcomeImage(a, o), ogimage.Card{Eyebrow: "A result of “" + a.Title + "”", Title: o.Title, Detail: o.Summary, Roles: roles})
			}
		}
	}
}
