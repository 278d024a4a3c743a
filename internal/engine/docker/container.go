package docker

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// CreateContainer implements engine.Engine.
//
// Before API 1.44 the daemon takes only one endpoint at create time, so the
// container is created on the first network and connected to the others
// before CreateContainer returns. If a connect fails the half-made
// container is removed again.
func (d *Docker) CreateContainer(ctx context.Context, spec engine.ContainerSpec) (string, error) {
	cfg, host, err := d.containerConfig(spec)
	if err != nil {
		return "", fmt.Errorf("create container %s: %w", spec.Name, err)
	}
	// Before start, API 1.41 accepts a connect to a network that does not
	// exist and fails only at start: check them all up front, except the
	// ones this client has just created (up creates its networks right
	// before its containers; a lookup per container and network was a
	// round trip on every container's critical path).
	for _, att := range spec.Networks {
		if d.madeNetwork(att.Network) {
			continue
		}
		if _, err := d.cli.NetworkInspect(ctx, att.Network, client.NetworkInspectOptions{}); err != nil {
			return "", d.wrap(err, "create container %s: network %s", spec.Name, att.Network)
		}
	}
	var netCfg *network.NetworkingConfig
	if len(spec.Networks) > 0 {
		first := spec.Networks[0]
		ep, err := endpointSettings(first)
		if err != nil {
			return "", fmt.Errorf("create container %s: %w", spec.Name, err)
		}
		host.NetworkMode = container.NetworkMode(first.Network)
		netCfg = &network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{first.Network: ep}}
	}
	if spec.NetworkMode != "" {
		if len(spec.Networks) > 0 {
			return "", fmt.Errorf("create container %s: network mode %q excludes networks", spec.Name, spec.NetworkMode)
		}
		host.NetworkMode = container.NetworkMode(spec.NetworkMode)
	}

	res, err := d.cli.ContainerCreate(ctx, client.ContainerCreateOptions{
		Name:             spec.Name,
		Config:           cfg,
		HostConfig:       host,
		NetworkingConfig: netCfg,
	})
	if err != nil && cerrdefs.IsConflict(err) {
		// The daemon's only conflict on create: the name is in use.
		return "", fmt.Errorf("create container %s: %w: %w: %w", spec.Name, engine.ErrNameConflict, engine.ErrConflict, err)
	}
	if err != nil {
		return "", d.wrap(err, "create container %s", spec.Name)
	}
	id := res.ID

	for _, att := range spec.Networks[min(1, len(spec.Networks)):] {
		ep, err := endpointSettings(att)
		if err == nil {
			_, err = d.cli.NetworkConnect(ctx, att.Network, client.NetworkConnectOptions{Container: id, EndpointConfig: ep})
			err = d.wrap(err, "connect to network %s", att.Network)
		}
		if err != nil {
			// Do not leave a container that is missing a network behind;
			// the cleanup must run even when ctx was cancelled.
			cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
			_, rmErr := d.cli.ContainerRemove(cctx, id, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
			cancel()
			return "", errors.Join(fmt.Errorf("create container %s: %w", spec.Name, err), d.wrap(rmErr, "remove container %s", spec.Name))
		}
	}
	return id, nil
}

