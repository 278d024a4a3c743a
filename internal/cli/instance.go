package cli

import (
	"context"
	"errors"
	"fmt"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/connect"
	"github.com/proeftuin/proeftuin/internal/instance"
	"github.com/proeftuin/proeftuin/internal/progress"
	"github.com/proeftuin/proeftuin/internal/report"
)

// session is an opened instance with what the command set up around it:
// the interrupt handler and the engine connection.
type session struct {
	*instance.Instance
	close func()
}

// Close closes the instance (its lock and progress sink), the engine
// connection and the interrupt handler; the instance's Close may come
// earlier, before a summary is printed.
func (s *session) Close() { s.close() }

// openInstance is how every command that works on an instance starts:
// Ctrl-C cancels c.Context (reported through sink), the engine of
// --context is connected and the instance opened, with its lock when lock
// is true. cfg loads the environment again with its subnets (nil without
// a definition).
func openInstance(c *ucli.Context, name string, cfg *config.Options, sink progress.Sink, lock bool) (*session, error) {
	changes := ""
	if lock {
		changes = name // commands that take the lock change the instance
	}
	stop, _ := interruptibleInstance(c, func(msg string) { instance.Notify(sink, name, msg) }, changes)
	inst, err := connect.Instance(c.Context, c.String("context"), name, instance.Options{
		Config:      cfg,
		Progress:    sink,
		Lock:        lock,
		LockTimeout: c.Duration("lock-timeout"), // 0 when the command has no such flag
		Command:     commandLine(),
		Notice:      func(msg string) { fmt.Fprintln(c.App.ErrWriter, msg) },
	})
	if err != nil {
		stop()
		return nil, err
	}
	return &session{Instance: inst, close: func() {
		inst.Close()
		inst.Engine().Close()
		stop()
	}}, nil
}

// openLooking opens the instance for status, logs and exec: the environment
// if the folder has one, no lock, no progress; its error is ready to return.
func openLooking(c *ucli.Context) (*config.Environment, *session, error) {
	env, name, err := optionalEnv(c)
	if err != nil {
		return nil, nil, err
	}
	inst, err := openInstance(c, name, nil, progress.Discard, false)
	if err != nil {
		return nil, nil, fail(c, env, err)
	}
	return env, inst, nil
}

// exitCode decides the exit code of an error by its type: the one place
// that does. Errors of the instance facade are typed; an exitError
// carries the code its command chose (usage, results).
func exitCode(err error) int {
	var (
		ee          *exitError
		input       *instance.InputError
		interrupted *instance.InterruptedError
		eng         *instance.EngineError
		status      *instance.StatusError
	)
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ee):
		return ee.Code
	case errors.As(err, &status) && status.Status == report.Error:
		return ExitEngine
	case errors.As(err, &interrupted), errors.Is(err, context.Canceled):
		return ExitInterrupted
	case errors.As(err, &input):
		return ExitInvalid
	case errors.As(err, &eng), errors.Is(err, connect.ErrUnreachable):
		return ExitEngine
	}
	return ExitFailed
}

// fail turns an error of the facade into what Main prints and exits
// with: diagnostics are rendered with their source lines, secrets of env
// hidden, and the exit code comes from exitCode.
func fail(c *ucli.Context, env *config.Environment, err error) error {
	var ee *exitError
	if err == nil || errors.As(err, &ee) {
		return err
	}
	var input *instance.InputError
	if errors.As(err, &input) && len(input.Diags) > 0 {
		if input.Env != nil {
			env = input.Env
		}
		renderDiags(c, env, input.Diags)
		return exit(exitCode(err), nil)
	}
	return exit(exitCode(err), redactErr(env, err))
}

// configOf is the loader options of the global flags, nil without an
// environment.
func configOf(c *ucli.Context, env *config.Environment) *config.Options {
	if env == nil {
		return nil
	}
	o := options(c, nil)
	return &o
}
