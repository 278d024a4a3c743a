package docker

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// CreateNetwork implements engine.Engine.
//
// Before API 1.44 the daemon accepts a second network with a name already
// in use, so the name is checked first and a duplicate gives
// engine.ErrNameConflict (and ErrConflict) on every engine version.
func (d *Docker) CreateNetwork(ctx context.Context, spec engine.NetworkSpec) (string, error) {
	opts := client.NetworkCreateOptions{
		Driver:   "bridge",
		Internal: spec.Internal,
		Labels:   spec.Labels,
	}
	if spec.Subnet != "" {
		subnet, err := netip.ParsePrefix(spec.Subnet)
		if err != nil {
			return "", fmt.Errorf("create network %s: subnet %q: %w", spec.Name, spec.Subnet, err)
		}
		cfg := network.IPAMConfig{Subnet: subnet}
		if spec.Gateway != "" {
			gw, err := netip.ParseAddr(spec.Gateway)
			if err != nil {
				return "", fmt.Errorf("create network %s: gateway %q: %w", spec.Name, spec.Gateway, err)
			}
			cfg.Gateway = gw
		}
		opts.IPAM = &network.IPAM{Driver: "default", Config: []network.IPAMConfig{cfg}}
	} else if spec.Gateway != "" {
		return "", fmt.Errorf("create network %s: a gateway needs a subnet", spec.Name)
	}
	if spec.Subnet6 != "" {
		subnet, err := netip.ParsePrefix(spec.Subnet6)
		if err != nil {
			return "", fmt.Errorf("create network %s: subnet6 %q: %w", spec.Name, spec.Subnet6, err)
		}
		if opts.IPAM == nil {
			opts.IPAM = &network.IPAM{Driver: "default"}
		}
		opts.IPAM.Config = append(opts.IPAM.Config, network.IPAMConfig{Subnet: subnet})
		enable := true
		opts.EnableIPv6 = &enable
	}

	existing, err := d.cli.NetworkList(ctx, client.NetworkListOptions{Filters: client.Filters{}.Add("name", spec.Name)})
	if err != nil {
		return "", d.wrap(err, "create network %s", spec.Name)
	}
	for _, n := range existing.Items {
		if n.Name == spec.Name { // the name filter matches substrings
			return "", fmt.Errorf("create network %s: %w: %w: a network with that name exists (%.12s)", spec.Name, engine.ErrNameConflict, engine.ErrConflict, n.ID)
		}
	}

	res, err := d.cli.NetworkCreate(ctx, spec.Name, opts)
	if err != nil && spec.Subnet != "" && cerrdefs.IsPermissionDenied(err) {
		// "Pool overlaps with other one on this address space": the
		// daemon's only 403 to a create with a subnet.
		return "", fmt.Errorf("create network %s: %w: %w", spec.Name, engine.ErrSubnetTaken, err)
	}
	if err != nil {
		return "", d.wrap(err, "create network %s", spec.Name)
	}
	d.netMu.Lock()
	if d.madeNets == nil {
		d.madeNets = map[string]string{}
	}
	d.madeNets[spec.Name] = res.ID
	d.netMu.Unlock()
	return res.ID, nil
}

// madeNetwork reports whether this client created the network called (or
// with the ID) name and has not removed it since.
func (d *Docker) madeNetwork(name string) bool {
	d.netMu.Lock()
	defer d.netMu.Unlock()
	for n, id := range d.madeNets {
		if n == name || id == name {
			return true
		}
	}
	return false
}

// forgetNetwork drops a network from madeNets, by name or ID.
func (d *Docker) forgetNetwork(nameOrID string) {
	d.netMu.Lock()
	defer d.netMu.Unlock()
	for n, id := range d.madeNets {
		if n == nameOrID || id == nameOrID || strings.HasPrefix(id, nameOrID) {
			delete(d.madeNets, n)
		}
	}
}

// RemoveNetwork implements engine.Engine.
func (d *Docker) RemoveNetwork(ctx context.Context, id string) error {
	d.forgetNetwork(id) // even when the removal fails: look it up again
	if _, err := d.cli.NetworkRemove(ctx, id, client.NetworkRemoveOptions{}); err != nil {
		if cerrdefs.IsPermissionDenied(err) {
			// The daemon answers 403 for a network with active endpoints.
			return fmt.Errorf("remove network %s: %w: %w", id, engine.ErrConflict, err)
		}
		return d.wrap(err, "remove network %s", id)
	}
	return nil
}

// CreateVolume implements engine.Engine.
func (d *Docker) CreateVolume(ctx context.Context, spec engine.VolumeSpec) error {
	if _, err := d.cli.VolumeCreate(ctx, client.VolumeCreateOptions{Name: spec.Name, Labels: spec.Labels}); err != nil {
		return d.wrap(err, "create volume %s", spec.Name)
	}
	return nil
}

// RemoveVolume implements engine.Engine.
func (d *Docker) RemoveVolume(ctx context.Context, name string) error {
	if _, err := d.cli.VolumeRemove(ctx, name, client.VolumeRemoveOptions{}); err != nil {
		return d.wrap(err, "remove volume %s", name)
	}
	return nil
}
