package planner

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/version"
)

// EngineName is the engine name of a declared object of an instance.
func EngineName(instance, name string) string { return instance + "-" + name }

// BuildTag is the tag given to the image built for a service:
// proeftuin/<environment>-<service>:<content hash>. It names the
// environment, not the instance, and the content, not the time, so every
// instance of a lab shares one image, an unchanged build is never run
// again, and an image loaded from an offline bundle is found by `up`.
func BuildTag(env *config.Environment, s *config.Service) string {
	hash := "latest"
	name := s.Name
	if s.Build != nil && len(s.Build.Hash) >= 12 {
		hash = s.Build.Hash[:12]
	}
	if s.Build != nil && s.Build.Owner != "" {
		name = s.Build.Owner // shared by the services naming its image
	}
	return strings.ToLower("proeftuin/" + env.Name + "-" + name + ":" + hash)
}

// ImageRef is the reference a service's container is created from: its
// image, or the tag of the image built for it.
func ImageRef(env *config.Environment, s *config.Service) string {
	if s.Build != nil {
		return BuildTag(env, s)
	}
	return s.Image
}

// Desire computes the desired state of instance from env. images maps a
// service name to the ID of its local image ("" or absent when not known
// yet, e.g. for a plan before images are resolved; the hash then uses the
// reference).
func Desire(env *config.Environment, instance string, images map[string]string) (*Desired, error) {
	if instance == "" {
		return nil, fmt.Errorf("empty instance name")
	}
	d := &Desired{Instance: instance, Env: env}
	common := func(kindLabel, name string) map[string]string {
		l := map[string]string{
			engine.LabelInstance: instance,
			kindLabel:            name,
			engine.LabelVersion:  version.Version,
			engine.LabelEnv:      env.Name,
		}
		if env.Dir != "" {
			l[LabelFolder] = env.Dir
		}
		return l
	}
	networks := map[string]bool{}
	for _, n := range env.Networks {
		networks[n.Name] = true
		if n.PointToPoint {
			continue // a veth pair made at up, not an engine network
		}
		labels := common(engine.LabelNetwork, n.Name)
		if n.AutoSubnet {
			labels[engine.LabelSubnet] = "auto"
		}
		d.Networks = append(d.Networks, engine.NetworkSpec{
			Name:     EngineName(instance, n.Name),
			Internal: n.Internal,
			Subnet:   n.Subnet,
			Gateway:  n.Gateway,
			Subnet6:  n.Subnet6,
			Labels:   labels,
		})
	}
	volumes := map[string]bool{}
	for _, v := range env.Volumes {
		volumes[v.Name] = true
		d.Volumes = append(d.Volumes, engine.VolumeSpec{
			Name:   EngineName(instance, v.Name),
			Labels: common(engine.LabelVolume, v.Name),
		})
	}
	services := map[string]bool{}
	for _, s := range env.Services {
		services[s.Name] = true
	}
	if _, err := ServiceGraph(env.Services).Levels(); err != nil {
		return nil, err
	}
	for _, s := range env.Services {
		spec, err := containerSpec(env, instance, s, networks, volumes, services)
		if err != nil {
			return nil, fmt.Errorf("service %s: %w", s.Name, err)
		}
		labels := common(engine.LabelService, s.Name)
		for k, v := range s.Labels {
			if !ourLabels[k] {
				spec.Labels[k] = v
			}
		}
		if v := netSetupLabel(env, s); v != "" {
			spec.Labels[LabelNetSetup] = v
		}
		fp := ConfigHash(spec, images[s.Name], s.Files)
		for k, v := range labels {
			spec.Labels[k] = v
		}
		spec.Labels[engine.LabelConfigHash] = fp.Hash
		spec.Labels[LabelConfigFields] = fp.Label()
		d.Services = append(d.Services, &DesiredService{
			Name:      s.Name,
			Spec:      spec,
			Hash:      fp.Hash,
			Files:     s.Files,
			Ready:     s.Ready,
			DependsOn: serviceDeps(s),
			Service:   s,
		})
	}
	return d, nil
}

