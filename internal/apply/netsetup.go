package apply

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/proeftuin/proeftuin/internal/check"
	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/planner"
	"github.com/proeftuin/proeftuin/internal/progress"
)

// The network helper is the probe image (proeftuin's own static binary)
// in a service's network namespace, with NET_ADMIN in the helper only
// (docs/adr/0006). It sets what the engine cannot on API 1.41:
//   - interface names in declared order (eth<N> for the N-th network
//     block, or its interface attribute) and MAC addresses; the engine
//     orders interfaces by its own rules (by network name);
//   - no default route (default_route = false) and static routes;
//   - point-to-point links: a veth pair, made by a helper that shares
//     one end's network namespace and the other end's process namespace.
// Each helper is removed when it is done.

// hasLink reports whether the service is an end of a point-to-point link:
// its network setup waits until every service has started (links).
func hasLink(s *config.Service) bool {
	for _, sn := range s.Networks {
		if sn.PointToPoint {
			return true
		}
	}
	return false
}

// helper runs `probe <args>` in a short-lived helper container.
func (r *run) helper(ctx context.Context, service, netns, pidns string, args ...string) error {
	ref, err := r.probe.Image(ctx)
	if err != nil {
		return fmt.Errorf("network helper of service %s: %w", service, err)
	}
	var b [3]byte
	_, _ = rand.Read(b[:])
	name := fmt.Sprintf("%s-net-%s", planner.EngineName(r.instance, service), hex.EncodeToString(b[:]))
	r.attempt(name)
	hid, err := r.eng.CreateContainer(ctx, engine.ContainerSpec{
		Name:        name,
		Image:       ref,
		Command:     []string{check.BinaryPath, "probe", "serve"},
		Labels:      map[string]string{engine.LabelInstance: r.instance, engine.LabelProbe: "net:" + service},
		NetworkMode: "container:" + netns,
		PidMode:     pidns,
		CapAdd:      []string{"NET_ADMIN"},
	})
	if err != nil {
		return fmt.Errorf("create the network helper of service %s: %w", service, err)
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		_ = r.eng.RemoveContainer(cctx, hid)
		cancel()
	}()
	if err := r.eng.StartContainer(ctx, hid); err != nil {
		return fmt.Errorf("start the network helper of service %s: %w", service, err)
	}
	xctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	res, err := r.eng.Exec(xctx, hid, engine.ExecSpec{Command: append([]string{check.BinaryPath, "probe"}, args...)})
	if err != nil {
		return fmt.Errorf("network setup of service %s: %w", service, err)
	}
	if res.ExitCode != 0 {
		return fmt.Errorf("network setup of service %s: %s", service, strings.TrimSpace(string(res.Stderr)))
	}
	return nil
}

// netSetup names the interfaces and sets MACs and routes of a started
// service; extra are further arguments (--address of link ends). It
// records the start of the container that got the setup (netrecord.go).
func (r *run) netSetup(ctx context.Context, id string, s *config.Service, extra ...string) error {
	args, d, err := r.netSetupArgs(ctx, id, s)
	if err != nil {
		return err
	}
	if err := r.helper(ctx, s.Name, id, "", append(append([]string{"netsetup"}, extra...), args...)...); err != nil {
		return err
	}
	if err := r.recordNetSetup(s.Name, id, d); err != nil {
		r.emit("service", s.Name, progress.Warning, 0, "could not record the network setup: "+err.Error())
	}
	return nil
}

// netSetupArgs are the arguments of `probe netsetup`: each attachment's
// address (known once the container runs) with its name.
func (r *run) netSetupArgs(ctx context.Context, id string, s *config.Service) ([]string, engine.ContainerDetail, error) {
	d, err := r.eng.InspectContainer(ctx, id)
	if err != nil {
		return nil, d, fmt.Errorf("network setup of service %s: %w", s.Name, err)
	}
	var args []string
	for i, sn := range s.Networks {
		addr := sn.IPv4Address
		if !sn.PointToPoint {
			addr = d.Endpoints[planner.EngineName(r.instance, sn.Network)].IPv4Address
		}
		if addr == "" {
			return nil, d, fmt.Errorf("network setup of service %s: the engine reports no address on network %s", s.Name, sn.Network)
		}
		link := addr + "=" + s.InterfaceName(i)
		if sn.MACAddress != "" {
			link += "@" + sn.MACAddress
		}
		args = append(args, "--link", link)
	}
	if s.NoDefaultRoute {
		args = append(args, "--no-default-route")
	}
	for _, rt := range s.Routes {
		args = append(args, "--route", rt.To+","+rt.Via)
	}
	return args, d, nil
}

