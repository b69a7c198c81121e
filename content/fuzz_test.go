package content

import (
	"bytes"
	"errors"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"
)

// FuzzParseAnswers feeds raw query strings, as a result link or a form post
// would carry them, to the first shipped assessment.
func FuzzParseAnswers(f *testing.F) {
	a := shippedAssessments(f)[0]
	full := Answers{}
	for _, q := range a.Questions {
		full[q.ID] = q.Options[0].ID
	}
	for _, seed := range []string{
		"",
		a.Query(full),
		"roadmap=me",
		"roadmap=me&reporting=",
		"roadmap=me&roadmap=handed",
		"roadmap=me;reporting=mixed",
		"nope=1",
		"roadmap=%zz",
		"roadmap=" + strings.Repeat("€", 30),
		"=&=&&",
		"%00=%00",
		"roadmap=me&" + strings.Repeat("x", 100) + "=1",
		"ROADMAP=ME",
		"roadmap=me+",
		"roadmap=%6De",
		"roadmap=\"><script>alert(1)</script>",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, _ := url.ParseQuery(raw) // a partial parse is still handed on, as a handler might
		ans, missing, err := a.ParseAnswers(v)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("ParseAnswers(%q) error %T %v, want *InputError", raw, err, err)
			}
			if ans != nil || missing != nil {
				t.Fatalf("ParseAnswers(%q) returned answers with an error", raw)
			}
			// The message quotes at most 40 bytes of each submitted string.
			if len(ie.Msg) > 400 {
				t.Fatalf("ParseAnswers(%q): a %d-byte message", raw, len(ie.Msg))
			}
			return
		}
		for q, o := range ans {
			if qq := a.Question(q); qq == nil || qq.Option(o) == nil {
				t.Fatalf("ParseAnswers(%q) accepted %s=%s", raw, q, o)
			}
		}
		if len(ans)+len(missing) != len(a.Questions) {
			t.Fatalf("ParseAnswers(%q): %d answers + %d missing for %d questions", raw, len(ans), len(missing), len(a.Questions))
		}
		last := -1
		for _, q := range missing {
			i := indexOfQuestion(a, q)
			if i <= last {
				t.Fatalf("ParseAnswers(%q): missing questions out of order", raw)
			}
			last = i
			if _, ok := ans[q.ID]; ok {
				t.Fatalf("ParseAnswers(%q): %s both answered and missing", raw, q.ID)
			}
		}
		if len(missing) > 0 {
			return
		}
		res, err := a.Score(ans)
		if err != nil || res.Outcome == nil {
			t.Fatalf("Score of complete answers from %q: %v", raw, err)
		}
		// The canonical link round-trips.
		back, _ := url.ParseQuery(a.Query(ans))
		again, missing, err := a.ParseAnswers(back)
		if err != nil || len(missing) != 0 || !mapsEqual(again, ans) {
			t.Fatalf("canonical link of %q does not round-trip: %v %v", raw, again, err)
		}
	})
}

func indexOfQuestion(a *Assessment, q *Question) int {
	for i, x := range a.Questions {
		if x == q {
			return i
		}
	}
	return -1
}

// FuzzSplitFrontMatter checks that splitting never panics and that, when it
// finds front matter, the front matter and the body are the input's own
// bytes, in place, with the body's line number right.
func FuzzSplitFrontMatter(f *testing.F) {
	for _, seed := range []string{
		miniMainMD,
		miniOtherMD,
		"",
		"---",
		"---\n",
		"---\n---\n",
		"---\n---",
		"---\ntitle: x\n---",
		"---\ntitle: x\n---\nbody",
		"\xef\xbb\xbf---\r\ntitle: x\r\n---\r\nbody\r\n",
		"---\r\n---\r\n",
		"no front matter\n---\n",
		"---\na: 1\n----\nb\n---\n",
		"---\n\n---\n\n---\n",
		"\r\n---\n",
		"---\n\x00\n---\n\x00",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		in := bytes.Clone(src)
		front, body, bodyLine, ok := splitFrontMatter(src)
		if !bytes.Equal(src, in) {
			t.Fatal("splitFrontMatter modified its input")
		}
		norm := bytes.TrimPrefix(in, []byte("\xef\xbb\xbf"))
		norm = bytes.ReplaceAll(norm, []byte("\r\n"), []byte("\n"))
		if !ok {
			if front != nil || bodyLine != 1 || !bytes.Equal(body, norm) {
				t.Fatalf("no front matter in %q, but front %q, body %q, line %d", src, front, body, bodyLine)
			}
			return
		}
		if 4+len(front)+len(body) > len(norm) || !bytes.HasPrefix(norm, []byte("---\n")) {
			t.Fatalf("%q: front %q and body %q are not within the input", src, front, body)
		}
		if !bytes.HasPrefix(norm[4:], front) || !bytes.HasSuffix(norm, body) || !bytes.HasSuffix(front, []byte("\n")) {
			t.Fatalf("%q: front %q or body %q is not in place", src, front, body)
		}
		between := norm[4+len(front) : len(norm)-len(body)]
		switch string(between) {
		case "---\n":
			if want := bytes.Count(norm[:len(norm)-len(body)], []byte("\n")) + 1; bodyLine != want {
				t.Fatalf("%q: bodyLine = %d, want %d", src, bodyLine, want)
			}
		case "---":
			if len(body) != 0 {
				t.Fatalf("%q: a body after a closing --- without a newline", src)
			}
		default:
			t.Fatalf("%q: front matter closed by %q", src, between)
		}
		if bytes.Contains(front[:len(front)-1], []byte("\n---\n")) {
			t.Fatalf("%q: the front matter %q runs past its first closing line", src, front)
		}
	})
}

