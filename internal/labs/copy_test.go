package labs

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/proeftuin/proeftuin/environments"
)

func TestInitUnknownLab(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "x")
	var unknown *UnknownError
	if err := Init(environments.FS, "no-such-lab", dest); !errors.As(err, &unknown) || len(unknown.Names) == 0 {
		t.Fatalf("Init of an unknown lab: %v, want an UnknownError listing the catalogue", err)
	}
	if _, err := os.Stat(dest); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("an unknown lab wrote %s", dest)
	}
}

func TestExtractTemp(t *testing.T) {
	dir, cleanup, err := ExtractTemp(environments.FS, "hello")
	if err != nil {
		t.Fatal(err)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*.hcl")); len(m) == 0 {
		t.Errorf("no *.hcl in %s", dir)
	}
	cleanup()
	if _, err := os.Stat(filepath.Dir(dir)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("cleanup left %s", filepath.Dir(dir))
	}
	_, cleanup, err = ExtractTemp(environments.FS, "no-such-lab")
	cleanup()
	var unknown *UnknownError
	if !errors.As(err, &unknown) {
		t.Errorf("ExtractTemp of an unknown lab: %v, want an UnknownError", err)
	}
}
