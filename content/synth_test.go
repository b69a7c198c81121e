package content

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/fstest"
)

// A synthetic content tree for the load benchmarks: n articles spread over
// guides of ten articles each, every article about 1,500 words of Markdown
// with headings, lists, emphasis, and links to its own sections, to the
// guide's comparison rows, FAQ answers and FAQ pages, and to other articles.

const (
	synthArticlesPerGuide = 10
	synthRows             = 12
	synthFAQ              = 10
	synthSections         = 7
)

var synthWords = strings.Fields(`product manager owner team roadmap backlog sprint strategy market customer
stakeholder delivery outcome metric revenue growth research discovery priority scope vision story
acceptance criteria planning review quarter release feature experiment hypothesis evidence interview
decision tradeoff risk dependency engineering design analytics adoption retention pricing positioning
launch feedback iteration velocity capacity estimate alignment leadership ownership accountability
the a of to and in for with on that is it as by from at this which their each when how why what`)

// synthText returns n words of sentence-like prose, on one line.
func synthText(r *rand.Rand, n int) string {
	var b strings.Builder
	start := true
	for i := 0; i < n; i++ {
		w := synthWords[r.IntN(len(synthWords))]
		if start {
			w = strings.ToUpper(w[:1]) + w[1:]
			start = false
		}
		switch e := r.IntN(40); {
		case i == 0: // a YAML plain scalar cannot start with "*"
		case e == 0:
			w = "*" + w + "*"
		case e == 1:
			w = "**" + w + "**"
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
		if r.IntN(14) == 0 || i == n-1 {
			b.WriteByte('.')
			start = true
		}
	}
	return b.String()
}

// synthPara returns n words of prose wrapped at 16 words a line.
func synthPara(r *rand.Rand, n int) string {
	words := strings.Fields(synthText(r, n))
	var lines []string
	for len(words) > 16 {
		lines = append(lines, strings.Join(words[:16], " "))
		words = words[16:]
	}
	return strings.Join(append(lines, strings.Join(words, " ")), "\n")
}

func synthGuideYAML(r *rand.Rand, slug string, order int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "title: Synthetic guide %s\ndescription: %s\nsummary: %s\norder: %d\nroles:\n", slug, synthText(r, 15), synthText(r, 40), order)
	for _, role := range []string{"lead", "owner"} {
		fmt.Fprintf(&b, `  - id: %[1]s
    name: The %[1]s
    short: %[1]s
    tagline: %[2]s
    profile:
      focus: %[2]s
      core_question: %[2]s
      mindset: %[2]s
      owns: [%[3]s, %[4]s]
      lives_in: [%[3]s, %[4]s]
      responsibilities: [%[3]s, %[4]s]
      strengths:
        - title: Strength
          detail: %[5]s
      struggles:
        - title: Struggle
          detail: %[5]s
`, role, synthText(r, 8), "ownership", "strategy", synthText(r, 20))
	}
	b.WriteString("sources:\n  - id: handbook\n    title: The handbook\n    published: 2026-01-01\n    url: https://example.com/handbook\n")
	return b.String()
}

func synthComparisonYAML(r *rand.Rand, slug string) string {
	var b strings.Builder
	b.WriteString("caption: The roles compared\ndimensions:\n")
	for i := range synthRows {
		fmt.Fprintf(&b, "  - id: row%02d\n    name: Dimension %d\n    note: %s\n    values:\n      lead: %s\n      owner: %s\n",
			i, i, synthText(r, 15), synthText(r, 8), synthText(r, 8))
		if i%4 == 0 {
			fmt.Fprintf(&b, "    sources_differ: |\n      %s\n      See [the next row](/compare/%s#row-row%02d).\n", strings.ReplaceAll(synthPara(r, 30), "\n", "\n      "), slug, (i+1)%synthRows)
		}
		b.WriteString("    sources: [handbook]\n")
	}
	return b.String()
}

func synthFAQYAML(r *rand.Rand, slug string) string {
	var b strings.Builder
	b.WriteString("items:\n")
	for i := range synthFAQ {
		fmt.Fprintf(&b, "  - id: question-%02d\n    question: %s?\n    answer: |\n      %s\n\n      Compare [row %d](/compare/%s#row-row%02d) and [the next question](/guides/%s/faq/question-%02d).\n    sources: [handbook]\n",
			i, synthText(r, 8), strings.ReplaceAll(synthPara(r, 70), "\n", "\n      "), i, slug, i%synthRows, slug, (i+1)%synthFAQ)
		if i == 0 {
			b.WriteString("    see_also: fit:lead\n")
		}
	}
	return b.String()
}

