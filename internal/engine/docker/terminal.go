package docker

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
)

// ErrNoCLI is returned by ExecTerminal when the docker CLI is not
// installed.
var ErrNoCLI = errors.New("the docker CLI is not installed")

// TerminalExec is a command to run in a container with a terminal.
type TerminalExec struct {
	Context     string // docker context; else Host
	Host        string // the engine's address, when no Context is given
	Interactive bool   // pass stdin
	User        string
	WorkDir     string
	Env         []string
	Container   string // the container's ID
	Command     []string
}

// ExecTerminal runs t through `docker exec -t` on this process's standard
// streams: a terminal needs raw mode and resize handling that the engine
// interface does not offer, and the docker CLI does that well. It returns
// the command's exit code.
func ExecTerminal(ctx context.Context, t TerminalExec) (int, error) {
	bin, err := exec.LookPath("docker")
	if err != nil {
		return 0, ErrNoCLI
	}
	var args []string
	if t.Context != "" {
		args = append(args, "--context", t.Context)
	} else if t.Host != "" {
		args = append(args, "--host", t.Host)
	}
	args = append(args, "exec", "-t")
	if t.Interactive {
		args = append(args, "-i")
	}
	if t.User != "" {
		args = append(args, "--user", t.User)
	}
	if t.WorkDir != "" {
		args = append(args, "--workdir", t.WorkDir)
	}
	for _, e := range t.Env {
		args = append(args, "--env", e)
	}
	args = append(args, t.Container)
	args = append(args, t.Command...)
	run := exec.CommandContext(ctx, bin, args...)
	run.Stdin, run.Stdout, run.Stderr = os.Stdin, os.Stdout, os.Stderr
	err = run.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), nil
	}
	if err != nil {
		return 0, fmt.Errorf("docker exec: %w", err)
	}
	return 0, nil
}
