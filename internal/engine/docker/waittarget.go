package docker

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net/url"
	"strconv"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	tcexec "github.com/testcontainers/testcontainers-go/exec"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// WaitTarget implements engine.Engine.
func (d *Docker) WaitTarget(id string) wait.StrategyTarget {
	return &waitTarget{d: d, id: id}
}

// waitTarget lets testcontainers-go's wait strategies watch one container.
type waitTarget struct {
	d  *Docker
	id string
}

var _ wait.StrategyTarget = (*waitTarget)(nil)

// Host is where published ports are reached: loopback for a local daemon,
// the daemon's host name for a remote one.
func (t *waitTarget) Host(context.Context) (string, error) {
	return daemonHostname(t.d.host), nil
}

// daemonHostname is the host on which a daemon publishes ports.
func daemonHostname(host string) string {
	u, err := url.Parse(host)
	if err != nil {
		return "127.0.0.1"
	}
	switch u.Scheme {
	case "tcp", "ssh", "http", "https":
		if h := u.Hostname(); h != "" {
			return h
		}
	}
	return "127.0.0.1"
}

func (t *waitTarget) Inspect(ctx context.Context) (*container.InspectResponse, error) {
	c, err := t.d.inspect(ctx, t.id)
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// Ports is deprecated in wait.StrategyTarget but still part of it.
func (t *waitTarget) Ports(ctx context.Context) (network.PortMap, error) {
	c, err := t.d.inspect(ctx, t.id)
	if err != nil {
		return nil, err
	}
	if c.NetworkSettings == nil {
		return network.PortMap{}, nil
	}
	return c.NetworkSettings.Ports, nil
}

// MappedPort returns the host port published for port ("8080" or
// "8080/tcp"), as a Port with the container port's protocol.
func (t *waitTarget) MappedPort(ctx context.Context, port string) (network.Port, error) {
	want, err := network.ParsePort(port)
	if err != nil {
		return network.Port{}, err
	}
	c, err := t.d.inspect(ctx, t.id)
	if err != nil {
		return network.Port{}, err
	}
	if c.HostConfig != nil && c.HostConfig.NetworkMode == "host" {
		return want, nil
	}
	if c.NetworkSettings != nil {
		for p, bindings := range c.NetworkSettings.Ports {
			if p.Num() != want.Num() || p.Proto() != want.Proto() {
				continue
			}
			for _, b := range bindings {
				n, err := strconv.ParseUint(b.HostPort, 10, 16)
				if err != nil || n == 0 {
					continue
				}
				hp, _ := network.PortFrom(uint16(n), p.Proto())
				return hp, nil
			}
		}
	}
	return network.Port{}, fmt.Errorf("container %s: port %s is not published: %w", t.id, want, engine.ErrNotFound)
}

func (t *waitTarget) Logs(ctx context.Context) (io.ReadCloser, error) {
	return t.d.Logs(ctx, t.id, engine.LogOptions{Tail: "all"})
}

// Exec runs cmd and returns its exit code and output: stdout followed by
// stderr. Options that change the exec (user, working dir, env) are
// honoured; tcexec.Multiplexed gives the same combined output.
func (t *waitTarget) Exec(ctx context.Context, cmd []string, options ...tcexec.ProcessOption) (int, io.Reader, error) {
	po := tcexec.NewProcessOptions(cmd)
	for _, o := range options {
		o.Apply(po)
	}
	res, err := t.d.Exec(ctx, t.id, engine.ExecSpec{
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

func (t *waitTarget) State(ctx context.Context) (*container.State, error) {
	c, err := t.d.inspect(ctx, t.id)
	if err != nil {
		return nil, err
	}
	if c.State == nil {
		return nil, fmt.Errorf("inspect container %s: no state", t.id)
	}
	return c.State, nil
}

// CopyFileFromContainer returns the content of one file.
func (t *waitTarget) CopyFileFromContainer(ctx context.Context, filePath string) (io.ReadCloser, error) {
	rc, err := t.d.CopyFrom(ctx, t.id, filePath)
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
