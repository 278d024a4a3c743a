// Package config loads an environment folder written in the proeftuin
// language (HCL) into the typed model below. Every model value keeps the
// source range it was declared at, so later stages (planner, runner,
// report) can point a user back at the exact file:line:col.
package config

import (
	"time"

	"github.com/hashicorp/hcl/v2"
)

// Environment is one lab: its functional design (requirements), its
// technical design (networks, volumes, services), its acceptance checks and
// its implementation plan. Slices keep declaration order (files sorted by
// name, blocks in source order) so every rendering is deterministic.
type Environment struct {
	Name        string // label of the environment block; default instance name
	Title       string
	Description string
	Version     string
	DeclRange   hcl.Range

	// Dir is the absolute path of the environment folder.
	Dir string
	// Files holds every parsed file by its name relative to Dir, for
	// rendering diagnostics with their source lines.
	Files map[string]*hcl.File
	// Hash is a SHA-256 (hex) over the names and contents of all *.hcl
	// files and every file read through file functions or `source`.
	Hash string

	Variables    []*Variable
	Locals       map[string]string // name -> value rendered as HCL-ish text, for docs only
	Requirements []*Requirement
	Networks     []*Network
	Volumes      []*Volume
	Services     []*Service
	Checks       []*Check
	Plan         *Plan // nil when no plan block is declared
	Steps        []*Step
	Faults       []*Fault // troubleshooting exercises

	// Secrets holds the string form of every sensitive variable's value
	// (non-empty ones) and of every secret block. Every output path
	// redacts these.
	Secrets []string
	// SecretBlocks are the secret blocks, in declaration order.
	SecretBlocks []*Secret
}

// Variable is an input of the environment.
type Variable struct {
	Name        string
	Type        string // "string", "number", "bool", "list(string)", ... as written; "any" when omitted
	Description string
	Sensitive   bool
	// Value is the final value rendered as text (HCL literal syntax);
	// callers that print it must respect Sensitive.
	Value string
	// Source says where the final value came from: "default",
	// "environment PROEFTUIN_VAR_x", "file vars.hcl", "--var".
	Source    string
	DeclRange hcl.Range
}

// Priority is a MoSCoW priority.
type Priority string

const (
	Must   Priority = "must"
	Should Priority = "should"
	Could  Priority = "could"
	Wont   Priority = "wont"
)

// RequirementKinds are the accepted values of requirement.kind.
var RequirementKinds = []string{"functional", "non-functional", "security", "performance", "availability", "usability", "maintainability", "compliance"}

// Requirement is one line of the functional design.
type Requirement struct {
	ID          string // block label, e.g. "FR-01"
	Title       string
	Kind        string // one of RequirementKinds; default "functional"
	Priority    Priority
	Source      string
	Description string
	DeclRange   hcl.Range
}

// Network is a user-defined bridge network.
type Network struct {
	Name     string
	Internal bool
	// Subnet is a CIDR, "" for "let the engine choose", or, when AutoSubnet
	// is true, the subnet allocated for this instance (Options.Subnets) or
	// "" when none was given (validate, design).
	Subnet     string
	AutoSubnet bool
	Gateway    string
	// PointToPoint is a veth pair between two services, not an engine
	// network (decode_link.go).
	PointToPoint bool
	// Subnet6 is an IPv6 prefix: IPv6 on the bridge (decode_ipv6.go).
	Subnet6 string
	// Implicit is true for the DefaultNetwork the loader added because
	// services declare no network; it has no DeclRange.
	Implicit  bool
	DeclRange hcl.Range
}

// Volume is a named volume.
type Volume struct {
	Name      string
	DeclRange hcl.Range
}

// Service is one container of the topology.
type Service struct {
	Name string

	Image string // with Build: the name every service sharing that build uses
	Build *Build
	Pull  string // "missing" (default) | "always" | "never"

	Command     []string          // nil: image default
	Entrypoint  []string          // nil: image default
	Env         map[string]string // env_file values, then env over them
	Expose      []string          // "8080/tcp": ports for the other services (documentation)
	Secrets     []string          // secret names, placed at /run/secrets/<name> (a File each)
	WorkingDir  string
	User        string
	Hostname    string // default: the service name
	Networks    []*ServiceNetwork
	NetworkMode string // "" (bridge networks above) | "none" | "host" | "service:<name>"
	Ports       []*Port
	Mounts      []*Mount
	Files       []*File
	DependsOn   []string // service names
	// DependCondition holds the depends_on entries whose condition is not
	// "ready" (DependStarted, DependCompleted); see Service.Condition.
	DependCondition map[string]string
	Ready           *Ready // nil: ready when running
	Healthcheck     *Healthcheck
	Resources       *Resources
	Restart         string // "no" (default) | "always" | "unless-stopped" | "on-failure"
	Labels          map[string]string
	Satisfies       []string // requirement ids
	Privileged      bool
	CapAdd          []string
	Devices         []string
	Sysctls         map[string]string
	StopTimeout     *time.Duration // nil: stop at once (SIGKILL after 0 s grace)
	// NoDefaultRoute (default_route = false) removes the engine's
	// default route at start; Routes are added then (decode_routing.go).
	NoDefaultRoute bool
	Routes         []*Route

	// SensitiveEnv lists env keys whose value derives from a sensitive
	// variable; they are masked in plans, status and reports.
	SensitiveEnv []string

	DeclRange hcl.Range
	// Ranges of individual attributes, keyed by attribute name ("image",
	// "privileged", "cap_add", "network_mode", ...), for diagnostics raised
	// by later stages (e.g. unsafe settings refused by `up`).
	AttrRanges map[string]hcl.Range
}

