// Command floor is the engine floor of the benchmark: it does only the
// engine's work for a topology, with the same client proeftuin uses
// (github.com/moby/moby/client) and no orchestration at all: no
// observation, no plan, no dependency order, no readiness beyond
// "running".
//
//	floor -spec topo.json -project P up     create the networks, then create and start every container concurrently, wait until running
//	floor -spec topo.json -project P reup   the least an unchanged up must do: list the project's containers and networks
//	floor -spec topo.json -project P down   list by label, force-remove every container concurrently, then the networks
//	floor -spec topo.json -project P exec   the plan's commands as raw exec round trips (create, attach, read, inspect), sequentially; prints JSON
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"sync"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"

	"github.com/proeftuin/proeftuin/bench/internal/topo"
)

func main() {
	spec := flag.String("spec", "", "topology spec (JSON, written by the benchmark)")
	project := flag.String("project", "", "name prefix and label value")
	flag.Parse()
	if *spec == "" || *project == "" || flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: floor -spec FILE -project NAME up|reup|down|exec")
		os.Exit(2)
	}
	b, err := os.ReadFile(*spec)
	if err != nil {
		fail(err)
	}
	var t topo.Topology
	if err := json.Unmarshal(b, &t); err != nil {
		fail(err)
	}
	ctx := context.Background()
	cli, err := client.New(client.FromEnv)
	if err != nil {
		fail(err)
	}
	defer cli.Close()
	if _, err := cli.Ping(ctx, client.PingOptions{NegotiateAPIVersion: true}); err != nil {
		fail(err)
	}
	f := &floor{cli: cli, t: &t, project: *project}
	switch flag.Arg(0) {
	case "up":
		err = f.up(ctx)
	case "reup":
		err = f.reup(ctx)
	case "down":
		err = f.down(ctx)
	case "exec":
		err = f.exec(ctx)
	default:
		err = fmt.Errorf("unknown mode %q", flag.Arg(0))
	}
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "floor:", err)
	os.Exit(1)
}

type floor struct {
	cli     *client.Client
	t       *topo.Topology
	project string
}

func (f *floor) name(n string) string { return f.project + "-" + n }

func (f *floor) labels() map[string]string { return map[string]string{topo.LabelProject: f.project} }

func (f *floor) filter() client.Filters {
	return client.Filters{}.Add("label", topo.LabelProject+"="+f.project)
}

