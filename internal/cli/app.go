// Package cli wires the command line (urfave/cli/v2) to the packages that do
// the work. It holds no logic of its own beyond flags, output and exit codes.
package cli

import (
	"errors"
	"fmt"
	"io"

	ucli "github.com/urfave/cli/v2"

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

// Main runs the CLI and returns the process exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	app := newApp(stdin, stdout, stderr)
	err := app.Run(args)
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
		Flags:                globalFlags(),
		EnableBashCompletion: true,
		HideVersion:          true,
		ExitErrHandler:       func(*ucli.Context, error) {}, // Main maps errors to codes
	}
	app.Commands = append(app.Commands, designCommands()...)
	app.Commands = append(app.Commands, provisionCommands()...)
	return app
}
