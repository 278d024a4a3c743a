// Package labs holds the teacher's side of the lab catalogue: verifying
// that a lab is sound (Verify), listing the labs embedded in the binary
// (Catalogue) and copying a lab, or a starter, into a new folder (Init).
//
// A lab is sound when its acceptance checks mean something: on a fresh
// instance, the checks of the requirements the plan implements fail before
// the plan runs, the plan passes, and afterwards every check passes. A
// check that already passes before the plan "tests nothing".
package labs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/fault"
	"github.com/proeftuin/proeftuin/internal/instance"
	"github.com/proeftuin/proeftuin/internal/report"
	"github.com/proeftuin/proeftuin/internal/runner"
)

// DefaultBeforeTimeout caps the timeout of every acceptance check in the
// run before the plan. Before the plan nothing changes, so a check that
// has not passed within this time will not pass later; waiting out the
// full timeout of every failing check would only make verify slow.
const DefaultBeforeTimeout = 10 * time.Second

// downTimeout bounds removing the instance at the end, also after an
// interrupt (with a context of its own).
const downTimeout = 2 * time.Minute

// VerifyOptions configure Verify.
type VerifyOptions struct {
	// Env is the lab as loaded without subnets (validate's view).
	Env *config.Environment
	// BeforeTimeout caps check timeouts before the plan; 0 means
	// DefaultBeforeTimeout.
	BeforeTimeout time.Duration
	// ReportDir receives the plan's run (state and reports); "" uses a
	// temporary folder that is removed afterwards.
	ReportDir string
	// Formats are the report formats written to ReportDir (none given:
	// json, md, html and junit, as run writes).
	Formats []string
	Lang    string
	// Allow, WaitTimeout: as for up.
	Allow       []string
	WaitTimeout time.Duration
	Parallel    int
	// Pull overrides every service's pull policy, as up's --pull does.
	Pull string
	// Keep leaves the instance running at the end (to investigate).
	Keep bool
}

// Check verdicts.
const (
	VerdictOK           = "ok"            // behaved as a check of its kind should
	VerdictTestsNothing = "tests nothing" // implemented by the plan, yet passed before it
	VerdictFailsAfter   = "fails after"   // did not pass after the plan
	VerdictNotRun       = "not run"       // the verification stopped before it ran
)

// CheckResult is the verdict on one acceptance check.
type CheckResult struct {
	Name     string   `json:"name"`
	Title    string   `json:"title,omitempty"`
	Source   string   `json:"source"` // file:line of the check block
	Verifies []string `json:"verifies"`
	// Implemented: the check verifies a requirement the plan implements,
	// so it must fail before the plan.
	Implemented  bool          `json:"implemented_by_plan"`
	Before       report.Status `json:"before"`
	After        report.Status `json:"after"`
	BeforeActual string        `json:"before_actual,omitempty"`
	AfterActual  string        `json:"after_actual,omitempty"`
	Verdict      string        `json:"verdict"`
}

// Phase timings, in milliseconds.
type Timings struct {
	UpMS     int64 `json:"up_ms"`
	BeforeMS int64 `json:"before_ms"`
	PlanMS   int64 `json:"plan_ms"`
	AfterMS  int64 `json:"after_ms"`
	FaultsMS int64 `json:"faults_ms,omitempty"`
	DownMS   int64 `json:"down_ms"`
	TotalMS  int64 `json:"total_ms"`
}

// StepResult is one step of the plan's run.
type StepResult struct {
	ID     string        `json:"id"`
	Title  string        `json:"title,omitempty"`
	Status report.Status `json:"status"`
	Error  string        `json:"error,omitempty"`
}

// Result is the outcome of Verify.
type Result struct {
	Lab      string        `json:"lab"`
	Title    string        `json:"title,omitempty"`
	Dir      string        `json:"dir"`
	Instance string        `json:"instance"`
	Sound    bool          `json:"sound"`
	Plan     report.Status `json:"plan"`
	Steps    []StepResult  `json:"steps"`
	Checks   []CheckResult `json:"checks"`
	// Faults are the verdicts on the lab's fault blocks.
	Faults []fault.Verification `json:"faults,omitempty"`
	// Problems are the reasons the lab is not sound, one sentence each.
	Problems []string `json:"problems,omitempty"`
	// Warnings do not make the lab unsound.
	Warnings []string `json:"warnings,omitempty"`
	Timings  Timings  `json:"timings"`
	// Removed says the instance was removed at the end.
	Removed bool `json:"removed"`
}

