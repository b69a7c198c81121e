package build

// PageBudget is what a page's compressed HTML should weigh at most: the
// first round trip of a new connection carries about 14 KB (TCP's initial
// window of ten segments), so a page within it can be drawn without
// waiting for a second one. The content decides a page's weight, so a
// page over it is a warning for its editor (site check), not an error: it
// still works, only a round trip slower on a slow connection.
const PageBudget = 14 << 10

// Heavy is a page over PageBudget, with its gzip size.
type Heavy struct {
	Path string
	Size int
}

// OverBudget lists the pages search engines index whose gzip body weighs
// more than PageBudget, in build order. It compresses any page not yet
// compressed.
func (s *Snapshot) OverBudget() []Heavy {
	var out []Heavy
	for _, p := range s.order {
		if !p.InSitemap {
			continue
		}
		if n := p.Body.GzipSize(); n > PageBudget {
			out = append(out, Heavy{p.Meta.Path, n})
		}
	}
	return out
}