func synthFitYAML(slug string) string {
	return `title: Which role fits?
description: A short check.
intro: |
  Three questions.
minutes: 1
factors:
  - id: lean
    label: Lean toward the lead role
scale:
  factor: lean
  low: Owner
  high: Lead
questions:
  - id: q1
    prompt: First?
    basis: row:row01
    options:
      - {id: a, label: A, weights: {lean: 1}}
      - {id: b, label: B, weights: {lean: -1}}
  - id: q2
    prompt: Second?
    basis: faq:question-02
    options:
      - {id: a, label: A, weights: {lean: 1}}
      - {id: b, label: B, weights: {lean: -1}}
  - id: q3
    prompt: Third?
    basis: article:article-01#section-2
    options:
      - {id: a, label: A, weights: {lean: 1}}
      - {id: b, label: B, weights: {lean: -1}}
outcomes:
  - id: lead
    title: Lead
    when: {lean: {min: 1}}
    summary: Lead.
    explanation: |
      You lean toward [the lead role](/compare/` + slug + `#profile-lead).
    links: [row:row00, profile:lead]
  - id: owner
    title: Owner
    when: {lean: {max: -1}}
    summary: Owner.
    explanation: |
      You lean toward the owner role.
    links: [row:row00, profile:owner]
`
}

// synthArticle writes one article of about 1,500 words. Article 0 of each
// guide places the comparison and the FAQ, article 1 the profiles, and
// article 2 the tools.
func synthArticle(r *rand.Rand, slug string, i, articles int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `---
title: "Article %d of %s"
description: %s
author: Synthetic
published: 2026-01-%02d
updated: 2026-02-%02d
tags: [synthetic, benchmark]
guide: %s
order: %d
tldr:
  - %s
  - %s
sources: [handbook]
---

%s

`, i, slug, synthText(r, 15), 1+i%28, 1+i%28, slug, i, synthText(r, 15), synthText(r, 15), synthPara(r, 60))
	for s := range synthSections {
		fmt.Fprintf(&b, "## Section %d of article %d {#section-%d}\n\n", s, i, s)
		fmt.Fprintf(&b, "%s See [the previous section](#section-%d) and [row %d](/compare/%s#row-row%02d).\n\n",
			synthPara(r, 60), (s+synthSections-1)%synthSections, s, slug, (s+i)%synthRows)
		fmt.Fprintf(&b, "%s The answer to [question %d](/guides/%s/article-00#faq-question-%02d) is also on [its own page](/guides/%s/faq/question-%02d).\n\n",
			synthPara(r, 45), s, slug, s%synthFAQ, slug, s%synthFAQ)
		for k := range 4 {
			fmt.Fprintf(&b, "- **Point %d.** %s\n", k, synthText(r, 12))
		}
		fmt.Fprintf(&b, "\n### Detail %d.%d\n\n%s Read on in [article %d](/guides/%s/article-%02d#section-%d).\n\n",
			i, s, synthPara(r, 25), (i+1)%articles, slug, (i+1)%articles, (s+1)%synthSections)
		switch {
		case i == 0 && s == 1:
			b.WriteString("{{comparison}}\n\n")
		case i == 0 && s == synthSections-1:
			b.WriteString("{{faq}}\n\n")
		case i == 1 && s == 2:
			b.WriteString("{{profiles}}\n\n")
		case i == 2 && s == 3:
			b.WriteString("{{tools}}\n\n")
		}
	}
	return b.String()
}

// syntheticFS builds a content tree of n articles, deterministically.
func syntheticFS(n int) fstest.MapFS {
	r := rand.New(rand.NewPCG(uint64(n), 42))
	m := fstest.MapFS{}
	for gi := 0; gi*synthArticlesPerGuide < n; gi++ {
		slug := fmt.Sprintf("synthetic-%03d", gi)
		dir := "guides/" + slug
		articles := min(synthArticlesPerGuide, n-gi*synthArticlesPerGuide)
		m[dir+"/guide.yaml"] = &fstest.MapFile{Data: []byte(synthGuideYAML(r, slug, gi))}
		m[dir+"/comparison.yaml"] = &fstest.MapFile{Data: []byte(synthComparisonYAML(r, slug))}
		m[dir+"/faq.yaml"] = &fstest.MapFile{Data: []byte(synthFAQYAML(r, slug))}
		m[dir+"/assessments/fit.yaml"] = &fstest.MapFile{Data: []byte(synthFitYAML(slug))}
		for i := range articles {
			m[fmt.Sprintf("%s/articles/article-%02d.md", dir, i)] = &fstest.MapFile{Data: []byte(synthArticle(r, slug, i, articles))}
		}
	}
	return m
}

// The synthetic tree is valid content, so the benchmarks measure a real load.
func TestSyntheticContentLoads(t *testing.T) {
	for _, n := range []int{3, 25} {
		m := syntheticFS(n)
		site := mustLoad(t, m)
		articles := 0
		for _, g := range site.Guides {
			articles += len(g.Articles)
			for _, a := range g.Articles {
				words := len(strings.Fields(string(m[fmt.Sprintf("guides/%s/articles/%s.md", g.Slug, a.Slug)].Data)))
				if words < 1300 || words > 1800 {
					t.Errorf("%s/%s has %d words, want about 1,500", g.Slug, a.Slug, words)
				}
				if len(a.TOC) < 2*synthSections {
					t.Errorf("%s/%s has %d TOC entries", g.Slug, a.Slug, len(a.TOC))
				}
			}
		}
		if articles != n || len(site.Guides) != (n+synthArticlesPerGuide-1)/synthArticlesPerGuide {
			t.Errorf("n=%d: %d articles in %d guides", n, articles, len(site.Guides))
		}
	}
}
