package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckNesting(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	tests := []struct {
		name, src string
		json      bool
		wantLine  int // 0: no diagnostic
		wantCol   int
	}{
		{"shallow", "x = " + deep(50) + "\n", false, 0, 0},
		{"at the limit", "x = " + deep(maxNesting) + "\n", false, 0, 0},
		{"one too deep", "x = " + deep(maxNesting+1) + "\n", false, 1, 5 + maxNesting},
		{"unclosed", "a = 1\nx = " + strings.Repeat("(", 5000) + "\n", false, 2, 5 + maxNesting},
		{"brackets in a string", "x = \"" + strings.Repeat("[", 500) + "\"\n", false, 0, 0},
		{"brackets in comments", "# " + strings.Repeat("{", 500) + "\n// " + strings.Repeat("(", 500) + "\n/* " + strings.Repeat("[", 500) + " */\n", false, 0, 0},
		{"brackets in a heredoc", "x = <<EOT\n" + strings.Repeat("{", 500) + "\nEOT\ny = 1\n", false, 0, 0},
		{"escaped quote", "x = \"\\\"" + strings.Repeat("[", 500) + "\"\n", false, 0, 0},
		{"literal $${", "x = \"$${" + strings.Repeat("(", 500) + "\"\n", false, 0, 0},
		{"interpolations nest", "x = " + strings.Repeat(`"${`, 60) + "1" + strings.Repeat(`}"`, 60) + "\n", false, 1, 5 + 3*(maxNesting/2)}, // the 51st quote
		{"json", `{"a": ` + strings.Repeat("[", 200) + "\n", true, 1, 6 + maxNesting},                                                       // "{" is level 1
		{"json string", `{"a": "` + strings.Repeat("[", 200) + `"}`, true, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := checkNesting([]byte(tt.src), "main.hcl", tt.json)
			switch {
			case tt.wantLine == 0 && d != nil:
				t.Fatalf("unexpected %s at %v", d.Summary, d.Subject)
			case tt.wantLine == 0:
			case d == nil:
				t.Fatal("no diagnostic")
			case d.Subject.Start.Line != tt.wantLine || d.Subject.Start.Column != tt.wantCol:
				t.Errorf("at %d:%d, want %d:%d", d.Subject.Start.Line, d.Subject.Start.Column, tt.wantLine, tt.wantCol)
			}
		})
	}
}

// BenchmarkRoughDepth is the cost the nesting check adds to every file.
func BenchmarkRoughDepth(b *testing.B) {
	dir := b.TempDir()
	writeLargeEnvironment(b, dir, 200, 20, 200, true)
	src, err := os.ReadFile(filepath.Join(dir, "main.hcl"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		roughDepth(src, false)
	}
}

func TestPrecheck(t *testing.T) {
	tests := []struct {
		name, src   string
		wantSummary string // "" for none
		line, col   int
	}{
		{"text", "x = \"héllo\\u0001\"\n\ty = 1\r\n", "", 0, 0},
		{"NUL", "a = 1\nx = \"ab\x00\"\n", "Not a text file", 2, 8},
		{"escape", "x = 1\x1b[31m\n", "Not a text file", 1, 6},
		{"DEL", "x = \x7f\n", "Not a text file", 1, 5},
		{"Latin-1", "x = \"caf\xe9\"\n", "Not a text file", 1, 9},
		{"after multibyte", "x = \"ééé\x01\"\n", "Not a text file", 1, 9},
		{"too large", "# " + strings.Repeat("x", maxFileSize) + "\n", "File too large", 1, 1},
		{"too deep", "x = " + strings.Repeat("{", 200), "Nesting too deep", 1, 5 + maxNesting},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := precheck([]byte(tt.src), "main.hcl", false)
			switch {
			case tt.wantSummary == "" && d != nil:
				t.Fatalf("unexpected %s: %s", d.Summary, d.Detail)
			case tt.wantSummary == "":
			case d == nil:
				t.Fatalf("no diagnostic, want %s", tt.wantSummary)
			case d.Summary != tt.wantSummary || d.Subject.Start.Line != tt.line || d.Subject.Start.Column != tt.col:
				t.Errorf("%s at %d:%d, want %s at %d:%d", d.Summary, d.Subject.Start.Line, d.Subject.Start.Column, tt.wantSummary, tt.line, tt.col)
			}
		})
	}
}
