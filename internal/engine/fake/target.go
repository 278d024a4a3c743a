package fake

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/netip"
	"strconv"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	tcexec "github.com/testcontainers/testcontainers-go/exec"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// target adapts a fake container to testcontainers-go's wait strategies.
// Every call goes through the engine's methods, so it is counted and
// subject to FailOn like any other.
type target struct {
	e  *Engine
	id string
}

var _ wait.StrategyTarget = (*target)(nil)

func (t *target) Host(context.Context) (string, error) { return "127.0.0.1", nil }

func (t *target) Inspect(ctx context.Context) (*container.InspectResponse, error) {
	d, err := t.e.InspectContainer(ctx, t.id)
	if err != nil {
		return nil, err
	}
	return &container.InspectResponse{
		ID:              d.ID,
		Name:            "/" + d.Name,
		Image:           d.ImageID,
		State:           state(d),
		NetworkSettings: &container.NetworkSettings{Ports: portMap(d.Ports)},
	}, nil
}

func (t *target) Ports(ctx context.Context) (network.PortMap, error) {
	d, err := t.e.InspectContainer(ctx, t.id)
	if err != nil {
		return nil, err
	}
	return portMap(d.Ports), nil
}

func (t *target) MappedPort(ctx context.Context, port string) (network.Port, error) {
	want, err := network.ParsePort(port)
	if err != nil {
		return network.Port{}, err
	}
	d, err := t.e.InspectContainer(ctx, t.id)
	if err != nil {
		return network.Port{}, err
	}
	for _, p := range d.Ports {
		if p.ContainerPort == int(want.Num()) && string(want.Proto()) == protoOf(p.Protocol) {
			hp, _ := network.PortFrom(uint16(p.HostPort), want.Proto())
			return hp, nil
		}
	}
	return network.Port{}, fmt.Errorf("port %s is not published: %w", port, engine.ErrNotFound)
}

func (t *target) Logs(ctx context.Context) (io.ReadCloser, error) {
	return t.e.Logs(ctx, t.id, engine.LogOptions{Tail: "all"})
}

func (t *target) Exec(ctx context.Context, cmd []string, _ ...tcexec.ProcessOption) (int, io.Reader, error) {
	res, err := t.e.Exec(ctx, t.id, engine.ExecSpec{Command: cmd})
	if err != nil {
		return 0, nil, err
	}
	return res.ExitCode, bytes.NewReader(append(append([]byte(nil), res.Stdout...), res.Stderr...)), nil
}

func (t *target) State(ctx context.Context) (*container.State, error) {
	d, err := t.e.InspectContainer(ctx, t.id)
	if err != nil {
		return nil, err
	}
	return state(d), nil
}

func (t *target) CopyFileFromContainer(ctx context.Context, path string) (io.ReadCloser, error) {
	t.e.mu.Lock()
	defer t.e.mu.Unlock()
	c := t.e.findContainer(t.id)
	if c == nil {
		return nil, fmt.Errorf("container %s: %w", t.id, engine.ErrNotFound)
	}
	f, ok := c.Files[path]
	if !ok {
		return nil, fmt.Errorf("no such file %s: %w", path, engine.ErrNotFound)
	}
	return io.NopCloser(bytes.NewReader(f.Content)), nil
}

func state(d engine.ContainerDetail) *container.State {
	s := &container.State{
		Status:   container.ContainerState(d.State),
		Running:  d.State == engine.StateRunning,
		Dead:     d.State == engine.StateDead,
		ExitCode: d.ExitCode,
	}
	if d.Health != "" {
		s.Health = &container.Health{Status: container.HealthStatus(d.Health)}
	}
	return s
}

func portMap(ports []engine.PublishedPort) network.PortMap {
	m := network.PortMap{}
	for _, p := range ports {
		cp, ok := network.PortFrom(uint16(p.ContainerPort), network.IPProtocol(protoOf(p.Protocol)))
		if !ok {
			continue
		}
		ip, _ := netip.ParseAddr(p.HostIP)
		m[cp] = append(m[cp], network.PortBinding{HostIP: ip, HostPort: strconv.Itoa(p.HostPort)})
	}
	return m
}

func protoOf(p string) string {
	if p == "" {
		return "tcp"
	}
	return p
}
