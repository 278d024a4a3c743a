package cli

import (
	"errors"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/cmdline"
	"github.com/proeftuin/proeftuin/internal/diag"
	"github.com/proeftuin/proeftuin/internal/hclfmt"
	"github.com/proeftuin/proeftuin/internal/terminal"
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
		paths = []string{cmdline.String(c, "dir")}
	}
	check := c.Bool("check")
	res, err := hclfmt.Run(paths, hclfmt.Options{
		Check:  check,
		Diff:   c.Bool("diff"),
		Write:  c.Bool("write") && !check,
		Stdin:  c.App.Reader,
		Stdout: c.App.Writer,
		Invalid: func(name string, f *hcl.File, diags hcl.Diagnostics) {
			_ = diag.Render(c.App.ErrWriter, map[string]*hcl.File{name: f}, diags, useColor(c, c.App.ErrWriter), terminal.Width(c.App.ErrWriter))
		},
	})
	var input *hclfmt.InputError
	switch {
	case errors.As(err, &input):
		return exit(ExitInvalid, err)
	case err != nil:
		return exit(ExitFailed, err)
	case res.Invalid > 0:
		return exit(ExitInvalid, fmt.Errorf("%s could not be parsed and %s left alone", plural(res.Invalid, "file", "files"), map[bool]string{true: "was", false: "were"}[res.Invalid == 1]))
	case check && res.Changed > 0:
		return exit(ExitFailed, fmt.Errorf("%s not formatted; run proeftuin fmt", plural(res.Changed, "file is", "files are")))
	}
	return nil
}
