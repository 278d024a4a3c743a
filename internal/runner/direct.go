package runner

import (
	"context"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/report"
)

// Actions runs actions one after another outside a plan (a fault's
// inject and solution) and stops at the first that does not pass; the
// rest are Skipped. Every action runs within its own timeout.
func Actions(ctx context.Context, opts Options, actions []*config.Action) ([]report.Action, error) {
	r, err := newRun(opts, "actions")
	if err != nil {
		return nil, err
	}
	defer r.cleanup()
	out := make([]report.Action, 0, len(actions))
	failed := false
	for _, a := range actions {
		if failed {
			out = append(out, skippedAction(a))
			continue
		}
		ra := r.action(ctx, ctx, a)
		failed = ra.Status != report.Passed
		out = append(out, ra)
	}
	return out, nil
}

// Checks runs checks at once against the running instance (a fault's
// recovered checks), each within its own timeout, and returns their
// results in the order given.
func Checks(ctx context.Context, opts Options, checks []*config.Check) ([]report.Check, error) {
	r, err := newRun(opts, "checks")
	if err != nil {
		return nil, err
	}
	defer r.cleanup()
	out := make([]report.Check, len(checks))
	done := make(chan struct{}, len(checks))
	for n, c := range checks {
		go func() {
			out[n] = r.runCheck(ctx, ctx, c)
			done <- struct{}{}
		}()
	}
	for range checks {
		<-done
	}
	return out, nil
}
