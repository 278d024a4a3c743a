package runner

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/report"
)

// steps runs (or skips, or resumes) every step in plan order, appending
// each to r.res.Steps and saving the state after each one.
func (r *run) steps(ctx context.Context, earlier *State) {
	prev := map[string]report.Step{}
	var prevHashes map[string]string
	if earlier != nil && earlier.Result != nil {
		for _, s := range earlier.Result.Steps {
			prev[s.ID] = s
		}
		prevHashes = earlier.StepHashes
	}
	from := 0
	if r.opts.FromStep != "" {
		for i, s := range r.env.Steps {
			if s.ID == r.opts.FromStep {
				from = i
			}
		}
	}

	var current map[string]string // service -> container ID now, for resumed steps
	if earlier != nil {
		current = r.currentContainers(ctx)
	}
	r.stepContainers = map[string]map[string]string{}

	var passed []int        // steps that passed in this run, by index
	var stop *report.Reason // when set, every later step is skipped with this reason
	for i, s := range r.env.Steps {
		var rs report.Step
		p, hadPrev := prev[s.ID]
		switch {
		case stop != nil:
			rs = skippedStep(s, *stop)
		case r.opts.Only != "" && s.ID != r.opts.Only:
			rs = skippedStep(s, report.Reason{Code: report.ReasonNotSelected, Arg: r.opts.Only})
		case i < from:
			rs = skippedStep(s, report.Reason{Code: report.ReasonBeforeStart, Arg: r.opts.FromStep})
		case hadPrev && p.Status == report.Passed && prevHashes[s.ID] == r.hashes[s.ID] && r.replacedSince(s, earlier, current) == "":
			rs = p
			rs.Resumed = true
			r.stepContainers[s.ID] = earlier.StepContainers[s.ID]
			r.emit("step", s.ID, PhaseResumed, 0, "passed in an earlier run")
		case ctx.Err() != nil:
			rs = skippedStep(s, report.Reason{Code: report.ReasonRunInterrupted})
		default:
			if hadPrev && p.Status == report.Passed {
				if why := r.replacedSince(s, earlier, current); why != "" {
					r.emit("step", s.ID, PhaseRunning, 0, "passed in an earlier run, but "+why+": running it again")
				}
			}
			rs = r.runStep(ctx, s)
			if rs.Status == report.Passed {
				r.stepContainers[s.ID] = r.targetContainers(ctx, s)
			}
		}
		r.res.Steps = append(r.res.Steps, rs)
		switch {
		case rs.Status == report.Passed || rs.Status == report.Skipped:
			if rs.Status == report.Passed && !rs.Resumed {
				passed = append(passed, i)
			}
		case rs.Status == report.Interrupted:
			stop = &report.Reason{Code: report.ReasonRunInterrupted}
		case s.OnFailure == "continue":
			// The next step runs as if nothing happened.
		case s.OnFailure == "rollback":
			r.rollback(ctx, i, passed)
			stop = &report.Reason{Code: report.ReasonRolledBackAfter, Step: s.ID}
		default:
			stop = &report.Reason{Code: report.ReasonEarlierStepFailed, Step: s.ID}
		}
		// The state is what --resume reads; a failure to write it is
		// reported when the final state is written.
		_ = r.saveState(r.res, false)
	}
}

