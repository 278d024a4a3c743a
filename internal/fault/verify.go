package fault

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/instance"
	"github.com/proeftuin/proeftuin/internal/runner"
)

// Verdicts of VerifyFault.
const (
	VerdictOK             = "ok"
	VerdictNotHealthy     = "not healthy before" // a recovered check failed before the inject
	VerdictInjectFailed   = "inject failed"
	VerdictBreaksNothing  = "breaks nothing"           // every recovered check passed after the inject
	VerdictSolutionFailed = "solution failed"          // an action of the solution did not pass
	VerdictDoesNotRepair  = "solution does not repair" // a recovered check failed after the solution
	VerdictNoSolution     = "no solution"              // it breaks something, but has no solution block to repair it
)

// Verification is the verdict on one fault.
type Verification struct {
	ID       string `json:"id"`
	Source   string `json:"source"` // file:line of the fault block
	Category string `json:"category"`
	Verdict  string `json:"verdict"`
	// Detail says which check or action made the verdict.
	Detail     string `json:"detail,omitempty"`
	DurationMS int64  `json:"duration_ms"`
}

// VerifyFault proves that fault f breaks something and that its solution
// repairs it, on a running instance: the recovered checks pass before
// the inject, at least one fails after it (checked with timeouts capped
// at brokenTimeout: waiting for a failure to heal is pointless), and all
// pass after the solution. It records no incident. Afterwards the touched
// services are recreated from the design (as reset), so the next fault
// starts from a sound instance (Restore).
func VerifyFault(ctx context.Context, inst *instance.Instance, env *config.Environment, f *config.Fault, brokenTimeout time.Duration, up instance.UpOptions, ro runner.Options) (v Verification, err error) {
	start := time.Now()
	v = Verification{ID: f.ID, Category: f.Category, Source: fmt.Sprintf("%s:%d", f.DeclRange.Filename, f.DeclRange.Start.Line)}
	defer func() { v.DurationMS = time.Since(start).Milliseconds() }()
	checks := Recovered(env, f)
	var stopped []string
	stopped, err = inst.Stopped(ctx, env)
	if err != nil {
		return v, err
	}
	verdict, detail, err := verifySteps(ctx, inst, env, f, checks, brokenTimeout, ro)
	v.Verdict, v.Detail = verdict, detail
	if err != nil {
		return v, err
	}
	if err := Restore(ctx, inst, env, f.ID, touched(f.Inject), stopped, up); err != nil {
		return v, fmt.Errorf("restore the design after fault %s: %w", f.ID, err)
	}
	return v, nil
}

func verifySteps(ctx context.Context, inst *instance.Instance, env *config.Environment, f *config.Fault, checks []*config.Check, brokenTimeout time.Duration, ro runner.Options) (string, string, error) {
	before, err := inst.Checks(ctx, env, checks, ro)
	if err != nil {
		return "", "", err
	}
	if bad := failed(before); len(bad) > 0 {
		return VerdictNotHealthy, strings.Join(bad, ", "), nil
	}
	ro.NetworkHelper = newHelper(inst, f.ID, ro.ProbeBinary)
	if acts, err := inst.Actions(ctx, env, f.Inject, ro); err != nil {
		return "", "", err
	} else if bad := notPassed(acts); bad != "" {
		return VerdictInjectFailed, bad, nil
	}
	broken, err := inst.Checks(ctx, env, capped(checks, brokenTimeout), ro)
	if err != nil {
		return "", "", err
	}
	if len(failed(broken)) == 0 {
		return VerdictBreaksNothing, "every recovered check still passes", nil
	}
	if len(f.Solution) == 0 {
		// Without a reference repair the recovered checks would only
		// fail again, and "the solution does not repair it" would blame
		// a solution that is not there.
		return VerdictNoSolution, "add a solution block with the reference repair, so that lab verify can show the fault can be repaired", nil
	}
	if acts, err := inst.Actions(ctx, env, f.Solution, ro); err != nil {
		return "", "", err
	} else if bad := notPassed(acts); bad != "" {
		return VerdictSolutionFailed, bad, nil
	}
	after, err := inst.Checks(ctx, env, checks, ro)
	if err != nil {
		return "", "", err
	}
	if bad := failed(after); len(bad) > 0 {
		verb := " still fail"
		if len(bad) == 1 {
			verb = " still fails"
		}
		return VerdictDoesNotRepair, strings.Join(bad, ", ") + verb, nil
	}
	return VerdictOK, "", nil
}

// capped copies checks with their timeouts capped at max.
func capped(checks []*config.Check, max time.Duration) []*config.Check {
	out := make([]*config.Check, len(checks))
	for i, c := range checks {
		cc := *c
		if cc.Timeout <= 0 || cc.Timeout > max {
			cc.Timeout = max
		}
		out[i] = &cc
	}
	return out
}

// Problem is the sentence lab verify shows for a verdict other than ok.
func (v Verification) Problem() string {
	switch v.Verdict {
	case VerdictOK:
		return ""
	case VerdictBreaksNothing:
		return fmt.Sprintf("fault %s (%s) breaks nothing: every recovered check still passes after the inject", v.ID, v.Source)
	case VerdictDoesNotRepair:
		return fmt.Sprintf("fault %s (%s): the solution does not repair it: %s", v.ID, v.Source, v.Detail)
	}
	return fmt.Sprintf("fault %s (%s): %s: %s", v.ID, v.Source, v.Verdict, v.Detail)
}
