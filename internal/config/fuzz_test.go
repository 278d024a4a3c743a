package config

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzLoad feeds arbitrary bytes to the loader as main.hcl; whatever the
// input, Load must return (diagnostics, not a panic).
func FuzzLoad(f *testing.F) {
	for _, root := range []string{"../../examples", "testdata"} {
		_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".hcl") {
				return nil
			}
			if src, err := os.ReadFile(path); err == nil {
				f.Add(src)
			}
			return nil
		})
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.hcl"), src, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, "files"), 0o755); err != nil {
			t.Fatal(err)
		}
		_ = os.WriteFile(filepath.Join(dir, "files", "a.txt"), []byte("hello ${name}\n"), 0o644)
		env, diags := Load(Options{
			Dir:     dir,
			Vars:    []string{"web_port=8081"},
			Environ: []string{"PROEFTUIN_VAR_image=busybox"},
			Subnets: map[string]string{"backend": "10.1.2.0/24"},
			// The CLI's bounds: an input that asks for more is a
			// diagnostic, not an out-of-memory fuzzer.
			MemoryLimit: 512 << 20,
			TimeLimit:   15 * time.Second,
		})
		if env == nil {
			t.Fatal("Load returned a nil environment")
		}
		for _, d := range diags {
			if d.Summary == "" {
				t.Fatalf("diagnostic without summary: %#v", d)
			}
		}
	})
}
