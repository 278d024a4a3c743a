package cli

import (
	"io"
	"strings"

	"github.com/proeftuin/proeftuin/internal/clidoc"
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
	return clidoc.Reference(app, []clidoc.ExitCode{
		{Code: ExitOK, Meaning: "success"},
		{Code: ExitFailed, Meaning: "a step or check failed (`fmt --check`: a file needs formatting)"},
		{Code: ExitInvalid, Meaning: "invalid input or usage: the HCL does not load, a flag is wrong, a bundle is refused"},
		{Code: ExitEngine, Meaning: "the engine or another runtime dependency failed, or the engine refused what the lab needs because another instance or object holds it (a subnet, a host port, a name)"},
		{Code: ExitInterrupted, Meaning: "interrupted (Ctrl-C)"},
	})
}
