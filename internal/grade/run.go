package grade

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/proeftuin/proeftuin/internal/bundle"
	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/diag"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/instance"
	"github.com/proeftuin/proeftuin/internal/policy"
	"github.com/proeftuin/proeftuin/internal/report"
	"github.com/proeftuin/proeftuin/internal/runner"
)

// downTimeout bounds removing a submission's instance, which happens
// even after a timeout or an interrupt.
const downTimeout = 2 * time.Minute

var errTimeout = errors.New("grading timeout")

// evaluate validates s, refuses what is unsafe, and only then takes a
// slot of the scheduler and grades s on the engine.
func (o *Options) evaluate(ctx context.Context, sched *scheduler, s *Submission, work string, r *Result) {
	if err := s.prepare(ctx, work); err != nil {
		r.Status, r.Reason = Invalid, err.Error()
		if errors.Is(err, bundle.ErrRefused) {
			r.Status = Refused
		}
		return
	}
	if b, err := os.ReadFile(filepath.Join(s.Dir, "notes.md")); err == nil {
		r.Notes = string(b)
	}
	cfg := o.Config
	cfg.Dir = s.Dir
	waitFrom := time.Now()
	o.loading.Lock()
	r.waited += time.Since(waitFrom)
	env, diags := config.Load(cfg)
	o.loading.Unlock()
	r.DefinitionsHash, r.PlanHash = env.Hash, planHash(env)
	if diags.HasErrors() {
		r.Status, r.Diagnostics = Invalid, render(env, diags)
		r.because("invalid")
		return
	}
	if d := refuse(env); d.HasErrors() {
		r.Status, r.Diagnostics = Refused, render(env, d)
		r.because("refused")
		return
	}
	r.Missing = missing(o.Rubric, env)
	adjust := limiter(o.Rubric.Limits)
	adjust(env)
	keys := conflictKeys(env)
	for {
		waitFrom := time.Now()
		i, release, err := sched.acquire(ctx, keys)
		r.waited += time.Since(waitFrom)
		if err != nil {
			if errors.Is(err, errNoEngine) {
				r.Status, r.Reason = Error, "no engine left to grade on: "+r.Reason
			}
			return
		}
		e := o.Engines[i]
		r.Engine = e.Name
		var failed bool
		if err := o.loadImages(ctx, e.Engine, o.imageLocks[i], s); err != nil {
			r.Status, r.Reason = Error, err.Error()
			if errors.Is(err, errImageClash) {
				r.Status = Refused
			}
			failed = r.Status == Error && ctx.Err() == nil && !answers(ctx, e.Engine)
		} else {
			failed = o.onEngine(ctx, i, e.Engine, env, &cfg, adjust, s, r)
		}
		release()
		if !failed {
			return
		}
		// The engine itself failed: grade s elsewhere, from scratch.
		sched.fail(i)
		if o.Notice != nil {
			o.Notice(fmt.Sprintf("engine %s failed (%s); its submissions move to another engine", e.Name, r.Reason))
		}
		r.reset()
	}
}

// refuse is the unsafe-settings check with nothing allowed, plus
// published ports on another address than 127.0.0.1.
func refuse(env *config.Environment) hcl.Diagnostics {
	diags := policy.Never(env)
	for _, s := range env.Services {
		for _, p := range s.Ports {
			if p.HostIP != "" && p.HostIP != "127.0.0.1" {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unsafe setting refused",
					Detail:  fmt.Sprintf("Service %q publishes port %d on %s; a graded lab publishes only on 127.0.0.1.", s.Name, p.Container, p.HostIP),
					Subject: p.DeclRange.Ptr()})
			}
		}
	}
	return diags
}

// onEngine brings s up as grade-<student> on eng, runs its plan and
// checks and the rubric's hidden checks, and always removes the
// instance. It reports whether the engine itself failed (it no longer
// answers), so that s can be graded on another one.
func (o *Options) onEngine(ctx context.Context, engineIndex int, eng engine.Engine, env *config.Environment, cfg *config.Options, adjust func(*config.Environment), s *Submission, r *Result) (failed bool) {
	sctx, cancel := ctx, context.CancelFunc(func() {})
	if o.Timeout > 0 {
		sctx, cancel = context.WithTimeoutCause(ctx, o.Timeout, errTimeout)
	}
	defer cancel()
	sctx, stopDisk := context.WithCancelCause(sctx)
	defer stopDisk(nil)
	defer func() {
		if r.Status == Error && ctx.Err() == nil {
			failed = !answers(ctx, eng)
		}
	}()
	inst, err := instance.Open(sctx, eng, "grade-"+s.Student, instance.Options{Config: cfg, Lock: true, Adjust: adjust, Command: "proeftuin grade"})
	if err != nil {
		r.Status, r.Reason = Error, err.Error()
		return false
	}
	defer inst.Close()
	defer func() {
		dctx, stop := context.WithTimeout(context.WithoutCancel(ctx), downTimeout)
		defer stop()
		if err := inst.Down(dctx, true); err != nil {
			r.Status, r.Reason = Error, "removing the instance failed: "+err.Error()
		}
	}()
	// What an earlier, crashed grade run left of this student goes first.
	if err := inst.Down(sctx, true); err != nil {
		r.Status, r.Reason = Error, err.Error()
		return false
	}
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		watchDisk(sctx, eng, o.diskMeters[engineIndex], "grade-"+s.Student, o.Rubric.Limits.DiskBytes, o.diskInterval(), stopDisk)
	}()
	o.runStudent(sctx, inst, env, s, r)
	stopDisk(nil)
	<-watched
	var de *diskError
	switch cause := context.Cause(sctx); {
	case errors.As(cause, &de):
		r.Status = Failed
		r.because("disk", de.What, fmt.Sprint(de.Bytes>>20), fmt.Sprint(de.Limit>>20))
	case errors.Is(cause, errTimeout):
		r.Status = TimedOut
		r.because("timed_out", o.Timeout.String())
	}
	return false
}

