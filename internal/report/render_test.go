package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run `go test ./internal/report -update` to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run with -update if the change is intended.\n%s", path, firstDiff(string(want), string(got)))
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n want %q\n got  %q", i+1, w, g)
		}
	}
	return "(no line differs)"
}

func render(t *testing.T, r *Result, format, lang string) string {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, r, format, lang); err != nil {
		t.Fatalf("Render(%s, %s): %v", format, lang, err)
	}
	return b.String()
}

func TestGolden(t *testing.T) {
	r := sampleResult()
	ext := map[string]string{"md": "md", "html": "html", "junit": "xml", "text": "txt"}
	for _, lang := range []string{"nl", "en"} {
		for _, format := range []string{"md", "html", "junit", "text"} {
			t.Run(format+"-"+lang, func(t *testing.T) {
				out := render(t, r, format, lang)
				golden(t, fmt.Sprintf("report.%s.%s.golden", lang, ext[format]), []byte(out))
				// Rendering is deterministic.
				if again := render(t, r, format, lang); again != out {
					t.Errorf("second rendering differs")
				}
			})
		}
	}
	// The golden input: the document itself, also the fuzz seed.
	golden(t, "result.json.golden", []byte(render(t, r, "json", "")))
}

func TestCataloguesHaveSameKeys(t *testing.T) {
	verbs := regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)
	nl, en := catalogues["nl"], catalogues["en"]
	for k, v := range nl {
		e, ok := en[k]
		if !ok {
			t.Errorf("key %q is in nl but not in en", k)
			continue
		}
		if a, b := verbs.FindAllString(v, -1), verbs.FindAllString(e, -1); strings.Join(a, ",") != strings.Join(b, ",") {
			t.Errorf("key %q: nl verbs %v, en verbs %v", k, a, b)
		}
		if strings.TrimSpace(v) == "" {
			t.Errorf("key %q: empty nl message", k)
		}
	}
	for k := range en {
		if _, ok := nl[k]; !ok {
			t.Errorf("key %q is in en but not in nl", k)
		}
	}
	if len(catalogues) != 2 {
		t.Errorf("languages = %v; add the new one to this test", Languages())
	}
}

// TestRenderersUseOnlyKnownKeys finds every literal key the renderers pass
// to T and checks the catalogue has it, so no report shows a raw key.
func TestRenderersUseOnlyKnownKeys(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	files = append(files, "report.html.tmpl")
	re := regexp.MustCompile(`\bT\(?\s*"([a-z_.]+)"\s*[,)}]`)
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			seen++
			if _, ok := catalogues["en"][m[1]]; !ok {
				t.Errorf("%s uses key %q that the catalogue lacks", f, m[1])
			}
		}
	}
	if seen < 50 {
		t.Errorf("found only %d uses of T; is the pattern still right?", seen)
	}
}

func TestUnknownLanguageAndFormat(t *testing.T) {
	r := sampleResult()
	for _, f := range []string{"md", "html", "junit", "text", "json"} {
		err := Render(&bytes.Buffer{}, r, f, "de")
		if err == nil || !strings.Contains(err.Error(), "en, nl") {
			t.Errorf("%s with lang de: err = %v, want one listing en, nl", f, err)
		}
	}
	err := Render(&bytes.Buffer{}, r, "pdf", "nl")
	if err == nil || !strings.Contains(err.Error(), "md") {
		t.Errorf("format pdf: err = %v, want one listing the formats", err)
	}
	for _, l := range []string{"", "NL", "nl_NL.UTF-8", "en-GB"} {
		if _, err := catalogue(l); err != nil {
			t.Errorf("catalogue(%q): %v", l, err)
		}
	}
	if m, _ := catalogue(""); m.lang != "nl" {
		t.Errorf("default language = %q, want nl", m.lang)
	}
}

func TestMarkdownIsSafe(t *testing.T) {
	out := render(t, sampleResult(), "md", "nl")
	// The output contains ``` and ```` so its fence must be five backticks.
	if !strings.Contains(out, "`````text\nline 22 | col a") {
		t.Errorf("stdout tail is not fenced with a fence longer than its backtick runs")
	}
	if strings.Contains(out, "\n````text\n") {
		t.Errorf("a four-backtick fence would be closed by the output")
	}
	// A pipe in a table cell is escaped, and HTML in a cell is not live.
	if !strings.Contains(out, `stdout komt overeen met /orders\|customers/`) {
		t.Errorf("pipe in the check's expected value is not escaped")
	}
	if !strings.Contains(out, `Nginx \| serveert de shop`) {
		t.Errorf("pipe in the matrix title is not escaped")
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "| ") && strings.Contains(l, "<script") {
			t.Errorf("raw <script> in a table row: %q", l)
		}
	}
	if strings.Contains(out, "\x1b") || strings.Contains(out, "progress 10%") {
		t.Errorf("terminal escape or overdrawn progress line left in the output")
	}
	// Tail: the first lines of the 60-line output are left out.
	if strings.Contains(out, "line 01 |") || !strings.Contains(out, "ingekort: alleen de laatste 40 regels") {
		t.Errorf("long output is not shortened to its tail with a note")
	}
	for _, want := range []string{"# Evaluatierapport: Webshop Bakkerij Jansen", "## Afwijkingen", "### Tijd per stap", "## Reflectie", "- De **migratie** moet ik opnieuw bekijken.", "Exitcode 1", "## Traceerbaarheidsmatrix", "sha256:9b1c2d3e4f5a"} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
}

