package clidoc

import (
	"fmt"
	"strings"

	ucli "github.com/urfave/cli/v2"
)

// ExitCode is a row of the reference's exit code table.
type ExitCode struct {
	Code    int
	Meaning string
}

// Reference renders the command reference of app: its global options,
// exit codes, a table of its commands and every command (and subcommand)
// with its usage, description and flags with their defaults.
func Reference(app *ucli.App, exitCodes []ExitCode) string {
	var b strings.Builder
	b.WriteString("# Command reference\n\n")
	b.WriteString("<!-- Generated from the command definitions in internal/cli by `make docs`\n")
	b.WriteString("     (go generate ./internal/cli). Do not edit by hand. -->\n\n")
	fmt.Fprintf(&b, "`%s` — %s.\n\n", app.Name, app.Usage)
	fmt.Fprintf(&b, "```text\n%s [global options] COMMAND [command options] [arguments]\n```\n\n", app.Name)
	b.WriteString("Run `proeftuin COMMAND --help` for the same text in the terminal.\n\n")

	b.WriteString("## Global options\n\n")
	b.WriteString("These may be given before or after the command name: `proeftuin --dir lab up` and `proeftuin up --dir lab` are the same.\n\n")
	WriteFlags(&b, app.Flags)

	b.WriteString("## Exit codes\n\n")
	b.WriteString("| code | meaning |\n| --- | --- |\n")
	for _, e := range exitCodes {
		fmt.Fprintf(&b, "| %d | %s |\n", e.Code, e.Meaning)
	}
	b.WriteString("\n")

	b.WriteString("## Commands\n\n")
	b.WriteString("| command | what it does |\n| --- | --- |\n")
	Walk(app.Commands, app.Name, func(path string, cmd *ucli.Command) {
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s |\n", strings.TrimPrefix(path, app.Name+" "), Anchor(path), EscapeCell(cmd.Usage))
	})
	b.WriteString("\n")
	Walk(app.Commands, app.Name, func(path string, cmd *ucli.Command) {
		WriteCommand(&b, path, cmd)
	})
	return b.String()
}