func (o *Options) diskInterval() time.Duration {
	if o.diskEvery > 0 {
		return o.diskEvery
	}
	return diskEvery
}

// answers reports whether eng still answers.
func answers(ctx context.Context, eng engine.Engine) bool {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	_, err := eng.Info(ctx)
	return err == nil
}

// runStudent runs the student's plan and acceptance checks (Run), then
// the hidden checks (Check) against the same running instance.
func (o *Options) runStudent(ctx context.Context, inst *instance.Instance, env *config.Environment, s *Submission, r *Result) {
	rr, err := inst.Run(ctx, env, instance.RunOptions{Runner: runner.Options{
		ReportDir: filepath.Join(o.Out, s.Student, "report"),
		Formats:   []string{"json", "md", "html"},
		Lang:      o.Lang,
		Author:    s.Student,
		Notes:     r.Notes,
	}})
	var ie *instance.InputError
	var ee *instance.EngineError
	switch {
	case ctx.Err() != nil:
		r.Status, r.Reason = Error, "interrupted"
		return
	case errors.As(err, &ie):
		r.Status, r.Reason = Invalid, err.Error()
		r.Diagnostics = render(ie.Env, ie.Diags)
		return
	case errors.As(err, &ee):
		r.Status, r.Reason = Error, err.Error()
		return
	case err != nil:
		r.Status = Failed
		r.because("not_up", err.Error())
		return
	}
	r.take(rr.Result)
	if len(o.Rubric.Checks) == 0 {
		return
	}
	hidden := *rr.Env
	hidden.Plan, hidden.Steps, hidden.Checks = nil, nil, nil
	for _, c := range o.Rubric.Checks {
		// A check on a service the student lacks cannot run: it earns
		// nothing (takeHidden), and the feedback says what is missing.
		if s := c.Check.Probe.Target(); s == "" || rr.Env.Service(s) != nil {
			hidden.Checks = append(hidden.Checks, c.Check)
		}
	}
	if len(hidden.Checks) == 0 {
		r.takeHidden(o.Rubric, &report.Result{})
		return
	}
	cr, err := inst.Check(ctx, &hidden, runner.Options{
		ReportDir: filepath.Join(o.Out, "_teacher", s.Student),
		Formats:   []string{"json"},
		Lang:      o.Lang,
	})
	if err != nil || cr.Result == nil {
		if ctx.Err() == nil {
			r.Status, r.Reason = Error, fmt.Sprintf("the hidden checks did not run: %v", err)
		}
		return
	}
	r.takeHidden(o.Rubric, cr.Result)
}

// render renders diagnostics as text with their source lines.
func render(env *config.Environment, diags hcl.Diagnostics) string {
	var files map[string]*hcl.File
	if env != nil {
		files = env.Files
	}
	var buf bytes.Buffer
	if err := diag.Render(&buf, files, diags, false, 100); err != nil {
		return diags.Error()
	}
	return buf.String()
}

// limiter caps every service's memory, CPUs and processes at the
// rubric's limits: the smaller of the student's and the rubric's value
// wins (a student cannot set pids).
func limiter(lim config.Limits) func(*config.Environment) {
	return func(env *config.Environment) {
		if lim.MemoryBytes == 0 && lim.CPUs == 0 && lim.Pids == 0 {
			return
		}
		for _, s := range env.Services {
			if s.Resources == nil {
				s.Resources = &config.Resources{}
			}
			res := s.Resources
			if lim.MemoryBytes > 0 && (res.MemoryBytes == 0 || res.MemoryBytes > lim.MemoryBytes) {
				res.MemoryBytes = lim.MemoryBytes
			}
			if lim.CPUs > 0 && (res.CPUs == 0 || res.CPUs > lim.CPUs) {
				res.CPUs = lim.CPUs
			}
			if lim.Pids > 0 {
				res.Pids = lim.Pids
			}
		}
	}
}

// missing lists the services and requirements the rubric requires and
// env lacks.
func missing(rub *config.Rubric, env *config.Environment) []string {
	var out []string
	for _, name := range rub.Services {
		if env.Service(name) == nil {
			out = append(out, "service "+name)
		}
	}
	for _, id := range rub.Requirements {
		if env.Requirement(id) == nil {
			out = append(out, "requirement "+id)
		}
	}
	return out
}
