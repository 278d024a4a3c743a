package hclfmt

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	ugly := filepath.Join(dir, "a.hcl")
	os.WriteFile(ugly, []byte("x=1\nlonger = 2\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.hcl"), []byte("x = {\n"), 0o644)
	var out strings.Builder
	var invalid []string
	o := Options{Check: true, Stdout: &out, Invalid: func(name string, _ *hcl.File, _ hcl.Diagnostics) { invalid = append(invalid, name) }}
	res, err := Run([]string{dir}, o)
	if err != nil || res.Changed != 1 || res.Invalid != 1 || len(invalid) != 1 {
		t.Fatalf("Run --check = %+v, %v (invalid %q), want 1 changed, 1 invalid", res, err, invalid)
	}
	if b, _ := os.ReadFile(ugly); string(b) != "x=1\nlonger = 2\n" || out.String() != ugly+"\n" {
		t.Errorf("--check wrote the file or listed %q", out.String())
	}
	o.Check, o.Write = false, true
	if _, err := Run([]string{ugly}, o); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(ugly); string(b) != "x      = 1\nlonger = 2\n" {
		t.Errorf("written %q", b)
	}
	var input *InputError
	if _, err := Run([]string{filepath.Join(dir, "missing")}, o); !errors.As(err, &input) {
		t.Errorf("a missing path: %v, want an InputError", err)
	}
}