func containerSpec(env *config.Environment, instance string, s *config.Service, networks, volumes, services map[string]bool) (engine.ContainerSpec, error) {
	spec := engine.ContainerSpec{
		Name:       EngineName(instance, s.Name),
		Image:      ImageRef(env, s),
		Command:    s.Command,
		Entrypoint: s.Entrypoint,
		WorkingDir: s.WorkingDir,
		User:       s.User,
		Labels:     map[string]string{},
		Restart:    s.Restart,
		Privileged: s.Privileged,
		CapAdd:     s.CapAdd,
		Devices:    s.Devices,
		Sysctls:    s.Sysctls,
	}
	if spec.Restart == "" {
		spec.Restart = "no"
	}
	if spec.Image == "" {
		return spec, fmt.Errorf("no image and no build block")
	}

	keys := make([]string, 0, len(s.Env))
	for k := range s.Env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		spec.Env = append(spec.Env, k+"="+s.Env[k])
	}

	switch mode := s.NetworkMode; {
	case mode == "":
		for _, sn := range s.Networks {
			if !networks[sn.Network] {
				return spec, fmt.Errorf("network %q is not declared", sn.Network)
			}
			if sn.PointToPoint {
				continue
			}
			aliases := []string{s.Name}
			for _, a := range sn.Aliases {
				if !contains(aliases, a) {
					aliases = append(aliases, a)
				}
			}
			spec.Networks = append(spec.Networks, engine.NetworkAttachment{
				Network:     EngineName(instance, sn.Network),
				IPv4Address: sn.IPv4Address,
				IPv6Address: sn.IPv6Address,
				Aliases:     aliases,
			})
		}
		if len(spec.Networks) == 0 && len(s.Networks) > 0 {
			spec.NetworkMode = "none" // only point-to-point links
		}
	case mode == "none" || mode == "host":
		spec.NetworkMode = mode
	case strings.HasPrefix(mode, "service:"):
		other := strings.TrimPrefix(mode, "service:")
		if !services[other] {
			return spec, fmt.Errorf("network_mode names service %q, which is not declared", other)
		}
		spec.NetworkMode = "container:" + EngineName(instance, other)
	default:
		return spec, fmt.Errorf("unsupported network_mode %q", mode)
	}
	// Docker refuses a hostname for a container that shares another
	// namespace (host or another container's).
	if spec.NetworkMode == "" || spec.NetworkMode == "none" {
		spec.Hostname = s.Hostname
		if spec.Hostname == "" {
			spec.Hostname = s.Name
		}
	}

	for _, p := range s.Ports {
		b := engine.PortBinding{ContainerPort: p.Container, Protocol: p.Protocol, HostIP: p.HostIP, HostPort: p.Host}
		if b.Protocol == "" {
			b.Protocol = "tcp"
		}
		if b.HostIP == "" {
			b.HostIP = "127.0.0.1"
		}
		spec.Ports = append(spec.Ports, b)
	}

	for _, m := range s.Mounts {
		ms := engine.MountSpec{Target: m.Target, ReadOnly: m.ReadOnly}
		switch {
		case m.Volume != "":
			if !volumes[m.Volume] {
				return spec, fmt.Errorf("volume %q is not declared", m.Volume)
			}
			ms.Type, ms.Source = "volume", EngineName(instance, m.Volume)
		case m.Bind != "":
			ms.Type, ms.Source = "bind", m.Bind
		case m.Tmpfs:
			ms.Type = "tmpfs"
		default:
			return spec, fmt.Errorf("mount at %s has no volume, bind or tmpfs", m.Target)
		}
		spec.Mounts = append(spec.Mounts, ms)
	}

	if h := s.Healthcheck; h != nil {
		spec.Healthcheck = &engine.HealthcheckSpec{
			Test: h.Test, Interval: h.Interval, Timeout: h.Timeout, Retries: h.Retries,
			StartPeriod: h.StartPeriod, StartInterval: h.StartInterval,
		}
	}
	if r := s.Resources; r != nil {
		spec.MemoryBytes = r.MemoryBytes
		spec.NanoCPUs = int64(r.CPUs * 1e9)
		spec.PidsLimit = r.Pids
	}
	// Lab containers stop at once unless the service asks for grace.
	stop := 0
	if s.StopTimeout != nil {
		stop = int(*s.StopTimeout / time.Second)
	}
	spec.StopTimeout = &stop
	return spec, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
