// Package engine is the narrow interface proeftuin needs from a container
// engine. The Docker implementation lives in engine/docker; engine/fake is
// an in-memory implementation for unit tests of planning and applying.
//
// The engine's labels are the source of truth: callers find what exists by
// label filter, never by remembering.
package engine

import (
	"context"
	"errors"
	"io"
	"time"
)

// Label keys put on everything proeftuin creates.
const (
	LabelInstance   = "proeftuin.instance"
	LabelService    = "proeftuin.service"
	LabelNetwork    = "proeftuin.network"
	LabelVolume     = "proeftuin.volume"
	LabelConfigHash = "proeftuin.config-hash"
	LabelVersion    = "proeftuin.version"
	LabelEnv        = "proeftuin.environment"
	LabelSubnet     = "proeftuin.subnet" // "auto" when the subnet was allocated by proeftuin
	// LabelProbe marks a probe sidecar (internal/check); its value is the
	// service whose network namespace the sidecar shares. Sidecars also
	// carry LabelInstance (so `down` removes them) but never LabelService,
	// so they are not mistaken for services; planners should ignore them.
	LabelProbe = "proeftuin.probe"
)

// Capabilities says what the connected engine can do and where its
// published ports are reached. Callers use it to warn about settings the
// engine cannot honour and to probe published ports from the host.
type Capabilities struct {
	// HealthcheckStartInterval: a healthcheck's start_interval is
	// honoured (Docker from API 1.44 on).
	HealthcheckStartInterval bool
	// PortHost is the host on which published ports are reached:
	// 127.0.0.1 for a local engine, the engine host's name for a remote
	// one.
	PortHost string
}

// ErrNotFound is returned (wrapped) when an object does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned (wrapped) when a name is already in use.
var ErrConflict = errors.New("conflict")

// ErrAmbiguous is returned (wrapped) when a name the engine resolves
// matches more than one object, such as two networks of the same name.
var ErrAmbiguous = errors.New("ambiguous name")

// ErrSubnetTaken is returned (wrapped) when a network's subnet overlaps
// one the engine already holds.
var ErrSubnetTaken = errors.New("subnet overlaps another network")

// ErrNameConflict is returned (wrapped, together with ErrConflict) when
// a container or network cannot be created because another object has its
// name.
var ErrNameConflict = errors.New("name in use")

// ErrPortTaken is returned (wrapped) when a container cannot start because
// a host port it publishes is held by another container or process.
var ErrPortTaken = errors.New("host port taken")

// ErrRemovalInProgress is returned (wrapped) when another request is
// already removing the object.
var ErrRemovalInProgress = errors.New("removal already in progress")

