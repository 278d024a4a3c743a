// Package progress carries what long-running commands report while they
// work: one Event per change of a resource's phase. Renderers turn the
// stream into terminal lines, plain log lines or JSON events.
package progress

import "time"

// Phases of a resource.
const (
	Pulling  = "pulling"
	Pulled   = "pulled"
	Building = "building"
	Built    = "built"
	Creating = "creating"
	Created  = "created"
	Starting = "starting"
	Started  = "started"
	Waiting  = "waiting" // for readiness
	Ready    = "ready"
	Kept     = "kept" // unchanged
	Stopping = "stopping"
	Removing = "removing"
	Removed  = "removed"
	Failed   = "failed"
	Warning  = "warning"

	// Phases of plan steps and checks.
	Running     = "running"
	Retrying    = "retrying" // the next attempt waits for its delay
	Passed      = "passed"
	Skipped     = "skipped"
	Resumed     = "resumed" // passed in an earlier run that this one continues
	RollingBack = "rolling back"
	RolledBack  = "rolled back"
	Interrupted = "interrupted"
)

// Event is one change of phase.
type Event struct {
	Time     time.Time     `json:"time"`
	Kind     string        `json:"kind"` // "service" | "network" | "volume" | "image" | "instance"
	Name     string        `json:"name"`
	Phase    string        `json:"phase"`
	Duration time.Duration `json:"duration_ns,omitempty"` // time spent in the phase that just ended
	Message  string        `json:"message,omitempty"`
}

// Sink receives events; implementations must be safe for concurrent use.
type Sink interface {
	Event(Event)
}

// SinkFunc adapts a function to Sink.
type SinkFunc func(Event)

func (f SinkFunc) Event(e Event) { f(e) }

// Discard drops every event.
var Discard Sink = SinkFunc(func(Event) {})