// miniFront is the front matter of the minimal guide's main article.
var miniFront = miniMainMD[:strings.Index(miniMainMD, "\n---\n")+5]

// FuzzLoadArticle replaces the body of an article of the minimal guide and
// loads the whole guide: Load never panics, and either succeeds or reports
// located defects.
func FuzzLoadArticle(f *testing.F) {
	for _, seed := range []string{
		miniMainMD[len(miniFront):],
		"",
		"{{faq}}\n",
		"{{faq}}\n{{faq}}\n",
		"{{faq}}\n\n{{comparison}}\n\n{{profiles}}\n\n{{tools}}\n",
		"{{ faq }}\n\n{{nope}}\n\n{{}}\n\n{{faq}} and more\n",
		"# Title\n\n## A\n\n## A\n\n### a\n\n{{faq}}\n",
		"## Heading {#row-scope}\n\n{{comparison}}\n\n## Again {#row-scope}\n{{faq}}\n",
		"## Heading {#main}\n\n## {#}\n\n## {#-}\n\n## x {.cls #id-1 data-x=1}\n{{faq}}\n",
		"## Numbered {id=5}\n\n{{faq}}\n",
		"Setext\n======\n\nOther\n------\n{{faq}}\n",
		"- {{faq}}\n- ## heading\n\n> ## quoted\n> {{faq}}\n",
		"[a](#nope) [b](/nope) [c](//x) [d](mailto:x) ![e](#) <https://x> [f](/compare/mini#row-x)\n{{faq}}\n",
		"[**a**\n](#nope)\n\n[`x`](#y)\n{{faq}}\n",
		"```\n{{faq}}\n## not a heading\n```\n\n{{faq}}\n",
		"    {{faq}}\n\n{{faq}}\n",
		"<div>{{faq}}</div>\n\n<script>alert(1)</script>\n{{faq}}\n",
		"| a | b |\n|---|---|\n| [x](#nope) | {{faq}} |\n\n{{faq}}\n",
		"---\ntitle: again\n---\n{{faq}}\n",
		"\r\n## CRLF {#crlf}\r\n\r\n{{faq}}\r\n",
		"\x00\xff\xfe{{faq\n}}\n",
		strings.Repeat("> ", 200) + "deep\n\n{{faq}}\n",
		strings.Repeat("- ", 200) + "deep\n\n{{faq}}\n",
		strings.Repeat("[", 500) + strings.Repeat("]", 500) + "\n{{faq}}\n",
		"## Über café {#}\n\n## 日本語\n\n## !!!\n\n{{faq}}\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		m := miniGuide()
		m[miniMainFile] = &fstest.MapFile{Data: []byte(miniFront + body)}
		site, p, stack, err := loadRecover(m)
		if p != nil {
			t.Fatalf("Load panicked on the body %q: %v\n%s", body, p, stack)
		}
		if err == nil {
			if site == nil || site.Guide(miniSlug) == nil || site.Guide(miniSlug).FAQHome == nil {
				t.Fatalf("Load succeeded without a complete guide for %q", body)
			}
			return
		}
		if site != nil {
			t.Fatalf("Load returned a site and an error for %q", body)
		}
		es, ok := AsErrors(err)
		if !ok || len(es) == 0 {
			t.Fatalf("Load error for %q is not Errors: %T %v", body, err, err)
		}
		for _, e := range es {
			if e.File == "" || e.Msg == "" || e.Line < 0 {
				t.Fatalf("unlocated defect for %q: %#v", body, e)
			}
			if mf, ok := m[e.File]; ok {
				if lines := lineCount(mf.Data); e.Line > lines {
					t.Fatalf("defect %v for %q is past the end of the file (%d lines)", e, body, lines)
				}
			}
		}
	})
}

// FuzzLoadYAML replaces faq.yaml of the minimal guide and loads the whole
// guide: Load never panics, and every defect is located inside its file
// (the YAML error rewording looks up the line it names).
func FuzzLoadYAML(f *testing.F) {
	for _, seed := range []string{
		miniFAQYAML,
		"items:\n\t- id: x\n",
		"items:\n  - id: x\n   question: q\n",
		"items: [a\n",
		"items:\n  - id: 'it's'\n",
		"items:\n  - question: *bold*\n",
		"items:\n  - question: \"C:\\x\"\n",
		"items:\n  - id: a\n    id: b\n",
		"items:\n  - id: a\n---\nmore: 1\n",
		"\xff\xfe",
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		m := miniGuide()
		m[miniFAQFile] = &fstest.MapFile{Data: []byte(src)}
		_, p, stack, err := loadRecover(m)
		if p != nil {
			t.Fatalf("Load panicked on faq.yaml %q: %v\n%s", src, p, stack)
		}
		es, _ := AsErrors(err)
		for _, e := range es {
			if e.File == "" || e.Msg == "" || e.Line < 0 {
				t.Fatalf("unlocated defect for %q: %#v", src, e)
			}
			if e.File == miniFAQFile && e.Line > lineCount([]byte(src)) {
				t.Fatalf("defect %v for %q is past the end of the file", e, src)
			}
		}
	})
}