// NewInstanceName returns <lab>-verify-<6 hex digits>.
func NewInstanceName(lab string) string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	return lab + "-verify-" + hex.EncodeToString(b[:])
}

// Implemented returns the requirement ids some step implements.
func Implemented(env *config.Environment) map[string]bool {
	out := map[string]bool{}
	for _, s := range env.Steps {
		for _, id := range s.Implements {
			out[id] = true
		}
	}
	return out
}

// Lint finds what makes a lab unsound without running it: no plan, no
// acceptance checks, a requirement the plan implements that no acceptance
// check verifies, a must requirement without a check.
func Lint(env *config.Environment) (problems, warnings []string) {
	if env.Plan == nil || len(env.Steps) == 0 {
		problems = append(problems, "the lab has no plan (plan and step blocks): there is nothing to verify")
	}
	if len(env.Checks) == 0 {
		problems = append(problems, "the lab has no acceptance checks (check blocks with verifies)")
	}
	verified := map[string]bool{}
	for _, c := range env.Checks {
		for _, id := range c.Verifies {
			verified[id] = true
		}
	}
	impl := Implemented(env)
	for _, r := range env.Requirements {
		switch {
		case impl[r.ID] && !verified[r.ID]:
			problems = append(problems, fmt.Sprintf("requirement %s is implemented by the plan but no acceptance check verifies it", r.ID))
		case r.Priority == config.Must && !verified[r.ID]:
			problems = append(problems, fmt.Sprintf("must requirement %s has no acceptance check", r.ID))
		}
	}
	return problems, warnings
}

// Verify brings a fresh instance of the lab up (inst, opened with the
// lab's definition; see NewInstanceName), runs the acceptance checks
// before the plan, runs the plan, runs the checks again and removes the
// instance (always, unless Keep). The error is for failures that kept the
// verification from finishing (the engine, up); the Result is returned
// whenever the instance was started, with Sound false on any problem.
func Verify(ctx context.Context, inst *instance.Instance, opts VerifyOptions) (*Result, error) {
	env := opts.Env
	if inst == nil || env == nil {
		return nil, errors.New("labs: Verify needs an instance and an environment")
	}
	start := time.Now()
	res := &Result{Lab: env.Name, Title: env.Title, Dir: env.Dir, Instance: inst.Name()}
	res.Problems, res.Warnings = Lint(env)
	if env.Plan == nil || len(env.Steps) == 0 || len(env.Checks) == 0 {
		res.Timings.TotalMS = time.Since(start).Milliseconds()
		return res, nil
	}
	// Never take over (and then remove) an instance that exists: a
	// student's own environment must survive a teacher's verify.
	if n, err := inst.Objects(ctx); err != nil {
		return nil, err
	} else if n > 0 {
		return nil, &ExistsError{Instance: res.Instance, Objects: n}
	}
	reportDir := opts.ReportDir
	if reportDir != "" {
		abs, err := filepath.Abs(reportDir)
		if err != nil {
			return nil, err
		}
		reportDir = abs
		if len(opts.Formats) == 0 {
			opts.Formats = []string{"json", "md", "html", "junit"}
		}
	} else {
		tmp, err := os.MkdirTemp("", "proeftuin-verify-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(tmp)
		reportDir = tmp
	}

	// Always remove the instance, also after a failure or an interrupt.
	defer func() {
		if opts.Keep {
			res.Timings.TotalMS = time.Since(start).Milliseconds()
			return
		}
		t := time.Now()
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), downTimeout)
		defer cancel()
		if err := inst.Down(dctx, true); err != nil {
			res.Problems = append(res.Problems, fmt.Sprintf("removing instance %s: %v (run 'proeftuin --name %s down --volumes')", res.Instance, err, res.Instance))
			res.Sound = false
		} else {
			res.Removed = true
		}
		res.Timings.DownMS = time.Since(t).Milliseconds()
		res.Timings.TotalMS = time.Since(start).Milliseconds()
	}()

	v := &verification{inst: inst, opts: opts, res: res, reportDir: reportDir}
	return v.run(ctx, env)
}

