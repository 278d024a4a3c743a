package instance

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/proeftuin/proeftuin/internal/apply"
	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/conflict"
	"github.com/proeftuin/proeftuin/internal/planner"
	"github.com/proeftuin/proeftuin/internal/progress"
	"github.com/proeftuin/proeftuin/internal/redact"
	"github.com/proeftuin/proeftuin/internal/status"
)

// PlanResult is what Up would do.
type PlanResult struct {
	Plan *planner.Plan
	// Env is the environment loaded with the instance's auto subnets.
	Env *config.Environment
}

// Plan computes what Up would do, changing nothing: the same observation,
// auto subnets and image identities as Up (see apply.Plan).
func (i *Instance) Plan(ctx context.Context, env *config.Environment) (*PlanResult, error) {
	res := &PlanResult{Env: env}
	p, err := apply.Plan(ctx, i.eng, env, apply.Options{
		Instance: i.name,
		Reload:   i.keep(&res.Env, i.loader("")),
	})
	if err != nil {
		return res, planError(err)
	}
	res.Plan = p
	return res, nil
}

// PlanOutput is a plan as the user sees it (plan's JSON document): short
// IDs, secrets hidden in the causes.
type PlanOutput struct {
	Instance    string              `json:"instance"`
	Environment string              `json:"environment"`
	Operations  []planner.Operation `json:"operations"`
	Summary     planner.Counts      `json:"summary"`
	Changes     bool                `json:"changes"`
}

// Output is the plan of instance as the user sees it.
func (r *PlanResult) Output(instance string) PlanOutput {
	n := planner.Count(r.Plan)
	out := PlanOutput{Instance: instance, Environment: r.Env.Name, Operations: []planner.Operation{}, Summary: n, Changes: n.Changed()}
	for _, op := range r.Plan.Operations {
		op.Cause = redact.String(op.Cause, r.Env.SecretValues())
		op.ID = planner.ShortID(op.ID)
		out.Operations = append(out.Operations, op)
	}
	return out
}

// planError types an error of apply.Plan.
func planError(err error) error {
	var ie *InputError
	var de *apply.DefinitionError
	switch {
	case errors.As(err, &ie):
		return err
	case errors.As(err, &de):
		return &InputError{Err: err}
	}
	return engineError(err)
}

// keep wraps a loader so that *last holds the environment it loaded last.
func (i *Instance) keep(last **config.Environment, load func(map[string]string) (*config.Environment, error)) func(map[string]string) (*config.Environment, error) {
	return func(subnets map[string]string) (*config.Environment, error) {
		env, err := load(subnets)
		if err == nil {
			*last = env
		}
		return env, err
	}
}

// UpOptions control Up; see apply.Options.
type UpOptions struct {
	Parallel      int
	WaitTimeout   time.Duration
	KeepOnFailure bool
	Allow         []string
	// Pull overrides every service's pull policy: missing, always, never.
	Pull string
}

// UpResult says what Up did.
type UpResult struct {
	Plan     *planner.Plan
	Services map[string]string // service name -> container ID
	Subnets  map[string]string // auto network -> CIDR
	Elapsed  time.Duration
	// Env is the environment loaded with the instance's auto subnets.
	Env *config.Environment
}

// Up converges the instance to env and waits until every service is
// ready. A failed first up removes what it created (unless
// KeepOnFailure); an interrupted one rolls back and returns an
// InterruptedError that says whether the roll-back finished. The result
// is never nil: Env is the environment last loaded, also on failure.
func (i *Instance) Up(ctx context.Context, env *config.Environment, o UpOptions) (*UpResult, error) {
	ApplyPull(env, o.Pull)
	res := &UpResult{Env: env}
	r, err := apply.Up(ctx, i.eng, env, apply.Options{
		Instance:      i.name,
		Parallel:      o.Parallel,
		WaitTimeout:   o.WaitTimeout,
		KeepOnFailure: o.KeepOnFailure,
		Allow:         o.Allow,
		Progress:      i.sink,
		Reload:        i.keep(&res.Env, i.loader(o.Pull)),
	})
	if r != nil {
		res.Plan, res.Services, res.Subnets, res.Elapsed = r.Plan, r.Services, r.Subnets, r.Elapsed
	}
	return res, upError(ctx, i.name, conflict.Explain(ctx, i.eng, i.name, res.Env, err))
}

// Down removes everything of the instance (volumes too when volumes is
// true); it needs no definition.
func (i *Instance) Down(ctx context.Context, volumes bool) error {
	err := apply.Down(ctx, i.eng, i.name, volumes, i.sink)
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return &InterruptedError{Msg: "interrupted; run down again to finish"}
	}
	return &EngineError{Err: err}
}

// Status reports the instance's containers, networks and volumes, and
// with env their drift from it.
func (i *Instance) Status(ctx context.Context, env *config.Environment) (*status.Report, error) {
	rep, err := status.Gather(ctx, i.eng, i.name, env)
	if err != nil {
		return nil, engineError(err)
	}
	return rep, nil
}

// WriteSummary prints that instance name is up: what was done, how long
// it took and its services.
func (r *UpResult) WriteSummary(w io.Writer, name string) {
	fmt.Fprintf(w, "instance %s is up: %s (%s)\n", name, planner.SummaryDone(r.Plan), progress.FormatDuration(r.Elapsed))
	names := slices.Sorted(maps.Keys(r.Services))
	if len(names) > 0 {
		fmt.Fprintf(w, "services: %s\n", strings.Join(names, ", "))
	}
}
