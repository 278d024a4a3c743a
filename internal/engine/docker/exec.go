package docker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/client"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// defaultOutputLimit is ExecSpec.OutputLimit's zero value.
const defaultOutputLimit = 64 << 10

// Exec implements engine.Engine. Output is read as it comes, into one tail
// buffer per stream, so a command that prints gigabytes costs at most
// 2×OutputLimit bytes. Cancelling ctx closes the connection; the process
// in the container may go on running (the API cannot kill an exec).
// spec.Stdin is copied until it ends or the exec finishes; a Stdin whose
// Read blocks forever keeps its copying goroutine alive.
func (d *Docker) Exec(ctx context.Context, id string, spec engine.ExecSpec) (engine.ExecResult, error) {
	limit := spec.OutputLimit
	if limit <= 0 {
		limit = defaultOutputLimit
	}
	stdout, stderr := newTailBuffer(limit), newTailBuffer(limit)
	var outW, errW io.Writer = stdout, stderr
	if spec.Stdout != nil {
		outW = io.MultiWriter(stdout, spec.Stdout)
	}
	if spec.Stderr != nil {
		errW = io.MultiWriter(stderr, spec.Stderr)
	}
	code, err := d.execStream(ctx, id, spec, outW, errW)
	res := engine.ExecResult{
		ExitCode:  code,
		Stdout:    stdout.Bytes(),
		Stderr:    stderr.Bytes(),
		Truncated: stdout.Truncated() || stderr.Truncated(),
	}
	if err != nil {
		return res, fmt.Errorf("exec %s in container %s: %w", commandString(spec.Command), id, err)
	}
	return res, nil
}

// execStream runs spec in the container, writes its demultiplexed output
// to stdout and stderr, and returns its exit code.
func (d *Docker) execStream(ctx context.Context, id string, spec engine.ExecSpec, stdout, stderr io.Writer) (int, error) {
	if len(spec.Command) == 0 {
		return -1, errors.New("no command")
	}
	created, err := d.cli.ExecCreate(ctx, id, client.ExecCreateOptions{
		Cmd:          spec.Command,
		User:         spec.User,
		WorkingDir:   spec.WorkDir,
		Env:          spec.Env,
		AttachStdin:  spec.Stdin != nil,
		AttachStdout: true,
		AttachStderr: true,
	})
	if err != nil {
		return -1, d.wrap(err, "create")
	}
	att, err := d.cli.ExecAttach(ctx, created.ID, client.ExecAttachOptions{})
	if err != nil {
		return -1, d.wrap(err, "attach")
	}
	defer att.Close()
	// Closing the connection is the only way to interrupt a blocked read.
	stop := context.AfterFunc(ctx, att.Close)
	defer stop()

	if spec.Stdin != nil {
		go func() {
			// An error here means the process stopped reading; its exit
			// code tells the story.
			_, _ = io.Copy(att.Conn, spec.Stdin)
			_ = att.CloseWrite()
		}()
	}

	if _, err := stdcopy.StdCopy(stdout, stderr, att.Reader); err != nil {
		if ctx.Err() != nil {
			return -1, ctx.Err()
		}
		return -1, fmt.Errorf("read output: %w", err)
	}
	if ctx.Err() != nil {
		return -1, ctx.Err()
	}
	return d.execExitCode(ctx, created.ID)
}

// execExitCode waits for the daemon to mark a finished exec as stopped: it
// closes the stream first and updates the exec's state just after.
func (d *Docker) execExitCode(ctx context.Context, execID string) (int, error) {
	delay := 5 * time.Millisecond
	for {
		res, err := d.cli.ExecInspect(ctx, execID, client.ExecInspectOptions{})
		if err != nil {
			return -1, d.wrap(err, "inspect")
		}
		if !res.Running {
			return res.ExitCode, nil
		}
		select {
		case <-ctx.Done():
			return -1, ctx.Err()
		case <-time.After(delay):
		}
		delay = min(2*delay, 200*time.Millisecond)
	}
}

// commandString renders a command for error messages.
func commandString(cmd []string) string {
	s := strings.Join(cmd, " ")
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return fmt.Sprintf("%q", s)
}
