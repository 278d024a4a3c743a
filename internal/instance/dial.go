package instance

import (
	"context"

	"github.com/proeftuin/proeftuin/internal/engine/docker"
	"github.com/proeftuin/proeftuin/internal/progress"
)

// Dial connects to the docker engine of dockerContext (empty:
// DOCKER_HOST, DOCKER_CONTEXT or the docker CLI's current context) and
// opens the instance on it. The caller closes the instance and then its
// Engine. An engine that does not answer is an EngineError, and the
// progress sink is closed then, as Open closes it when it fails.
func Dial(ctx context.Context, dockerContext, name string, opts Options) (*Instance, error) {
	eng, err := docker.New(ctx, docker.Options{Context: dockerContext})
	if err != nil {
		if r, ok := opts.Progress.(progress.Renderer); ok {
			r.Close()
		}
		return nil, &EngineError{Err: err}
	}
	inst, err := Open(ctx, eng, name, opts)
	if err != nil {
		eng.Close()
		return nil, err
	}
	return inst, nil
}