// Build describes an image built from a Dockerfile in the environment folder.
type Build struct {
	Context    string // absolute path, inside the environment folder
	Dockerfile string // relative to Context; default "Dockerfile"
	Args       map[string]string
	Target     string
	// Hash fingerprints what the build sends (internal/buildctx): the
	// context's files that .dockerignore keeps, the Dockerfile name, args
	// and target. Built images are tagged with it.
	Hash string
	// Owner is the service whose build block this is. Services that name
	// the same image share one Build (image together with build), and
	// the image is tagged after the owner, so it is built once.
	Owner     string
	DeclRange hcl.Range
}

// ServiceNetwork attaches a service to a network.
type ServiceNetwork struct {
	Network     string // network name
	IPv4Address string // "" for dynamic
	// IPv4Unknown is true when ipv4_address is computed from an auto
	// subnet that is not allocated yet (validate, design): IPv4Address is
	// then "" and only known after up.
	IPv4Unknown bool
	Aliases     []string
	MACAddress  string // "" lets the engine choose; set at start by the network helper
	Interface   string // "" is eth<N> when the network helper runs (decode_routing.go)
	// PointToPoint: the network is a point-to-point link (Network.PointToPoint).
	PointToPoint bool
	IPv6Address  string // "" for dynamic (on a network with subnet6)
	DeclRange    hcl.Range
}

// Port publishes a container port on the host.
type Port struct {
	Host      int // 0: a free port chosen by the engine
	Container int
	Protocol  string // "tcp" (default) | "udp"
	HostIP    string // default "127.0.0.1"
	DeclRange hcl.Range
}

// Mount is exactly one of a named volume, a bind mount or a tmpfs.
type Mount struct {
	Volume    string // volume name
	Bind      string // absolute host path
	Tmpfs     bool
	Target    string
	ReadOnly  bool
	DeclRange hcl.Range
}

// File is a file placed into a service's container before it starts.
type File struct {
	Path      string // absolute path inside the container (block label)
	Content   []byte // from `content`, or the bytes of `source`
	Source    string // the absolute source path when `source` was used
	Mode      uint32 // default 0644
	Owner     string // "uid:gid" or "user"; default "0:0"
	DeclRange hcl.Range
}

// Resources limits a container.
type Resources struct {
	MemoryBytes int64   // from "256m", "1g", ...
	CPUs        float64 // e.g. 0.5
	// Pids caps the number of processes (0: no cap); the language has no
	// attribute for it: grading sets it from a rubric's limits.
	Pids int64
}

// Healthcheck is Docker's own healthcheck.
type Healthcheck struct {
	Test          []string // as Docker expects: ["CMD", ...] or ["CMD-SHELL", "..."]
	Interval      time.Duration
	Timeout       time.Duration
	Retries       int
	StartPeriod   time.Duration
	StartInterval time.Duration
	DeclRange     hcl.Range
}

// Ready says when a service counts as ready. Exactly one of the probes is
// set; Timeout defaults to 60 s.
type Ready struct {
	Exec        *ReadyExec
	HTTP        *ReadyHTTP
	Port        *ReadyPort
	Log         *ReadyLog
	Healthcheck bool // wait for Docker's health status "healthy"
	Timeout     time.Duration
	Interval    time.Duration // poll interval; default 100 ms
	DeclRange   hcl.Range
}

type ReadyExec struct {
	Command  []string
	ExitCode int
}

type ReadyHTTP struct {
	Port   int    // container port
	Path   string // default "/"
	Status int    // default 200
}

type ReadyPort struct {
	Port     int // container port
	Protocol string
}

type ReadyLog struct {
	Pattern     string // regular expression
	Occurrences int    // default 1
}

// Check is an acceptance check, a step check or a readiness-like probe.
type Check struct {
	Name      string
	Title     string
	Verifies  []string // requirement ids (acceptance checks)
	Probe     Probe
	Timeout   time.Duration // default 30 s
	DeclRange hcl.Range
}

