package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// writeFiles writes name -> content into a new temporary folder.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const envHeader = "environment \"t\" {\n  title = \"test\"\n}\n"

// loadSource loads one main.hcl (with an environment block prepended) and
// fails the test on any error.
func loadSource(t *testing.T, src string, opts ...func(*Options)) *Environment {
	t.Helper()
	env, diags := loadSourceDiags(t, src, opts...)
	if diags.HasErrors() {
		t.Fatalf("unexpected errors:\n%s", diagList(diags))
	}
	return env
}

func loadSourceDiags(t *testing.T, src string, opts ...func(*Options)) (*Environment, hcl.Diagnostics) {
	t.Helper()
	dir := writeFiles(t, map[string]string{"main.hcl": envHeader + src})
	o := Options{Dir: dir}
	for _, f := range opts {
		f(&o)
	}
	return Load(o)
}

// wantError asserts that diags holds an error whose summary and detail
// contain the given texts.
func wantError(t *testing.T, diags hcl.Diagnostics, summary, detail string) *hcl.Diagnostic {
	t.Helper()
	for _, d := range diags {
		if d.Severity == hcl.DiagError && strings.Contains(d.Summary, summary) && strings.Contains(d.Detail, detail) {
			return d
		}
	}
	t.Fatalf("no error %q with detail containing %q in:\n%s", summary, detail, diagList(diags))
	return nil
}
