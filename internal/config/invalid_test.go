package config

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

var update = flag.Bool("update", false, "rewrite testdata/invalid/*/want.txt from the loader's output")

// TestInvalid loads every folder of testdata/invalid and compares the first
// error with the first line of want.txt: "file:line:col: Summary" ("-:
// Summary" when the error has no source range; "warning file:line:col:
// Summary" when the case is about a warning and there is no error). Each
// further line of want.txt must occur in that diagnostic's detail.
func TestInvalid(t *testing.T) {
	dirs, err := filepath.Glob("testdata/invalid/*")
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) < 40 {
		t.Fatalf("found %d invalid cases, want at least 40", len(dirs))
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			_, diags := Load(Options{Dir: dir})
			got, detail := firstError(diags)
			wantFile := filepath.Join(dir, "want.txt")
			want, err := os.ReadFile(wantFile)
			if err != nil && !*update {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(string(want)), "\n")
			if *update {
				lines[0] = got
				if err := os.WriteFile(wantFile, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != strings.TrimSpace(lines[0]) {
				t.Errorf("first error:\n got: %s\nwant: %s\nall diagnostics:\n%s", got, strings.TrimSpace(lines[0]), diagList(diags))
			}
			for _, w := range lines[1:] {
				if !strings.Contains(detail, strings.TrimSpace(w)) {
					t.Errorf("the detail lacks %q: %s", strings.TrimSpace(w), detail)
				}
			}
		})
	}
}

func firstError(diags hcl.Diagnostics) (string, string) {
	for _, sev := range []hcl.DiagnosticSeverity{hcl.DiagError, hcl.DiagWarning} {
		prefix := ""
		if sev == hcl.DiagWarning {
			prefix = "warning "
		}
		for _, d := range diags {
			if d.Severity != sev {
				continue
			}
			if d.Subject == nil {
				return prefix + "-: " + d.Summary, d.Detail
			}
			return fmt.Sprintf("%s%s:%d:%d: %s", prefix, d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column, d.Summary), d.Detail
		}
	}
	return "no error", ""
}

func diagList(diags hcl.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "  %s\n", d.Error())
	}
	return b.String()
}

// An unterminated string is one error, not one for every line up to the
// next quote.
func TestUnterminatedStringIsOneError(t *testing.T) {
	_, diags := Load(Options{Dir: "testdata/invalid/syntax-unterminated-string-long"})
	if len(diags) != 1 || diags[0].Summary != "Closing quote missing" {
		t.Errorf("diagnostics:\n%s", diagList(diags))
	}
}
