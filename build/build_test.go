package build_test

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/pmvspo/site/build"
	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/views"
)

func shipped(t *testing.T) (*content.Site, *build.Snapshot) {
	t.Helper()
	site, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	snap, err := build.Build(site, build.Options{Origin: "https://example.org"})
	if err != nil {
		t.Fatal(err)
	}
	return site, snap
}

// TestEveryModelPartHasItsPage: the registry builds a page for every part
// of the model a reader can open, whatever the content holds.
func TestEveryModelPartHasItsPage(t *testing.T) {
	site, snap := shipped(t)
	want := []string{"/"}
	for n := 1; n == 1 || (n-1)*views.GuidesPerIndexPage < len(site.Guides); n++ {
		want = append(want, views.GuideIndexURL(n))
	}
	for _, g := range site.Guides {
		want = append(want, g.URL(), g.CompareURL())
		for _, a := range g.Articles {
			want = append(want, a.URL())
		}
		for _, f := range g.FAQ {
			want = append(want, g.FAQURL(f.ID))
		}
		for _, a := range g.Assessments {
			want = append(want, a.URL())
		}
	}
	want = append(want, "/privacy") // the newsletter's privacy page
	var got []string
	for _, p := range snap.Pages() {
		got = append(got, p.Meta.Path)
		if snap.Page(p.Meta.Path) != p {
			t.Errorf("%s: Page(path) does not return the page", p.Meta.Path)
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("pages\n got %q\nwant %q", got, want)
	}
}

// TestPagesPointAtServedImages: every page's share image is in the
// snapshot's image set and draws as a PNG.
func TestPagesPointAtServedImages(t *testing.T) {
	_, snap := shipped(t)
	for _, p := range snap.Pages() {
		if p.Meta.Image == "" || p.Meta.ImageAlt == "" {
			t.Errorf("%s: no share image or no alt text", p.Meta.Path)
			continue
		}
		if !snap.HasImage(p.Meta.Image) {
			t.Errorf("%s: share image %s is not in the snapshot", p.Meta.Path, p.Meta.Image)
		}
	}
	// One image is enough to show they draw; the ogimage tests cover the rest.
	w := httptest.NewRecorder()
	ok, err := snap.ServeImage(w, httptest.NewRequest(http.MethodGet, "/og/site.png", nil), "/og/site.png")
	if !ok || err != nil || w.Code != http.StatusOK || w.Header().Get("Content-Type") != "image/png" {
		t.Errorf("/og/site.png: served %v, err %v, status %d, type %q", ok, err, w.Code, w.Header().Get("Content-Type"))
	}
}

// TestSitemapListsIndexablePages: the sitemap names exactly the pages
// that are in it, at the configured origin.
func TestSitemapListsIndexablePages(t *testing.T) {
	_, snap := shipped(t)
	var want []string
	for _, p := range snap.Pages() {
		if p.InSitemap {
			want = append(want, snap.Origin+p.Meta.Path)
		}
	}
	f := snap.File("/sitemap.xml")
	if f == nil {
		t.Fatal("no /sitemap.xml")
	}
	w := httptest.NewRecorder()
	f.Serve(w, httptest.NewRequest(http.MethodGet, "/sitemap.xml", nil), http.StatusOK)
	body, _ := io.ReadAll(w.Body)
	var sm struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(body, &sm); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range sm.URLs {
		got = append(got, u.Loc)
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("sitemap\n got %q\nwant %q", got, want)
	}
}