// stepTargets are the services whose containers a step's actions change:
// what an exec, copy, restart, stop or start did lives in that container.
func stepTargets(s *config.Step) []string {
	seen := map[string]bool{}
	var out []string
	add := func(name string) {
		if name != "" && !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	for _, a := range s.Actions {
		switch {
		case a.Exec != nil:
			add(a.Exec.Service)
		case a.Copy != nil:
			add(a.Copy.Service)
		case a.Kind == "restart" || a.Kind == "stop" || a.Kind == "start":
			add(a.Service)
		}
	}
	return out
}

// currentContainers maps each service a step of the plan targets to its
// container ID now (through the run's shared lookup, so no extra list);
// nil when the engine does not answer (then nothing is judged replaced,
// and the steps themselves will report the engine).
func (r *run) currentContainers(ctx context.Context) map[string]string {
	out := map[string]string{}
	for _, s := range r.env.Steps {
		for _, svc := range stepTargets(s) {
			if _, done := out[svc]; done {
				continue
			}
			cs, err := r.lookup.Service(ctx, svc)
			if err != nil {
				return nil
			}
			out[svc] = ""
			if len(cs) > 0 {
				out[svc] = cs[0].ID
			}
		}
	}
	return out
}

// targetContainers records the containers of a step's targets after it
// passed (see State.StepContainers).
func (r *run) targetContainers(ctx context.Context, s *config.Step) map[string]string {
	out := map[string]string{}
	for _, svc := range stepTargets(s) {
		if cs, err := r.lookup.Service(ctx, svc); err == nil && len(cs) > 0 {
			out[svc] = cs[0].ID
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// replacedSince says which container a step that passed in the earlier
// run worked in and that has been replaced (or removed) since, or "".
// Such a step is run again rather than resumed: its effects are gone.
func (r *run) replacedSince(s *config.Step, earlier *State, current map[string]string) string {
	if earlier == nil || current == nil {
		return ""
	}
	was := earlier.StepContainers[s.ID]
	for _, svc := range stepTargets(s) {
		id, ok := was[svc]
		if !ok {
			continue // not recorded (an older state)
		}
		if current[svc] != id {
			return fmt.Sprintf("the container of service %s was replaced since", svc)
		}
	}
	return ""
}

// skippedStep is a step that did not run, with its checks marked skipped
// so the requirement matrix still shows what would have verified it.
func skippedStep(s *config.Step, reason report.Reason) report.Step {
	rs := stepHeader(s)
	rs.Status = report.Skipped
	setReason(&rs.Error, &rs.Reason, reason)
	for _, c := range s.Checks {
		rs.Checks = append(rs.Checks, skippedCheck(c))
	}
	return rs
}

// setReason records a reason the runner gives: in machine-readable form,
// which reports translate, and as English text in the error field.
func setReason(text *string, field **report.Reason, reason report.Reason) {
	*field = &reason
	*text = reason.English()
}

func stepHeader(s *config.Step) report.Step {
	return report.Step{ID: s.ID, Title: s.Title, Implements: append([]string(nil), s.Implements...), PlannedMS: s.Planned.Milliseconds()}
}

// runStep runs a step's actions and checks, retrying the whole attempt as
// the step's retry block says, within the step's timeout.
func (r *run) runStep(ctx context.Context, s *config.Step) report.Step {
	rs := stepHeader(s)
	start := r.now()
	rs.Started = start
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = DefaultStepTimeout
	}
	sctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	attempts := max(1, s.Retry.Attempts)
	for a := 1; a <= attempts; a++ {
		rs.Attempts = a
		msg := s.Title
		if attempts > 1 {
			msg = fmt.Sprintf("attempt %d of %d", a, attempts)
		}
		r.emit("step", s.ID, PhaseRunning, 0, msg)
		var ok bool
		rs.Actions, rs.Checks, ok = r.attempt(ctx, sctx, s)
		if ok {
			rs.Status = report.Passed
			break
		}
		rs.Status = attemptStatus(rs.Actions)
		if ctx.Err() != nil {
			rs.Status = report.Interrupted
			setReason(&rs.Error, &rs.Reason, report.Reason{Code: report.ReasonInterrupted})
			break
		}
		if sctx.Err() != nil {
			rs.Status = report.Failed
			setReason(&rs.Error, &rs.Reason, report.Reason{Code: report.ReasonStepTimeout, Arg: timeout.String()})
			break
		}
		if a == attempts {
			break
		}
		r.emit("step", s.ID, PhaseRetrying, r.now().Sub(start), failedSummary(rs))
		if !sleep(sctx, s.Retry.Delay) {
			if ctx.Err() != nil {
				rs.Status = report.Interrupted
				setReason(&rs.Error, &rs.Reason, report.Reason{Code: report.ReasonInterruptedBeforeRetry})
			} else {
				rs.Status = report.Failed
				setReason(&rs.Error, &rs.Reason, report.Reason{Code: report.ReasonStepTimeout, Arg: timeout.String()})
			}
			break
		}
	}
	d := r.now().Sub(start)
	rs.DurationMS = d.Milliseconds()
	switch rs.Status {
	case report.Passed:
		r.emit("step", s.ID, PhasePassed, d, "")
	case report.Interrupted:
		r.emit("step", s.ID, PhaseStopped, d, "")
	default:
		r.emit("step", s.ID, PhaseFailed, d, failedSummary(rs))
	}
	return rs
}

// attempt runs the actions in order (the first that does not pass stops
// the attempt; later ones are recorded as skipped) and then, when they all
// passed, every check. ctx is the run's context (to tell an interrupt
// from a timeout), sctx the step's.
func (r *run) attempt(ctx, sctx context.Context, s *config.Step) ([]report.Action, []report.Check, bool) {
	ok := true
	actions := make([]report.Action, 0, len(s.Actions))
	for _, a := range s.Actions {
		if !ok {
			actions = append(actions, skippedAction(a))
			continue
		}
		ra := r.action(ctx, sctx, a)
		actions = append(actions, ra)
		ok = ra.Status == report.Passed
	}
	actionsOK := ok
	checks := make([]report.Check, 0, len(s.Checks))
	for _, c := range s.Checks {
		if !actionsOK || sctx.Err() != nil {
			checks = append(checks, skippedCheck(c))
			continue
		}
		rc := r.runCheck(ctx, sctx, c)
		checks = append(checks, rc)
		if rc.Status != report.Passed {
			ok = false
		}
	}
	if len(checks) == 0 {
		checks = nil
	}
	return actions, checks, ok
}

// attemptStatus is a failed attempt's status: error when an action could
// not run at all, failed otherwise.
func attemptStatus(actions []report.Action) report.Status {
	for _, a := range actions {
		if a.Status == report.Error {
			return report.Error
		}
		if a.Status == report.Failed {
			return report.Failed
		}
	}
	return report.Failed
}

// failedSummary names what did not pass, for progress lines.
func failedSummary(rs report.Step) string {
	var parts []string
	for i, a := range rs.Actions {
		if a.Status == report.Failed || a.Status == report.Error {
			msg := a.Error
			if msg == "" && a.ExitCode != nil {
				msg = fmt.Sprintf("exit code %d", *a.ExitCode)
			}
			parts = append(parts, fmt.Sprintf("action %d (%s): %s", i+1, a.Kind, firstLine(msg)))
		}
	}
	for _, c := range rs.Checks {
		if c.Status == report.Failed || c.Status == report.Error {
			parts = append(parts, fmt.Sprintf("check %s: %s", c.Name, firstLine(c.Actual)))
		}
	}
	if rs.Error != "" {
		parts = append(parts, rs.Error)
	}
	return strings.Join(parts, "; ")
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + " …"
	}
	return s
}

// sleep waits d or until ctx ends; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// rollback runs the rollback actions of the failed step (index failed)
// and then those of the steps that passed in this run, newest first. A
// step whose rollback ran gets status rolled_back; a passed step without
// rollback actions keeps its status (there is nothing to undo).
func (r *run) rollback(ctx context.Context, failed int, passed []int) {
	order := []int{failed}
	for i := len(passed) - 1; i >= 0; i-- {
		order = append(order, passed[i])
	}
	for _, idx := range order {
		s := r.env.Steps[idx]
		rs := &r.res.Steps[idx]
		if len(s.Rollback) == 0 {
			if idx == failed {
				rs.Status = report.RolledBack
				rs.RollbackStatus = report.Passed
			}
			continue
		}
		start := r.now()
		r.emit("step", s.ID, PhaseRollback, 0, "")
		status := report.Passed
		rs.Rollback = nil
		for _, a := range s.Rollback {
			// Rollback actions are independent undo operations: all of
			// them are tried, also after one failed.
			ra := r.action(ctx, ctx, a)
			rs.Rollback = append(rs.Rollback, ra)
			switch {
			case ra.Status == report.Interrupted:
				status = report.Interrupted
			case ra.Status != report.Passed && status == report.Passed:
				status = report.Failed
			}
		}
		rs.Status = report.RolledBack
		rs.RollbackStatus = status
		phase := PhaseRolledBack
		if status != report.Passed {
			phase = PhaseFailed
		}
		r.emit("step", s.ID, phase, r.now().Sub(start), "rollback "+string(status))
	}
}
