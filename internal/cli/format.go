package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/diag"
)

func fmtCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "fmt",
		Usage:     "rewrite *.hcl files in the canonical format",
		ArgsUsage: "[PATH...]",
		Description: `Rewrites every *.hcl file in the given folders (not their subfolders) and
every given file in the canonical layout: two-space indentation and
aligned '=' signs. Only layout changes, never content. Files that do not
parse are left alone and reported. Without a PATH the environment folder
(--dir) is formatted; "-" formats standard input to standard output.

Prints the name of every file it changed (or would change).
Exit status: 0 when done (with --check: when nothing needs changing),
1 with --check when a file needs formatting, 2 when a file does not parse.

Examples:
   proeftuin fmt
   proeftuin fmt --check          # in CI: fail when a file is not formatted
   proeftuin fmt --diff --write=false
   proeftuin fmt main.hcl plan.hcl`,
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "check", Usage: "write nothing; exit 1 when a file is not formatted"},
			&ucli.BoolFlag{Name: "diff", Usage: "print a unified diff of the changes"},
			&ucli.BoolFlag{Name: "write", Value: true, Usage: "write the result back to the file (--write=false to only list)"},
		},
		Action: runFmt,
	}
}

func runFmt(c *ucli.Context) error {
	paths := c.Args().Slice()
	if len(paths) == 0 {
		paths = []string{flagString(c, "dir")}
	}
	check, showDiff := c.Bool("check"), c.Bool("diff")
	write := c.Bool("write") && !check

	var files []string
	for _, p := range paths {
		if p == "-" {
			files = append(files, p)
			continue
		}
		found, err := hclFiles(p)
		if err != nil {
			return exit(ExitInvalid, err)
		}
		files = append(files, found...)
	}

	var invalid, changed int
	for _, name := range files {
		src, err := readSource(c, name)
		if err != nil {
			return exit(ExitInvalid, err)
		}
		out, diags := formatHCL(src, name)
		if diags.HasErrors() {
			invalid++
			f, _ := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
			_ = diag.Render(c.App.ErrWriter, map[string]*hcl.File{name: f}, diags, useColor(c, c.App.ErrWriter), termWidth(c.App.ErrWriter))
			continue
		}
		if name == "-" {
			if _, err := c.App.Writer.Write(out); err != nil {
				return exit(ExitFailed, err)
			}
			continue
		}
		if bytes.Equal(src, out) {
			continue
		}
		changed++
		if showDiff {
			if _, err := io.WriteString(c.App.Writer, unifiedDiff(name, string(src), string(out))); err != nil {
				return exit(ExitFailed, err)
			}
		} else {
			fmt.Fprintln(c.App.Writer, name)
		}
		if write {
			if err := writeKeepingMode(name, out); err != nil {
				return exit(ExitFailed, err)
			}
		}
	}
	switch {
	case invalid > 0:
		return exit(ExitInvalid, fmt.Errorf("%s could not be parsed and %s left alone", plural(invalid, "file", "files"), map[bool]string{true: "was", false: "were"}[invalid == 1]))
	case check && changed > 0:
		return exit(ExitFailed, fmt.Errorf("%s not formatted; run proeftuin fmt", plural(changed, "file is", "files are")))
	}
	return nil
}

// formatHCL parses src (refusing files with syntax errors, which
// hclwrite would format into something else) and returns it formatted.
func formatHCL(src []byte, filename string) ([]byte, hcl.Diagnostics) {
	if d := config.Precheck(src, filename); d != nil {
		return nil, hcl.Diagnostics{d}
	}
	if _, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos); diags.HasErrors() {
		return nil, diags
	}
	return hclwrite.Format(src), nil
}

// hclFiles lists the *.hcl files of a folder in name order, or the path
// itself when it is a file.
func hclFiles(path string) ([]string, error) {
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

func readSource(c *ucli.Context, name string) ([]byte, error) {
	if name == "-" {
		b, err := io.ReadAll(c.App.Reader)
		if err != nil {
			return nil, fmt.Errorf("fmt: read standard input: %w", err)
		}
		return b, nil
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("fmt: %w", err)
	}
	return b, nil
}

// writeKeepingMode replaces a file's content through a temporary file in
// the same folder, so an interrupted write never leaves half a file.
func writeKeepingMode(name string, data []byte) error {
	info, err := os.Stat(name)
	if err != nil {
		return fmt.Errorf("fmt: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".fmt-*.hcl")
	if err != nil {
		return fmt.Errorf("fmt: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("fmt: write %s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("fmt: write %s: %w", name, err)
	}
	if err := os.Chmod(tmp.Name(), info.Mode().Perm()); err != nil {
		return fmt.Errorf("fmt: %w", err)
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return fmt.Errorf("fmt: write %s: %w", name, err)
	}
	return nil
}
