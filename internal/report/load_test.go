package report

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestWriteAndLoad(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	r := sampleResult()
	paths, err := Write(dir, r, []string{"json", "md", "html", "junit", "text", "md"}, "nl")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range paths {
		names = append(names, filepath.Base(p))
	}
	if got := strings.Join(names, ","); got != "result.json,report.md,report.html,junit.xml,summary.txt" {
		t.Errorf("written = %s", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 5 {
		var all []string
		for _, e := range entries {
			all = append(all, e.Name())
		}
		t.Errorf("dir holds %v; a temporary file was left behind?", all)
	}
	md, _ := os.ReadFile(filepath.Join(dir, "report.md"))
	if string(md) != render(t, r, "md", "nl") {
		t.Errorf("report.md differs from RenderMarkdown")
	}
	back, err := Load(filepath.Join(dir, "result.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !back.Started.Equal(r.Started) {
		t.Errorf("started = %v, want %v", back.Started, r.Started)
	}
	back.Started, back.Finished = r.Started, r.Finished
	for i := range back.Steps {
		back.Steps[i].Started = r.Steps[i].Started
	}
	if !reflect.DeepEqual(back, r) {
		t.Errorf("loaded document differs from the written one")
	}
	// Writing again replaces the files in place.
	if _, err := Write(dir, r, []string{"text"}, "en"); err != nil {
		t.Fatal(err)
	}
	if txt, _ := os.ReadFile(filepath.Join(dir, "summary.txt")); !strings.HasPrefix(string(txt), "Evaluation report") {
		t.Errorf("summary.txt was not replaced: %.30q", txt)
	}
}

func TestWriteRefusesBeforeWriting(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if _, err := Write(dir, sampleResult(), []string{"md", "pdf"}, "nl"); err == nil || !strings.Contains(err.Error(), `"pdf"`) {
		t.Errorf("unknown format: err = %v", err)
	}
	if _, err := Write(dir, sampleResult(), []string{"md"}, "fr"); err == nil || !strings.Contains(err.Error(), "en, nl") {
		t.Errorf("unknown language: err = %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("output directory was created although nothing could be written")
	}
	if _, err := Write(dir, nil, []string{"md"}, "nl"); err == nil {
		t.Errorf("nil result accepted")
	}
}

func TestLoadRefuses(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct{ name, content, want string }{
		{"newer.json", `{"schema": 2, "kind": "run", "future_field": true}`, "schema version 2, but this proeftuin reads up to version 1"},
		{"noschema.json", `{"kind": "run"}`, `no "schema" field`},
		{"zero.json", `{"schema": 0}`, "invalid schema version 0"},
		{"broken.json", `{"schema": 1,`, "not a valid result document"},
		{"wrongtype.json", `{"schema": 1, "steps": "many"}`, "not a valid result document"},
	}
	for _, c := range cases {
		_, err := Load(write(c.name, c.content))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want it to mention %q", c.name, err, c.want)
		}
	}
	if _, err := Load(filepath.Join(dir, "missing.json")); err == nil {
		t.Errorf("missing file accepted")
	}
	// The current version with an unknown, added field is read.
	r, err := Load(write("ok.json", `{"schema": 1, "kind": "check", "added_later": 1}`))
	if err != nil || r.Kind != "check" {
		t.Errorf("current schema with an extra field: %v, %+v", err, r)
	}
}

func TestGoldenInputLoads(t *testing.T) {
	r, err := Load(filepath.Join("testdata", "result.json.golden"))
	if err != nil {
		t.Fatal(err)
	}
	if render(t, r, "html", "en") != render(t, sampleResult(), "html", "en") {
		t.Errorf("the stored golden input renders differently from the fixture")
	}
}

// TestDocumentWithoutPhrasesRenders: a result.json written before checks
// carried phrases shows their expected and actual text as stored.
func TestDocumentWithoutPhrasesRenders(t *testing.T) {
	r, err := Load(filepath.Join("testdata", "result-before-phrases.json"))
	if err != nil {
		t.Fatal(err)
	}
	out := render(t, r, "md", "nl")
	for _, want := range []string{"exit code 1 \\| nginx: \\[emerg\\]", "db:3306 not reachable"} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks the stored text %q", want)
		}
	}
}
