package planner

import (
	"context"
	"fmt"
	"strings"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// Observe reads what the engine holds for instance: exactly one list call
// per kind, filtered by the instance label. Objects are keyed by their
// declared name (the kind label; the engine name without the instance
// prefix when the label is missing). Probe sidecars are kept apart
// (Actual.Probes).
func Observe(ctx context.Context, eng engine.Engine, instance string) (*Actual, error) {
	match := engine.Instance(instance)
	cs, err := eng.Containers(ctx, match)
	if err != nil {
		return nil, fmt.Errorf("list containers of %s: %w", instance, err)
	}
	ns, err := eng.Networks(ctx, match)
	if err != nil {
		return nil, fmt.Errorf("list networks of %s: %w", instance, err)
	}
	vs, err := eng.Volumes(ctx, match)
	if err != nil {
		return nil, fmt.Errorf("list volumes of %s: %w", instance, err)
	}
	a := &Actual{
		Containers: map[string]engine.Container{},
		Networks:   map[string]engine.Network{},
		Volumes:    map[string]engine.Volume{},
		Probes:     map[string]engine.Container{},
	}
	for _, c := range cs {
		if _, probe := c.Labels[engine.LabelProbe]; probe {
			a.Probes[c.Name] = c // a check's sidecar, not a service
			continue
		}
		a.Containers[declared(instance, c.Labels[engine.LabelService], c.Name)] = c
	}
	for _, n := range ns {
		a.Networks[declared(instance, n.Labels[engine.LabelNetwork], n.Name)] = n
	}
	for _, v := range vs {
		a.Volumes[declared(instance, v.Labels[engine.LabelVolume], v.Name)] = v
	}
	return a, nil
}

func declared(instance, label, engineName string) string {
	if label != "" {
		return label
	}
	return strings.TrimPrefix(engineName, instance+"-")
}

// Empty reports that nothing of the instance exists.
func (a *Actual) Empty() bool {
	return a == nil || len(a.Containers)+len(a.Networks)+len(a.Volumes) == 0
}
