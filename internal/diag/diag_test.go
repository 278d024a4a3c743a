package diag

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

const src = `service "web" {
  image = "nginx:1.27"
	imagee = "nginx"
}
`

func parse(t *testing.T) map[string]*hcl.File {
	t.Helper()
	f, diags := hclsyntax.ParseConfig([]byte(src), "main.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return map[string]*hcl.File{"main.hcl": f}
}

func subject() *hcl.Range {
	// `imagee` on line 3, after one tab.
	return &hcl.Range{
		Filename: "main.hcl",
		Start:    hcl.Pos{Line: 3, Column: 2, Byte: 40},
		End:      hcl.Pos{Line: 3, Column: 8, Byte: 46},
	}
}

func TestRender(t *testing.T) {
	diags := hcl.Diagnostics{
		{Severity: hcl.DiagError, Summary: "Unsupported argument", Detail: `An argument named "imagee" is not expected here. Did you mean "image"?`, Subject: subject()},
		{Severity: hcl.DiagWarning, Summary: "No requirements", Detail: "The environment declares no requirement."},
	}
	var sb strings.Builder
	if err := Render(&sb, parse(t), diags, false, 0); err != nil {
		t.Fatal(err)
	}
	want := "main.hcl:3:2: error: Unsupported argument\n" +
		"\n" +
		"  3 | \timagee = \"nginx\"\n" +
		"    | \t^^^^^^\n" +
		"\n" +
		"  An argument named \"imagee\" is not expected here. Did you mean \"image\"?\n" +
		"\n" +
		"warning: No requirements\n" +
		"\n" +
		"  The environment declares no requirement.\n"
	if got := sb.String(); got != want {
		t.Errorf("Render() =\n%s\nwant\n%s", got, want)
	}
}

func TestRenderColorAndWrap(t *testing.T) {
	diags := hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Bad", Detail: strings.Repeat("word ", 30), Subject: subject()}}
	var sb strings.Builder
	if err := Render(&sb, parse(t), diags, true, 40); err != nil {
		t.Fatal(err)
	}
	got := sb.String()
	if !strings.Contains(got, "\x1b[31merror\x1b[0m") || !strings.Contains(got, "\x1b[31m^^^^^^\x1b[0m") {
		t.Errorf("no colour in %q", got)
	}
	for _, line := range strings.Split(got, "\n") {
		if strings.HasPrefix(line, "  word") && len(line) > 40 {
			t.Errorf("line not wrapped at 40: %q", line)
		}
	}
}

func TestRenderMissingFile(t *testing.T) {
	diags := hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Bad", Subject: subject()}}
	var sb strings.Builder
	if err := Render(&sb, nil, diags, false, 0); err != nil {
		t.Fatal(err)
	}
	if got, want := sb.String(), "main.hcl:3:2: error: Bad\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestJSONShape(t *testing.T) {
	diags := hcl.Diagnostics{
		{Severity: hcl.DiagError, Summary: "Unsupported argument", Detail: "d", Subject: subject()},
		{Severity: hcl.DiagWarning, Summary: "w"},
	}
	b, err := json.Marshal(JSON(diags))
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"severity":"error","summary":"Unsupported argument","detail":"d","filename":"main.hcl",` +
		`"start":{"line":3,"column":2,"byte":40},"end":{"line":3,"column":8,"byte":46}},` +
		`{"severity":"warning","summary":"w"}]`
	if string(b) != want {
		t.Errorf("JSON =\n%s\nwant\n%s", b, want)
	}
	if b, _ := json.Marshal(JSON(nil)); string(b) != "[]" {
		t.Errorf("JSON(nil) = %s, want []", b)
	}
}

func TestMap(t *testing.T) {
	d := hcl.Diagnostics{{Summary: "a secret", Detail: "secret b"}}
	m := Map(d, func(s string) string { return strings.ReplaceAll(s, "secret", "x") })
	if m[0].Summary != "a x" || m[0].Detail != "x b" || d[0].Summary != "a secret" {
		t.Errorf("Map: %+v (orig %+v)", m[0], d[0])
	}
}

func TestRenderCapsCount(t *testing.T) {
	var diags hcl.Diagnostics
	for range MaxRendered + 7 {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Duplicate service", Subject: subject()})
	}
	diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "No requirements"})
	var sb strings.Builder
	if err := Render(&sb, parse(t), diags, false, 0); err != nil {
		t.Fatal(err)
	}
	out := sb.String()
	if n := strings.Count(out, "error: Duplicate service"); n != MaxRendered {
		t.Errorf("%d diagnostics rendered, want %d", n, MaxRendered)
	}
	if !strings.Contains(out, "… and 8 more (7 errors, 1 warnings) not shown") {
		t.Errorf("no summary of the rest:\n%s", out[len(out)-300:])
	}
}

func TestRenderLongLine(t *testing.T) {
	long := `x = "` + strings.Repeat("a", 10_000) + `" + y` + "\n"
	f, _ := hclsyntax.ParseConfig([]byte(long), "long.hcl", hcl.InitialPos)
	at := strings.Index(long, "y")
	r := &hcl.Range{Filename: "long.hcl", Start: hcl.Pos{Line: 1, Column: at + 1, Byte: at}, End: hcl.Pos{Line: 1, Column: at + 2, Byte: at + 1}}
	var sb strings.Builder
	if err := Render(&sb, map[string]*hcl.File{"long.hcl": f}, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Unknown variable", Subject: r}}, false, 0); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(sb.String(), "\n")
	if len(lines) < 4 {
		t.Fatalf("no excerpt:\n%s", sb.String())
	}
	src, caret := lines[2], lines[3]
	if len(src) > 400 {
		t.Errorf("the excerpt line is %d bytes long, want it cut to a window", len(src))
	}
	// The caret must stand under the y.
	if i, j := strings.Index(src, "y"), strings.Index(caret, "^"); i < 0 || j < 0 || len([]rune(src[:i])) != len([]rune(caret[:j])) {
		t.Errorf("caret not under the range:\n%s\n%s", src, caret)
	}
}

func TestJSONRedacted(t *testing.T) {
	diags := hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Bad password", Detail: "hunter2 is not allowed"}}
	got := JSONRedacted(diags, []string{"hunter2"})
	if len(got) != 1 || strings.Contains(got[0].Detail, "hunter2") || got[0].Summary != "Bad password" {
		t.Errorf("JSONRedacted = %+v, want the secret hidden", got)
	}
}
