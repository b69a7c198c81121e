package content

import (
	"fmt"
	"io/fs"
	"os"
	"runtime/debug"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// The minimal valid guide used by the defect, fuzz and synthetic tests. It is
// built in Go so that every test gets a fresh copy to mutate. It has two
// roles, two rows, two FAQ items, two articles and one assessment, and it
// uses every kind of link and reference the loader checks, so that a
// mutation that breaks one of them is caught.
const miniSlug = "mini"

const (
	miniDir        = "guides/" + miniSlug
	miniGuideFile  = miniDir + "/guide.yaml"
	miniCmpFile    = miniDir + "/comparison.yaml"
	miniFAQFile    = miniDir + "/faq.yaml"
	miniMainFile   = miniDir + "/articles/main.md"
	miniOtherFile  = miniDir + "/articles/other.md"
	miniFitFile    = miniDir + "/assessments/fit.yaml"
	miniArticleDir = miniDir + "/articles"
)

const miniGuideYAML = `title: Alpha vs Beta
description: A tiny guide for tests.
summary: Alpha and Beta compared, briefly.
order: 1
roles:
  - id: alpha
    name: Alpha
    short: A
    tagline: Does alpha things
    profile:
      focus: Alpha focus
      core_question: Is alpha right?
      mindset: Alpha mindset
      owns: [the alpha plan]
      lives_in: [alpha documents]
      responsibilities: [alpha duty]
      strengths:
        - title: Alpha strength
          detail: Alpha is *strong*.
      struggles:
        - title: Alpha struggle
          detail: Alpha struggles.
  - id: beta
    name: Beta
    short: B
    tagline: Does beta things
    profile:
      focus: Beta focus
      core_question: Is beta right?
      mindset: Beta mindset
      owns: [the beta plan]
      lives_in: [beta documents]
      responsibilities: [beta duty]
      strengths:
        - title: Beta strength
          detail: Beta is strong.
      struggles:
        - title: Beta struggle
          detail: Beta struggles.
sources:
  - id: src-one
    title: Source one
    author: Someone
    published: 2026-01-02
    url: https://example.com/one
    note: The only source.
`

const miniCmpYAML = `caption: Alpha and Beta compared
dimensions:
  - id: scope
    name: Scope
    note: How far ownership reaches.
    values:
      alpha: Wide
      beta: Narrow
    sources: [src-one]
  - id: horizon
    name: Horizon
    values:
      alpha: Years
      beta: Weeks
    sources_differ: |
      The source is vague here.
      Compare [the scope row](/compare/mini#row-scope).
    sources: [src-one]
`

const miniFAQYAML = `items:
  - id: first-question
    question: What is the first question?
    answer: |
      The first answer.
      See [the horizon row](/compare/mini#row-horizon).
    sources: [src-one]
    see_also: fit:alpha-fit
  - id: second-question
    question: What is the second question?
    answer: |
      The second answer, with a link to [the first](/guides/mini/faq/first-question).
    sources: [src-one]
`

const miniMainMD = `---
title: Alpha or Beta
description: Which of the two roles is which.
author: Tester
published: 2026-01-02
updated: 2026-02-03
tags: [test]
guide: mini
order: 1
tldr:
  - Alpha is wide, Beta is narrow.
sources: [src-one]
---

An intro that links to [the overview](#overview).

## Overview {#overview}

See [the scope row](#row-scope) and [the details](/guides/mini/other#details).

{{comparison}}

## Questions {#questions}

The [first answer](#faq-first-question) is the one people read.

{{faq}}
`

const miniOtherMD = `---
title: The Other Article
description: More about the two roles.
author: Tester
published: 2026-01-05
tags: [test]
guide: mini
order: 2
tldr:
  - There is more to say.
sources: [src-one]
---

## Details {#details}

Back to [the overview](/guides/mini/main#overview) and the [profiles](#profile-alpha).

{{profiles}}

{{tools}}
`

const miniFitYAML = `title: Which fits?
description: A tiny assessment.
intro: |
  Answer two questions.
minutes: 1
factors:
  - id: lean
    label: Lean toward Alpha
scale:
  factor: lean
  low: Beta
  high: Alpha
questions:
  - id: horizon
    prompt: How far ahead do you plan?
    basis: row:horizon
    options:
      - id: far
        label: Far
        weights: {lean: 1}
      - id: near
        label: Near
        weights: {lean: -1}
  - id: scope
    prompt: How wide is your scope?
    basis: article:main#overview
    options:
      - id: wide
        label: Wide
        weights: {lean: 1}
      - id: narrow
        label: Narrow
        weights: {lean: -1}
outcomes:
  - id: alpha-fit
    title: Alpha fits
    when: {lean: {min: 1}}
    summary: You are Alpha.
    explanation: |
      You lean Alpha.
    next_steps:
      - Read [the scope row](/compare/mini#row-scope).
    links: [row:scope, faq:first-question, profile:alpha]
  - id: balanced
    title: Both fit
    when: {lean: {min: 0, max: 0}}
    summary: You are both.
    explanation: |
      You are balanced.
    links: [article:other#details]
  - id: beta-fit
    title: Beta fits
    when: {lean: {max: -1}}
    summary: You are Beta.
    explanation: |
      You lean Beta.
    links: [profile:beta]
`

// miniGuide returns a fresh copy of the minimal valid guide.
func miniGuide() fstest.MapFS {
	return fstest.MapFS{
		miniGuideFile: {Data: []byte(miniGuideYAML)},
		miniCmpFile:   {Data: []byte(miniCmpYAML)},
		miniFAQFile:   {Data: []byte(miniFAQYAML)},
		miniMainFile:  {Data: []byte(miniMainMD)},
		miniOtherFile: {Data: []byte(miniOtherMD)},
		miniFitFile:   {Data: []byte(miniFitYAML)},
	}
}

// lineWith returns the 1-based line of src that contains marker, and fails
// the test unless exactly one line does: expected lines are derived from the
// fixture text, never hard-coded.
func lineWith(t testing.TB, src, marker string) int {
	t.Helper()
	return lineWithNth(t, src, marker, 0)
}

// lineWithNth returns the line of the nth (1-based) line containing marker;
// n == 0 requires the marker to be unique.
func lineWithNth(t testing.TB, src, marker string, n int) int {
	t.Helper()
	var found []int
	for i, l := range strings.Split(src, "\n") {
		if strings.Contains(l, marker) {
			found = append(found, i+1)
		}
	}
	switch {
	case n == 0 && len(found) == 1:
		return found[0]
	case n == 0:
		t.Fatalf("marker %q is on %d lines, want exactly 1:\n%s", marker, len(found), src)
	case n > len(found):
		t.Fatalf("marker %q is on %d lines, want at least %d:\n%s", marker, len(found), n, src)
	}
	return found[n-1]
}

// edit replaces the single occurrence of old with new in file, failing the
// test if old is missing or ambiguous, so a fixture change cannot silently
// turn a mutation into a no-op.
func edit(t testing.TB, m fstest.MapFS, file, old, new string) {
	t.Helper()
	f, ok := m[file]
	if !ok {
		t.Fatalf("edit: no file %s", file)
	}
	src := string(f.Data)
	if n := strings.Count(src, old); n != 1 {
		t.Fatalf("edit %s: %q occurs %d times, want 1", file, old, n)
	}
	m[file] = &fstest.MapFile{Data: []byte(strings.Replace(src, old, new, 1))}
}

// fileText returns the content of a file of m.
func fileText(t testing.TB, m fstest.MapFS, file string) string {
	t.Helper()
	f, ok := m[file]
	if !ok {
		t.Fatalf("no file %s", file)
	}
	return string(f.Data)
}

// mustLoad loads fsys and fails the test with every defect if it does not load.
func mustLoad(t testing.TB, fsys fs.FS) *Site {
	t.Helper()
	site, err := Load(fsys)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if site == nil {
		t.Fatal("Load returned neither a site nor an error")
	}
	return site
}

// loadErrors loads fsys, which must fail, and returns its defects.
func loadErrors(t testing.TB, fsys fs.FS) Errors {
	t.Helper()
	site, err := Load(fsys)
	if err == nil {
		t.Fatal("Load succeeded, want defects")
	}
	if site != nil {
		t.Errorf("Load returned a site together with an error")
	}
	es, ok := AsErrors(err)
	if !ok {
		t.Fatalf("Load error is %T, not Errors: %v", err, err)
	}
	return es
}

// mergeFS copies every regular file of each fsys into one MapFS; a later
// fsys may not overwrite a file of an earlier one.
func mergeFS(t testing.TB, systems ...fs.FS) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	for _, fsys := range systems {
		err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			if _, dup := out[p]; dup {
				return fmt.Errorf("%s is in two of the merged trees", p)
			}
			out[p] = &fstest.MapFile{Data: b}
			return nil
		})
		if err != nil {
			t.Fatalf("merging content trees: %v", err)
		}
	}
	return out
}

// secondGuide is the test-only second guide under testdata/second.
func secondGuide() fs.FS { return os.DirFS("testdata/second") }

// loadRecover calls Load and turns a panic into a returned value, with its stack.
func loadRecover(fsys fs.FS) (site *Site, panicked any, stack []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			panicked, stack = r, debug.Stack()
		}
	}()
	site, err = Load(fsys)
	return site, nil, nil, err
}

// loadEmbedded loads the shipped content and returns its first published
// guide, for the assessment tests that score the shipped instruments
// (whatever the guide and its assessments are called).
func loadEmbedded(t testing.TB) (*Site, *Guide) {
	t.Helper()
	site := mustLoad(t, Embedded())
	pub := site.Published(time.Now())
	if len(pub.Guides) == 0 {
		t.Fatal("the embedded site has no published guide")
	}
	return site, pub.Guides[0]
}