// touchedServices are the services a plan creates, recreates or starts
// (their network namespace is new) and those whose setup was lost
// (Reapply).
func touchedServices(plan *planner.Plan) (touched, lost map[string]bool) {
	touched, lost = map[string]bool{}, map[string]bool{}
	for _, op := range plan.Operations {
		if op.Resource != planner.ResService {
			continue
		}
		switch op.Kind {
		case planner.Create, planner.Recreate, planner.Start:
			touched[op.Name] = true
		case planner.Reapply:
			lost[op.Name] = true
		}
	}
	return touched, lost
}

// links makes the point-to-point links once every service has started,
// and redoes lost setups: ids are the container IDs by service; touched
// the services whose container this run created or started (their
// setup, when they are on no link, was done at start); lost those whose
// container the engine started again since their setup (netrecord.go).
// Every link with an end among them is made again (the other end's half
// went with the old namespace), then the setup of every end of those
// links, of every touched service on a link and of every lost service.
// A link with an end that has no (running) container in ids waits for
// that end's start.
func (r *run) links(ctx context.Context, env *config.Environment, ids map[string]string, touched, lost map[string]bool) error {
	rebuilt := map[string]bool{}   // ends of links made now
	extra := map[string][]string{} // service -> extra netsetup arguments
	for k, n := range env.Networks {
		if !n.PointToPoint {
			continue
		}
		ends := linkEnds(env, n.Name)
		if len(ends) != 2 {
			continue
		}
		a, b := ends[0], ends[1]
		if !touched[a.s.Name] && !touched[b.s.Name] && !lost[a.s.Name] && !lost[b.s.Name] {
			continue
		}
		p, err := netip.ParsePrefix(n.Subnet)
		if err != nil {
			return fmt.Errorf("point-to-point link %s: %w", n.Name, err)
		}
		idA, idB := ids[a.s.Name], ids[b.s.Name]
		if idA == "" || idB == "" {
			continue // an end does not run: its start makes the link
		}
		nameA, nameB := fmt.Sprintf("p2p%da", k), fmt.Sprintf("p2p%db", k)
		if err := r.helper(ctx, a.s.Name, idA, "container:"+idB, "veth", "--replace", "--name", nameA, "--peer-name", nameB,
			"--address", fmt.Sprintf("%s/%d", a.sn.IPv4Address, p.Bits())); err != nil {
			return fmt.Errorf("point-to-point link %s: %w", n.Name, err)
		}
		rebuilt[a.s.Name], rebuilt[b.s.Name] = true, true
		extra[b.s.Name] = append(extra[b.s.Name], "--address", fmt.Sprintf("%s=%s/%d", nameB, b.sn.IPv4Address, p.Bits()))
	}
	for _, s := range env.Services {
		if ids[s.Name] == "" || !rebuilt[s.Name] && !(touched[s.Name] && hasLink(s)) && !(lost[s.Name] && s.NeedsNetSetup()) {
			continue
		}
		if err := r.netSetup(ctx, ids[s.Name], s, extra[s.Name]...); err != nil {
			return err
		}
	}
	return nil
}

type linkEnd struct {
	s  *config.Service
	sn *config.ServiceNetwork
}

func linkEnds(env *config.Environment, network string) []linkEnd {
	var ends []linkEnd
	for _, s := range env.Services {
		for _, sn := range s.Networks {
			if sn.Network == network {
				ends = append(ends, linkEnd{s, sn})
			}
		}
	}
	return ends
}
