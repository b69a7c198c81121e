package build

import (
	"fmt"

	"github.com/pmvspo/site/pdf"
	"github.com/pmvspo/site/views"
)

// PDFType is the content type of a guide's PDF.
const PDFType = "application/pdf"

// pdfs renders every guide as a PDF, served at its PDFURL with the pages'
// caching and ETag. A PDF compresses its own streams, so it is served as
// it is, without gzip or brotli variants; inline, so that a browser opens
// it in its viewer, with a file name for when the reader saves it.
func (b *builder) pdfs() error {
	for _, g := range b.site.Guides {
		body, err := pdf.Guide(g, pdf.Options{BaseURL: b.origin, SiteName: views.SiteName})
		if err != nil {
			return fmt.Errorf("rendering %s: %w", g.PDFURL(), err)
		}
		r := PlainResource(body, PDFType, CachePage)
		r.dispositionH = []string{`inline; filename="` + pdf.FileName(g) + `"`}
		b.snap.files[g.PDFURL()] = r
	}
	return nil
}
