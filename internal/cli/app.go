// Package cli wires the command line (urfave/cli/v2) to the packages that do
// the work. It holds no logic of its own beyond flags, output and exit codes.
package cli

import (
	"errors"
	"fmt"
	"io"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/cmdline"
	"github.com/proeftuin/proeftuin/internal/version"
)

// Exit codes, as documented in docs/cli.md.
const (
	ExitOK          = 0
	ExitFailed      = 1 // a step or check failed; fmt --check found changes
	ExitInvalid     = 2 // invalid input or usage
	ExitEngine      = 3 // the engine or another runtime dependency failed
	ExitInterrupted = 130
)

// exitError carries an exit code through urfave/cli. A nil Err with a code
// means "already reported, just exit".
type exitError struct {
	Code int
	Err  error
}

func (e *exitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}

func (e *exitError) Unwrap() error { return e.Err }

// exit returns an error that makes Main exit with code; err may be nil when
// the message was already printed.
func exit(code int, err error) error { return &exitError{Code: code, Err: err} }

// verbatimAfter names the commands whose arguments end in a command line
// of their own, and after how many arguments it starts (see
// cmdline.Reorder): exec SERVICE COMMAND...
var verbatimAfter = map[string]int{"exec": 1}

// Main runs the CLI and returns the process exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	app := newApp(stdin, stdout, stderr)
	err := app.Run(cmdline.Reorder(app, args, verbatimAfter))
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.Err != nil {
			fmt.Fprintf(stderr, "proeftuin: %v\n", ee.Err)
		}
		return ee.Code
	}
	// Errors from urfave/cli itself are usage errors (unknown flag, ...).
	fmt.Fprintf(stderr, "proeftuin: %v\n", err)
	return ExitInvalid
}

func newApp(stdin io.Reader, stdout, stderr io.Writer) *ucli.App {
	app := &ucli.App{
		Name:                 "proeftuin",
		Usage:                "provision reproducible test environments from HCL",
		Version:              version.Version,
		Reader:               stdin,
		Writer:               stdout,
		ErrWriter:            stderr,
		Flags:                append(globalFlags(), &ucli.BoolFlag{Name: "version", Usage: "print the version (as 'proeftuin version' does)"}),
		EnableBashCompletion: true,
		HideVersion:          true,
		ExitErrHandler:       func(*ucli.Context, error) {}, // Main maps errors to codes
	}
	app.Commands = append(app.Commands, designCommands()...)
	app.Commands = append(app.Commands, provisionCommands()...)
	app.Commands = append(app.Commands, runCommands()...)
	app.Commands = append(app.Commands, probeCommand())
	app.Commands = append(app.Commands, bundleCommand(), importCommand())
	app.Commands = append(app.Commands, labCommands()...)
	app.Commands = append(app.Commands, completionCommand(), completeCommand(), gradeCommand())
	app.OnUsageError = usageError
	app.Action = func(c *ucli.Context) error {
		if c.Bool("version") {
			return runVersion(c)
		}
		if c.NArg() > 0 {
			name := c.Args().First()
			return exit(ExitInvalid, fmt.Errorf("unknown command %q.%s Run 'proeftuin help' for the list of commands", name, cmdline.DidYouMean(name, cmdline.CommandNames(c.App.Commands))))
		}
		return ucli.ShowAppHelp(c)
	}
	for _, cmd := range app.Commands {
		cmdline.Prepare(cmd, globalFlags, usageError, invalid)
	}
	return app
}

// usageError reports a flag that does not parse, with the closest flag
// of the command and where to find help (see cmdline.UsageError).
func usageError(c *ucli.Context, err error, _ bool) error {
	return exit(ExitInvalid, cmdline.UsageError(c, err))
}

// invalid makes err a usage error: exit code 2.
func invalid(err error) error { return exit(ExitInvalid, err) }
