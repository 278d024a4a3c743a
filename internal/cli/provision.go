package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/hcl/v2"
	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/atomicfile"
	"github.com/proeftuin/proeftuin/internal/cmdline"
	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/connect"
	"github.com/proeftuin/proeftuin/internal/diag"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/instance"
	"github.com/proeftuin/proeftuin/internal/interrupt"
	"github.com/proeftuin/proeftuin/internal/progress"
)

// provisionCommands are the commands that talk to the engine (plan, up,
// status, exec, logs, down, doctor).
func provisionCommands() []*ucli.Command {
	return []*ucli.Command{
		planCommand(),
		upCommand(),
		statusCommand(),
		execCommand(),
		logsCommand(),
		downCommand(),
		faultCommand(),
		doctorCommand(),
	}
}

// engineFlags are the flags of every command that talks to the engine.
func engineFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{
			Name:  "context",
			Usage: "docker context to use (default: DOCKER_HOST, DOCKER_CONTEXT or the docker CLI's current context)",
		},
	}
}

// lockFlag bounds the wait for another command on the same instance.
func lockFlag() ucli.Flag {
	return &ucli.DurationFlag{
		Name:  "lock-timeout",
		Usage: "how long to wait for another proeftuin command on the same instance (0: 5m)",
	}
}

// dialEngine opens the engine chosen by --context and the environment. An
// engine that does not answer is exit code 3.
func dialEngine(c *ucli.Context) (engine.Engine, error) {
	eng, err := connect.Engine(c.Context, c.String("context"))
	if err != nil {
		return nil, engineExit(err)
	}
	return eng, nil
}

// engineExit maps an error from the engine to an exit code: 130 when
// interrupted, 3 otherwise (see exitCode).
func engineExit(err error) error {
	if errors.Is(err, context.Canceled) {
		err = &instance.InterruptedError{Msg: "interrupted"}
	} else {
		err = &instance.EngineError{Err: err}
	}
	return exit(exitCode(err), err)
}

// envDir is the --dir flag's value.
func envDir(c *ucli.Context) string {
	if d := cmdline.String(c, "dir"); d != "" {
		return d
	}
	return "."
}

// optionalEnv loads the environment when the folder has one, or returns nil
// when --name names the instance and there is no HCL at all (down, status
// after the lab folder was deleted).
func optionalEnv(c *ucli.Context) (*config.Environment, string, error) {
	if name := cmdline.String(c, "name"); name != "" && !config.HasDefinition(envDir(c)) {
		return nil, name, nil
	}
	if !config.HasDefinition(envDir(c)) {
		return nil, "", exit(ExitInvalid, fmt.Errorf("no *.hcl files in %s; give --dir, or --name to work on an instance without its definition", envDir(c)))
	}
	env, err := loadEnv(c, nil)
	if err != nil {
		return nil, "", err
	}
	return env, instanceName(c, env), nil
}

// newProgress returns the renderer for long-running commands: JSON events
// on stdout with --output json, otherwise lines on stderr so stdout stays
// parseable; in place on a terminal.
func newProgress(c *ucli.Context, env *config.Environment) progress.Renderer {
	if outputJSON(c) {
		return progress.New(c.App.Writer, progress.RenderOptions{Format: progress.FormatJSON, Redact: redactor(env)})
	}
	return runProgress(c, env)
}

// commandLine is how this process was started, for the lock file.
func commandLine() string { return strings.Join(os.Args, " ") }

// interruptible replaces c.Context with one cancelled by the first SIGINT
// or SIGTERM, so the command can clean up (apply rolls back what it
// created) and exit 130; notify (may be nil) tells the user, through the
// progress renderer so a terminal display stays intact. A second SIGINT
// exits at once with 130. The
// returned stop restores default signal handling; interrupted reports
// whether a signal arrived.
func interruptible(c *ucli.Context, notify func(string)) (stop func(), interrupted func() bool) {
	return interruptibleInstance(c, notify, "")
}

// interruptibleInstance is interruptible for a command that changes
// instance (when not ""): quitting at once leaves its work half done, so
// the message on the second Ctrl-C says how to see and remove what is left.
func interruptibleInstance(c *ucli.Context, notify func(string), instance string) (stop func(), interrupted func() bool) {
	first := func() {
		if notify != nil {
			notify("interrupted; press Ctrl-C again to quit at once")
		}
	}
	again := func() {
		fmt.Fprintln(c.App.ErrWriter, "\n"+interruptedAgain(instance))
		atomicfile.RemovePending() // no half-written file is left behind
		os.Exit(ExitInterrupted)
	}
	c.Context, stop, interrupted = interrupt.Notify(c.Context, first, again)
	return stop, interrupted
}

// interruptedAgain is the message of the second Ctrl-C; see
// interruptibleInstance.
func interruptedAgain(instance string) string {
	msg := "proeftuin: interrupted again, exiting at once"
	if instance != "" {
		msg += fmt.Sprintf("; containers, networks or volumes of instance %s may be left half made or half removed: 'proeftuin --name %s status' shows them, 'proeftuin --name %s down' removes them", instance, instance, instance)
	}
	return msg
}

// renderDiags writes diagnostics on stderr, as JSON with --output json,
// else with their source lines; secrets (also those of --var) hidden.
func renderDiags(c *ucli.Context, env *config.Environment, diags hcl.Diagnostics) error {
	if env == nil {
		env = &config.Environment{}
	}
	if outputJSON(c) {
		secrets := config.DiagnosticSecrets(env, cmdline.Strings(c, "var"))
		return printJSON(c.App.ErrWriter, map[string]any{"diagnostics": diag.JSONRedacted(diags, secrets)})
	}
	return writeDiags(c, c.App.ErrWriter, env, diags)
}
