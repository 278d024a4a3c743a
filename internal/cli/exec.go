package cli

import (
	"errors"
	"fmt"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/connect"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/fault"
	"github.com/proeftuin/proeftuin/internal/redact"
)

// execOutputLimit caps what a non-interactive exec keeps of each stream.
const execOutputLimit = 64 << 20

func execCommand() *ucli.Command {
	return &ucli.Command{
		Name:        "exec",
		Usage:       "run a command in a service",
		ArgsUsage:   "SERVICE -- COMMAND [ARG...]",
		Description: help("exec"),
		Flags: append(engineFlags(),
			&ucli.BoolFlag{Name: "interactive", Aliases: []string{"i"}, Usage: "pass stdin to the command"},
			&ucli.BoolFlag{Name: "tty", Aliases: []string{"t"}, Usage: "allocate a terminal (needs the docker CLI)"},
			&ucli.StringFlag{Name: "user", Aliases: []string{"u"}, Usage: "user (name or uid[:gid]) to run as"},
			&ucli.StringFlag{Name: "workdir", Aliases: []string{"w"}, Usage: "working directory inside the container"},
			&ucli.StringSliceFlag{Name: "env", Aliases: []string{"e"}, Usage: "extra environment variable KEY=value (repeatable)"},
		),
		UseShortOptionHandling: true, // -it
		Action:                 runExec,
	}
}

func runExec(c *ucli.Context) error {
	args := c.Args().Slice()
	if len(args) == 0 {
		return exit(ExitInvalid, errors.New("exec needs a service and a command: proeftuin exec SERVICE -- COMMAND"))
	}
	service, cmd := args[0], args[1:]
	if len(cmd) > 0 && cmd[0] == "--" {
		cmd = cmd[1:]
	}
	if len(cmd) == 0 {
		return exit(ExitInvalid, fmt.Errorf("exec %s: no command given; write it after --", service))
	}
	env, inst, err := openLooking(c)
	if err != nil {
		return err
	}
	defer inst.Close()
	fault.RecordDiagnosisOf(c.Context, c.App.ErrWriter, inst.Instance, env, "exec", append([]string{service, "--"}, cmd...))
	ctr, err := inst.Running(c.Context, service)
	if err != nil {
		return fail(c, env, err)
	}
	if c.Bool("tty") {
		return execWithDockerCLI(c, inst.Engine(), ctr, cmd)
	}
	spec := engine.ExecSpec{
		Command:     cmd,
		User:        c.String("user"),
		WorkDir:     c.String("workdir"),
		Env:         c.StringSlice("env"),
		OutputLimit: execOutputLimit,
	}
	if c.Bool("interactive") {
		spec.Stdin = c.App.Reader
	}
	res, err := inst.Exec(c.Context, ctr, spec)
	errw := c.App.ErrWriter
	redact.Write(c.App.Writer, res.Stdout, env.SecretValues())
	redact.Write(errw, res.Stderr, env.SecretValues())
	if err != nil {
		return fail(c, env, err)
	}
	if res.Truncated {
		fmt.Fprintf(errw, "proeftuin: output longer than %d MiB was cut; only the end is shown\n", execOutputLimit>>20)
	}
	if res.ExitCode != 0 {
		return exit(res.ExitCode, nil)
	}
	return nil
}

// execWithDockerCLI runs an interactive command through the docker CLI
// (see connect.RunTerminal), on the engine of --context.
func execWithDockerCLI(c *ucli.Context, eng engine.Engine, ctr engine.Container, cmd []string) error {
	code, err := connect.RunTerminal(c.Context, eng, connect.Terminal{
		DockerContext: c.String("context"), Interactive: c.Bool("interactive"),
		User: c.String("user"), WorkDir: c.String("workdir"), Env: c.StringSlice("env"),
		Container: ctr.ID, Command: cmd,
	})
	switch {
	case errors.Is(err, connect.ErrNoCLI):
		return exit(ExitInvalid, errors.New("an interactive terminal (-t) needs the docker CLI, which is not installed; run without -t (with -i to pass stdin)"))
	case err != nil:
		return exit(ExitEngine, err)
	case code != 0:
		return exit(code, nil)
	}
	return nil
}