func TestMarkdownFenceLength(t *testing.T) {
	var b bytes.Buffer
	md := func(s string) string {
		b.Reset()
		r := &Result{Schema: 1, Steps: []Step{{ID: "x", Status: Passed, Actions: []Action{{Kind: "exec", Status: Passed, Stdout: s}}}}}
		if err := RenderMarkdown(&b, r, "en"); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	cases := map[string]string{"plain": "```text\nplain\n```", "a ``` b": "````text\na ``` b\n````", "``````": "```````text\n``````\n```````"}
	for in, want := range cases {
		if out := md(in); !strings.Contains(out, want) {
			t.Errorf("output %q: no fence %q in\n%s", in, want, out)
		}
	}
}

func TestTextSummary(t *testing.T) {
	out := render(t, sampleResult(), "text", "nl")
	if strings.Contains(out, "\x1b") {
		t.Errorf("text summary contains escape codes")
	}
	lines := strings.Split(out, "\n")
	find := func(prefix string) string {
		for _, l := range lines {
			if strings.HasPrefix(l, prefix) {
				return l
			}
		}
		t.Errorf("no line starting with %q in\n%s", prefix, out)
		return ""
	}
	if l := find("  ✔ 3. schema"); !strings.Contains(l, "(2 pogingen)") || !strings.Contains(l, "7,4 s") {
		t.Errorf("schema line = %q, want 2 attempts and 7,4 s", l)
	}
	find("  ✘ 4. config")
	find("  ↺ 5. migrate")
	find("  ■ 6. reload")
	find("  ○ 7. cleanup")
	find(`          Werkelijk: exitcode 1, stderr was: "nginx: [emerg]`)
	find("Resultaat: ■ Onderbroken")
	if l := find("Eisen: "); l != "Eisen: 2 van de 7 geverifieerd, 3 mislukt, 2 niet geverifieerd." {
		t.Errorf("requirements line = %q", l)
	}
	if l := find("Stappen: "); l != "Stappen: 7 totaal: 3 geslaagd, 1 mislukt, 1 overgeslagen, 1 teruggedraaid, 1 onderbroken" {
		t.Errorf("steps line = %q", l)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	r := sampleResult()
	out := render(t, r, "json", "en")
	if !strings.HasPrefix(out, "{\n  \"schema\": 1,") {
		t.Errorf("json does not start with the schema version: %.40q", out)
	}
	var back Result
	if err := json.Unmarshal([]byte(out), &back); err != nil {
		t.Fatal(err)
	}
	if render(t, &back, "md", "nl") != render(t, r, "md", "nl") {
		t.Errorf("a re-loaded document renders differently")
	}
	noSchema := &Result{}
	if out := render(t, noSchema, "json", "nl"); !strings.Contains(out, `"schema": 1`) {
		t.Errorf("document without schema is written without the current version")
	}
	if noSchema.Schema != 0 {
		t.Errorf("RenderJSON changed its input")
	}
}

func TestDurationAndDate(t *testing.T) {
	nl, _ := catalogue("nl")
	en, _ := catalogue("en")
	cases := []struct {
		ms     int64
		nl, en string
	}{
		{340, "340 ms", "340 ms"},
		{12345, "12,3 s", "12.3 s"},
		{125_000, "2 min 05 s", "2 min 05 s"},
		{3_900_000, "1 h 05 min", "1 h 05 min"},
		{-5, "0 ms", "0 ms"},
	}
	for _, c := range cases {
		if got := nl.duration(c.ms); got != c.nl {
			t.Errorf("nl duration(%d) = %q, want %q", c.ms, got, c.nl)
		}
		if got := en.duration(c.ms); got != c.en {
			t.Errorf("en duration(%d) = %q, want %q", c.ms, got, c.en)
		}
	}
	d := sampleResult().Started
	if got := nl.date(d); got != "12 maart 2026, 09:15 (UTC+01:00)" {
		t.Errorf("nl date = %q", got)
	}
	if got := en.date(d.UTC()); got != "12 March 2026, 08:15 (UTC)" {
		t.Errorf("en date = %q", got)
	}
}

func TestClean(t *testing.T) {
	cases := map[string]string{
		"a\x1b[1;31mred\x1b[0m b":        "ared b",
		"x\x00y\x07z":                    "xyz",
		"10%\r50%\r100%\nnext":           "100%\nnext",
		"win\r\nline":                    "win\nline",
		"bad \xff utf8":                  "bad \uFFFD utf8",
		"title\x1b]0;term title\x07done": "titledone",
		"tab\tkept":                      "tab\tkept",
		"c1\u0085x":                      "c1x",
	}
	keys := make([]string, 0, len(cases))
	for k := range cases {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, in := range keys {
		if got := clean(in); got != cases[in] {
			t.Errorf("clean(%q) = %q, want %q", in, got, cases[in])
		}
	}
}

func TestCommandLine(t *testing.T) {
	got := commandLine([]string{"sh", "-c", "mariadb < /seed/schema.sql", "it's", ""})
	want := `sh -c 'mariadb < /seed/schema.sql' "it's" ''`
	if got != want {
		t.Errorf("commandLine = %s, want %s", got, want)
	}
}

func TestWritePaths(t *testing.T) {
	var b strings.Builder
	WritePaths(&b, []string{"/r/report.md"}, "nl", func(p string) string { return "." + p })
	if want := "\nRapportbestanden:\n  ./r/report.md\n"; b.String() != want {
		t.Errorf("WritePaths = %q, want %q", b.String(), want)
	}
	b.Reset()
	WritePaths(&b, nil, "en", func(p string) string { return p })
	if b.String() != "" {
		t.Errorf("no files: %q, want nothing", b.String())
	}
}