// containerConfig maps a spec onto the API's config and host config,
// leaving networking to the caller.
func (d *Docker) containerConfig(spec engine.ContainerSpec) (*container.Config, *container.HostConfig, error) {
	cfg := &container.Config{
		Image:       spec.Image,
		Cmd:         spec.Command,
		Entrypoint:  spec.Entrypoint,
		Env:         spec.Env,
		WorkingDir:  spec.WorkingDir,
		User:        spec.User,
		Hostname:    spec.Hostname,
		Labels:      spec.Labels,
		StopTimeout: spec.StopTimeout,
	}
	host := &container.HostConfig{
		Privileged: spec.Privileged,
		CapAdd:     spec.CapAdd,
		PidMode:    container.PidMode(spec.PidMode),
		Sysctls:    spec.Sysctls,
		Resources: container.Resources{
			Memory:   spec.MemoryBytes,
			NanoCPUs: spec.NanoCPUs,
		},
	}
	if spec.PidsLimit > 0 {
		host.Resources.PidsLimit = &spec.PidsLimit
	}

	if len(spec.Ports) > 0 {
		cfg.ExposedPorts = network.PortSet{}
		host.PortBindings = network.PortMap{}
		for _, p := range spec.Ports {
			port, err := containerPort(p.ContainerPort, p.Protocol)
			if err != nil {
				return nil, nil, err
			}
			b := network.PortBinding{}
			if p.HostIP != "" {
				ip, err := netip.ParseAddr(p.HostIP)
				if err != nil {
					return nil, nil, fmt.Errorf("port %d: host IP %q: %w", p.ContainerPort, p.HostIP, err)
				}
				b.HostIP = ip
			}
			if p.HostPort != 0 {
				b.HostPort = strconv.Itoa(p.HostPort)
			}
			cfg.ExposedPorts[port] = struct{}{}
			host.PortBindings[port] = append(host.PortBindings[port], b)
		}
	}

	for _, m := range spec.Mounts {
		mm := mount.Mount{Type: mount.Type(m.Type), Source: m.Source, Target: m.Target, ReadOnly: m.ReadOnly}
		switch mm.Type {
		case mount.TypeVolume, mount.TypeBind, mount.TypeTmpfs:
		case "":
			mm.Type = mount.TypeVolume
		default:
			return nil, nil, fmt.Errorf("mount %s: unknown type %q", m.Target, m.Type)
		}
		host.Mounts = append(host.Mounts, mm)
	}

	for _, dev := range spec.Devices {
		dm, err := deviceMapping(dev)
		if err != nil {
			return nil, nil, err
		}
		host.Devices = append(host.Devices, dm)
	}

	if spec.Restart != "" {
		rp, err := restartPolicy(spec.Restart)
		if err != nil {
			return nil, nil, err
		}
		host.RestartPolicy = rp
	}

	if hc := spec.Healthcheck; hc != nil {
		cfg.Healthcheck = &container.HealthConfig{
			Test:        hc.Test,
			Interval:    hc.Interval,
			Timeout:     hc.Timeout,
			StartPeriod: hc.StartPeriod,
			Retries:     hc.Retries,
		}
		if d.Capabilities().HealthcheckStartInterval {
			cfg.Healthcheck.StartInterval = hc.StartInterval
		}
	}
	return cfg, host, nil
}

func containerPort(num int, proto string) (network.Port, error) {
	if num <= 0 || num > math.MaxUint16 {
		return network.Port{}, fmt.Errorf("port %d: out of range", num)
	}
	if proto == "" {
		proto = "tcp"
	}
	p, ok := network.PortFrom(uint16(num), network.IPProtocol(strings.ToLower(proto)))
	if !ok {
		return network.Port{}, fmt.Errorf("port %d/%s: invalid", num, proto)
	}
	return p, nil
}

// deviceMapping parses the CLI's --device syntax: host[:container[:perms]].
func deviceMapping(s string) (container.DeviceMapping, error) {
	parts := strings.Split(s, ":")
	dm := container.DeviceMapping{PathOnHost: parts[0], PathInContainer: parts[0], CgroupPermissions: "rwm"}
	switch len(parts) {
	case 1:
	case 2:
		if isDevicePerms(parts[1]) {
			dm.CgroupPermissions = parts[1]
		} else {
			dm.PathInContainer = parts[1]
		}
	case 3:
		if !isDevicePerms(parts[2]) {
			return dm, fmt.Errorf("device %q: invalid permissions %q", s, parts[2])
		}
		dm.PathInContainer, dm.CgroupPermissions = parts[1], parts[2]
	default:
		return dm, fmt.Errorf("device %q: want host[:container[:permissions]]", s)
	}
	if dm.PathOnHost == "" || dm.PathInContainer == "" {
		return dm, fmt.Errorf("device %q: empty path", s)
	}
	return dm, nil
}

func isDevicePerms(s string) bool {
	if s == "" {
		return false
	}
	return strings.Trim(s, "rwm") == ""
}

// restartPolicy parses "no", "always", "unless-stopped", "on-failure[:N]".
func restartPolicy(s string) (container.RestartPolicy, error) {
	name, count, hasCount := strings.Cut(s, ":")
	rp := container.RestartPolicy{Name: container.RestartPolicyMode(name)}
	switch rp.Name {
	case container.RestartPolicyDisabled, container.RestartPolicyAlways, container.RestartPolicyUnlessStopped:
		if hasCount {
			return rp, fmt.Errorf("restart policy %q: only on-failure takes a retry count", s)
		}
	case container.RestartPolicyOnFailure:
		if hasCount {
			n, err := strconv.Atoi(count)
			if err != nil || n < 0 {
				return rp, fmt.Errorf("restart policy %q: invalid retry count", s)
			}
			rp.MaximumRetryCount = n
		}
	default:
		return rp, fmt.Errorf("restart policy %q: want no, always, unless-stopped or on-failure[:N]", s)
	}
	return rp, nil
}

