package build

import (
	"bytes"
	"encoding/xml"
	"sort"
	"time"

	"github.com/pmvspo/site/views"
)

// The sitemap, robots.txt and the Atom feed are built from the same page
// list as the pages themselves, so they cannot name a page that is not served.

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type sitemap struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Title     string     `xml:"title"`
	ID        string     `xml:"id"`
	Link      atomLink   `xml:"link"`
	Published string     `xml:"published"`
	Updated   string     `xml:"updated"`
	Author    atomPerson `xml:"author"`
	Summary   string     `xml:"summary"`
	Category  []atomCat  `xml:"category"`
}

type atomCat struct {
	Term string `xml:"term,attr"`
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// feeds builds the sitemap, robots.txt and the Atom feed from the built pages.
func (b *builder) feeds(pages []*Page) error {
	origin := b.origin
	var sm sitemap
	for _, p := range pages {
		if !p.InSitemap {
			continue
		}
		u := sitemapURL{Loc: origin + p.Meta.Path}
		if !p.Meta.Modified.IsZero() {
			u.LastMod = p.Meta.Modified.Format("2006-01-02")
		}
		sm.URLs = append(sm.URLs, u)
	}
	sort.Slice(sm.URLs, func(i, j int) bool { return sm.URLs[i].Loc < sm.URLs[j].Loc })
	body, err := xmlDoc(sm)
	if err != nil {
		return err
	}
	b.snap.files["/sitemap.xml"] = b.resource(body, "application/xml; charset=utf-8", CachePage)

	robots := "User-agent: *\nAllow: /\n\nSitemap: " + origin + "/sitemap.xml\n"
	b.snap.files["/robots.txt"] = b.resource([]byte(robots), "text/plain; charset=utf-8", CachePage)

	feed := atomFeed{
		Title:  views.SiteName + ": guides",
		ID:     origin + "/",
		Links:  []atomLink{{Href: origin + "/feed.atom", Rel: "self", Type: "application/atom+xml"}, {Href: origin + "/", Rel: "alternate", Type: "text/html"}},
		Author: atomPerson{Name: views.SiteName},
	}
	var newest time.Time
	for _, p := range pages {
		a := p.Article
		if a == nil {
			continue
		}
		e := atomEntry{Title: a.Title, ID: origin + a.URL(), Link: atomLink{Href: origin + a.URL(), Rel: "alternate", Type: "text/html"},
			Published: rfc3339(a.Published), Updated: rfc3339(a.Updated), Author: atomPerson{Name: a.Author}, Summary: a.Description}
		for _, t := range a.Tags {
			e.Category = append(e.Category, atomCat{Term: t})
		}
		feed.Entries = append(feed.Entries, e)
		if a.Updated.After(newest) {
			newest = a.Updated
		}
	}
	sort.SliceStable(feed.Entries, func(i, j int) bool { return feed.Entries[i].Updated > feed.Entries[j].Updated })
	feed.Updated = rfc3339(newest)
	body, err = xmlDoc(feed)
	if err != nil {
		return err
	}
	b.snap.files["/feed.atom"] = b.resource(body, "application/atom+xml; charset=utf-8", CachePage)
	return nil
}

func xmlDoc(v any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}
