package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/progress"
)

// execOutputLimit caps what a non-interactive exec keeps of each stream.
const execOutputLimit = 64 << 20

func execCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "exec",
		Usage:     "run a command in a service",
		ArgsUsage: "SERVICE -- COMMAND [ARG...]",
		Description: `Runs COMMAND in the running container of SERVICE and exits with the
command's exit code. Without -i the command gets no input; with -i this
process's stdin is passed to it. An interactive terminal (-t, e.g. a shell)
needs the docker CLI, which proeftuin then runs for you.

Output is printed when the command ends (at most 64 MiB of each stream).

Examples:
  proeftuin exec web -- cat /etc/hostname
  proeftuin exec db -- sh -c 'echo $HOSTNAME'
  proeftuin exec -i db -- sh < seed.sh
  proeftuin exec -it web -- sh`,
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
	env, name, err := optionalEnv(c)
	if err != nil {
		return err
	}
	recordDiagnosis(c, env, name, "exec", append([]string{service, "--"}, cmd...))
	inst, err := openInstance(c, name, nil, progress.Discard, false)
	if err != nil {
		return fail(c, env, err)
	}
	defer inst.Close()
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
	out, errw := c.App.Writer, c.App.ErrWriter
	if r := redactor(env); r != nil {
		_, _ = io.WriteString(out, r(string(res.Stdout)))
		_, _ = io.WriteString(errw, r(string(res.Stderr)))
	} else {
		_, _ = out.Write(res.Stdout)
		_, _ = errw.Write(res.Stderr)
	}
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

// execWithDockerCLI runs an interactive command through `docker exec -it`:
// a terminal needs raw mode and resize handling that the engine interface
// does not offer, and the docker CLI does that well.
func execWithDockerCLI(c *ucli.Context, eng engine.Engine, ctr engine.Container, cmd []string) error {
	bin, err := exec.LookPath("docker")
	if err != nil {
		return exit(ExitInvalid, errors.New("an interactive terminal (-t) needs the docker CLI, which is not installed; run without -t (with -i to pass stdin)"))
	}
	var args []string
	if ctxName := c.String("context"); ctxName != "" {
		args = append(args, "--context", ctxName)
	} else if info, err := eng.Info(c.Context); err == nil && info.Host != "" {
		args = append(args, "--host", info.Host)
	}
	args = append(args, "exec", "-t")
	if c.Bool("interactive") {
		args = append(args, "-i")
	}
	if u := c.String("user"); u != "" {
		args = append(args, "--user", u)
	}
	if w := c.String("workdir"); w != "" {
		args = append(args, "--workdir", w)
	}
	for _, e := range c.StringSlice("env") {
		args = append(args, "--env", e)
	}
	args = append(args, ctr.ID)
	args = append(args, cmd...)
	run := exec.CommandContext(c.Context, bin, args...)
	run.Stdin, run.Stdout, run.Stderr = os.Stdin, os.Stdout, os.Stderr
	err = run.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return exit(ee.ExitCode(), nil)
	}
	if err != nil {
		return exit(ExitEngine, fmt.Errorf("docker exec: %w", err))
	}
	return nil
}