func endpointSettings(att engine.NetworkAttachment) (*network.EndpointSettings, error) {
	ep := &network.EndpointSettings{Aliases: att.Aliases}
	if att.IPv4Address != "" {
		ip, err := netip.ParseAddr(att.IPv4Address)
		if err != nil || !ip.Is4() {
			return nil, fmt.Errorf("network %s: invalid IPv4 address %q", att.Network, att.IPv4Address)
		}
		ep.IPAMConfig = &network.EndpointIPAMConfig{IPv4Address: ip}
	}
	if att.IPv6Address != "" {
		ip, err := netip.ParseAddr(att.IPv6Address)
		if err != nil || !ip.Is6() {
			return nil, fmt.Errorf("network %s: invalid IPv6 address %q", att.Network, att.IPv6Address)
		}
		if ep.IPAMConfig == nil {
			ep.IPAMConfig = &network.EndpointIPAMConfig{}
		}
		ep.IPAMConfig.IPv6Address = ip
	}
	return ep, nil
}

// CopyTo implements engine.Engine.
func (d *Docker) CopyTo(ctx context.Context, id, dir string, tar io.Reader) error {
	_, err := d.cli.CopyToContainer(ctx, id, client.CopyToContainerOptions{DestinationPath: dir, Content: tar})
	return d.wrap(err, "copy into container %s:%s", id, dir)
}

// CopyFrom implements engine.Engine.
func (d *Docker) CopyFrom(ctx context.Context, id, path string) (io.ReadCloser, error) {
	res, err := d.cli.CopyFromContainer(ctx, id, client.CopyFromContainerOptions{SourcePath: path})
	if err != nil {
		return nil, d.wrap(err, "copy from container %s:%s", id, path)
	}
	return res.Content, nil
}

// StartContainer implements engine.Engine. A paused container is
// resumed (unpaused): the planner treats a paused container as one to
// start, since a paused service answers nothing.
func (d *Docker) StartContainer(ctx context.Context, id string) error {
	_, err := d.cli.ContainerStart(ctx, id, client.ContainerStartOptions{})
	if err != nil && cerrdefs.IsConflict(err) && d.paused(ctx, id) {
		// "cannot start a paused container": the daemon marks it as a
		// conflict; the container's state says why, not the message.
		_, uerr := d.cli.ContainerUnpause(ctx, id, client.ContainerUnpauseOptions{})
		return d.wrap(uerr, "unpause container %s", id)
	}
	if err != nil && cerrdefs.IsInvalidArgument(err) && d.networkAmbiguous(ctx, id) {
		// "network x is ambiguous (2 matches found on name)": the daemon
		// marks it only as an invalid parameter, so the networks are
		// counted instead of the message read.
		return fmt.Errorf("start container %s: %w: %w", id, engine.ErrAmbiguous, err)
	}
	if err != nil && cerrdefs.IsInternal(err) && d.portHeld(ctx, id) {
		// "Bind for 127.0.0.1:8080 failed: port is already allocated" is a
		// 500 without a kind; the ports of the other containers say why.
		return fmt.Errorf("start container %s: %w: %w", id, engine.ErrPortTaken, err)
	}
	return d.wrap(err, "start container %s", id)
}

// portHeld reports whether a host port that container id publishes is
// published by another running container, or (on a local engine) cannot
// be bound on this host.
func (d *Docker) portHeld(ctx context.Context, id string) bool {
	res, err := d.cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if err != nil || res.Container.HostConfig == nil {
		return false
	}
	others, err := d.cli.ContainerList(ctx, client.ContainerListOptions{})
	if err != nil {
		return false
	}
	for cport, binds := range res.Container.HostConfig.PortBindings {
		for _, b := range binds {
			hp, _ := strconv.Atoi(b.HostPort)
			if hp == 0 {
				continue
			}
			for _, o := range others.Items {
				if o.ID == res.Container.ID {
					continue
				}
				for _, p := range o.Ports {
					if int(p.PublicPort) == hp && p.Type == string(cport.Proto()) {
						return true
					}
				}
			}
			if daemonHostname(d.host) == "127.0.0.1" && !hostPortFree(string(cport.Proto()), b.HostIP, hp) {
				return true
			}
		}
	}
	return false
}

// paused reports whether the container is paused.
func (d *Docker) paused(ctx context.Context, id string) bool {
	res, err := d.cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	return err == nil && res.Container.State != nil && res.Container.State.Paused
}

// networkAmbiguous reports whether a network the container is attached to
// by name is the name of more than one network.
func (d *Docker) networkAmbiguous(ctx context.Context, id string) bool {
	res, err := d.cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if err != nil || res.Container.NetworkSettings == nil {
		return false
	}
	for name := range res.Container.NetworkSettings.Networks {
		list, err := d.cli.NetworkList(ctx, client.NetworkListOptions{Filters: client.Filters{}.Add("name", name)})
		if err != nil {
			continue
		}
		n := 0
		for _, nw := range list.Items {
			if nw.Name == name { // the name filter matches substrings
				n++
			}
		}
		if n > 1 {
			return true
		}
	}
	return false
}

