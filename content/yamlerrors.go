package content

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The YAML parser speaks of tokens, indicators and contexts, and it locates a
// syntax error at the start of the structure it was reading (line 1 for a
// problem on line 10), or a line early after a tab. This file turns its
// errors into what an editor needs: the line that is wrong, what is wrong
// with it, and what to write instead.

var (
	yamlLineRe   = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	unmarshalRe  = regexp.MustCompile("^cannot unmarshal !!(\\w+)(?: `(.*)`)? into (\\S+)$")
	dupKeyRe     = regexp.MustCompile(`^mapping key "(.*)" already defined at line (\d+)$`)
	unknownKeyRe = regexp.MustCompile(`^field (\S+) not found in type (\S+)$`)
)

// maxLocateLines bounds the search for a syntax error's line, which parses
// ever longer beginnings of the file (content files are a few hundred lines).
const maxLocateLines = 5000

// addYAMLError reports the parser's error (one syntax error, or the list of
// a TypeError) as located defects. offset is the number of file lines before
// src (front matter starts after its "---" line); v is what src was decoded
// into, whose fields are suggested for a misspelt one.
func (c *collector) addYAMLError(file string, src []byte, offset int, err error, v any) {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		for _, m := range te.Errors {
			line, msg := splitYAMLLine(m)
			if line > 0 {
				line += offset
			}
			c.add(file, line, "%s", typeErrorMessage(msg, lineText(src, line-offset), offset, v))
		}
		return
	}
	reported, problem := splitYAMLLine(strings.TrimPrefix(err.Error(), "yaml: "))
	line := locateSyntaxError(src, problem, reported)
	c.add(file, line+offset, "%s", syntaxMessage(problem, lineText(src, line)))
}

// splitYAMLLine separates "line 4: problem" into 4 and "problem".
func splitYAMLLine(m string) (int, string) {
	m = strings.TrimPrefix(m, "yaml: ")
	if sm := yamlLineRe.FindStringSubmatch(m); sm != nil {
		n, _ := strconv.Atoi(sm[1])
		return n, sm[2]
	}
	return 0, m
}

