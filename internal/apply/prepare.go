package apply

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/planner"
	"github.com/proeftuin/proeftuin/internal/subnet"
)

// allNetworks lists every network of the engine, once per run. It is only
// needed when a network must be created (subnets to avoid, names to
// check), so a converged instance never pays for it.
func (r *run) allNetworks(ctx context.Context) ([]engine.Network, error) {
	r.mu.Lock()
	if r.haveNets {
		defer r.mu.Unlock()
		return r.allNets, nil
	}
	r.mu.Unlock()
	ns, err := r.eng.Networks(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("list networks: %w", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.allNets, r.haveNets = ns, true
	return ns, nil
}

// subnets allocates a subnet for every auto network (an existing one keeps
// its own) and reloads the environment with them so addresses computed
// from the subnets (cidrhost) are known. Without Reload the allocated
// subnets are set on a copy of the networks.
func (r *run) subnets(ctx context.Context, env *config.Environment, actual *planner.Actual) (*config.Environment, map[string]string, error) {
	var want []string
	keep := map[string]string{}
	for _, n := range env.Networks {
		if !n.AutoSubnet {
			continue
		}
		want = append(want, n.Name)
		if cur, ok := actual.Networks[n.Name]; ok && cur.Labels[engine.LabelSubnet] == "auto" && len(cur.Subnets) > 0 {
			keep[n.Name] = cur.Subnets[0]
		}
	}
	if len(want) == 0 {
		return env, nil, nil
	}
	var taken []string
	if len(keep) < len(want) {
		all, err := r.allNetworks(ctx)
		if err != nil {
			return nil, nil, err
		}
		for _, n := range all {
			taken = append(taken, n.Subnets...)
		}
		for _, n := range env.Networks {
			if !n.AutoSubnet && n.Subnet != "" {
				taken = append(taken, n.Subnet)
			}
		}
	}
	r.mu.Lock()
	taken = append(taken, r.refused...)
	start := r.subnetStart
	r.mu.Unlock()
	pool, err := subnet.Pool()
	if err != nil {
		return nil, nil, err
	}
	alloc, err := subnet.Allocate(subnet.Request{Pool: pool, Want: want, Keep: keep, Taken: taken, Start: start})
	if err != nil {
		return nil, nil, err
	}
	if r.opts.Reload != nil {
		same := true
		for _, n := range env.Networks {
			if n.AutoSubnet && n.Subnet != alloc[n.Name] {
				same = false
			}
		}
		if !same {
			reloaded, err := r.opts.Reload(alloc)
			if err != nil {
				return nil, nil, err
			}
			if reloaded == nil {
				return nil, nil, errors.New("reloading the environment with its subnets returned nothing")
			}
			return reloaded, alloc, nil
		}
		return env, alloc, nil
	}
	cp := *env
	cp.Networks = make([]*config.Network, len(env.Networks))
	for i, n := range env.Networks {
		nn := *n
		if n.AutoSubnet {
			nn.Subnet = alloc[n.Name]
		}
		cp.Networks[i] = &nn
	}
	return &cp, alloc, nil
}

// ForeignError says an object with one of the instance's names exists but
// was not created for this instance; proeftuin leaves it alone.
type ForeignError struct {
	Kind   string // "container" | "network" | "volume"
	Name   string // engine name
	Labels map[string]string
}

func (e *ForeignError) Error() string {
	owner := "was not created by proeftuin"
	if inst := e.Labels[engine.LabelInstance]; inst != "" {
		owner = fmt.Sprintf("belongs to proeftuin instance %q", inst)
		for _, k := range []string{engine.LabelService, engine.LabelNetwork, engine.LabelVolume} {
			if v := e.Labels[k]; v != "" {
				owner += fmt.Sprintf(" (%s=%s)", k, v)
			}
		}
	}
	return fmt.Sprintf("%s %s already exists and %s; remove it or choose another instance name with --name", e.Kind, e.Name, owner)
}

// Is makes the error an engine.ErrNameConflict: the engine would refuse
// the name (or, for a volume, share it).
func (e *ForeignError) Is(target error) bool { return target == engine.ErrNameConflict }

// checkOwnership refuses to go on when an object that this run would
// create already exists under that name without the instance's label:
// Docker would refuse the container, and silently share the volume.
// Only names missing from actual are checked, so a converged instance
// costs nothing here.
func (r *run) checkOwnership(ctx context.Context, env *config.Environment, actual *planner.Actual) error {
	var errs []error
	var missingNets []string
	for _, n := range env.Networks {
		if _, ok := actual.Networks[n.Name]; !ok {
			missingNets = append(missingNets, planner.EngineName(r.instance, n.Name))
		}
	}
	if len(missingNets) > 0 {
		all, err := r.allNetworks(ctx)
		if err != nil {
			return err
		}
		for _, name := range missingNets {
			for _, n := range all {
				if n.Name == name {
					errs = append(errs, &ForeignError{Kind: "network", Name: name, Labels: n.Labels})
				}
			}
		}
	}

	var missingVols []string
	for _, v := range env.Volumes {
		if _, ok := actual.Volumes[v.Name]; !ok {
			missingVols = append(missingVols, planner.EngineName(r.instance, v.Name))
		}
	}
	if len(missingVols) > 0 {
		all, err := r.eng.Volumes(ctx, nil)
		if err != nil {
			return fmt.Errorf("list volumes: %w", err)
		}
		for _, name := range missingVols {
			for _, v := range all {
				if v.Name == name {
					errs = append(errs, &ForeignError{Kind: "volume", Name: name, Labels: v.Labels})
				}
			}
		}
	}

	// Containers: one inspect by name per container to create, in
	// parallel, rather than listing every container of the engine.
	var mu sync.Mutex
	var jobs []func(context.Context) error
	for _, s := range env.Services {
		if _, ok := actual.Containers[s.Name]; ok {
			continue
		}
		name := planner.EngineName(r.instance, s.Name)
		jobs = append(jobs, func(ctx context.Context) error {
			d, err := r.eng.InspectContainer(ctx, name)
			if errors.Is(err, engine.ErrNotFound) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("look up container %s: %w", name, err)
			}
			if strings.TrimPrefix(d.Name, "/") != name {
				return nil
			}
			mu.Lock()
			defer mu.Unlock()
			errs = append(errs, &ForeignError{Kind: "container", Name: name, Labels: d.Labels})
			return nil
		})
	}
	if err := r.all(ctx, jobs); err != nil {
		return err
	}
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	return errors.Join(errs...)
}