// graceSeconds rounds a grace period up to whole seconds, the API's unit.
func graceSeconds(grace time.Duration) *int {
	if grace < 0 {
		return nil // the container's own StopTimeout
	}
	s := int((grace + time.Second - 1) / time.Second)
	return &s
}

// StopContainer implements engine.Engine. A negative grace uses the
// container's configured stop timeout.
func (d *Docker) StopContainer(ctx context.Context, id string, grace time.Duration) error {
	_, err := d.cli.ContainerStop(ctx, id, client.ContainerStopOptions{Timeout: graceSeconds(grace)})
	return d.wrap(err, "stop container %s", id)
}

// RestartContainer implements engine.Engine.
func (d *Docker) RestartContainer(ctx context.Context, id string, grace time.Duration) error {
	_, err := d.cli.ContainerRestart(ctx, id, client.ContainerRestartOptions{Timeout: graceSeconds(grace)})
	return d.wrap(err, "restart container %s", id)
}

// RemoveContainer implements engine.Engine. A removal that another
// request already has in progress is waited for (see remove.go).
func (d *Docker) RemoveContainer(ctx context.Context, id string) error {
	return d.removeContainer(ctx, id)
}

// InspectContainer implements engine.Engine.
func (d *Docker) InspectContainer(ctx context.Context, id string) (engine.ContainerDetail, error) {
	raw, err := d.inspect(ctx, id)
	if err != nil {
		return engine.ContainerDetail{}, err
	}
	return containerDetail(raw), nil
}

func (d *Docker) inspect(ctx context.Context, id string) (container.InspectResponse, error) {
	res, err := d.cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if err != nil {
		return container.InspectResponse{}, d.wrap(err, "inspect container %s", id)
	}
	return res.Container, nil
}

func containerDetail(c container.InspectResponse) engine.ContainerDetail {
	det := engine.ContainerDetail{
		Container: engine.Container{
			ID:      c.ID,
			Name:    strings.TrimPrefix(c.Name, "/"),
			ImageID: c.Image,
			Labels:  map[string]string{},
		},
		Endpoints: map[string]engine.Endpoint{},
	}
	if c.Config != nil {
		det.Image = c.Config.Image
		det.Labels = cloneLabels(c.Config.Labels)
	}
	if s := c.State; s != nil {
		det.State = engine.ContainerState(s.Status)
		det.ExitCode = s.ExitCode
		if s.Health != nil && s.Health.Status != container.NoHealthcheck {
			det.Health = engine.Health(s.Health.Status)
		}
		if t, err := time.Parse(time.RFC3339Nano, s.StartedAt); err == nil && !t.IsZero() && t.Year() > 1 {
			det.StartedAt = t
		}
	}
	if ns := c.NetworkSettings; ns != nil {
		for name, ep := range ns.Networks {
			if ep == nil {
				continue
			}
			e := engine.Endpoint{NetworkID: ep.NetworkID, Aliases: slices.Clone(ep.Aliases)}
			if ep.IPAddress.IsValid() {
				e.IPv4Address = ep.IPAddress.String()
			} else if ep.IPAMConfig != nil && ep.IPAMConfig.IPv4Address.IsValid() {
				e.IPv4Address = ep.IPAMConfig.IPv4Address.String() // not started yet
			}
			det.Endpoints[name] = e
			det.Networks = append(det.Networks, name)
		}
		slices.Sort(det.Networks)
		for port, bindings := range ns.Ports {
			for _, b := range bindings {
				hp, err := strconv.Atoi(b.HostPort)
				if err != nil {
					continue
				}
				pp := engine.PublishedPort{
					ContainerPort: int(port.Num()),
					Protocol:      string(port.Proto()),
					HostPort:      hp,
				}
				if b.HostIP.IsValid() {
					pp.HostIP = b.HostIP.String()
				}
				det.Ports = append(det.Ports, pp)
			}
		}
		slices.SortFunc(det.Ports, func(a, b engine.PublishedPort) int {
			return cmp.Or(cmp.Compare(a.ContainerPort, b.ContainerPort), cmp.Compare(a.Protocol, b.Protocol),
				cmp.Compare(a.HostIP, b.HostIP), cmp.Compare(a.HostPort, b.HostPort))
		})
	}
	return det
}

// hostPortFree reports whether port can be bound on this host at ip (all
// addresses when ip is not set).
func hostPortFree(proto string, ip netip.Addr, port int) bool {
	host := ""
	if ip.IsValid() {
		host = ip.String()
	}
	addr := net.JoinHostPort(host, strconv.Itoa(port))
	if proto == "udp" {
		pc, err := net.ListenPacket("udp", addr)
		if err == nil {
			pc.Close()
		}
		return err == nil
	}
	l, err := net.Listen("tcp", addr)
	if err == nil {
		l.Close()
	}
	return err == nil
}
