// Package fake is an in-memory engine.Engine for unit tests of planning and
// applying. It keeps containers, networks, volumes and images with their
// labels, gives deterministic IDs, follows Docker's state transitions and
// its most important refusals (a taken container name, an overlapping
// subnet, a network with endpoints), and lets a test inject faults, script
// exec and log output, and count calls per method.
//
// All methods are safe for concurrent use.
package fake

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// File is a file copied into a container with CopyTo.
type File struct {
	Content []byte
	Mode    int64
	UID     int
	GID     int
}

// ExecFunc scripts the result of Exec in one container. calls counts the
// execs in that container so far, this one included (1 for the first).
type ExecFunc func(cmd []string, calls int) (engine.ExecResult, error)

// Container is the fake's record of a container.
type Container struct {
	engine.Container
	Spec      engine.ContainerSpec
	ExitCode  int
	StartedAt time.Time
	Files     map[string]File
	Ports     []engine.PublishedPort
	Endpoints map[string]engine.Endpoint
	execCalls int
}

type fault struct {
	method, name string
	err          error
}

// Engine is the in-memory engine. The zero value is not usable; call New.
type Engine struct {
	mu         sync.Mutex
	seq        int
	containers map[string]*Container // by ID
	networks   map[string]*engine.Network
	volumes    map[string]*engine.Volume // by name
	images     map[string]string         // ref -> ID
	pullable   map[string]string         // ref -> ID a pull yields
	execs      map[string]ExecFunc       // by container name
	logs       map[string]string         // by container name
	faults     []fault
	calls      map[string]int
	started    []string
	hook       func(ctx context.Context, method, name string)
	onStart    func(name string)
	nextPort   int
	// refusePorts: see RefuseTakenPorts.
	refusePorts bool
}

var _ engine.Engine = (*Engine)(nil)

// New returns an empty engine that knows no images.
func New() *Engine {
	return &Engine{
		containers: map[string]*Container{},
		networks:   map[string]*engine.Network{},
		volumes:    map[string]*engine.Volume{},
		images:     map[string]string{},
		pullable:   map[string]string{},
		execs:      map[string]ExecFunc{},
		logs:       map[string]string{},
		calls:      map[string]int{},
		nextPort:   32768,
	}
}

// SetImage makes ref present locally with the given ID.
func (e *Engine) SetImage(ref, id string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.images[ref] = id
}

// SetPullable makes PullImage(ref) succeed and leave ref present with id.
// Pulling any other reference fails like a registry that does not answer.
func (e *Engine) SetPullable(ref, id string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.pullable[ref] = id
}

// SetExec scripts Exec in the container with this name.
func (e *Engine) SetExec(containerName string, fn ExecFunc) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.execs[containerName] = fn
}

// SetLogs sets the whole log output of the container with this name.
func (e *Engine) SetLogs(containerName, text string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.logs[containerName] = text
}

// FailOn makes every later call of method on the object called name fail
// with err. name is a container, network or volume name or an image
// reference; "" matches any object. The first matching rule wins.
func (e *Engine) FailOn(method, name string, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.faults = append(e.faults, fault{method, name, err})
}

// ClearFaults removes every FailOn rule.
func (e *Engine) ClearFaults() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.faults = nil
}

// OnCall registers a hook run at the start of every method (outside the
// engine's lock) with the call's context, the method name and the object
// name ("" when none). Tests use it to record order, block or cancel.
func (e *Engine) OnCall(hook func(ctx context.Context, method, name string)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.hook = hook
}

// OnStart registers a hook run (under no lock) after a container started;
// tests use it to let a container exit or turn unhealthy.
func (e *Engine) OnStart(fn func(name string)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.onStart = fn
}

// Calls reports how often method was called.
func (e *Engine) Calls(method string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.calls[method]
}

// AllCalls returns a copy of every call counter.
func (e *Engine) AllCalls() map[string]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make(map[string]int, len(e.calls))
	for k, v := range e.calls {
		out[k] = v
	}
	return out
}

