package engine

import (
	"context"
	"slices"
)

// Instance is the label match for everything of instance name: its
// services' containers, its probe sidecars, its networks and its volumes.
// It is the one query for "what exists of this instance"; narrow it with
// Service. Each call returns a new map the caller may change.
func Instance(name string) map[string]string {
	return map[string]string{LabelInstance: name}
}

// Service is the label match for the containers of one service of
// instance.
func Service(instance, service string) map[string]string {
	m := Instance(instance)
	m[LabelService] = service
	return m
}

// Instances lists the names of the instances that have containers on
// eng, sorted: the query of Instance with every name.
func Instances(ctx context.Context, eng Engine) ([]string, error) {
	cs, err := eng.Containers(ctx, Instance("")) // "": the label with any value
	if err != nil {
		return nil, err
	}
	var out []string
	for _, c := range cs {
		if n := c.Labels[LabelInstance]; n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out, nil
}
