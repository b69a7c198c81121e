package content

import (
	"fmt"
	"reflect"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// The YAML library checks for unknown keys only while it decodes from text
// (Decoder.KnownFields); decoding from a node tree, which the loader keeps
// anyway for its line numbers, has no such mode. Rather than parse every
// file twice, decodeYAML parses it once into a node, decodes the node, and
// unknownFields finds the keys KnownFields would have refused, worded as the
// library words them ("line 4: field titel not found in type
// content.rawGuide"), so that the messages built from them stay the same.

// unknownFields walks n as the decoder does when it decodes n into a value
// of type t, and returns one message for each mapping key that names no
// field of the struct it would fill.
func unknownFields(n *yaml.Node, t reflect.Type) []string {
	var out []string
	walkKnown(n, t, &out, 0)
	return out
}

// maxKnownDepth stops a walk through aliases that refer to each other; the
// decoder itself refuses such documents.
const maxKnownDepth = 100

var (
	nodeType        = reflect.TypeFor[yaml.Node]()
	unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()
)

func walkKnown(n *yaml.Node, t reflect.Type, out *[]string, depth int) {
	if n == nil || depth > maxKnownDepth {
		return
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 1 {
			walkKnown(n.Content[0], t, out, depth+1)
		}
		return
	case yaml.AliasNode:
		walkKnown(n.Alias, t, out, depth+1)
		return
	}
	// As the decoder's prepare: a null leaves a pointer nil, a type with its
	// own UnmarshalYAML decodes itself (without the check).
	for {
		if t == nodeType || reflect.PointerTo(t).Implements(unmarshalerType) || t.Implements(unmarshalerType) {
			return
		}
		if t.Kind() != reflect.Pointer {
			break
		}
		if n.ShortTag() == "!!null" {
			return
		}
		t = t.Elem()
	}
	switch n.Kind {
	case yaml.SequenceNode:
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			for _, c := range n.Content {
				walkKnown(c, t.Elem(), out, depth+1)
			}
		}
	case yaml.MappingNode:
		if hasDuplicateKey(n) {
			return // the decoder reports it and leaves the whole mapping out
		}
		switch t.Kind() {
		case reflect.Map:
			for i := 0; i+1 < len(n.Content); i += 2 {
				walkKnown(n.Content[i+1], t.Elem(), out, depth+1)
			}
		case reflect.Struct:
			walkStruct(n, t, out, depth)
		}
	}
}

func hasDuplicateKey(n *yaml.Node) bool {
	for i := 0; i < len(n.Content); i += 2 {
		for j := i + 2; j < len(n.Content); j += 2 {
			if n.Content[i].Kind == n.Content[j].Kind && n.Content[i].Value == n.Content[j].Value {
				return true
			}
		}
	}
	return false
}

func walkStruct(n *yaml.Node, t reflect.Type, out *[]string, depth int) {
	info := yamlStruct(t)
	done := map[string]bool{}
	var merge *yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			merge = v
			continue
		}
		if k.Kind != yaml.ScalarNode || k.ShortTag() == "!!null" {
			// A key that is not text is a type error, and the decoder skips
			// a null one.
			continue
		}
		name := k.Value
		if ft, ok := info.fields[name]; ok {
			if !done[name] {
				done[name] = true
				walkKnown(v, ft, out, depth+1)
			}
			continue
		}
		if info.inlineMap != nil {
			walkKnown(v, info.inlineMap, out, depth+1)
			continue
		}
		*out = append(*out, fmt.Sprintf("line %d: field %s not found in type %s", k.Line, name, t))
	}
	if merge != nil {
		switch merge.Kind {
		case yaml.SequenceNode:
			for _, m := range merge.Content {
				walkKnown(m, t, out, depth+1)
			}
		default:
			walkKnown(merge, t, out, depth+1)
		}
	}
}

// structFields is what the decoder knows of a struct type: the type of the
// field behind each key, with ",inline" structs flattened into it, and the
// element type of an ",inline" map, which takes every other key.
type structFields struct {
	fields    map[string]reflect.Type
	inlineMap reflect.Type
}

var structCache sync.Map // reflect.Type -> *structFields

func yamlStruct(t reflect.Type) *structFields {
	if s, ok := structCache.Load(t); ok {
		return s.(*structFields)
	}
	s := &structFields{fields: map[string]reflect.Type{}}
	addFields(s, t)
	structCache.Store(t, s)
	return s
}

func addFields(s *structFields, t reflect.Type) {
	for i := range t.NumField() {
		f := t.Field(i)
		if f.PkgPath != "" && !f.Anonymous {
			continue // unexported
		}
		tag := f.Tag.Get("yaml")
		if tag == "" && !strings.Contains(string(f.Tag), ":") {
			tag = string(f.Tag)
		}
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		inline := false
		for _, o := range strings.Split(opts, ",") {
			inline = inline || o == "inline"
		}
		if inline {
			switch ft := f.Type; {
			case ft.Kind() == reflect.Map:
				s.inlineMap = ft.Elem()
			case ft.Kind() == reflect.Struct:
				addFields(s, ft)
			case ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Struct:
				addFields(s, ft.Elem())
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		s.fields[name] = f.Type
	}
}
