// Package planner compares the desired state (the environment) with the
// actual state (what the engine holds under the instance's labels) and
// produces an ordered, explainable list of operations. It never talks to
// the engine except through Observe.
package planner

import (
	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
)

// OpKind is what an operation does.
type OpKind string

const (
	Create   OpKind = "create"
	Recreate OpKind = "recreate"
	Start    OpKind = "start"
	Remove   OpKind = "remove"
	Keep     OpKind = "keep"
	// Reapply redoes the network setup (docs/adr/0006) of a running
	// container that the engine started again since it got it: the
	// container is kept. Compute never returns it; apply finds these
	// (apply.markLost), as only an inspect and up's record tell.
	Reapply OpKind = "reapply"
)

// Causes of a Reapply operation.
const (
	NetSetupLostCause       = "network setup lost after a restart"
	NetSetupUnrecordedCause = "network setup not recorded for this container (brought up from another folder or by an older proeftuin)"
)

func (k OpKind) String() string { return string(k) }

// ResourceKind is the kind of object an operation is about.
type ResourceKind string

const (
	ResNetwork ResourceKind = "network"
	ResVolume  ResourceKind = "volume"
	ResService ResourceKind = "service"
)

func (k ResourceKind) String() string { return string(k) }

// Operation is one change (or non-change) with the cause that explains it.
type Operation struct {
	Kind     OpKind       `json:"kind"`
	Resource ResourceKind `json:"resource"`
	Name     string       `json:"name"`         // declared name (the label value), not the engine name
	Cause    string       `json:"cause"`        // e.g. "not present", "env changed", "no longer declared"
	ID       string       `json:"id,omitempty"` // engine ID of the existing object, if any
}

// String is stable (golden tests compare it): "recreate service db: env changed".
func (o Operation) String() string {
	return o.Kind.String() + " " + o.Resource.String() + " " + o.Name + ": " + o.Cause
}

// DesiredService is a service as it should run.
type DesiredService struct {
	Name      string
	Spec      engine.ContainerSpec // Labels include the instance, service and config-hash labels
	Hash      string               // config hash (also in Spec.Labels)
	Files     []*config.File
	Ready     *config.Ready
	DependsOn []string
	Service   *config.Service
}

// Desired is the whole desired state of an instance.
type Desired struct {
	Instance string
	Env      *config.Environment
	Networks []engine.NetworkSpec // Name is the engine name <instance>-<network>
	Volumes  []engine.VolumeSpec
	Services []*DesiredService
}

// Actual is what the engine holds for an instance, keyed by declared name.
type Actual struct {
	Containers map[string]engine.Container
	Networks   map[string]engine.Network
	Volumes    map[string]engine.Volume
	// Probes are probe sidecars (engine.LabelProbe) by container name. A
	// check removes its own when it ends; one found here was left by a
	// killed command, and the plan removes it.
	Probes map[string]engine.Container
}

// Plan is the ordered list of operations.
type Plan struct {
	Operations []Operation `json:"operations"`
}
