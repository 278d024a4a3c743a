package instance

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/hcl/v2"

	"github.com/proeftuin/proeftuin/internal/apply"
	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/conflict"
	"github.com/proeftuin/proeftuin/internal/planner"
	"github.com/proeftuin/proeftuin/internal/report"
	"github.com/proeftuin/proeftuin/internal/runner"
)

// The facade's errors say what went wrong by their type; the command line
// maps each type to its exit code in one place (cli.exitCode).

// InputError: the request or the definition is wrong; nothing was done
// about it on the engine. Diags, when set, point into the HCL; Env is the
// environment they refer to (for their source lines and its secrets).
type InputError struct {
	Err   error
	Diags hcl.Diagnostics
	Env   *config.Environment
}

func (e *InputError) Error() string {
	if e.Err == nil {
		return e.Diags.Error()
	}
	return e.Err.Error()
}

func (e *InputError) Unwrap() error { return e.Err }

// EngineError: the engine (or the instance lock, which guards it) failed.
type EngineError struct{ Err error }

func (e *EngineError) Error() string { return e.Err.Error() }
func (e *EngineError) Unwrap() error { return e.Err }

// RollbackError: removing what a failed or interrupted up created did not
// finish; Removed were removed, Left are still there.
type RollbackError = apply.RollbackError

// InterruptedError: the context was cancelled (Ctrl-C). It wraps
// context.Canceled and, when the roll-back of an interrupted up failed,
// that RollbackError, so both errors.Is and errors.As find them.
type InterruptedError struct {
	// What the user should know (and do) now.
	Msg string
	// Rollback is the failed roll-back of an interrupted up, or nil.
	Rollback *RollbackError
}

func (e *InterruptedError) Error() string { return e.Msg }

func (e *InterruptedError) Unwrap() []error {
	if e.Rollback != nil {
		return []error{context.Canceled, e.Rollback}
	}
	return []error{context.Canceled}
}

// interrupted is the InterruptedError of an up that was cancelled: it
// says whether the roll-back removed everything the up created.
func interruptedUp(instance string, err error) *InterruptedError {
	var rb *RollbackError
	if errors.As(err, &rb) {
		return &InterruptedError{Rollback: rb, Msg: fmt.Sprintf(
			"interrupted; the roll-back was incomplete (see above): run 'proeftuin --name %s down' to remove what is left", instance)}
	}
	return &InterruptedError{Msg: "interrupted; what this run created was removed"}
}

// upError types an error of apply.Up: unsafe settings refused are input,
// a cancelled context is an interruption, an engine refusal is an
// EngineError; anything else stays as it is (an up that failed).
func upError(ctx context.Context, instance string, err error) error {
	var ie *InputError
	var de *apply.DiagnosticsError
	var other *planner.OtherEnvironmentError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ie):
		return err
	case errors.As(err, &other):
		// The name is held by another environment: nothing was changed.
		return &InputError{Err: err}
	case errors.As(err, &de):
		return &InputError{Err: err, Diags: de.Diags}
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		return interruptedUp(instance, err)
	case conflict.IsRefusal(err):
		// The engine refused: another object holds a subnet, a port or
		// a name (conflict.Explain names it).
		return &EngineError{Err: err}
	}
	return err
}

// runnerError types an error from the runner that came without a result.
func runnerError(err error) error {
	switch {
	case err == nil:
		return &EngineError{Err: errors.New("the run produced no result")}
	case runner.IsInputError(err):
		return &InputError{Err: err}
	case errors.Is(err, context.Canceled):
		return &InterruptedError{Msg: "interrupted"}
	}
	return &EngineError{Err: err}
}

// engineError types a failed engine call.
func engineError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) {
		return &InterruptedError{Msg: "interrupted"}
	}
	return &EngineError{Err: err}
}

// StatusError: a run or check finished, wrote its report and did not
// pass; Status says how it ended (failed, error, interrupted). The
// report already told the user why.
type StatusError struct{ Status report.Status }

func (e *StatusError) Error() string { return "the result is " + string(e.Status) }

// Unwrap lets an interrupted result count as an interruption.
func (e *StatusError) Unwrap() error {
	if e.Status == report.Interrupted {
		return context.Canceled
	}
	return nil
}

// Err is nil for a result that passed, a *StatusError otherwise.
func (r *RunResult) Err() error {
	if r.Result == nil || r.Result.Status == report.Passed {
		return nil
	}
	return &StatusError{Status: r.Result.Status}
}
