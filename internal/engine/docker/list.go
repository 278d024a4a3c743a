package docker

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// labelFilters turns a label match into server-side filters: label=k=v, or
// label=k when any value will do. All terms must match (the daemon ANDs
// label filters).
func labelFilters(match map[string]string) client.Filters {
	f := client.Filters{}
	for k, v := range match {
		if v == "" {
			f.Add("label", k)
		} else {
			f.Add("label", k+"="+v)
		}
	}
	return f
}

// Containers implements engine.Engine.
func (d *Docker) Containers(ctx context.Context, match map[string]string) ([]engine.Container, error) {
	res, err := d.cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: labelFilters(match)})
	if err != nil {
		return nil, d.wrap(err, "list containers")
	}
	out := make([]engine.Container, 0, len(res.Items))
	for _, c := range res.Items {
		health := ""
		if c.Health != nil && c.Health.Status != container.NoHealthcheck {
			health = string(c.Health.Status)
		} else {
			health = healthFromStatus(c.Status)
		}
		var nets []string
		if c.NetworkSettings != nil && c.NetworkSettings.Networks != nil {
			// Not nil when empty: a container disconnected from its only
			// network is on none, which is not "unknown".
			nets = append(make([]string, 0, len(c.NetworkSettings.Networks)), slices.Sorted(maps.Keys(c.NetworkSettings.Networks))...)
		}
		out = append(out, engine.Container{
			ID:       c.ID,
			Name:     summaryName(c.Names),
			Image:    c.Image,
			ImageID:  c.ImageID,
			State:    engine.ContainerState(c.State),
			Health:   engine.Health(health),
			Labels:   cloneLabels(c.Labels),
			Networks: nets,
		})
	}
	slices.SortFunc(out, func(a, b engine.Container) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// summaryName picks the container's own name from a list entry's names
// (legacy links add names like /other/alias).
func summaryName(names []string) string {
	for _, n := range names {
		n = strings.TrimPrefix(n, "/")
		if !strings.Contains(n, "/") {
			return n
		}
	}
	if len(names) > 0 {
		return strings.TrimPrefix(names[0], "/")
	}
	return ""
}

// healthFromStatus reads the health from a list entry's human status, e.g.
// "Up 3 seconds (health: starting)" or "Up 2 minutes (healthy)"; older
// APIs have no structured health in list results.
func healthFromStatus(status string) string {
	switch {
	case strings.HasSuffix(status, "(health: starting)"):
		return string(container.Starting)
	case strings.HasSuffix(status, "(unhealthy)"):
		return string(container.Unhealthy)
	case strings.HasSuffix(status, "(healthy)"):
		return string(container.Healthy)
	}
	return ""
}

// Networks implements engine.Engine.
func (d *Docker) Networks(ctx context.Context, match map[string]string) ([]engine.Network, error) {
	res, err := d.cli.NetworkList(ctx, client.NetworkListOptions{Filters: labelFilters(match)})
	if err != nil {
		return nil, d.wrap(err, "list networks")
	}
	out := make([]engine.Network, 0, len(res.Items))
	for _, n := range res.Items {
		var subnets []string
		for _, c := range n.IPAM.Config {
			if c.Subnet.IsValid() {
				subnets = append(subnets, c.Subnet.String())
			}
		}
		out = append(out, engine.Network{
			ID:       n.ID,
			Name:     n.Name,
			Internal: n.Internal,
			Subnets:  subnets,
			Labels:   cloneLabels(n.Labels),
		})
	}
	slices.SortFunc(out, func(a, b engine.Network) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// Volumes implements engine.Engine.
func (d *Docker) Volumes(ctx context.Context, match map[string]string) ([]engine.Volume, error) {
	res, err := d.cli.VolumeList(ctx, client.VolumeListOptions{Filters: labelFilters(match)})
	if err != nil {
		return nil, d.wrap(err, "list volumes")
	}
	out := make([]engine.Volume, 0, len(res.Items))
	for _, v := range res.Items {
		out = append(out, engine.Volume{Name: v.Name, Labels: cloneLabels(v.Labels)})
	}
	slices.SortFunc(out, func(a, b engine.Volume) int { return cmp.Compare(a.Name, b.Name) })
	return out, nil
}

func cloneLabels(m map[string]string) map[string]string {
	if len(m) == 0 {
		return map[string]string{}
	}
	return maps.Clone(m)
}

// InstanceNames lists the instances on the default engine (DOCKER_HOST,
// DOCKER_CONTEXT or the docker CLI's current context); none when it does
// not answer within timeout. Shell completion uses it and must not hang.
func InstanceNames(timeout time.Duration) []string {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	eng, err := New(ctx, Options{})
	if err != nil {
		return nil
	}
	defer eng.Close()
	names, _ := engine.Instances(ctx, eng)
	return names
}