// ResetCalls sets every call counter to zero and forgets the start order.
func (e *Engine) ResetCalls() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.calls = map[string]int{}
	e.started = nil
}

// StartOrder lists container names in the order they were started.
func (e *Engine) StartOrder() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.started...)
}

// Container returns a copy of the container with this name or ID.
func (e *Engine) Container(nameOrID string) (Container, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	c := e.findContainer(nameOrID)
	if c == nil {
		return Container{}, false
	}
	cp := *c
	cp.Labels = copyMap(c.Labels)
	cp.Files = make(map[string]File, len(c.Files))
	for k, v := range c.Files {
		cp.Files[k] = v
	}
	return cp, true
}

// ContainerNames lists every container's name, sorted.
func (e *Engine) ContainerNames() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return sortedNames(e.containers, func(c *Container) string { return c.Name })
}

// NetworkNames lists every network's name, sorted.
func (e *Engine) NetworkNames() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return sortedNames(e.networks, func(n *engine.Network) string { return n.Name })
}

// VolumeNames lists every volume's name, sorted.
func (e *Engine) VolumeNames() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return sortedNames(e.volumes, func(v *engine.Volume) string { return v.Name })
}

// sortedNames returns the name of each object in m, sorted (nil when m is
// empty).
func sortedNames[V any](m map[string]V, name func(V) string) []string {
	var out []string
	for _, v := range m {
		out = append(out, name(v))
	}
	sort.Strings(out)
	return out
}

// SetState sets the state (and exit code) of the container with this name,
// as if its process had exited or been restarted behind proeftuin's back.
func (e *Engine) SetState(nameOrID string, state engine.ContainerState, exitCode int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if c := e.findContainer(nameOrID); c != nil {
		c.State = state
		c.ExitCode = exitCode
	}
}

// SetHealth sets the health status.
func (e *Engine) SetHealth(nameOrID string, health engine.Health) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if c := e.findContainer(nameOrID); c != nil {
		c.Health = health
	}
}

// AddNetwork registers a network that proeftuin did not create (Docker's
// default bridge, another project's network).
func (e *Engine) AddNetwork(n engine.Network) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if n.ID == "" {
		n.ID = e.newID("net")
	}
	n.Labels = copyMap(n.Labels)
	e.networks[n.ID] = &n
}

// AddVolume registers a volume that proeftuin did not create.
func (e *Engine) AddVolume(v engine.Volume) {
	e.mu.Lock()
	defer e.mu.Unlock()
	v.Labels = copyMap(v.Labels)
	e.volumes[v.Name] = &v
}

// AddContainer registers a container that proeftuin did not create.
func (e *Engine) AddContainer(c engine.Container) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if c.ID == "" {
		c.ID = e.newID("ctr")
	}
	if c.State == "" {
		c.State = engine.StateRunning
	}
	c.Labels = copyMap(c.Labels)
	e.containers[c.ID] = &Container{Container: c, Files: map[string]File{}}
	return c.ID
}

// ---- engine.Engine ----

