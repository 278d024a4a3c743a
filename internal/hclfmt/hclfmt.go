// Package hclfmt formats HCL files in the canonical layout (hclwrite's)
// and shows the changes as a unified diff: what 'proeftuin fmt' does to
// a file, without the command line around it.
package hclfmt

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/proeftuin/proeftuin/internal/atomicfile"
	"github.com/proeftuin/proeftuin/internal/config"
)

// Format parses src (refusing files with syntax errors, which
// hclwrite would format into something else) and returns it formatted.
func Format(src []byte, filename string) ([]byte, hcl.Diagnostics) {
	if d := config.Precheck(src, filename); d != nil {
		return nil, hcl.Diagnostics{d}
	}
	if _, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos); diags.HasErrors() {
		return nil, diags
	}
	return hclwrite.Format(src), nil
}

// Files lists the *.hcl files of a folder in name order, or the path
// itself when it is a file.
func Files(path string) ([]string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("fmt: %w", err)
	}
	if !info.IsDir() {
		return []string{path}, nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, fmt.Errorf("fmt: %w", err)
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".hcl") {
			out = append(out, filepath.Join(path, e.Name()))
		}
	}
	sort.Strings(out)
	return out, nil
}

// WriteFile replaces a file's content through a temporary file in
// the same folder, so an interrupted write never leaves half a file.
func WriteFile(name string, data []byte) error {
	info, err := os.Stat(name)
	if err != nil {
		return fmt.Errorf("fmt: %w", err)
	}
	if err := atomicfile.Write(name, data, info.Mode().Perm()); err != nil {
		return fmt.Errorf("fmt: %w", err)
	}
	return nil
}

// Diff returns a unified diff of two versions of the file name, or
// "" when they are equal. go-udiff is the Myers diff of gopls
// (golang.org/x/tools/internal/diff) as a library: linear in memory and
// fast on long files, unlike a plain LCS.
func Diff(name, a, b string) string {
	if a == b {
		return ""
	}
	return udiff.Unified("a/"+name, "b/"+name, a, b)
}
