package config

import (
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
