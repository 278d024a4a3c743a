package labs

import (
	"context"
	"fmt"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/fault"
	"github.com/proeftuin/proeftuin/internal/instance"
	"github.com/proeftuin/proeftuin/internal/runner"
)

// verifyFaults verifies every fault of the lab on the instance after the
// plan (the finished lab a student would troubleshoot): each breaks
// something and its solution repairs it.
func (v *verification) verifyFaults(ctx context.Context, env *config.Environment) error {
	start := time.Now()
	defer func() { v.res.Timings.FaultsMS = time.Since(start).Milliseconds() }()
	for _, f := range env.Faults {
		if ctx.Err() != nil {
			return nil
		}
		fv, err := fault.VerifyFault(ctx, v.inst, env, f, v.opts.beforeTimeout(),
			instance.UpOptions{WaitTimeout: v.opts.WaitTimeout, Allow: v.opts.Allow}, runner.Options{})
		v.res.Faults = append(v.res.Faults, fv)
		if err != nil {
			return fmt.Errorf("verify fault %s: %w", f.ID, err)
		}
		if p := fv.Problem(); p != "" {
			v.res.Problems = append(v.res.Problems, p)
		}
	}
	v.res.Sound = len(v.res.Problems) == 0
	return nil
}
