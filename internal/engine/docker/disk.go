package docker

import (
	"context"

	"github.com/moby/moby/client"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// DiskUsage implements engine.DiskMeter with the engine's own disk
// usage report (docker system df -v): volumes and the writable layers
// of containers, measured by the daemon.
func (d *Docker) DiskUsage(ctx context.Context, match map[string]string) ([]engine.DiskUse, error) {
	du, err := d.cli.DiskUsage(ctx, client.DiskUsageOptions{Volumes: true, Containers: true, Verbose: true})
	if err != nil {
		return nil, d.wrap(err, "measure disk usage")
	}
	var out []engine.DiskUse
	for _, v := range du.Volumes.Items {
		if labelsMatch(v.Labels, match) && v.UsageData != nil && v.UsageData.Size >= 0 {
			out = append(out, engine.DiskUse{Kind: "volume", Name: v.Name, Labels: cloneLabels(v.Labels), Bytes: v.UsageData.Size})
		}
	}
	for _, c := range du.Containers.Items {
		if labelsMatch(c.Labels, match) {
			out = append(out, engine.DiskUse{Kind: "container", Name: summaryName(c.Names), Labels: cloneLabels(c.Labels), Bytes: c.SizeRw})
		}
	}
	return out, nil
}

// labelsMatch reports whether labels include match (an empty value:
// the label with any value), as labelFilters asks the daemon.
func labelsMatch(labels, match map[string]string) bool {
	for k, v := range match {
		got, ok := labels[k]
		if !ok || v != "" && got != v {
			return false
		}
	}
	return true
}
