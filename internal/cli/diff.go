package cli

import udiff "github.com/aymanbagabas/go-udiff"

// unifiedDiff returns a unified diff of two versions of the file name, or
// "" when they are equal. go-udiff is the Myers diff of gopls
// (golang.org/x/tools/internal/diff) as a library: linear in memory and
// fast on long files, unlike a plain LCS.
func unifiedDiff(name, a, b string) string {
	if a == b {
		return ""
	}
	return udiff.Unified("a/"+name, "b/"+name, a, b)
}
