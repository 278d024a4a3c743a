package apply

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/proeftuin/proeftuin/internal/check"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/planner"
)

// netSetup runs `probe netsetup` in a helper sidecar that shares the
// service's network namespace, with NET_ADMIN in the helper only: the
// interfaces get their declared names (eth<N> for the N-th network block
// without one) and MAC addresses, the default route goes when
// default_route = false, and the routes are added. The engine orders
// interfaces by its own rules (by network name on API 1.41). It runs only
// for services that ask for one of these (config.Service.NeedsNetSetup);
// the helper is removed when it is done.
func (r *run) netSetup(ctx context.Context, id string, ds *planner.DesiredService) error {
	args, err := r.netSetupArgs(ctx, id, ds)
	if err != nil {
		return err
	}
	ref, err := r.probe.Image(ctx)
	if err != nil {
		return fmt.Errorf("network setup of service %s: %w", ds.Name, err)
	}
	var b [3]byte
	_, _ = rand.Read(b[:])
	name := fmt.Sprintf("%s-netsetup-%s", ds.Spec.Name, hex.EncodeToString(b[:]))
	r.attempt(name)
	hid, err := r.eng.CreateContainer(ctx, engine.ContainerSpec{
		Name:    name,
		Image:   ref,
		Command: []string{check.BinaryPath, "probe", "serve"},
		Labels: map[string]string{
			engine.LabelInstance: r.instance,
			engine.LabelProbe:    "netsetup:" + ds.Name,
		},
		NetworkMode: "container:" + id,
		CapAdd:      []string{"NET_ADMIN"},
	})
	if err != nil {
		return fmt.Errorf("create the network helper of service %s: %w", ds.Name, err)
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		_ = r.eng.RemoveContainer(cctx, hid)
		cancel()
	}()
	if err := r.eng.StartContainer(ctx, hid); err != nil {
		return fmt.Errorf("start the network helper of service %s: %w", ds.Name, err)
	}
	xctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	res, err := r.eng.Exec(xctx, hid, engine.ExecSpec{Command: append([]string{check.BinaryPath, "probe", "netsetup"}, args...)})
	if err != nil {
		return fmt.Errorf("network setup of service %s: %w", ds.Name, err)
	}
	if res.ExitCode != 0 {
		return fmt.Errorf("network setup of service %s: %s", ds.Name, strings.TrimSpace(string(res.Stderr)))
	}
	return nil
}

// netSetupArgs are the arguments of `probe netsetup`: each attachment's
// address (known once the container runs) with its declared name.
func (r *run) netSetupArgs(ctx context.Context, id string, ds *planner.DesiredService) ([]string, error) {
	d, err := r.eng.InspectContainer(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("network setup of service %s: %w", ds.Name, err)
	}
	var args []string
	s := ds.Service
	for i, att := range ds.Spec.Networks {
		ep, ok := d.Endpoints[att.Network]
		if !ok || ep.IPv4Address == "" {
			return nil, fmt.Errorf("network setup of service %s: the engine reports no address on network %s", ds.Name, att.Network)
		}
		link := ep.IPv4Address + "=" + s.InterfaceName(i)
		if i < len(s.Networks) && s.Networks[i].MACAddress != "" {
			link += "@" + s.Networks[i].MACAddress
		}
		args = append(args, "--link", link)
	}
	if s.NoDefaultRoute {
		args = append(args, "--no-default-route")
	}
	for _, rt := range s.Routes {
		args = append(args, "--route", rt.To+","+rt.Via)
	}
	return args, nil
}