// parallel runs fn for 0..n-1 at once and joins the errors.
func parallel(n int, fn func(i int) error) error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = fn(i)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func (f *floor) up(ctx context.Context) error {
	err := parallel(len(f.t.Networks), func(i int) error {
		n := f.t.Networks[i]
		opts := client.NetworkCreateOptions{Driver: "bridge", Internal: n.Internal, Labels: f.labels()}
		if n.Subnet != "" {
			p, err := netip.ParsePrefix(n.Subnet)
			if err != nil {
				return err
			}
			opts.IPAM = &network.IPAM{Driver: "default", Config: []network.IPAMConfig{{Subnet: p}}}
		}
		_, err := f.cli.NetworkCreate(ctx, f.name(n.Name), opts)
		return err
	})
	if err != nil {
		return err
	}
	return parallel(len(f.t.Services), func(i int) error {
		s := f.t.Services[i]
		cfg := &container.Config{Image: f.t.Image, Cmd: s.Command, Labels: f.labels()}
		host := &container.HostConfig{}
		if s.Publish {
			p, _ := network.PortFrom(8080, network.TCP)
			cfg.ExposedPorts = network.PortSet{p: {}}
			host.PortBindings = network.PortMap{p: {{HostIP: netip.MustParseAddr("127.0.0.1")}}}
		}
		endpoint := func(a topo.Attachment) *network.EndpointSettings {
			ep := &network.EndpointSettings{}
			if a.IPv4 != "" {
				ep.IPAMConfig = &network.EndpointIPAMConfig{IPv4Address: netip.MustParseAddr(a.IPv4)}
			}
			return ep
		}
		var nc *network.NetworkingConfig
		if len(s.Networks) > 0 {
			first := s.Networks[0]
			host.NetworkMode = container.NetworkMode(f.name(first.Network))
			nc = &network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{f.name(first.Network): endpoint(first)}}
		}
		res, err := f.cli.ContainerCreate(ctx, client.ContainerCreateOptions{Name: f.name(s.Name), Config: cfg, HostConfig: host, NetworkingConfig: nc})
		if err != nil {
			return err
		}
		for _, a := range s.Networks[min(1, len(s.Networks)):] {
			if _, err := f.cli.NetworkConnect(ctx, f.name(a.Network), client.NetworkConnectOptions{Container: res.ID, EndpointConfig: endpoint(a)}); err != nil {
				return err
			}
		}
		if _, err := f.cli.ContainerStart(ctx, res.ID, client.ContainerStartOptions{}); err != nil {
			return err
		}
		for {
			in, err := f.cli.ContainerInspect(ctx, res.ID, client.ContainerInspectOptions{})
			if err != nil {
				return err
			}
			if in.Container.State != nil && in.Container.State.Running {
				return nil
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}

func (f *floor) reup(ctx context.Context) error {
	cs, err := f.cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f.filter()})
	if err != nil {
		return err
	}
	ns, err := f.cli.NetworkList(ctx, client.NetworkListOptions{Filters: f.filter()})
	if err != nil {
		return err
	}
	if len(cs.Items) != len(f.t.Services) || len(ns.Items) != len(f.t.Networks) {
		return fmt.Errorf("found %d containers, %d networks; want %d, %d", len(cs.Items), len(ns.Items), len(f.t.Services), len(f.t.Networks))
	}
	return nil
}

func (f *floor) down(ctx context.Context) error {
	cs, err := f.cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f.filter()})
	if err != nil {
		return err
	}
	err = parallel(len(cs.Items), func(i int) error {
		_, err := f.cli.ContainerRemove(ctx, cs.Items[i].ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
		return err
	})
	if err != nil {
		return err
	}
	ns, err := f.cli.NetworkList(ctx, client.NetworkListOptions{Filters: f.filter()})
	if err != nil {
		return err
	}
	return parallel(len(ns.Items), func(i int) error {
		_, err := f.cli.NetworkRemove(ctx, ns.Items[i].ID, client.NetworkRemoveOptions{})
		return err
	})
}

// exec runs each plan step's action and check as two raw exec round
// trips in the first service, one after the other, and prints the time.
func (f *floor) exec(ctx context.Context) error {
	if f.t.PlanSteps == 0 || len(f.t.Services) == 0 {
		return errors.New("the topology has no plan")
	}
	id := f.name(f.t.Services[0].Name)
	if len(os.Getenv("FLOOR_CONTAINER")) > 0 {
		id = os.Getenv("FLOOR_CONTAINER")
	}
	start := time.Now()
	for i := 1; i <= f.t.PlanSteps; i++ {
		for _, cmd := range [][]string{topo.StepCommand(i), topo.CheckCommand(i)} {
			if code, err := f.roundTrip(ctx, id, cmd); err != nil || code != 0 {
				return fmt.Errorf("exec %v: exit %d: %v", cmd, code, err)
			}
		}
	}
	el := time.Since(start)
	return json.NewEncoder(os.Stdout).Encode(map[string]any{
		"steps": f.t.PlanSteps, "execs": 2 * f.t.PlanSteps,
		"total_ns": el, "per_step_ns": el / time.Duration(f.t.PlanSteps), "per_exec_ns": el / time.Duration(2*f.t.PlanSteps),
	})
}

func (f *floor) roundTrip(ctx context.Context, id string, cmd []string) (int, error) {
	ex, err := f.cli.ExecCreate(ctx, id, client.ExecCreateOptions{Cmd: cmd, AttachStdout: true, AttachStderr: true})
	if err != nil {
		return -1, err
	}
	att, err := f.cli.ExecAttach(ctx, ex.ID, client.ExecAttachOptions{})
	if err != nil {
		return -1, err
	}
	_, err = stdcopy.StdCopy(io.Discard, io.Discard, att.Reader)
	att.Close()
	if err != nil {
		return -1, err
	}
	for {
		in, err := f.cli.ExecInspect(ctx, ex.ID, client.ExecInspectOptions{})
		if err != nil {
			return -1, err
		}
		if !in.Running {
			return in.ExitCode, nil
		}
		time.Sleep(5 * time.Millisecond)
	}
}
