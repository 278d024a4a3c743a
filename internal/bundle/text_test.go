package bundle

import (
	"strings"
	"testing"
)

func TestImportWriteText(t *testing.T) {
	m := &Manifest{Environment: "hello", Title: "Hallo", LabHash: "abc", ToolVersion: "v1"}
	r := &ImportResult{Manifest: m, Dir: "/x/hello", Files: 1, Loaded: []string{"a:1", "b:2"}, Missing: []string{"c:3"}}
	var out, errw strings.Builder
	r.WriteText(&out, &errw, Inspection{Loaded: true, Hash: "abc", Unsafe: []string{"privileged"}}, func(p string) string { return "rel" + p })
	want := "imported lab hello (Hallo) into rel/x/hello: 1 file, 2 images loaded (a:1, b:2)\n" +
		"checked: every entry's SHA-256; lab hash matches the export (made by proeftuin v1)\n" +
		"next: proeftuin --dir rel/x/hello up\n"
	if out.String() != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out.String(), want)
	}
	for _, s := range []string{"  - privileged\n", "the engine lacks c:3"} {
		if !strings.Contains(errw.String(), s) {
			t.Errorf("stderr lacks %q:\n%s", s, errw.String())
		}
	}
	var warn strings.Builder
	Inspection{Loaded: true, Hash: "def"}.WriteHashWarning(&warn, m)
	if !strings.Contains(warn.String(), "differs from the exported") {
		t.Errorf("no hash warning: %q", warn.String())
	}
}