// Engine is everything proeftuin asks of a container engine.
type Engine interface {
	// Info reports the engine's identity; it fails when the engine does
	// not answer.
	Info(ctx context.Context) (Info, error)
	// Capabilities says what the connected engine can do; it makes no
	// call to the engine.
	Capabilities() Capabilities

	// Containers lists containers (running or not) whose labels include
	// every key=value of match. An empty value matches any value of the key.
	Containers(ctx context.Context, match map[string]string) ([]Container, error)
	// Networks lists networks whose labels include match; nil lists all
	// networks of the engine (used to find free subnets).
	Networks(ctx context.Context, match map[string]string) ([]Network, error)
	// Volumes lists volumes whose labels include match.
	Volumes(ctx context.Context, match map[string]string) ([]Volume, error)

	// CreateNetwork creates a bridge network and returns its ID.
	CreateNetwork(ctx context.Context, spec NetworkSpec) (string, error)
	// RemoveNetwork removes a network by ID or name; ErrNotFound if absent.
	RemoveNetwork(ctx context.Context, id string) error
	// CreateVolume creates a named volume.
	CreateVolume(ctx context.Context, spec VolumeSpec) error
	// RemoveVolume removes a volume by name; ErrNotFound if absent.
	RemoveVolume(ctx context.Context, name string) error

	// ImageID returns the local image ID of ref, or ErrNotFound.
	ImageID(ctx context.Context, ref string) (string, error)
	// PullImage pulls ref, reporting progress lines to progress (may be nil).
	PullImage(ctx context.Context, ref string, progress func(string)) error
	// BuildImage builds an image from a context folder and returns its ID.
	BuildImage(ctx context.Context, spec BuildSpec, progress func(string)) (string, error)
	// SaveImages streams refs (with their tags and every layer) as one
	// tar archive in the format of `docker save`; the caller closes it.
	SaveImages(ctx context.Context, refs []string) (io.ReadCloser, error)
	// LoadImages loads a `docker save` archive into the engine, reporting
	// progress lines (e.g. "Loaded image: busybox:1") to progress (may
	// be nil).
	LoadImages(ctx context.Context, r io.Reader, progress func(string)) error

	// CreateContainer creates (not starts) a container attached to all of
	// spec.Networks and returns its ID. A name already in use gives
	// ErrConflict.
	CreateContainer(ctx context.Context, spec ContainerSpec) (string, error)
	// CopyTo extracts a tar stream into dir inside the container.
	CopyTo(ctx context.Context, id, dir string, tar io.Reader) error
	// CopyFrom returns a tar stream of path inside the container.
	CopyFrom(ctx context.Context, id, path string) (io.ReadCloser, error)
	StartContainer(ctx context.Context, id string) error
	// StopContainer stops a container, sending SIGKILL after grace.
	StopContainer(ctx context.Context, id string, grace time.Duration) error
	RestartContainer(ctx context.Context, id string, grace time.Duration) error
	// RemoveContainer force-removes a container and its anonymous volumes;
	// ErrNotFound if absent.
	RemoveContainer(ctx context.Context, id string) error
	// InspectContainer returns a container's current details.
	InspectContainer(ctx context.Context, id string) (ContainerDetail, error)
	// Exec runs a command in a running container and waits for it.
	Exec(ctx context.Context, id string, spec ExecSpec) (ExecResult, error)
	// Top lists the processes running in a container, like `docker top`:
	// the engine reads them, so the container needs no ps, shell or /proc
	// access of its own.
	Top(ctx context.Context, id string) ([]Process, error)
	// Logs streams a container's combined output (demultiplexed).
	Logs(ctx context.Context, id string, opts LogOptions) (io.ReadCloser, error)
	Close() error
}

// DiskMeter is an engine that can tell how much disk what it holds
// uses. Not every engine can; callers check with a type assertion.
type DiskMeter interface {
	// DiskUsage reports the bytes held by each volume whose labels
	// include match and by the writable layer of each such container.
	// The engine measures; nothing runs in the containers. Docker
	// refuses a second measurement while one runs: share one.
	DiskUsage(ctx context.Context, match map[string]string) ([]DiskUse, error)
}

// DiskUse is the disk one volume or container's writable layer uses.
type DiskUse struct {
	Kind   string // "volume" | "container"
	Name   string
	Labels map[string]string
	Bytes  int64
}

// Info describes the engine.
type Info struct {
	ServerVersion string
	APIVersion    string // negotiated
	OS            string
	Arch          string
	StorageDriver string
	Host          string // the daemon address, e.g. unix:///var/run/docker.sock
	ID            string // the engine's own ID, the same whatever address reaches it; "" when unknown
}

// Container is a summary from a list call.
type Container struct {
	ID    string
	Name  string // without leading slash
	Image string
	// ImageID is the ID of the image the container was created from.
	ImageID string
	State   ContainerState
	Health  Health
	Labels  map[string]string
	// Networks names the networks the container is attached to, sorted;
	// nil when the listing does not say (then nothing is concluded).
	Networks []string
}

// ContainerDetail is the subset of inspect proeftuin uses: the summary
// of a list call and what only an inspect tells.
type ContainerDetail struct {
	Container
	ExitCode  int
	StartedAt time.Time
	// Endpoints are the container's network attachments by network
	// name; Container.Networks lists the same names.
	Endpoints map[string]Endpoint
	Ports     []PublishedPort
}

