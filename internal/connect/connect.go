// Package connect is the edge where proeftuin meets the Docker engine: it
// dials the engine of a docker context, opens an instance on it, lists the
// instances for shell completion and runs a command on a terminal through
// the docker CLI. The instance facade itself knows only engine.Engine.
package connect

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/engine/docker"
	"github.com/proeftuin/proeftuin/internal/instance"
	"github.com/proeftuin/proeftuin/internal/progress"
)

// ErrUnreachable is wrapped by the errors of an engine that does not
// answer.
var ErrUnreachable = docker.ErrUnreachable

// ErrNoCLI is Terminal's error when the docker CLI is not installed.
var ErrNoCLI = docker.ErrNoCLI

// Engine connects to the docker engine of dockerContext (empty:
// DOCKER_HOST, DOCKER_CONTEXT or the docker CLI's current context).
func Engine(ctx context.Context, dockerContext string) (engine.Engine, error) {
	return docker.New(ctx, docker.Options{Context: dockerContext})
}

// Instance connects to the engine of dockerContext and opens the instance
// on it. The caller closes the instance and then its Engine. An engine
// that does not answer is an instance.EngineError, and the progress sink
// is closed then, as instance.Open closes it when it fails.
func Instance(ctx context.Context, dockerContext, name string, opts instance.Options) (*instance.Instance, error) {
	eng, err := Engine(ctx, dockerContext)
	if err != nil {
		if r, ok := opts.Progress.(progress.Renderer); ok {
			r.Close()
		}
		return nil, &instance.EngineError{Err: err}
	}
	inst, err := instance.Open(ctx, eng, name, opts)
	if err != nil {
		eng.Close()
		return nil, err
	}
	return inst, nil
}

// InstanceNames lists the instances on the default engine, waiting at
// most timeout (for shell completion: nothing when it does not answer).
func InstanceNames(timeout time.Duration) []string { return docker.InstanceNames(timeout) }

// Terminal says what to run on a terminal of the user's.
type Terminal struct {
	DockerContext string
	Interactive   bool
	User, WorkDir string
	Env           []string
	Container     string // ID
	Command       []string
}

// RunTerminal runs t's command in its container through the docker CLI, on
// the engine eng is connected to, and returns the command's exit code.
func RunTerminal(ctx context.Context, eng engine.Engine, t Terminal) (int, error) {
	te := docker.TerminalExec{
		Context:     t.DockerContext,
		Interactive: t.Interactive,
		User:        t.User,
		WorkDir:     t.WorkDir,
		Env:         t.Env,
		Container:   t.Container,
		Command:     t.Command,
	}
	if te.Context == "" {
		if info, err := eng.Info(ctx); err == nil {
			te.Host = info.Host
		}
	}
	return docker.ExecTerminal(ctx, te)
}

// Named is an engine with the name it was given on the command line.
type Named struct {
	Name   string
	Engine engine.Engine
}

// Engines connects to every named engine: a docker context, or a host
// when the name has a scheme (tcp://, ssh://, unix://). One that does not
// answer is left out with a warning on errw; the error joins their errors
// when none answers. Without names it is the engine of dockerContext,
// named "default".
func Engines(ctx context.Context, dockerContext string, names []string, errw io.Writer) ([]Named, error) {
	if len(names) == 0 {
		eng, err := Engine(ctx, dockerContext)
		if err != nil {
			return nil, err
		}
		return []Named{{Name: "default", Engine: eng}}, nil
	}
	var out []Named
	var errs []error
	for _, name := range names {
		o := docker.Options{Context: name}
		if strings.Contains(name, "://") {
			o = docker.Options{Host: name}
		}
		eng, err := docker.New(ctx, o)
		if err != nil {
			fmt.Fprintf(errw, "proeftuin: warning: engine %s does not answer; grading without it: %v\n", name, err)
			errs = append(errs, err)
			continue
		}
		out = append(out, Named{Name: name, Engine: eng})
	}
	if len(out) == 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}
