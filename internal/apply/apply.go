// Package apply makes an instance's actual state match the environment:
// it resolves images, allocates auto subnets, walks the planner's
// operations along the dependency graph concurrently and waits for
// readiness. Down removes everything labelled with an instance.
package apply

import (
	"context"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/planner"
	"github.com/proeftuin/proeftuin/internal/progress"
)

// Options control Up.
type Options struct {
	Instance      string
	Parallel      int           // bounded concurrency; 0 means 8
	WaitTimeout   time.Duration // overrides every ready.timeout when > 0
	KeepOnFailure bool          // leave what a failed first up created
	Allow         []string      // unsafe settings the user allowed (see Unsafe)
	Progress      progress.Sink // nil: discard
	// Reload re-loads the environment with the auto subnets allocated for
	// this instance (config.Options.Subnets); Up calls it once it knows them.
	Reload func(subnets map[string]string) (*config.Environment, error)
}

// Result says what Up did.
type Result struct {
	Plan     *planner.Plan
	Services map[string]string // service name -> container ID
	Elapsed  time.Duration
}

// Up converges the instance to env. On failure of a first up it removes
// what this run created unless KeepOnFailure; on ctx cancellation it rolls
// back what this run created within a bounded time and returns ctx.Err().
func Up(ctx context.Context, eng engine.Engine, env *config.Environment, opts Options) (*Result, error) {
	panic("TODO")
}

// Down removes every container, network (and, with volumes, volume)
// labelled with the instance. It needs no environment definition.
func Down(ctx context.Context, eng engine.Engine, instance string, volumes bool, sink progress.Sink) error {
	panic("TODO")
}
