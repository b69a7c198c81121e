package content

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"regexp"
	"slices"
	"time"

	"go.yaml.in/yaml/v3"
)

// yamlDoc is one decoded YAML document together with its node tree, which
// keeps the line of every key so that defects found after decoding (a
// missing value, an unknown role) can still be reported with a line.
type yamlDoc struct {
	file   string
	root   *yaml.Node
	offset int    // lines before the YAML starts (front matter sits after "---")
	src    []byte // the YAML text, to find where a value's words stand
}

// separatorLine is the line of the first "---" document separator after
// the start of src (a leading one only opens the first document).
func separatorLine(src []byte) int {
	lines := bytes.Split(src, []byte("\n"))
	for i, ln := range lines {
		if i > 0 && bytes.HasPrefix(ln, []byte("---")) && len(bytes.TrimSpace(ln[3:])) == 0 {
			return i + 1
		}
	}
	return 1
}

// lineContaining returns the first file line at or after line from that
// contains needle, or from when none does. Folded (>) and plain multi-line
// scalars lose their line breaks, so a position inside the value can only
// be found again by looking for its text.
func (d *yamlDoc) lineContaining(from int, needle string) int {
	if d == nil || needle == "" {
		return from
	}
	lines := bytes.Split(d.src, []byte("\n"))
	for i := from - d.offset - 1; i >= 0 && i < len(lines); i++ {
		if bytes.Contains(lines[i], []byte(needle)) {
			return i + 1 + d.offset
		}
	}
	return from
}

// decodeYAML strictly decodes src into v: unknown keys are defects, so a
// misspelt field is caught instead of silently ignored. src is parsed once:
// the node tree serves both the decoding and the lines of later defects.
func decodeYAML(c *collector, file string, src []byte, offset int, v any) (*yamlDoc, bool) {
	doc := &yamlDoc{file: file, offset: offset}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil && !errors.Is(err, io.EOF) {
		c.addYAMLError(file, src, offset, err, v)
		c.markUnread(file)
		return nil, false
	}
	if len(root.Content) == 0 {
		c.add(file, offset+1, "the file is empty")
		c.markUnread(file)
		return nil, false
	}
	doc.root = root.Content[0]
	if err := decodeNode(&root, v); err != nil {
		c.addYAMLError(file, src, offset, err, v)
		var te *yaml.TypeError
		if !errors.As(err, &te) || slices.ContainsFunc(te.Errors, func(m string) bool { _, msg := splitYAMLLine(m); return dupKeyRe.MatchString(msg) }) {
			// A key given twice stops the decoding of its whole mapping.
			c.markUnread(file)
			return nil, false
		}
		// A value of the wrong kind or an unknown field leaves the rest of
		// the file decoded: keep checking it, but do not also report the
		// field left empty as missing.
		for _, m := range te.Errors {
			if line, _ := splitYAMLLine(m); line > 0 {
				c.mute(file, line+offset)
				if parent := parentLine(doc.root, line); parent > 0 {
					c.muteMissing(file, parent+offset)
				}
			}
		}
	}
	// A "---" line starts a second document, which would be dropped silently.
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		c.add(file, offset+separatorLine(src), "a line \"---\" starts a second YAML document here, and everything after it would be ignored: remove the line")
		c.markUnread(file)
		return nil, false
	}
	doc.src = src
	return doc, true
}

// decodeNode decodes a parsed document into v as a Decoder with
// KnownFields(true) decodes its text: the same values, and in the
// *yaml.TypeError the same messages, unknown keys included, in line order
// (as Load sorts them; two messages on one line may come in another order).
func decodeNode(root *yaml.Node, v any) error {
	err := root.Decode(v)
	unknown := unknownFields(root, reflect.TypeOf(v))
	if len(unknown) == 0 {
		return err
	}
	var te *yaml.TypeError
	if err != nil && !errors.As(err, &te) {
		return err
	}
	var msgs []string
	if te != nil {
		msgs = te.Errors
	}
	msgs = append(slices.Clone(msgs), unknown...)
	slices.SortStableFunc(msgs, func(a, b string) int {
		la, _ := splitYAMLLine(a)
		lb, _ := splitYAMLLine(b)
		return la - lb
	})
	return &yaml.TypeError{Errors: msgs}
}

// line returns the line of the node reached by path, a sequence of mapping
// keys (string) and sequence indexes (int). When the path goes further than
// the document, it returns the line of the deepest node reached, which is
// where a missing field belongs.
func (d *yamlDoc) line(path ...any) int {
	if d == nil || d.root == nil {
		return 0
	}
	n := d.root
	for _, p := range path {
		next := (*yaml.Node)(nil)
		switch p := p.(type) {
		case string:
			if n.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					if n.Content[i].Value == p {
						next = n.Content[i+1]
						if next.Kind == yaml.ScalarNode {
							// A scalar's line is its key's line.
							next = n.Content[i]
						}
						break
					}
				}
			}
		case int:
			if n.Kind == yaml.SequenceNode && p < len(n.Content) {
				next = n.Content[p]
			}
		}
		if next == nil {
			break
		}
		n = next
	}
	// A document that is only "---" puts its empty node on the line after
	// the separator, which the file may not have: name its last line.
	if last := lineCount(d.src); d.src != nil && n.Line > last {
		return last + d.offset
	}
	return n.Line + d.offset
}

// lineCount is the number of lines in src as YAML counts them: "\r\n",
// "\n" and a lone "\r" each end a line.
func lineCount(src []byte) int {
	n := 1
	for i := 0; i < len(src); i++ {
		switch {
		case src[i] == '\n':
			n++
		case src[i] == '\r' && (i+1 == len(src) || src[i+1] != '\n'):
			n++
		}
	}
	return n
}

// parseDate reads an optional YYYY-MM-DD date.
func parseDate(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

var idRe = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// validID reports whether s can be used as a public id: it becomes part of
// URLs and fragment ids that people share, so only a-z, 0-9 and single hyphens.
func validID(s string) bool { return idRe.MatchString(s) }

// parentLine returns the line of the mapping that holds a key on line, or 0.
func parentLine(n *yaml.Node, line int) int {
	if n == nil {
		return 0
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Line == line {
				return n.Line
			}
		}
	}
	for _, c := range n.Content {
		if l := parentLine(c, line); l > 0 {
			return l
		}
	}
	return 0
}
