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