// begin counts the call, runs the hook and returns an injected fault.
func (e *Engine) begin(ctx context.Context, method, name string) error {
	e.mu.Lock()
	e.calls[method]++
	hook := e.hook
	var ferr error
	for _, f := range e.faults {
		if f.method == method && (f.name == "" || f.name == name) {
			ferr = f.err
			break
		}
	}
	e.mu.Unlock()
	if hook != nil {
		hook(ctx, method, name)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return ferr
}

func (e *Engine) Info(ctx context.Context) (engine.Info, error) {
	if err := e.begin(ctx, "Info", ""); err != nil {
		return engine.Info{}, err
	}
	return engine.Info{ServerVersion: "fake", APIVersion: "1.41", OS: "linux", Arch: "amd64", StorageDriver: "memory", Host: "fake://"}, nil
}

func (e *Engine) Containers(ctx context.Context, match map[string]string) ([]engine.Container, error) {
	if err := e.begin(ctx, "Containers", ""); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []engine.Container
	for _, c := range e.containers {
		if matches(c.Labels, match) {
			cc := c.Container
			cc.Labels = copyMap(c.Labels)
			cc.ImageID = e.images[c.Image]
			out = append(out, cc)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (e *Engine) Networks(ctx context.Context, match map[string]string) ([]engine.Network, error) {
	if err := e.begin(ctx, "Networks", ""); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []engine.Network
	for _, n := range e.networks {
		if matches(n.Labels, match) {
			nn := *n
			nn.Labels = copyMap(n.Labels)
			nn.Subnets = append([]string(nil), n.Subnets...)
			out = append(out, nn)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (e *Engine) Volumes(ctx context.Context, match map[string]string) ([]engine.Volume, error) {
	if err := e.begin(ctx, "Volumes", ""); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []engine.Volume
	for _, v := range e.volumes {
		if matches(v.Labels, match) {
			out = append(out, engine.Volume{Name: v.Name, Labels: copyMap(v.Labels)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (e *Engine) CreateNetwork(ctx context.Context, spec engine.NetworkSpec) (string, error) {
	if err := e.begin(ctx, "CreateNetwork", spec.Name); err != nil {
		return "", err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, n := range e.networks {
		if n.Name == spec.Name {
			return "", fmt.Errorf("network with name %s already exists: %w: %w", spec.Name, engine.ErrNameConflict, engine.ErrConflict)
		}
	}
	subnet := spec.Subnet
	if subnet != "" {
		p, err := netip.ParsePrefix(subnet)
		if err != nil {
			return "", fmt.Errorf("invalid subnet %s: %w", subnet, err)
		}
		if e.overlaps(p) {
			return "", fmt.Errorf("pool overlaps with other one on this address space: %w", engine.ErrSubnetTaken)
		}
	} else {
		// Like Docker, pick the next free 172.x.0.0/16 (then 192.168.x.0/24).
		for i := 18; i < 32 && subnet == ""; i++ {
			p := netip.MustParsePrefix(fmt.Sprintf("172.%d.0.0/16", i))
			if !e.overlaps(p) {
				subnet = p.String()
			}
		}
		for i := 0; i < 256 && subnet == ""; i++ {
			p := netip.MustParsePrefix(fmt.Sprintf("192.168.%d.0/24", i))
			if !e.overlaps(p) {
				subnet = p.String()
			}
		}
		if subnet == "" {
			return "", errors.New("could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network")
		}
	}
	id := e.newID("net")
	e.networks[id] = &engine.Network{ID: id, Name: spec.Name, Internal: spec.Internal, Subnets: []string{subnet}, Labels: copyMap(spec.Labels)}
	return id, nil
}

func (e *Engine) overlaps(p netip.Prefix) bool {
	for _, n := range e.networks {
		for _, s := range n.Subnets {
			q, err := netip.ParsePrefix(s)
			if err == nil && q.Overlaps(p) {
				return true
			}
		}
	}
	return false
}

func (e *Engine) RemoveNetwork(ctx context.Context, id string) error {
	e.mu.Lock()
	n := e.findNetwork(id)
	name := id
	if n != nil {
		name = n.Name
	}
	e.mu.Unlock()
	if err := e.begin(ctx, "RemoveNetwork", name); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	n = e.findNetwork(id)
	if n == nil {
		return fmt.Errorf("network %s: %w", id, engine.ErrNotFound)
	}
	for _, c := range e.containers {
		// An endpoint belongs to a network by ID: of two networks with
		// one name, the one without containers can go.
		if ep, ok := c.Endpoints[n.Name]; ok && (ep.NetworkID == "" || ep.NetworkID == n.ID) {
			return fmt.Errorf("error while removing network: network %s id %s has active endpoints: %w", n.Name, n.ID, engine.ErrConflict)
		}
	}
	delete(e.networks, n.ID)
	return nil
}

func (e *Engine) CreateVolume(ctx context.Context, spec engine.VolumeSpec) error {
	if err := e.begin(ctx, "CreateVolume", spec.Name); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	// Docker returns the existing volume when the name is taken.
	if _, ok := e.volumes[spec.Name]; !ok {
		e.volumes[spec.Name] = &engine.Volume{Name: spec.Name, Labels: copyMap(spec.Labels)}
	}
	return nil
}

func (e *Engine) RemoveVolume(ctx context.Context, name string) error {
	if err := e.begin(ctx, "RemoveVolume", name); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.volumes[name]; !ok {
		return fmt.Errorf("volume %s: %w", name, engine.ErrNotFound)
	}
	for _, c := range e.containers {
		for _, m := range c.Spec.Mounts {
			if m.Type == "volume" && m.Source == name {
				return fmt.Errorf("remove %s: volume is in use - [%s]: %w", name, c.ID, engine.ErrConflict)
			}
		}
	}
	delete(e.volumes, name)
	return nil
}

func (e *Engine) ImageID(ctx context.Context, ref string) (string, error) {
	if err := e.begin(ctx, "ImageID", ref); err != nil {
		return "", err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	id, ok := e.images[ref]
	if !ok {
		return "", fmt.Errorf("image %s: %w", ref, engine.ErrNotFound)
	}
	return id, nil
}

func (e *Engine) PullImage(ctx context.Context, ref string, progress func(string)) error {
	if err := e.begin(ctx, "PullImage", ref); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	id, ok := e.pullable[ref]
	if !ok {
		//lint:ignore ST1005 the Docker daemon's own message
		return fmt.Errorf("Error response from daemon: pull access denied for %s, repository does not exist or may require 'docker login'", ref)
	}
	if progress != nil {
		progress("Pulling from " + ref)
	}
	e.images[ref] = id
	return nil
}

func (e *Engine) BuildImage(ctx context.Context, spec engine.BuildSpec, progress func(string)) (string, error) {
	name := ""
	if len(spec.Tags) > 0 {
		name = spec.Tags[0]
	}
	if err := e.begin(ctx, "BuildImage", name); err != nil {
		return "", err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	id := "sha256:built-" + strings.NewReplacer("/", "-", ":", "-").Replace(spec.ContextDir)
	for _, t := range spec.Tags {
		e.images[t] = id
	}
	if progress != nil {
		progress("Successfully built " + id)
	}
	return id, nil
}

func (e *Engine) CreateContainer(ctx context.Context, spec engine.ContainerSpec) (string, error) {
	if err := e.begin(ctx, "CreateContainer", spec.Name); err != nil {
		return "", err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if c := e.findContainer(spec.Name); c != nil && c.Name == spec.Name {
		//lint:ignore ST1005 the Docker daemon's own message
		return "", fmt.Errorf("Conflict. The container name %q is already in use by container %q: %w: %w", "/"+spec.Name, c.ID, engine.ErrNameConflict, engine.ErrConflict)
	}
	if _, ok := e.images[spec.Image]; !ok {
		found := false
		for _, id := range e.images {
			if id == spec.Image {
				found = true
			}
		}
		if !found {
			//lint:ignore ST1005 the Docker daemon's own message
			return "", fmt.Errorf("No such image: %s: %w", spec.Image, engine.ErrNotFound)
		}
	}
	endpoints := map[string]engine.Endpoint{}
	for _, a := range spec.Networks {
		n := e.findNetwork(a.Network)
		if n == nil {
			return "", fmt.Errorf("network %s not found: %w", a.Network, engine.ErrNotFound)
		}
		endpoints[n.Name] = engine.Endpoint{NetworkID: n.ID, IPv4Address: a.IPv4Address, Aliases: append([]string(nil), a.Aliases...)}
	}
	for _, m := range spec.Mounts {
		if m.Type == "volume" {
			if _, ok := e.volumes[m.Source]; !ok {
				// Docker creates a missing named volume without labels.
				e.volumes[m.Source] = &engine.Volume{Name: m.Source, Labels: map[string]string{}}
			}
		}
	}
	var ports []engine.PublishedPort
	for _, p := range spec.Ports {
		hp := p.HostPort
		if hp == 0 {
			hp = e.nextPort
			e.nextPort++
		}
		ports = append(ports, engine.PublishedPort{ContainerPort: p.ContainerPort, Protocol: p.Protocol, HostIP: p.HostIP, HostPort: hp})
	}
	id := e.newID("ctr")
	e.containers[id] = &Container{
		Container: engine.Container{ID: id, Name: spec.Name, Image: spec.Image, State: engine.StateCreated, Labels: copyMap(spec.Labels)},
		Spec:      spec,
		Files:     map[string]File{},
		Ports:     ports,
		Endpoints: endpoints,
	}
	return id, nil
}

func (e *Engine) CopyTo(ctx context.Context, id, dir string, r io.Reader) error {
	if err := e.begin(ctx, "CopyTo", e.nameOf(id)); err != nil {
		return err
	}
	files := map[string]File{}
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("read tar: %w", err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return fmt.Errorf("read tar: %w", err)
		}
		p := "/" + strings.TrimPrefix(strings.TrimPrefix(dir, "/")+"/"+strings.TrimPrefix(h.Name, "/"), "/")
		files[p] = File{Content: b, Mode: h.Mode, UID: h.Uid, GID: h.Gid}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	c := e.findContainer(id)
	if c == nil {
		return fmt.Errorf("container %s: %w", id, engine.ErrNotFound)
	}
	for k, v := range files {
		c.Files[k] = v
	}
	return nil
}

func (e *Engine) CopyFrom(ctx context.Context, id, path string) (io.ReadCloser, error) {
	if err := e.begin(ctx, "CopyFrom", e.nameOf(id)); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	c := e.findContainer(id)
	if c == nil {
		return nil, fmt.Errorf("container %s: %w", id, engine.ErrNotFound)
	}
	f, ok := c.Files[path]
	if !ok {
		return nil, fmt.Errorf("no such file %s in container %s: %w", path, c.Name, engine.ErrNotFound)
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	base := path[strings.LastIndex(path, "/")+1:]
	_ = tw.WriteHeader(&tar.Header{Name: base, Mode: f.Mode, Size: int64(len(f.Content)), Uid: f.UID, Gid: f.GID, Typeflag: tar.TypeReg})
	_, _ = tw.Write(f.Content)
	_ = tw.Close()
	return io.NopCloser(&buf), nil
}

func (e *Engine) StartContainer(ctx context.Context, id string) error {
	name := e.nameOf(id)
	if err := e.begin(ctx, "StartContainer", name); err != nil {
		return err
	}
	e.mu.Lock()
	c := e.findContainer(id)
	if c == nil {
		e.mu.Unlock()
		return fmt.Errorf("container %s: %w", id, engine.ErrNotFound)
	}
	if p, ok := e.portHeld(c); ok && e.refusePorts {
		e.mu.Unlock()
		return fmt.Errorf("driver failed programming external connectivity on endpoint %s: Bind for %s:%d failed: port is already allocated: %w", c.Name, p.HostIP, p.HostPort, engine.ErrPortTaken)
	}
	c.State = engine.StateRunning
	c.ExitCode = 0
	c.StartedAt = time.Now()
	if c.Spec.Healthcheck != nil {
		c.Health = engine.HealthStarting
	}
	e.started = append(e.started, c.Name)
	onStart := e.onStart
	e.mu.Unlock()
	if onStart != nil {
		onStart(name)
	}
	return nil
}

// RefuseTakenPorts makes StartContainer refuse, as Docker does, a
// container that publishes a host port another running container
// publishes (engine.ErrPortTaken). Off by default: many tests start
// containers of one lab twice.
func (e *Engine) RefuseTakenPorts() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.refusePorts = true
}

// portHeld finds a host port of c that another running container
// publishes; e.mu is held.
func (e *Engine) portHeld(c *Container) (engine.PublishedPort, bool) {
	for _, p := range c.Ports {
		for _, o := range e.containers {
			if o == c || o.State != engine.StateRunning {
				continue
			}
			for _, q := range o.Ports {
				if q.HostPort == p.HostPort && q.Protocol == p.Protocol {
					return p, true
				}
			}
		}
	}
	return engine.PublishedPort{}, false
}

func (e *Engine) StopContainer(ctx context.Context, id string, grace time.Duration) error {
	if err := e.begin(ctx, "StopContainer", e.nameOf(id)); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	c := e.findContainer(id)
	if c == nil {
		return fmt.Errorf("container %s: %w", id, engine.ErrNotFound)
	}
	if c.State == engine.StateRunning {
		c.State = engine.StateExited
		c.ExitCode = 137
	}
	return nil
}

func (e *Engine) RestartContainer(ctx context.Context, id string, grace time.Duration) error {
	if err := e.begin(ctx, "RestartContainer", e.nameOf(id)); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	c := e.findContainer(id)
	if c == nil {
		return fmt.Errorf("container %s: %w", id, engine.ErrNotFound)
	}
	if p, ok := e.portHeld(c); ok && e.refusePorts {
		e.mu.Unlock()
		return fmt.Errorf("driver failed programming external connectivity on endpoint %s: Bind for %s:%d failed: port is already allocated: %w", c.Name, p.HostIP, p.HostPort, engine.ErrPortTaken)
	}
	c.State = engine.StateRunning
	c.ExitCode = 0
	c.StartedAt = time.Now()
	return nil
}

func (e *Engine) RemoveContainer(ctx context.Context, id string) error {
	if err := e.begin(ctx, "RemoveContainer", e.nameOf(id)); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	c := e.findContainer(id)
	if c == nil {
		return fmt.Errorf("container %s: %w", id, engine.ErrNotFound)
	}
	delete(e.containers, c.ID)
	return nil
}

func (e *Engine) InspectContainer(ctx context.Context, id string) (engine.ContainerDetail, error) {
	if err := e.begin(ctx, "InspectContainer", e.nameOf(id)); err != nil {
		return engine.ContainerDetail{}, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	c := e.findContainer(id)
	if c == nil {
		//lint:ignore ST1005 the Docker daemon's own message
		return engine.ContainerDetail{}, fmt.Errorf("No such container: %s: %w", id, engine.ErrNotFound)
	}
	return e.detail(c), nil
}

func (e *Engine) detail(c *Container) engine.ContainerDetail {
	d := engine.ContainerDetail{
		Container: c.Container,
		ExitCode:  c.ExitCode,
		StartedAt: c.StartedAt,
		Endpoints: map[string]engine.Endpoint{},
		Ports:     append([]engine.PublishedPort(nil), c.Ports...),
	}
	d.ImageID = e.images[c.Image]
	d.Labels = copyMap(c.Labels)
	d.Networks = make([]string, 0, len(c.Endpoints))
	for k, v := range c.Endpoints {
		d.Endpoints[k] = v
		d.Networks = append(d.Networks, k)
	}
	sort.Strings(d.Networks)
	return d
}

func (e *Engine) Exec(ctx context.Context, id string, spec engine.ExecSpec) (engine.ExecResult, error) {
	if err := e.begin(ctx, "Exec", e.nameOf(id)); err != nil {
		return engine.ExecResult{}, err
	}
	e.mu.Lock()
	c := e.findContainer(id)
	if c == nil {
		e.mu.Unlock()
		return engine.ExecResult{}, fmt.Errorf("container %s: %w", id, engine.ErrNotFound)
	}
	if c.State != engine.StateRunning {
		e.mu.Unlock()
		return engine.ExecResult{}, fmt.Errorf("container %s is not running: %w", c.ID, engine.ErrConflict)
	}
	c.execCalls++
	n := c.execCalls
	fn := e.execs[c.Name]
	e.mu.Unlock()
	if fn == nil {
		return engine.ExecResult{}, nil
	}
	res, err := fn(spec.Command, n)
	// As the Docker engine does: the whole streams to the spec's writers,
	// the tail up to OutputLimit into the result.
	if spec.Stdout != nil {
		_, _ = spec.Stdout.Write(res.Stdout)
	}
	if spec.Stderr != nil {
		_, _ = spec.Stderr.Write(res.Stderr)
	}
	limit := spec.OutputLimit
	if limit <= 0 {
		limit = 64 << 10
	}
	if len(res.Stdout) > limit {
		res.Stdout, res.Truncated = res.Stdout[len(res.Stdout)-limit:], true
	}
	if len(res.Stderr) > limit {
		res.Stderr, res.Truncated = res.Stderr[len(res.Stderr)-limit:], true
	}
	return res, err
}

func (e *Engine) Top(ctx context.Context, id string) ([]engine.Process, error) {
	if err := e.begin(ctx, "Top", e.nameOf(id)); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	c := e.findContainer(id)
	if c == nil {
		return nil, fmt.Errorf("container %s: %w", id, engine.ErrNotFound)
	}
	if c.State != engine.StateRunning {
		return nil, fmt.Errorf("container %s is not running", c.ID)
	}
	return nil, nil // the fake runs no processes
}

func (e *Engine) Logs(ctx context.Context, id string, opts engine.LogOptions) (io.ReadCloser, error) {
	if err := e.begin(ctx, "Logs", e.nameOf(id)); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	c := e.findContainer(id)
	if c == nil {
		return nil, fmt.Errorf("container %s: %w", id, engine.ErrNotFound)
	}
	text := e.logs[c.Name]
	if opts.Tail != "" && opts.Tail != "all" {
		var n int
		if _, err := fmt.Sscanf(opts.Tail, "%d", &n); err == nil {
			lines := strings.SplitAfter(text, "\n")
			if len(lines) > 0 && lines[len(lines)-1] == "" {
				lines = lines[:len(lines)-1]
			}
			if len(lines) > n {
				lines = lines[len(lines)-n:]
			}
			text = strings.Join(lines, "")
		}
	}
	return io.NopCloser(strings.NewReader(text)), nil
}

// Capabilities reports every capability; published ports are on
// 127.0.0.1.
func (e *Engine) Capabilities() engine.Capabilities {
	return engine.Capabilities{HealthcheckStartInterval: true, PortHost: "127.0.0.1"}
}

func (e *Engine) Close() error { return nil }

// ---- helpers (callers hold e.mu where they touch the maps) ----

func (e *Engine) newID(kind string) string {
	e.seq++
	return fmt.Sprintf("%s%04d", kind, e.seq)
}

func (e *Engine) findContainer(nameOrID string) *Container {
	if c, ok := e.containers[nameOrID]; ok {
		return c
	}
	for _, c := range e.containers {
		if c.Name == nameOrID || c.Name == strings.TrimPrefix(nameOrID, "/") {
			return c
		}
	}
	return nil
}

func (e *Engine) findNetwork(nameOrID string) *engine.Network {
	if n, ok := e.networks[nameOrID]; ok {
		return n
	}
	for _, n := range e.networks {
		if n.Name == nameOrID {
			return n
		}
	}
	return nil
}

func (e *Engine) nameOf(id string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if c := e.findContainer(id); c != nil {
		return c.Name
	}
	return id
}

func matches(labels, match map[string]string) bool {
	for k, v := range match {
		got, ok := labels[k]
		if !ok || (v != "" && got != v) {
			return false
		}
	}
	return true
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
