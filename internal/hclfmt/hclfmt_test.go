package hclfmt

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

const messy = `# A lab
environment "webshop" {
title="Webshop"   # trailing comment
  version =   "1.0"
}

variable "web_port" {
    type = number
  default = 8080
  }

service "web" {
  image = "nginx:1.27"
  env = {
    A    = "1"
    LONGER = "${var.web_port}"
  }
  port {
  host = var.web_port
  container = 80
  }
  command = ["sh","-c",   "echo hi"]
}
`

func TestFormatIdempotent(t *testing.T) {
	once, diags := Format([]byte(messy), "main.hcl")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	twice, diags := Format(once, "main.hcl")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if string(once) != string(twice) {
		t.Errorf("format is not idempotent:\n%s\n---\n%s", once, twice)
	}
	if string(once) == messy {
		t.Error("messy input came back unchanged")
	}
}

// TestFormatKeepsContent compares the two versions token by token,
// ignoring only layout: formatting may move things, never change them.
func TestFormatKeepsContent(t *testing.T) {
	out, diags := Format([]byte(messy), "main.hcl")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if a, b := tokens(t, []byte(messy)), tokens(t, out); strings.Join(a, " ") != strings.Join(b, " ") {
		t.Errorf("tokens differ:\n%q\n%q", a, b)
	}
	if a, b := structure(t, []byte(messy)), structure(t, out); a != b {
		t.Errorf("structure differs:\n%s\n---\n%s", a, b)
	}
}

func tokens(t *testing.T, src []byte) []string {
	t.Helper()
	toks, diags := hclsyntax.LexConfig(src, "x.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var out []string
	for _, tok := range toks {
		if tok.Type == hclsyntax.TokenNewline {
			continue
		}
		out = append(out, strings.TrimSpace(string(tok.Bytes)))
	}
	return out
}

// structure lists blocks and attributes with each expression's source
// text without spaces.
func structure(t *testing.T, src []byte) string {
	t.Helper()
	f, diags := hclsyntax.ParseConfig(src, "x.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var b strings.Builder
	var walk func(body *hclsyntax.Body, indent string)
	walk = func(body *hclsyntax.Body, indent string) {
		for _, name := range slices.Sorted(maps.Keys(body.Attributes)) {
			a := body.Attributes[name]
			expr := strings.Join(strings.Fields(string(a.Expr.Range().SliceBytes(src))), "")
			b.WriteString(indent + name + "=" + expr + "\n")
		}
		for _, blk := range body.Blocks {
			b.WriteString(indent + blk.Type + " " + strings.Join(blk.Labels, " ") + "\n")
			walk(blk.Body, indent+"  ")
		}
	}
	walk(f.Body.(*hclsyntax.Body), "")
	return b.String()
}

func TestFormatRefusesBrokenFiles(t *testing.T) {
	_, diags := Format([]byte("service \"web\" {\n  image = \n"), "main.hcl")
	if !diags.HasErrors() {
		t.Fatal("broken file formatted without error")
	}
}

func TestUnifiedDiff(t *testing.T) {
	a := "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n"
	b := "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nL\nm\nn\n"
	want := `--- a/x.hcl
+++ b/x.hcl
@@ -1,5 +1,5 @@
 a
-b
+B
 c
 d
 e
@@ -9,5 +9,6 @@
 i
 j
 k
-l
+L
 m
+n
`
	if got := Diff("x.hcl", a, b); got != want {
		t.Errorf("diff:\n%s\nwant:\n%s", got, want)
	}
	if got := Diff("x.hcl", a, a); got != "" {
		t.Errorf("diff of equal texts = %q", got)
	}
	// A hunk of one line leaves out its count, as GNU diff and git do.
	got := Diff("x.hcl", "x", "y\n")
	if want := "--- a/x.hcl\n+++ b/x.hcl\n@@ -1 +1 @@\n-x\n\\ No newline at end of file\n+y\n"; got != want {
		t.Errorf("diff without final newline:\n%q\nwant\n%q", got, want)
	}
	got = Diff("x.hcl", "", "y\n")
	if want := "--- a/x.hcl\n+++ b/x.hcl\n@@ -0,0 +1 @@\n+y\n"; got != want {
		t.Errorf("diff from empty:\n%q\nwant\n%q", got, want)
	}
	// Two changes far apart in a long file are two small hunks (the
	// hand-written LCS this replaced gave up on long files and printed
	// everything between them).
	var long strings.Builder
	for i := range 6000 {
		fmt.Fprintf(&long, "line %d\n", i)
	}
	changed := strings.Replace(strings.Replace(long.String(), "line 10\n", "line ten\n", 1), "line 5990\n", "line 5990!\n", 1)
	got = Diff("x.hcl", long.String(), changed)
	if n := strings.Count(got, "\n@@ "); n != 2 || strings.Count(got, "\n") != 2+2*(1+3+2+3) {
		t.Errorf("diff of a long file: %d hunks\n%s", n, got)
	}
}
