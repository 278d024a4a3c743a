// Package style holds tests about the shape of the code itself.
package style

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/proeftuin/proeftuin/internal/testenv"
)

// maxFuncLines bounds a function's length (from its signature to its
// closing brace) in the packages that orchestrate: a longer one does
// more than one thing.
const maxFuncLines = 80

// orchestration are the packages held to maxFuncLines.
var orchestration = []string{"internal/cli", "internal/apply", "internal/runner", "internal/labs", "internal/instance"}

func TestFunctionLength(t *testing.T) {
	root := testenv.RepoRoot()
	for _, dir := range orchestration {
		for _, f := range longFunctions(t, filepath.Join(root, dir)) {
			t.Errorf("%s: %d lines, more than %d; split it", f.name, f.lines, maxFuncLines)
		}
	}
}

type function struct {
	name  string
	lines int
}

// longFunctions lists the functions (and function literals at package
// level) of dir's non-test files longer than maxFuncLines.
func longFunctions(t *testing.T, dir string) []function {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var out []function
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			start, end := fset.Position(fd.Pos()), fset.Position(fd.End())
			if n := end.Line - start.Line + 1; n > maxFuncLines {
				out = append(out, function{name: start.String() + " " + fd.Name.Name, lines: n})
			}
		}
	}
	return out
}