// Probe is exactly one check kind. From is the service whose network
// namespace the probe runs in; "" means the host.
type Probe struct {
	Kind    string // "exec" | "http" | "tcp" | "dns" | "file" | "process" | "service"
	Exec    *ExecProbe
	HTTP    *HTTPProbe
	TCP     *TCPProbe
	DNS     *DNSProbe
	File    *FileProbe
	Process *ProcessProbe
	Service *ServiceProbe
}

// Target is the service a probe looks from or into; "" for the host.
func (p Probe) Target() string {
	switch {
	case p.Exec != nil:
		return p.Exec.Service
	case p.HTTP != nil:
		return p.HTTP.From
	case p.TCP != nil:
		return p.TCP.From
	case p.DNS != nil:
		return p.DNS.From
	case p.File != nil:
		return p.File.Service
	case p.Process != nil:
		return p.Process.Service
	case p.Service != nil:
		return p.Service.Service
	}
	return ""
}

// Expect holds expectations on a command's result.
type Expect struct {
	ExitCode       *int // nil: 0
	StdoutContains string
	StdoutMatches  string // regular expression
	StderrContains string
	StderrMatches  string
}

type ExecProbe struct {
	Service string
	Command []string
	User    string
	WorkDir string
	Env     map[string]string
	Expect
}

type HTTPProbe struct {
	From         string // service name or "" (host)
	URL          string
	Method       string // default GET
	Headers      map[string]string
	Body         string
	Status       int // default 200
	BodyContains string
	BodyMatches  string
	Header       map[string]string // expected response headers (contains)
	JSONPath     string            // e.g. "items.0.name"
	JSONEquals   string            // expected value at JSONPath, as text
}

type TCPProbe struct {
	From      string
	Address   string // host:port
	Reachable bool   // default true
}

type DNSProbe struct {
	From     string // required: names are resolved inside the topology
	Name     string
	Address  string // expected address; "" means "resolves at all"
	Resolves bool   // default true
}

type FileProbe struct {
	Service  string
	Path     string
	Exists   bool // default true
	Contains string
	Mode     string // octal text, e.g. "0644"
}

type ProcessProbe struct {
	Service string
	Name    string // matched against the process command line
	Running bool   // default true
}

type ServiceProbe struct {
	Service string
	State   string // "running" (default) | "healthy" | "stopped"
}

// Plan is the implementation plan's header; its steps are Environment.Steps.
type Plan struct {
	Name        string
	Title       string
	Description string
	DeclRange   hcl.Range
}

// Step is one step of the implementation plan.
type Step struct {
	ID         string
	Title      string
	Implements []string  // requirement ids
	Actions    []*Action // in source order
	Checks     []*Check
	Timeout    time.Duration // default 5 min
	Planned    time.Duration // the estimate the plan gives (planned = "10m"); 0: none
	Retry      Retry
	OnFailure  string    // "stop" (default) | "continue" | "rollback"
	Rollback   []*Action // in source order
	DeclRange  hcl.Range
}

// Retry: Attempts counts all tries (default 1: no retry).
type Retry struct {
	Attempts int
	Delay    time.Duration
}

// Action is one thing a step does. Exactly one pointer is set.
type Action struct {
	Kind    string // "exec" | "copy" | "restart" | "stop" | "start" | "wait" | "http"
	Exec    *ExecAction
	Copy    *CopyAction
	Service string // for restart / stop / start
	Wait    *WaitAction
	HTTP    *HTTPProbe
	// Fault holds the settings of a fault action (kill, chmod, ...),
	// which only a fault's inject and solution may use.
	Fault     *FaultAction  `json:",omitempty"`
	Timeout   time.Duration // default 2 min
	DeclRange hcl.Range
}

type ExecAction struct {
	Service   string
	Command   []string
	User      string
	WorkDir   string
	Env       map[string]string
	StdinFile string // absolute path inside the environment folder
	ExitCode  int    // expected; default 0
}

type CopyAction struct {
	Service string
	Source  string // absolute path (file or folder) inside the environment folder
	Target  string // absolute path in the container
	Mode    uint32 // 0: keep the source's mode
	Owner   string
}

type WaitAction struct {
	Service string
	Ready   *Ready
}

// Lookup helpers.

// SecretValues are the values to hide in output: Secrets, nil for a nil
// environment (a command on an instance without its definition).
func (e *Environment) SecretValues() []string {
	if e == nil {
		return nil
	}
	return e.Secrets
}

func (e *Environment) Service(name string) *Service {
	for _, s := range e.Services {
		if s.Name == name {
			return s
		}
	}
	return nil
}

func (e *Environment) Network(name string) *Network {
	for _, n := range e.Networks {
		if n.Name == name {
			return n
		}
	}
	return nil
}

func (e *Environment) Requirement(id string) *Requirement {
	for _, r := range e.Requirements {
		if r.ID == id {
			return r
		}
	}
	return nil
}
