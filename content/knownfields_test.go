package content

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"reflect"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// decodeText is how files were decoded before decodeYAML parsed them once:
// a second parse of the text with KnownFields. decodeNode must agree with
// it on every input, in the values decoded and in the messages.
func decodeText(src []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

// rawTargets makes a fresh value of each type a content file decodes into.
var rawTargets = map[string]func() any{
	"guide":      func() any { return &rawGuide{} },
	"comparison": func() any { return &rawComparison{} },
	"faq":        func() any { return &rawFAQ{} },
	"assessment": func() any { return &rawAssessment{} },
	"decisions":  func() any { return &rawDecisions{} },
	"hiring":     func() any { return &rawHiring{} },
	"week":       func() any { return &rawWeek{} },
	"front":      func() any { return &rawFront{} },
}

func checkDecodeOnce(t *testing.T, src []byte, target string) {
	t.Helper()
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil || len(root.Content) == 0 {
		return // a syntax error or an empty file never reaches the decoding
	}
	want, got := rawTargets[target](), rawTargets[target]()
	wantErr, gotErr := decodeText(src, want), decodeNode(&root, got)
	if !reflect.DeepEqual(errorLines(wantErr), errorLines(gotErr)) {
		t.Fatalf("decoding %q as %s:\nparsing the text twice says %v\nparsing once says         %v", src, target, wantErr, gotErr)
	}
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("decoding %q as %s gave different values:\n%#v\n%#v", src, target, want, got)
	}
}

func errorLines(err error) []string {
	if err == nil {
		return nil
	}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		// In the order an editor sees them: Load sorts defects by line.
		return slices.Sorted(slices.Values(te.Errors))
	}
	return []string{err.Error()}
}

// Every YAML file of the shipped content, and of each with its keys
// misspelt, decodes the same way parsed once as parsed twice.
func TestDecodeOnceMatchesKnownFields(t *testing.T) {
	err := fs.WalkDir(Embedded(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := fs.ReadFile(Embedded(), p)
		if err != nil {
			return err
		}
		target := strings.TrimSuffix(p[strings.LastIndex(p, "/")+1:], ".yaml")
		switch {
		case strings.Contains(p, "/assessments/"):
			target = "assessment"
		case strings.HasSuffix(p, ".md"):
			target = "front"
			src, _, _ = bytes.Cut(bytes.TrimPrefix(src, []byte("---\n")), []byte("\n---"))
		}
		if rawTargets[target] == nil {
			t.Fatalf("%s: no raw type for it in rawTargets", p)
		}
		checkDecodeOnce(t, src, target)
		// Misspell every key in turn's first letter, and give a list where a
		// text is expected, to exercise the unknown-field and type errors.
		checkDecodeOnce(t, bytes.ReplaceAll(src, []byte("id:"), []byte("di:")), target)
		checkDecodeOnce(t, bytes.ReplaceAll(src, []byte("title:"), []byte("title: [x]\n  titel:")), target)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func FuzzDecodeOnce(f *testing.F) {
	for _, seed := range []string{
		"items:\n  - id: a\n    questoin: q\n",
		"items:\n  - id: a\n    id: b\n    extra: 1\n",
		"a: &x {id: a, bogus: 1}\nitems: [*x]\n",
		"items:\n  - <<: {id: a, nope: 2}\n    question: q\n",
		"items: {id: a}\nwrong: 1\n",
		"items:\n  - ~: 1\n    1: 2\n    [a]: b\n",
		"title: [a]\ntitel: b\n",
	} {
		for target := range rawTargets {
			f.Add(seed, target)
		}
	}
	f.Fuzz(func(t *testing.T, src, target string) {
		if rawTargets[target] == nil {
			return
		}
		checkDecodeOnce(t, []byte(src), target)
	})
}
