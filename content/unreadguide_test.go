package content

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// embeddedMap copies the shipped content into a map an editor's mistake
// can be made in.
func embeddedMap(t *testing.T) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(Embedded(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(Embedded(), p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// When a guide's guide.yaml cannot be read, its roles are unknown: the
// editor gets the one message that says what is wrong in guide.yaml, not
// one "unknown role" for every cell of every other file of the guide.
func TestBrokenGuideFileIsTheOnlyRoleError(t *testing.T) {
	m := embeddedMap(t)
	var guideFile string
	for p := range m {
		if strings.HasSuffix(p, "/guide.yaml") && strings.HasPrefix(p, "guides/") {
			guideFile = p
			break
		}
	}
	if guideFile == "" {
		t.Fatal("the shipped content has no guide.yaml")
	}
	// A quote left open on line 1: YAML cannot read the file at all.
	m[guideFile].Data = append([]byte("title: \"The guide's title\n"), m[guideFile].Data...)
	es := loadErrors(t, m)
	for _, e := range es {
		if strings.Contains(e.Msg, "unknown role") || strings.Contains(e.Msg, "unknown party") {
			t.Errorf("%v: a consequence of guide.yaml's error, not a defect of its own", e)
		}
	}
	if !strings.Contains(es.Error(), guideFile+":") {
		t.Errorf("no defect names %s:\n%v", guideFile, es)
	}
}
