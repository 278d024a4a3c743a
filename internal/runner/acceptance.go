package runner

import (
	"context"
	"fmt"
	"sync"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/planner"
	"github.com/proeftuin/proeftuin/internal/report"
)

// images lists the image every service's container runs, with its ID.
// Services without a container are left out.
func (r *run) images(ctx context.Context) ([]report.Image, error) {
	var out []report.Image
	for _, s := range r.env.Services {
		cs, err := r.lookup.Service(ctx, s.Name)
		if err != nil {
			return nil, fmt.Errorf("list the containers of instance %s: %w", r.opts.Instance, err)
		}
		if len(cs) == 0 {
			continue
		}
		id := cs[0].ImageID
		if id == "" { // an engine whose list does not say
			d, err := r.eng.InspectContainer(ctx, cs[0].ID)
			if err != nil {
				return nil, fmt.Errorf("inspect the container of service %s: %w", s.Name, err)
			}
			id = d.ImageID
		}
		out = append(out, report.Image{Service: s.Name, Ref: planner.ImageRef(r.env, s), ID: id})
	}
	return out, nil
}

// acceptance runs the acceptance checks, at most Options.Parallel at a
// time, and returns them in declaration order. Checks not started before
// an interrupt are skipped.
func (r *run) acceptance(ctx context.Context) []report.Check {
	checks := r.env.Checks
	out := make([]report.Check, len(checks))
	parallel := r.opts.Parallel
	if parallel <= 0 {
		parallel = DefaultParallel
	}
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Add(1)
		go func(i int, c *config.Check) {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
				defer func() { <-sem }()
			case <-ctx.Done():
				out[i] = skippedCheck(c)
				return
			}
			if ctx.Err() != nil {
				out[i] = skippedCheck(c)
				return
			}
			r.emit("check", c.Name, PhaseRunning, 0, c.Title)
			rc := r.runCheck(ctx, ctx, c)
			out[i] = rc
			phase := PhasePassed
			if rc.Status != report.Passed {
				phase = string(rc.Status)
				if rc.Status == report.Failed || rc.Status == report.Error {
					phase = PhaseFailed
				}
			}
			r.emit("check", c.Name, phase, 0, firstLine(rc.Actual))
		}(i, c)
	}
	wg.Wait()
	return out
}
