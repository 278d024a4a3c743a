package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/diag"
	"github.com/proeftuin/proeftuin/internal/hclfmt"
)

func fmtCommand() *ucli.Command {
	return &ucli.Command{
		Name:        "fmt",
		Usage:       "rewrite *.hcl files in the canonical format",
		ArgsUsage:   "[PATH...]",
		Description: help("fmt"),
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
		found, err := hclfmt.Files(p)
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
		out, diags := hclfmt.Format(src, name)
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
			if _, err := io.WriteString(c.App.Writer, hclfmt.Diff(name, string(src), string(out))); err != nil {
				return exit(ExitFailed, err)
			}
		} else {
			fmt.Fprintln(c.App.Writer, name)
		}
		if write {
			if err := hclfmt.WriteFile(name, out); err != nil {
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