// Endpoint is a container's attachment to a network.
type Endpoint struct {
	NetworkID   string
	IPv4Address string
	Aliases     []string
}

// PublishedPort is a container port bound on the host.
type PublishedPort struct {
	ContainerPort int
	Protocol      string
	HostIP        string
	HostPort      int
}

// Network is a network summary.
type Network struct {
	ID       string
	Name     string
	Internal bool
	Subnets  []string
	Labels   map[string]string
}

// Volume is a volume summary.
type Volume struct {
	Name   string
	Labels map[string]string
}

// NetworkSpec describes a network to create.
type NetworkSpec struct {
	Name     string
	Internal bool
	Subnet   string // "" lets the engine choose
	Gateway  string
	Subnet6  string // "": no IPv6
	Labels   map[string]string
}

// VolumeSpec describes a volume to create.
type VolumeSpec struct {
	Name   string
	Labels map[string]string
}

// BuildSpec describes an image build.
type BuildSpec struct {
	ContextDir string // honoured .dockerignore
	Dockerfile string // relative to ContextDir
	Args       map[string]string
	Target     string
	Tags       []string
	Labels     map[string]string
}

// ContainerSpec describes a container to create.
type ContainerSpec struct {
	Name        string
	Image       string
	Command     []string
	Entrypoint  []string
	Env         []string // KEY=value
	WorkingDir  string
	User        string
	Hostname    string
	Labels      map[string]string
	Networks    []NetworkAttachment // first one is the primary
	NetworkMode string              // "" | "none" | "host" | "container:<id>"
	// PidMode "container:<id>" shares that container's process namespace
	// (the network helper that makes a point-to-point link).
	PidMode     string
	Ports       []PortBinding
	Mounts      []MountSpec
	Healthcheck *HealthcheckSpec
	MemoryBytes int64
	NanoCPUs    int64
	PidsLimit   int64 // 0: no limit
	Restart     string
	Privileged  bool
	CapAdd      []string
	Devices     []string
	Sysctls     map[string]string
	StopTimeout *int // seconds
}

// NetworkAttachment connects a container to a network at create time.
type NetworkAttachment struct {
	Network     string // name or ID
	IPv4Address string
	Aliases     []string
	// IPv6Address is omitted from the config hash when empty, so
	// containers made before it existed keep their hash.
	IPv6Address string `json:",omitempty"`
}

// PortBinding publishes a container port.
type PortBinding struct {
	ContainerPort int
	Protocol      string
	HostIP        string
	HostPort      int // 0: engine chooses
}

// MountSpec is a volume, bind or tmpfs mount.
type MountSpec struct {
	Type     string // "volume" | "bind" | "tmpfs"
	Source   string
	Target   string
	ReadOnly bool
}

// HealthcheckSpec is Docker's healthcheck.
type HealthcheckSpec struct {
	Test          []string
	Interval      time.Duration
	Timeout       time.Duration
	Retries       int
	StartPeriod   time.Duration
	StartInterval time.Duration
}

// ExecSpec describes a command to run in a container.
type ExecSpec struct {
	Command []string
	User    string
	WorkDir string
	Env     []string
	Stdin   io.Reader
	// OutputLimit caps captured stdout and stderr each (the tail is kept);
	// 0 means 64 KiB.
	OutputLimit int
	// Stdout and Stderr, when set, also receive the whole of each stream
	// as it comes, uncapped: a check matches over all of the output while
	// only what is stored is capped.
	Stdout io.Writer
	Stderr io.Writer
}

// ExecResult is the outcome of an exec.
type ExecResult struct {
	ExitCode int
	Stdout   []byte
	Stderr   []byte
	// Truncated reports that output beyond OutputLimit was dropped.
	Truncated bool
}

// LogOptions selects log output.
type LogOptions struct {
	Follow bool
	Tail   string // "all" or a number
}

// Process is one process of a container, from Top.
type Process struct {
	PID     int
	User    string
	Command string // the full command line as ps shows it
}
