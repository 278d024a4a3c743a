package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/proeftuin/proeftuin/internal/clidoc"
	ucli "github.com/urfave/cli/v2"
)

//go:generate go test -run ^TestCLIDocsCurrent$ -update-cli-docs .

// CLIDocsPath is where the command reference lives, relative to the
// repository root.
const CLIDocsPath = "docs/cli.md"

// CLIDocs renders the command reference (docs/cli.md) from the command
// definitions: every command and subcommand with its usage, description
// and flags with their defaults. `make docs` (go generate ./internal/cli)
// writes it; a test fails when the file is stale.
func CLIDocs() string {
	app := newApp(strings.NewReader(""), io.Discard, io.Discard)
	var b strings.Builder
	b.WriteString("# Command reference\n\n")
	b.WriteString("<!-- Generated from the command definitions in internal/cli by `make docs`\n")
	b.WriteString("     (go generate ./internal/cli). Do not edit by hand. -->\n\n")
	fmt.Fprintf(&b, "`%s` — %s.\n\n", app.Name, app.Usage)
	fmt.Fprintf(&b, "```text\n%s [global options] COMMAND [command options] [arguments]\n```\n\n", app.Name)
	b.WriteString("Run `proeftuin COMMAND --help` for the same text in the terminal.\n\n")

	b.WriteString("## Global options\n\n")
	b.WriteString("These may be given before or after the command name: `proeftuin --dir lab up` and `proeftuin up --dir lab` are the same.\n\n")
	clidoc.WriteFlags(&b, app.Flags)

	b.WriteString("## Exit codes\n\n")
	b.WriteString("| code | meaning |\n| --- | --- |\n")
	for _, e := range []struct {
		code    int
		meaning string
	}{
		{ExitOK, "success"},
		{ExitFailed, "a step or check failed (`fmt --check`: a file needs formatting)"},
		{ExitInvalid, "invalid input or usage: the HCL does not load, a flag is wrong, a bundle is refused"},
		{ExitEngine, "the engine or another runtime dependency failed"},
		{ExitInterrupted, "interrupted (Ctrl-C)"},
	} {
		fmt.Fprintf(&b, "| %d | %s |\n", e.code, e.meaning)
	}
	b.WriteString("\n")

	b.WriteString("## Commands\n\n")
	b.WriteString("| command | what it does |\n| --- | --- |\n")
	clidoc.Walk(app.Commands, app.Name, func(path string, cmd *ucli.Command) {
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s |\n", strings.TrimPrefix(path, app.Name+" "), clidoc.Anchor(path), clidoc.EscapeCell(cmd.Usage))
	})
	b.WriteString("\n")
	clidoc.Walk(app.Commands, app.Name, func(path string, cmd *ucli.Command) {
		clidoc.WriteCommand(&b, path, cmd)
	})
	return b.String()
}
