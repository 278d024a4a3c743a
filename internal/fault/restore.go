package fault

import (
	"context"
	"fmt"
	"os"
	"slices"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/instance"
	"github.com/proeftuin/proeftuin/internal/report"
	"github.com/proeftuin/proeftuin/internal/runner"
)

// Restore brings the services a fault touched back to the finished lab:
// their containers (and the fault's helper sidecars) are recreated from
// the design, and the plan's steps that act on them run again, each on
// its own, so what the plan put into them is back. A lab without a plan
// is restored by the recreate alone. stopped are the services that were
// stopped before the fault (a plan may stop one on purpose): up starts
// them, so the steps run again in the state the plan had for them, and
// afterwards they are stopped again.
func Restore(ctx context.Context, inst *instance.Instance, env *config.Environment, faultID string, services, stopped []string, up instance.UpOptions) error {
	res, err := inst.Recreate(ctx, env, services, map[string]string{LabelFault: faultID}, up)
	if err != nil {
		return err
	}
	env = res.Env
	if err := rerunSteps(ctx, inst, env, services); err != nil {
		return err
	}
	if len(stopped) == 0 {
		return nil
	}
	stop := make([]*config.Action, 0, len(stopped))
	for _, s := range stopped {
		stop = append(stop, &config.Action{Kind: "stop", Service: s})
	}
	acts, err := inst.Actions(ctx, env, stop, runner.Options{})
	if bad := notPassed(acts); err == nil && bad != "" {
		err = fmt.Errorf("stop again what was stopped before the fault: %s", bad)
	}
	return err
}

// rerunSteps runs the plan's steps that act on services again, each on
// its own.
func rerunSteps(ctx context.Context, inst *instance.Instance, env *config.Environment, services []string) error {
	dir, err := os.MkdirTemp("", "proeftuin-restore-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	for _, s := range env.Steps {
		if !actsOn(s, services) {
			continue
		}
		ran, err := inst.RunPlan(ctx, env, runner.Options{Only: s.ID, SkipAcceptance: true, ReportDir: dir})
		if err != nil {
			return fmt.Errorf("run step %s again: %w", s.ID, err)
		}
		if ran.Result.Status != report.Passed {
			return fmt.Errorf("run step %s again: it %s", s.ID, ran.Result.Status)
		}
	}
	return nil
}

// actsOn says whether step s acts on one of services (an http action
// from a service counts: a reload over its loopback).
func actsOn(s *config.Step, services []string) bool {
	for _, t := range touched(s.Actions) {
		if slices.Contains(services, t) {
			return true
		}
	}
	for _, a := range s.Actions {
		if a.HTTP != nil && slices.Contains(services, a.HTTP.From) {
			return true
		}
	}
	return false
}