// verification is one Verify once the instance is known to be fresh.
type verification struct {
	inst      *instance.Instance
	opts      VerifyOptions
	res       *Result
	reportDir string
}

// run brings the instance up, runs the checks before the plan, the plan
// and the checks after it, and judges them.
func (v *verification) run(ctx context.Context, env *config.Environment) (*Result, error) {
	res, opts := v.res, v.opts
	// 1. A fresh instance.
	t := time.Now()
	up, err := v.inst.Up(ctx, env, instance.UpOptions{WaitTimeout: opts.WaitTimeout, Allow: opts.Allow, Pull: opts.Pull})
	res.Timings.UpMS = time.Since(t).Milliseconds()
	if err != nil {
		return res, fmt.Errorf("bring up instance %s: %w", res.Instance, err)
	}
	env = up.Env

	// 2. The acceptance checks before the plan, with short timeouts.
	t = time.Now()
	before, err := v.inst.Check(ctx, capTimeouts(env, opts.beforeTimeout()), runner.Options{
		Parallel: opts.parallel(),
		// Nothing is written: no formats, and a check keeps no state.
		ReportDir: v.reportDir,
	})
	res.Timings.BeforeMS = time.Since(t).Milliseconds()
	if err == nil {
		err = before.FilesErr
	}
	if err != nil {
		return res, fmt.Errorf("checks before the plan: %w", err)
	}

	// 3. The plan, and 4. the acceptance checks after it.
	after, err := v.plan(ctx, env)
	if err != nil {
		return res, err
	}
	v.judge(ctx, env, before.Result, after)
	return res, v.verifyFaults(ctx, env)
}

// plan runs the plan and returns the acceptance checks after it.
// runner.Run ends with the acceptance checks (with their own timeouts):
// that is the run after the plan, and its report is the evaluation a
// student would hand in. When the runner left them out, they run on
// their own.
func (v *verification) plan(ctx context.Context, env *config.Environment) (*report.Result, error) {
	res, opts := v.res, v.opts
	t := time.Now()
	ran, err := v.inst.RunPlan(ctx, env, runner.Options{
		ReportDir: v.reportDir,
		Formats:   opts.Formats,
		Lang:      opts.Lang,
		Parallel:  opts.parallel(),
	})
	elapsed := time.Since(t)
	if err != nil {
		res.Timings.PlanMS = elapsed.Milliseconds()
		return nil, fmt.Errorf("run the plan: %w", err)
	}
	run := ran.Result
	if ran.FilesErr != nil {
		res.Warnings = append(res.Warnings, fmt.Sprintf("the plan's report files: %v", ran.FilesErr))
	}
	res.Plan = report.Passed
	var stepsMS int64
	for _, s := range run.Steps {
		res.Steps = append(res.Steps, StepResult{ID: s.ID, Title: s.Title, Status: s.Status, Error: stepError(s)})
		stepsMS += s.DurationMS
		switch {
		case s.Status == report.Interrupted:
			res.Plan = report.Interrupted
		case s.Status != report.Passed && res.Plan == report.Passed:
			res.Plan = report.Failed
		}
	}
	if res.Plan != report.Passed {
		res.Problems = append(res.Problems, fmt.Sprintf("the plan did not pass (%s)", res.Plan))
	}
	res.Timings.PlanMS = min(stepsMS, elapsed.Milliseconds())
	res.Timings.AfterMS = elapsed.Milliseconds() - res.Timings.PlanMS
	if len(run.Acceptance) > 0 || ctx.Err() != nil {
		return run, nil
	}
	t = time.Now()
	checked, err := v.inst.Check(ctx, env, runner.Options{Parallel: opts.parallel(), ReportDir: v.reportDir})
	res.Timings.AfterMS = time.Since(t).Milliseconds()
	if err != nil {
		return nil, fmt.Errorf("checks after the plan: %w", err)
	}
	return checked.Result, nil
}

