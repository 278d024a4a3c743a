package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/hashicorp/hcl/v2"
	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/clidoc"
	"github.com/proeftuin/proeftuin/internal/cmdline"
	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/diag"
	"github.com/proeftuin/proeftuin/internal/instance"
	"github.com/proeftuin/proeftuin/internal/redact"
	"github.com/proeftuin/proeftuin/internal/terminal"
)

// globalCategory groups the global flags in every command's help.
const globalCategory = clidoc.GlobalCategory

// globalFlags are accepted before the command and after it: newApp adds
// a fresh copy to every command. Read them with cmdline.String, Bool and
// Strings, which look through both levels.
func globalFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{
			Name: "dir", Aliases: []string{"C"}, Value: ".", Usage: "environment folder `DIR` with the *.hcl files", Category: globalCategory,
			TakesFile: true,
		},
		&ucli.StringFlag{
			Name: "name", Usage: "instance `NAME`, to run the same lab twice side by side (default: the environment's name)", Category: globalCategory,
			Action: func(_ *ucli.Context, v string) error {
				if !instance.ValidName(v) {
					return exit(ExitInvalid, fmt.Errorf("invalid --name %q: use letters, digits, '_', '.' and '-', starting with a letter or digit", v))
				}
				return nil
			},
		},
		&ucli.StringSliceFlag{Name: "var", Usage: "set a variable: `NAME=VALUE` (repeatable)", Category: globalCategory},
		&ucli.StringSliceFlag{Name: "var-file", Usage: "read variables from an HCL `FILE` (repeatable)", Category: globalCategory, TakesFile: true},
		&ucli.StringFlag{
			Name: "output", Aliases: []string{"o"}, Value: "text", Usage: "output `FORMAT`: text or json", Category: globalCategory,
			Action: oneOf("output", "text", "json"),
		},
		&ucli.BoolFlag{Name: "no-color", Usage: "no colours in the output (also when NO_COLOR is set)", Category: globalCategory},
	}
}

// outputJSON reports whether --output json was asked for.
func outputJSON(c *ucli.Context) bool { return cmdline.String(c, "output") == "json" }

// printJSON writes v as indented JSON with a final newline. HTML
// characters are not escaped: the output is for programs and people.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// instanceName is --name, or else the environment's name.
func instanceName(c *ucli.Context, env *config.Environment) string {
	if n := cmdline.String(c, "name"); n != "" {
		return n
	}
	return env.Name
}

// options turns the global flags into loader options.
func options(c *ucli.Context, subnets map[string]string) config.Options {
	return config.Options{
		Dir:      cmdline.String(c, "dir"),
		Vars:     cmdline.Strings(c, "var"),
		VarFiles: cmdline.Strings(c, "var-file"),
		Environ:  os.Environ(),
		Subnets:  subnets,
		// No lab needs more than a few MiB; a definition that asks for
		// more is reported instead of taking the machine down.
		MemoryLimit: evalMemoryLimit,
		TimeLimit:   evalTimeLimit,
		OnStuck: func(diags hcl.Diagnostics) {
			renderDiags(c, nil, diags)
			os.Exit(ExitInvalid)
		},
	}
}

// evalMemoryLimit and evalTimeLimit bound evaluating a configuration: a
// large lab takes a few MiB and well under a second.
const (
	evalMemoryLimit = 512 << 20
	evalTimeLimit   = 15 * time.Second
)

// loadEnv loads the environment named by the global flags, prints its
// diagnostics (warnings too) on stderr, and fails with ExitInvalid when
// there are errors. subnets are the auto subnets allocated for this
// instance; nil for commands that do not need them.
func loadEnv(c *ucli.Context, subnets map[string]string) (*config.Environment, error) {
	env, diags := config.Load(options(c, subnets))
	if len(diags) > 0 {
		if err := renderDiags(c, env, diags); err != nil {
			return env, exit(ExitFailed, fmt.Errorf("write diagnostics: %w", err))
		}
	}
	if diags.HasErrors() {
		return env, exit(ExitInvalid, nil)
	}
	return env, nil
}

// writeDiags writes diags for a person: with source lines, coloured on a
// terminal, secrets redacted.
func writeDiags(c *ucli.Context, w io.Writer, env *config.Environment, diags hcl.Diagnostics) error {
	rw := redact.Writer(w, config.DiagnosticSecrets(env, cmdline.Strings(c, "var")))
	err := diag.Render(rw, env.SourceFiles(), diags, useColor(c, w), terminal.Width(w))
	if cerr := rw.Close(); err == nil {
		err = cerr
	}
	return err
}

// useColor: colour only on a terminal, never with --no-color, NO_COLOR or
// TERM=dumb.
func useColor(c *ucli.Context, w io.Writer) bool {
	return !cmdline.Bool(c, "no-color") && terminal.Color(w)
}
