package engine

// ContainerState is a container's lifecycle state as the engine reports it.
type ContainerState string

const (
	StateCreated    ContainerState = "created"
	StateRunning    ContainerState = "running"
	StatePaused     ContainerState = "paused"
	StateRestarting ContainerState = "restarting"
	StateRemoving   ContainerState = "removing"
	StateExited     ContainerState = "exited"
	StateDead       ContainerState = "dead"
)

func (s ContainerState) String() string { return string(s) }

// Running reports whether the container is running.
func (s ContainerState) Running() bool { return s == StateRunning }

// Stopped reports whether the container has ended (exited or dead): it
// cannot become ready without being started again.
func (s ContainerState) Stopped() bool { return s == StateExited || s == StateDead }

// Alive reports whether the container holds (or is about to hold) a
// process: running, restarting or paused.
func (s ContainerState) Alive() bool {
	return s == StateRunning || s == StateRestarting || s == StatePaused
}

// Health is a container healthcheck's verdict; HealthNone when the
// container has no healthcheck.
type Health string

const (
	HealthNone      Health = ""
	HealthStarting  Health = "starting"
	HealthHealthy   Health = "healthy"
	HealthUnhealthy Health = "unhealthy"
)

func (h Health) String() string { return string(h) }