// judge gives every check its verdict and the lab its soundness.
func (v *verification) judge(ctx context.Context, env *config.Environment, before, after *report.Result) {
	res := v.res
	impl := Implemented(env)
	res.Checks = judge(env, impl, before, after)
	for _, c := range res.Checks {
		switch c.Verdict {
		case VerdictTestsNothing:
			res.Problems = append(res.Problems, fmt.Sprintf("check %s (%s) tests nothing: it passed before the plan although it verifies %s, which the plan implements", c.Name, c.Source, joinImplemented(c.Verifies, impl)))
		case VerdictFailsAfter:
			res.Problems = append(res.Problems, fmt.Sprintf("check %s (%s) did not pass after the plan: %s", c.Name, c.Source, firstLine(c.AfterActual)))
		case VerdictNotRun:
			res.Problems = append(res.Problems, fmt.Sprintf("check %s (%s) did not run", c.Name, c.Source))
		}
	}
	if ctx.Err() != nil {
		res.Problems = append(res.Problems, "the verification was interrupted")
	}
	res.Sound = len(res.Problems) == 0
}

func (o VerifyOptions) beforeTimeout() time.Duration {
	if o.BeforeTimeout > 0 {
		return o.BeforeTimeout
	}
	return DefaultBeforeTimeout
}

func (o VerifyOptions) parallel() int {
	if o.Parallel > 0 {
		return o.Parallel
	}
	return runner.DefaultParallel
}

// capTimeouts returns a shallow copy of env whose acceptance checks time
// out after at most max.
func capTimeouts(env *config.Environment, max time.Duration) *config.Environment {
	cp := *env
	cp.Checks = make([]*config.Check, len(env.Checks))
	for i, c := range env.Checks {
		cc := *c
		if cc.Timeout <= 0 || cc.Timeout > max {
			cc.Timeout = max
		}
		cp.Checks[i] = &cc
	}
	return &cp
}

// judge pairs the checks before and after the plan and gives each its
// verdict.
func judge(env *config.Environment, impl map[string]bool, before, after *report.Result) []CheckResult {
	byName := func(r *report.Result) map[string]report.Check {
		m := map[string]report.Check{}
		if r != nil {
			for _, c := range r.Acceptance {
				m[c.Name] = c
			}
		}
		return m
	}
	b, a := byName(before), byName(after)
	var out []CheckResult
	for _, c := range env.Checks {
		cr := CheckResult{
			Name:     c.Name,
			Title:    c.Title,
			Verifies: slices.Clone(c.Verifies),
			Source:   fmt.Sprintf("%s:%d", c.DeclRange.Filename, c.DeclRange.Start.Line),
		}
		for _, id := range c.Verifies {
			if impl[id] {
				cr.Implemented = true
			}
		}
		bc, okB := b[c.Name]
		ac, okA := a[c.Name]
		cr.Before, cr.After = bc.Status, ac.Status
		cr.BeforeActual, cr.AfterActual = bc.Actual, ac.Actual
		switch {
		case !okB || !okA || bc.Status == report.Skipped || ac.Status == report.Skipped || bc.Status == report.Interrupted || ac.Status == report.Interrupted:
			cr.Verdict = VerdictNotRun
		case cr.Implemented && bc.Status == report.Passed:
			cr.Verdict = VerdictTestsNothing
		case ac.Status != report.Passed:
			cr.Verdict = VerdictFailsAfter
		default:
			cr.Verdict = VerdictOK
		}
		out = append(out, cr)
	}
	return out
}

func joinImplemented(ids []string, impl map[string]bool) string {
	var out []string
	for _, id := range ids {
		if impl[id] {
			out = append(out, id)
		}
	}
	switch len(out) {
	case 0:
		return ""
	case 1:
		return out[0]
	}
	s := out[0]
	for _, id := range out[1 : len(out)-1] {
		s += ", " + id
	}
	return s + " and " + out[len(out)-1]
}

func stepError(s report.Step) string {
	if s.Status == report.Passed || s.Status == report.Skipped {
		return ""
	}
	if s.Error != "" {
		return firstLine(s.Error)
	}
	for _, a := range s.Actions {
		if a.Status != report.Passed && a.Error != "" {
			return firstLine(a.Error)
		}
	}
	for _, c := range s.Checks {
		if c.Status != report.Passed {
			return "check " + c.Name + ": " + firstLine(c.Actual)
		}
	}
	return ""
}

func firstLine(s string) string {
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}

// ExistsError: the instance Verify was asked to use already exists.
type ExistsError struct {
	Instance string
	Objects  int
}

func (e *ExistsError) Error() string {
	return fmt.Sprintf("instance %s already exists (%d containers, networks or volumes): lab verify needs a fresh instance and removes it afterwards; choose another --name or leave --name out", e.Instance, e.Objects)
}
