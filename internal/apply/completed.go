package apply

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
)

// defaultCompleteTimeout bounds the wait for a service another one
// depends on with condition "completed", unless its ready block or
// --wait-timeout says otherwise.
const defaultCompleteTimeout = 5 * time.Minute

// waitCompleted waits until the container id has exited, and fails unless
// it exited with code 0: the condition "completed" of depends_on. It has
// WaitReady's signature so run.service can use either.
func waitCompleted(ctx context.Context, eng engine.Engine, id string, s *config.Service, r *config.Ready, override time.Duration, secrets []string) error {
	timeout := defaultCompleteTimeout
	if r != nil && r.Timeout > 0 {
		timeout = r.Timeout
	}
	if override > 0 {
		timeout = override
	}
	name := ""
	if s != nil {
		name = s.Name
	}
	deadline := time.Now().Add(timeout)
	interval := 50 * time.Millisecond
	for {
		d, err := eng.InspectContainer(ctx, id)
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, engine.ErrNotFound):
			return &ReadyError{Service: name, Reason: "the container disappeared before it completed"}
		case err == nil && d.State.Stopped() && d.ExitCode == 0:
			return nil
		case err == nil && d.State.Stopped():
			return &ReadyError{Service: name, Reason: fmt.Sprintf("did not complete: the container exited with code %d (a service others depend on with \"completed\" must exit with 0)", d.ExitCode), Logs: tailLogs(eng, id, secrets)}
		}
		if time.Now().After(deadline) {
			return &ReadyError{Service: name, Reason: fmt.Sprintf("did not complete within %s (a service others depend on with \"completed\" must run to its end; raise ready.timeout or --wait-timeout)", timeout), Logs: tailLogs(eng, id, secrets)}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(interval):
		}
		interval = min(2*interval, time.Second)
	}
}
