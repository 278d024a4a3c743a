// Package tcwait adapts a container of any engine.Engine to
// testcontainers-go's wait.StrategyTarget, so that library's wait
// strategies can watch it. It is the one place where testcontainers types
// meet the engine: the engine interface knows nothing of them (see
// docs/adr/0004-one-probing-system.md for which probes use a strategy).
package tcwait

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net/netip"
	"strconv"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	tcexec "github.com/testcontainers/testcontainers-go/exec"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// Target adapts container id of eng. Every call goes through eng's
// methods.
func Target(eng engine.Engine, id string) wait.StrategyTarget {
	return &target{eng: eng, id: id}
}

type target struct {
	eng engine.Engine
	id  string
}

// Host is where published ports are reached.
func (t *target) Host(context.Context) (string, error) {
	return t.eng.Capabilities().PortHost, nil
}

func (t *target) Inspect(ctx context.Context) (*container.InspectResponse, error) {
	d, err := t.eng.InspectContainer(ctx, t.id)
	if err != nil {
		return nil, err
	}
	return &container.InspectResponse{
		ID:              d.ID,
		Name:            "/" + d.Name,
		Image:           d.ImageID,
		State:           state(d),
		Config:          &container.Config{Image: d.Image, Labels: d.Labels},
		NetworkSettings: &container.NetworkSettings{Ports: portMap(d.Ports)},
	}, nil
}

// Ports is deprecated in wait.StrategyTarget but still part of it.
func (t *target) Ports(ctx context.Context) (network.PortMap, error) {
	d, err := t.eng.InspectContainer(ctx, t.id)
	if err != nil {
		return nil, err
	}
	return portMap(d.Ports), nil
}

// MappedPort returns the host port published for port ("8080" or
// "8080/tcp"), as a Port with the container port's protocol.
func (t *target) MappedPort(ctx context.Context, port string) (network.Port, error) {
	want, err := network.ParsePort(port)
	if err != nil {
		return network.Port{}, err
	}
	d, err := t.eng.InspectContainer(ctx, t.id)
	if err != nil {
		return network.Port{}, err
	}
	for _, p := range d.Ports {
		if p.ContainerPort == int(want.Num()) && string(want.Proto()) == protoOf(p.Protocol) && p.HostPort > 0 {
			hp, _ := network.PortFrom(uint16(p.HostPort), want.Proto())
			return hp, nil
		}
	}
	return network.Port{}, fmt.Errorf("container %s: port %s is not published: %w", t.id, want, engine.ErrNotFound)
}

func (t *target) Logs(ctx context.Context) (io.ReadCloser, error) {
	return t.eng.Logs(ctx, t.id, engine.LogOptions{Tail: "all"})
}

// Exec runs cmd and returns its exit code and output: stdout followed by
// stderr. Options that change the exec (user, working dir, env) are
// honoured; tcexec.Multiplexed gives the same combined output.
func (t *target) Exec(ctx context.Context, cmd []string, options ...tcexec.ProcessOption) (int, io.Reader, error) {
	po := tcexec.NewProcessOptions(cmd)
	for _, o := range options {
		o.Apply(po)
	}
	res, err := t.eng.Exec(ctx, t.id, engine.ExecSpec{
		Command: po.ExecConfig.Cmd,
		User:    po.ExecConfig.User,
		WorkDir: po.ExecConfig.WorkingDir,
		Env:     po.ExecConfig.Env,
	})
	if err != nil {
		return res.ExitCode, nil, err
	}
	// Options that post-process output (Multiplexed) expect Docker's framed
	// stream: give them one, and keep their result if they replaced it.
	var framed bytes.Buffer
	writeFrame(&framed, stdcopy.Stdout, res.Stdout)
	writeFrame(&framed, stdcopy.Stderr, res.Stderr)
	framedReader := bytes.NewReader(framed.Bytes())
	po.Reader = framedReader
	for _, o := range options {
		o.Apply(po)
	}
	if r, ok := po.Reader.(*bytes.Reader); !ok || r != framedReader {
		return res.ExitCode, po.Reader, nil
	}
	return res.ExitCode, io.MultiReader(bytes.NewReader(res.Stdout), bytes.NewReader(res.Stderr)), nil
}

func (t *target) State(ctx context.Context) (*container.State, error) {
	d, err := t.eng.InspectContainer(ctx, t.id)
	if err != nil {
		return nil, err
	}
	return state(d), nil
}

// CopyFileFromContainer returns the content of one file.
func (t *target) CopyFileFromContainer(ctx context.Context, filePath string) (io.ReadCloser, error) {
	rc, err := t.eng.CopyFrom(ctx, t.id, filePath)
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(rc)
	hdr, err := tr.Next()
	if err != nil {
		rc.Close()
		return nil, fmt.Errorf("copy %s from container %s: %w", filePath, t.id, err)
	}
	if hdr.Typeflag != tar.TypeReg {
		rc.Close()
		return nil, fmt.Errorf("copy %s from container %s: not a regular file", filePath, t.id)
	}
	return struct {
		io.Reader
		io.Closer
	}{tr, rc}, nil
}

func state(d engine.ContainerDetail) *container.State {
	s := &container.State{
		Status:   container.ContainerState(d.State),
		Running:  d.State == engine.StateRunning,
		Dead:     d.State == engine.StateDead,
		ExitCode: d.ExitCode,
	}
	if d.Health != engine.HealthNone {
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

// writeFrame writes p as one frame of Docker's multiplexed stream format:
// a header of stream type, three zero bytes and a big-endian length.
func writeFrame(buf *bytes.Buffer, stream stdcopy.StdType, p []byte) {
	if len(p) == 0 {
		return
	}
	var hdr [8]byte
	hdr[0] = byte(stream)
	binary.BigEndian.PutUint32(hdr[4:], uint32(len(p)))
	buf.Write(hdr[:])
	buf.Write(p)
}
