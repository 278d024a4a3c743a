package apply

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/proeftuin/proeftuin/internal/atomicfile"
	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/planner"
)

// recordNetSetup notes that the container of service got its network
// setup in the start d describes. The file is replaced whole (a
// concurrent writer loses at worst an entry: the next up re-applies that
// service's setup, which is harmless).
func (r *run) recordNetSetup(service, id string, d engine.ContainerDetail) error {
	dir := r.dir
	if dir == "" || d.StartedAt.IsZero() {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	rec := planner.ReadNetRecord(dir, r.instance)
	rec.Services[service] = planner.NetStart(id, d.StartedAt)
	b, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return err
	}
	p := planner.NetRecordPath(dir, r.instance)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return atomicfile.Write(p, append(b, '\n'), 0o644)
}

// markLost turns the kept services with a network setup whose container
// was started again since it got it (or of which no start is recorded)
// into Reapply operations.
func (r *run) markLost(ctx context.Context, env *config.Environment, plan *planner.Plan) error {
	if r.dir == "" {
		return nil
	}
	rec := planner.ReadNetRecord(r.dir, r.instance)
	for i, op := range plan.Operations {
		if op.Resource != planner.ResService || op.Kind != planner.Keep {
			continue
		}
		s := env.Service(op.Name)
		if s == nil || !s.NeedsNetSetup() {
			continue
		}
		d, err := r.eng.InspectContainer(ctx, op.ID)
		if err != nil {
			return fmt.Errorf("inspect service %s: %w", op.Name, err)
		}
		if d.State != engine.StateRunning || d.StartedAt.IsZero() {
			continue // restarting: the next up sees it running
		}
		if cause := rec.Lost(op.Name, op.ID, d.StartedAt); cause != "" {
			plan.Operations[i].Kind, plan.Operations[i].Cause = planner.Reapply, cause
		}
	}
	return nil
}

// NetSetupAgain redoes the network setup of services of the running
// instance whose container was started again since they got it (a plan's
// restart or start action, a fault's): the same check and the same
// helpers as up (markLost, links), so a link with such a service at one
// end is made again and both ends set up. env is loaded with the
// instance's subnets; opts gives the instance, the probe binary and the
// progress sink. It returns the services it set up again.
func NetSetupAgain(ctx context.Context, eng engine.Engine, env *config.Environment, opts Options, services []string) ([]string, error) {
	instance := opts.Instance
	if instance == "" {
		instance = env.Name
	}
	r := newRun(eng, instance, opts)
	r.dir = env.Dir
	actual, err := planner.Observe(ctx, eng, instance)
	if err != nil {
		return nil, err
	}
	ids := map[string]string{}
	plan := &planner.Plan{}
	for _, name := range services {
		c, ok := actual.Containers[name]
		if s := env.Service(name); !ok || s == nil || !s.NeedsNetSetup() || c.State != engine.StateRunning {
			continue
		}
		plan.Operations = append(plan.Operations, planner.Operation{Kind: planner.Keep, Resource: planner.ResService, Name: name, ID: c.ID})
	}
	if len(plan.Operations) == 0 {
		return nil, nil
	}
	if r.dir == "" {
		for i := range plan.Operations { // no record: redo them all
			plan.Operations[i].Kind = planner.Reapply
		}
	} else if err := r.markLost(ctx, env, plan); err != nil {
		return nil, err
	}
	for name, c := range actual.Containers {
		if c.State == engine.StateRunning {
			ids[name] = c.ID
		}
	}
	_, lost := touchedServices(plan)
	if len(lost) == 0 {
		return nil, nil
	}
	if err := r.links(ctx, env, ids, nil, lost); err != nil {
		return nil, err
	}
	return slices.Sorted(maps.Keys(lost)), nil
}
