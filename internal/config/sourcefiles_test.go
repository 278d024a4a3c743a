package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

func TestSourceFiles(t *testing.T) {
	f := &hcl.File{}
	env := &Environment{Dir: "lab", Files: map[string]*hcl.File{"main.hcl": f}}
	got := env.SourceFiles()
	if got["main.hcl"] != f || got[filepath.Join("lab", "main.hcl")] != f || len(got) != 2 {
		t.Errorf("SourceFiles() = %v, want main.hcl under both names", got)
	}
	if (*Environment)(nil).SourceFiles() != nil {
		t.Error("a nil environment has source files")
	}
}

func TestHasDefinition(t *testing.T) {
	dir := t.TempDir()
	if HasDefinition(dir) {
		t.Error("an empty folder has a definition")
	}
	os.WriteFile(filepath.Join(dir, "main.hcl"), nil, 0o644)
	if !HasDefinition(dir) {
		t.Error("a folder with main.hcl has no definition")
	}
}
