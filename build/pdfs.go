package build

import (
	"fmt"

	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/pdf"
	"github.com/pmvspo/site/views"
)

// PDFType is the content type of a guide's PDF.
const PDFType = "application/pdf"

// pdfs adds every guide's PDF, served at its PDFURL with the pages' caching
// and ETag. A PDF compresses its own streams, so it is served as it is,
// without gzip or brotli variants; inline, so that a browser opens it in
// its viewer, with a file name for when the reader saves it.
//
// A PDF is rendered on its first request, once (later and concurrent
// requests wait for that one), and then kept. Rendering one costs about
// 55 ms of CPU: done in the build, that was a minute of start-up at 1,000
// guides, and a hundred megabytes held, for files few readers ask for.
// Rendering them in the background instead would still spend that minute
// of CPU beside the compression, and hold them all. site export still
// writes each one, since it requests every page the site links.
func (b *builder) pdfs() {
	opts := pdf.Options{BaseURL: b.origin, SiteName: views.SiteName}
	for _, g := range b.site.Guides {
		b.snap.files[g.PDFURL()] = LazyResource(func() (*Resource, error) {
			return guidePDF(g, opts)
		})
	}
}

func guidePDF(g *content.Guide, opts pdf.Options) (*Resource, error) {
	body, err := pdf.Guide(g, opts)
	if err != nil {
		return nil, fmt.Errorf("rendering %s: %w", g.PDFURL(), err)
	}
	r := PlainResource(body, PDFType, CachePage)
	r.dispositionH = []string{`inline; filename="` + pdf.FileName(g) + `"`}
	return r, nil
}
