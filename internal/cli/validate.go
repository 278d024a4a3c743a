package cli

import (
	"fmt"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/cmdline"
	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/diag"
)

func validateCommand() *ucli.Command {
	return &ucli.Command{
		Name:        "validate",
		Usage:       "check the environment's files without touching Docker",
		ArgsUsage:   "[--dir DIR]",
		Description: help("validate"),
		Action:      runValidate,
	}
}

// validateResult is the JSON answer of validate; Summary only when valid.
type validateResult struct {
	Valid       bool              `json:"valid"`
	Diagnostics []diag.Diagnostic `json:"diagnostics"`
	Summary     *config.Counts    `json:"summary,omitempty"`
}

func runValidate(c *ucli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	env, diags := config.Load(options(c, nil))
	valid := !diags.HasErrors()

	if outputJSON(c) {
		res := validateResult{Valid: valid, Diagnostics: diag.JSONRedacted(diags, config.DiagnosticSecrets(env, cmdline.Strings(c, "var")))}
		if valid {
			counts := env.Counts()
			res.Summary = &counts
		}
		if err := printJSON(c.App.Writer, res); err != nil {
			return exit(ExitFailed, err)
		}
	} else {
		if len(diags) > 0 {
			if err := writeDiags(c, c.App.ErrWriter, env, diags); err != nil {
				return exit(ExitFailed, err)
			}
		}
		if valid {
			fmt.Fprintf(c.App.Writer, "Environment %s is valid: %s.\n", env.Name, env.Counts())
		}
	}
	if !valid {
		return exit(ExitInvalid, nil)
	}
	return nil
}