// locateSyntaxError finds the line of a syntax error: the shortest beginning
// of src, cut after a whole line, that fails with the same problem. The
// parser stops at the first token that does not fit, so every longer
// beginning fails the same way and every shorter one does not: a binary
// search finds the line holding the token in a few parses. When no
// beginning fails that way, the parser's own line is the answer.
func locateSyntaxError(src []byte, problem string, reported int) int {
	lines := bytes.SplitAfter(src, []byte("\n"))
	if len(lines) > maxLocateLines {
		return max(reported, 1)
	}
	ends := make([]int, len(lines))
	end := 0
	for i, ln := range lines {
		end += len(ln)
		ends[i] = end
	}
	fails := func(i int) bool {
		var n yaml.Node
		err := yaml.Unmarshal(src[:ends[i]], &n)
		if err == nil {
			return false
		}
		_, p := splitYAMLLine(err.Error())
		return p == problem
	}
	lo, hi := 0, len(lines) // the answer is in [lo, hi); hi means none
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if fails(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	if lo < len(lines) && fails(lo) {
		return lo + 1
	}
	return max(reported, 1)
}

// lineText returns line n (1-based) of src, or "".
func lineText(src []byte, n int) string {
	if n < 1 {
		return ""
	}
	lines := strings.Split(string(src), "\n")
	if n > len(lines) {
		return ""
	}
	return lines[n-1]
}

// yamlValue splits a "key: value" line (or "- key: value", or "- value")
// into its key and value; key is "" for a list item without one.
func yamlValue(ln string) (key, value string) {
	s := strings.TrimLeft(ln, " \t")
	s = strings.TrimPrefix(s, "- ")
	if k, v, ok := strings.Cut(s, ":"); ok && !strings.ContainsAny(k, "\"'[{") {
		return strings.TrimSpace(k), strings.TrimSpace(v)
	}
	return "", strings.TrimSpace(s)
}

// quoted shows how to write a value in quotes, with the editor's own
// words when they are short enough to quote.
func quoted(key, value string) string {
	q := `"` + value + `"`
	if strings.Contains(value, `"`) {
		q = "'" + strings.ReplaceAll(value, "'", "''") + "'"
	}
	if key == "" || len(value) > 60 || strings.HasPrefix(value, `"`) || strings.HasPrefix(value, "'") {
		return `put the whole value in double quotes, for example title: "…"`
	}
	return "put the whole value in quotes: " + key + ": " + q
}

// syntaxMessage rewords a YAML syntax error, looking at the line it is on.
func syntaxMessage(problem, ln string) string {
	key, value := yamlValue(ln)
	field := ""
	if key != "" {
		field = key + ": "
	}
	quoteAdvice := quoted(key, value)
	if key == "" && value != "" && strings.HasPrefix(strings.TrimLeft(ln, " "), "- ") {
		quoteAdvice = `put the whole item in double quotes, for example - "` + strings.ReplaceAll(value, `"`, `\"`) + `"`
		if len(value) > 60 {
			quoteAdvice = `put the whole item in double quotes, for example - "…"`
		}
	}
	expected := strings.HasPrefix(problem, "did not find expected key") || strings.HasPrefix(problem, "did not find expected node content") ||
		strings.HasPrefix(problem, "did not find expected '-' indicator") || strings.HasPrefix(problem, "could not find expected ':'")
	indent := ln[:len(ln)-len(strings.TrimLeft(ln, " \t"))]
	switch {
	case strings.Contains(indent, "\t") || strings.Contains(problem, "tab character"):
		return "this line is indented with a tab: YAML allows only spaces for indentation, so replace the tab with spaces (two per level)"
	case strings.HasPrefix(problem, "control characters are not allowed"):
		return "this line holds an invisible control character: delete it, or retype the line"
	case strings.HasPrefix(problem, "found character that cannot start any token") && (strings.HasPrefix(value, ">") || strings.HasPrefix(value, "|")):
		// ">" and "|" start a block of text, which YAML allows only
		// outside brackets: the line is still inside an unclosed one.
		return fmt.Sprintf("%sthis line is read as part of a list or set of fields that opens with \"[\" or \"{\" on a line above and is not closed: close it with \"]\" or \"}\", or, if the bracket is part of the text, put that value in double quotes", field)
	case strings.HasPrefix(problem, "found character that cannot start any token") && value != "":
		return fmt.Sprintf("%sa value cannot start with %q in YAML: %s", field, value[:1], quoteAdvice)
	case strings.HasPrefix(problem, "did not find expected alphabetic or numeric character"),
		strings.HasPrefix(problem, "found undefined alias"), strings.HasPrefix(problem, "unknown anchor"):
		return fmt.Sprintf("%sa value that starts with \"*\" or \"&\" is read by YAML as a reference to another value, not as text (Markdown emphasis at the start of a value does this): %s", field, quoteAdvice)
	case strings.HasPrefix(problem, "found undefined tag handle"), strings.HasPrefix(problem, "did not find expected tag URI"):
		return fmt.Sprintf("%sa value that starts with \"!\" is read by YAML as a type tag, not as text: %s", field, quoteAdvice)
	case strings.HasPrefix(problem, "found unexpected end of stream") && strings.ContainsAny(value, `"'`):
		return fmt.Sprintf("%sthe quote that opens on this line is never closed: add the closing quote at the end of the value", field)
	case strings.HasPrefix(problem, "did not find expected hexdecimal number"), strings.HasPrefix(problem, "found unknown escape character"):
		return fmt.Sprintf(`%sa backslash inside double quotes starts an escape such as \n: write \\ for a backslash, or use single quotes around the value`, field)
	case strings.HasPrefix(problem, "did not find expected ',' or ']'"):
		return fmt.Sprintf("%sthe list that opens with \"[\" on this line is not closed with \"]\" (or its items are not separated by commas); if the \"[\" is part of the text, %s", field, quoteAdvice)
	case strings.HasPrefix(problem, "did not find expected ',' or '}'"):
		return fmt.Sprintf("%sthe set of fields that opens with \"{\" on this line is not closed with \"}\"; if the \"{\" is part of the text, %s", field, quoteAdvice)
	case strings.HasPrefix(problem, "mapping values are not allowed"):
		if strings.Contains(value, ": ") {
			return fmt.Sprintf("%sthe value contains \": \", which YAML reads as the start of another field: %s", field, quoteAdvice)
		}
		return "this line is indented further than the fields above it: line it up with the other fields at its level"
	case expected && (strings.HasPrefix(value, "[") || strings.HasPrefix(value, "{")):
		return fmt.Sprintf("%sa value that starts with %q is read by YAML as a list or a set of fields, and the rest of the line does not fit: %s", field, value[:1], quoteAdvice)
	case strings.HasPrefix(problem, "did not find expected key") && (strings.HasPrefix(value, `"`) || strings.HasPrefix(value, "'")):
		return fmt.Sprintf("%sthere is more text after the closing quote: a quoted value must end at its closing quote (inside single quotes write '' for an apostrophe, or use double quotes)", field)
	case strings.HasPrefix(problem, "did not find expected key"), strings.HasPrefix(problem, "did not find expected '-' indicator"):
		return "this line does not line up with the lines above it: fields of one item start in the same column, and list items (\"- \") of one list too"
	case strings.HasPrefix(problem, "block sequence entries are not allowed"):
		return "a list item (\"- \") cannot follow a value on the same field: put the list on the lines after the field name, each item starting with \"- \""
	case strings.HasPrefix(problem, "could not find expected ':'"):
		return "this line is not a \"field: value\" line: add the colon after the field name, or, if it continues the text of the line above, indent it under that text"
	case strings.HasPrefix(problem, "found unexpected end of stream"):
		return "the file ends in the middle of a value: check the quotes and brackets on this line"
	}
	return fmt.Sprintf("YAML cannot read this line (%s): check its indentation, colons and quotes", problem)
}

// yamlTypes names the Go types of the raw structs the way an editor thinks
// of them.
func yamlTypeName(goType string) string {
	switch {
	case goType == "string":
		return "a single piece of text"
	case goType == "int":
		return "a whole number, such as 3"
	case goType == "bool":
		return "true or false"
	case strings.HasPrefix(goType, "[]"):
		return `a list (write [first, second], or one "- item" per line)`
	}
	return `fields ("name: value" lines, indented under this one)`
}

var yamlKinds = map[string]string{
	"str": "the text", "int": "the number", "float": "the number", "bool": "the value",
	"seq": "a list", "map": "fields (\"name: value\")", "null": "nothing",
}

// typeErrorMessage rewords an unmarshal error: a value of the wrong kind, an
// unknown field or a field given twice.
func typeErrorMessage(msg, ln string, offset int, v any) string {
	if sm := unknownKeyRe.FindStringSubmatch(msg); sm != nil {
		fields := yamlFields(reflect.TypeOf(v))[sm[2]]
		if len(fields) == 0 {
			return fmt.Sprintf("unknown field %q: check its spelling against the format in the README, or remove it", sm[1])
		}
		guess := ""
		if f := closest(sm[1], fields); f != "" {
			guess = fmt.Sprintf(" (did you mean %q?)", f)
		}
		return fmt.Sprintf("unknown field %q%s: the fields here are %s", sm[1], guess, strings.Join(fields, ", "))
	}
	if sm := dupKeyRe.FindStringSubmatch(msg); sm != nil {
		first, _ := strconv.Atoi(sm[2])
		return fmt.Sprintf("field %q is given twice (first on line %d): keep one of them", sm[1], first+offset)
	}
	sm := unmarshalRe.FindStringSubmatch(msg)
	if sm == nil {
		return msg
	}
	key, _ := yamlValue(ln)
	field := ""
	if key != "" {
		field = key + ": "
	}
	found := yamlKinds[sm[1]]
	if found == "" {
		found = "a value"
	}
	if sm[2] != "" {
		found += " " + strconv.Quote(sm[2])
	}
	hint := ""
	if sm[1] == "map" && sm[3] == "string" {
		hint = `; if the text contains ": ", put it in double quotes`
	}
	return fmt.Sprintf("%sthis should be %s, but YAML read %s%s", field, yamlTypeName(sm[3]), found, hint)
}

// yamlFields maps the name of every struct type reachable from t (as the
// YAML decoder names it, "content.rawFAQItem") to its YAML field names, in
// the order the struct declares them.
func yamlFields(t reflect.Type) map[string][]string {
	out := map[string][]string{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t != nil && (t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map) {
			t = t.Elem()
		}
		if t == nil || t.Kind() != reflect.Struct || out[t.String()] != nil {
			return
		}
		out[t.String()] = []string{}
		for i := range t.NumField() {
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
			if name == "" || name == "-" {
				continue
			}
			out[t.String()] = append(out[t.String()], name)
			walk(t.Field(i).Type)
		}
	}
	walk(t)
	return out
}

// closest returns the field an editor most likely meant by name: the one at
// the smallest edit distance, if that is at most a third of its length.
func closest(name string, fields []string) string {
	best, bestD := "", len(name)/3+1
	for _, f := range fields {
		if d := editDistance(strings.ToLower(name), f); d < bestD {
			best, bestD = f, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, counting a
// swap of two neighbouring letters ("qeustion") as one edit.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range rb {
		d[0][j+1] = j + 1
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
