// Package outfile decides the format of a file a command writes (from its
// extension and --format) and how it is shown.
package outfile

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Format decides the format of the file a command writes with --out:
// the file's extension names it (exts maps ".md" to "md"). set is --format
// when given, def the format without either. An extension no format has
// (report.pdf, design.docx), or one that contradicts --format, is refused
// with the formats and their extensions: writing Markdown into a .docx
// helps nobody. A file without an extension takes --format or def.
func Format(out, set, def string, exts map[string]string) (string, error) {
	if out == "" || out == "-" {
		if set != "" {
			return set, nil
		}
		return def, nil
	}
	ext := strings.ToLower(filepath.Ext(out))
	if ext == "" {
		if set != "" {
			return set, nil
		}
		return def, nil
	}
	f, ok := exts[ext]
	switch {
	case !ok:
		return "", fmt.Errorf("cannot write %s: %s is not a format this command writes; use one of %s", out, ext, formatList(exts))
	case set != "" && set != f:
		return "", fmt.Errorf("--format %s does not match %s, whose extension %s is format %s; use one of %s", set, out, ext, f, formatList(exts))
	}
	return f, nil
}

// formatList reads "md (.md, .markdown), html (.html, .htm)".
func formatList(exts map[string]string) string {
	byFormat := map[string][]string{}
	for e, f := range exts {
		byFormat[f] = append(byFormat[f], e)
	}
	var formats []string
	for f, es := range byFormat {
		sort.Strings(es)
		formats = append(formats, f+" ("+strings.Join(es, ", ")+")")
	}
	sort.Strings(formats)
	return strings.Join(formats, ", ")
}

// Display shows p relative to the working folder when it is below it,
// as commands show the files they wrote.
func Display(p string) string {
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, p); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return rel
		}
	}
	return p
}
