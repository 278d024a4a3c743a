// Package runner executes an implementation plan (the environment's steps)
// against a running instance and records what happened in a
// report.Result: every action, every check, retries, rollbacks,
// interruptions and resumed steps. It also runs the acceptance checks for
// `proeftuin check` (see Check).
//
// The runner does not bring the environment up and takes no lock; the CLI
// does both. It writes its state after every step (state.json, see
// state.go) so an interrupted run can be resumed, and the report files at
// the end.
package runner

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/proeftuin/proeftuin/internal/check"
	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/progress"
	"github.com/proeftuin/proeftuin/internal/report"
)

// DefaultActionTimeout bounds an action that declares no timeout.
const DefaultActionTimeout = 2 * time.Minute

// DefaultStepTimeout bounds a step that declares no timeout.
const DefaultStepTimeout = 5 * time.Minute

// OutputLimit is how much of an exec action's stdout and stderr is kept
// (the tail).
const OutputLimit = 64 << 10

// DefaultParallel bounds how many acceptance checks run at once.
const DefaultParallel = 4

// cleanupTimeout bounds removing probe sidecars after the run, which also
// happens after an interrupt (with a fresh context).
const cleanupTimeout = 30 * time.Second

// Options configure Run and Check.
type Options struct {
	Engine   engine.Engine
	Env      *config.Environment // loaded with the instance's subnets
	Instance string              // default Env.Name

	// RunID names a new run; "" generates one. With Resume it selects the
	// run to continue ("" means the latest run of this instance).
	RunID string
	// ReportDir is where state.json and the report files go; "" means
	// <Env.Dir>/.proeftuin/runs/<run-id>.
	ReportDir string
	// Formats are the report formats Write renders (report.Formats);
	// nil writes only state.json.
	Formats []string
	Lang    string // report language, "" is report.DefaultLang

	Resume   bool   // continue an earlier run, skipping the steps that passed
	Force    bool   // with Resume: run again the passed steps whose declaration changed
	FromStep string // start at this step; earlier ones are skipped
	Only     string // run just this step

	// SkipAcceptance leaves out the acceptance checks that Run otherwise
	// runs after the plan (the evaluation then traces requirements to step
	// checks only).
	SkipAcceptance bool

	Author string
	Notes  string // the student's reflection, Markdown

	// Progress receives one event per step (or acceptance check) phase;
	// nil discards them.
	Progress progress.Sink
	// ProbeBinary is passed to check.Runner (the static binary for probe
	// sidecars); "" lets check.Runner choose.
	ProbeBinary string
	// Parallel bounds the acceptance checks running at once; 0 means
	// DefaultParallel.
	Parallel int
	// NetworkHelper runs the netem and block fault actions; nil fails
	// them.
	NetworkHelper NetworkHelper

	// now is the clock; tests replace it.
	now func() time.Time
}

// InputError is a problem with what the user asked for (an unknown step,
// nothing to resume, a changed step without --force): exit code 2.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

func inputErrorf(format string, args ...any) error {
	return &InputError{Msg: fmt.Sprintf(format, args...)}
}

// IsInputError reports whether err is an InputError.
func IsInputError(err error) bool {
	var ie *InputError
	return errors.As(err, &ie)
}

// Output says where Run or Check wrote a result's files.
type Output struct {
	Dir   string   // the run's folder (state.json and the reports)
	State string   // path of state.json ("" for a check)
	Files []string // report files, in the order of Options.Formats, each once
}

// Paths returns where Run or Check with opts wrote the files of res.
func Paths(opts Options, res *report.Result) Output {
	if res == nil {
		return Output{}
	}
	dir := opts.ReportDir
	if dir == "" && opts.Env != nil {
		dir = RunsDir(opts.Env.Dir, res.RunID)
	}
	out := Output{Dir: dir}
	if res.Kind == "run" {
		out.State = filepath.Join(dir, StateFile)
	}
	seen := map[string]bool{}
	for _, f := range opts.Formats {
		name := report.FileName(report.CanonicalFormat(f))
		if name != "" && !seen[name] {
			seen[name] = true
			out.Files = append(out.Files, filepath.Join(dir, name))
		}
	}
	return out
}

// run is the state of one Run or Check.
type run struct {
	opts    Options
	env     *config.Environment
	eng     engine.Engine
	checks  *check.Runner
	lookup  *engine.Lookup // shared with checks
	sink    progress.Sink
	now     func() time.Time
	res     *report.Result
	dir     string
	hashes  map[string]string
	secrets []string
	// stepContainers: see State.StepContainers.
	stepContainers map[string]map[string]string
}

func newRun(opts Options, kind string) (*run, error) {
	if opts.Engine == nil {
		return nil, errors.New("runner: no engine")
	}
	if opts.Env == nil {
		return nil, errors.New("runner: no environment")
	}
	if opts.Instance == "" {
		opts.Instance = opts.Env.Name
	}
	if opts.Lang == "" {
		opts.Lang = report.DefaultLang
	}
	r := &run{
		opts:    opts,
		env:     opts.Env,
		eng:     opts.Engine,
		sink:    opts.Progress,
		now:     opts.now,
		secrets: opts.Env.Secrets,
	}
	if r.sink == nil {
		r.sink = progress.Discard
	}
	if r.now == nil {
		r.now = time.Now
	}
	r.lookup = &engine.Lookup{Engine: opts.Engine, Instance: opts.Instance}
	r.checks = &check.Runner{Engine: opts.Engine, Instance: opts.Instance, Env: opts.Env, ProbeBinary: opts.ProbeBinary, Lookup: r.lookup}
	r.res = &report.Result{
		Schema: report.SchemaVersion,
		Kind:   kind,
		Author: opts.Author,
		Notes:  opts.Notes,
	}
	return r, nil
}

// emit sends a progress event about a step or check.
func (r *run) emit(kind, name, phase string, d time.Duration, msg string) {
	r.sink.Event(progress.Event{Time: r.now(), Kind: kind, Name: name, Phase: phase, Duration: d, Message: msg})
}

// Step phases reported to Progress.
const (
	PhaseRunning    = progress.Running
	PhaseRetrying   = progress.Retrying
	PhasePassed     = progress.Passed
	PhaseFailed     = progress.Failed
	PhaseSkipped    = progress.Skipped
	PhaseResumed    = progress.Resumed
	PhaseRollback   = progress.RollingBack
	PhaseRolledBack = progress.RolledBack
	PhaseStopped    = progress.Interrupted
)

// Run executes the plan's steps in order against the running instance
// and returns the result, also when steps failed or ctx was cancelled
// (then the step that ran is Interrupted and the rest Skipped): the
// result's Status says how it went. The returned error is for problems
// before anything ran (nil result): an InputError for the user's request,
// anything else for the engine; or, with the result, a failure to write
// state or reports. Paths says where the files went.
func Run(ctx context.Context, opts Options) (*report.Result, error) {
	r, err := newRun(opts, "run")
	if err != nil {
		return nil, err
	}
	if err := Validate(opts); err != nil {
		return nil, err
	}
	defer r.cleanup()
	r.hashes = StepHashes(r.env)

	var earlier *State
	if opts.Resume {
		earlier, err = r.findResume()
		if err != nil {
			return nil, err
		}
		if err := r.checkChanged(earlier); err != nil {
			return nil, err
		}
		r.res.RunID = earlier.RunID
	} else {
		r.res.RunID = opts.RunID
		if r.res.RunID == "" {
			r.res.RunID = NewRunID(r.now())
		}
	}
	r.dir = r.runDir(r.res.RunID)

	start := r.now()
	r.res.Started = start
	if err := r.describe(ctx); err != nil {
		return nil, err
	}
	r.res.Plan = &report.PlanInfo{Name: r.env.Plan.Name, Title: r.env.Plan.Title, Hash: PlanHash(r.env, r.hashes)}
	if err := r.begin(earlier); err != nil {
		return nil, err
	}

	r.steps(ctx, earlier)
	// The acceptance test after the plan: the evaluation then says of every
	// requirement whether the environment meets it now, not only whether
	// the steps that implement it passed their own checks. Not after an
	// interrupt: the user asked to stop.
	if !opts.SkipAcceptance && ctx.Err() == nil && len(r.env.Checks) > 0 {
		r.res.Acceptance = r.acceptance(ctx)
	}

	r.res.Finished = r.now()
	r.res.DurationMS = r.res.Finished.Sub(start).Milliseconds()
	return r.finish()
}

// begin makes the run exist on disk before its first step, so an
// interrupt at any moment leaves a run that --resume finds (a new run
// writes its state with no steps yet; a resumed run keeps the state it
// has), and so a folder that cannot be written stops the run before any
// step changes the environment.
func (r *run) begin(earlier *State) error {
	if earlier != nil {
		if err := checkWritable(r.dir); err != nil {
			return inputErrorf("cannot write the run's folder: %v; make it writable and resume", err)
		}
		return nil
	}
	if err := r.saveState(r.res, false); err != nil {
		return inputErrorf("cannot write the run's folder before the first step: %v; make %s writable or give --report-dir", err, r.dir)
	}
	return nil
}

// Check runs the environment's acceptance checks concurrently (at most
// Options.Parallel at once) against the running instance and returns a
// result of kind "check". Plan options (Resume, FromStep, Only) are
// ignored. The error is for problems before anything ran.
func Check(ctx context.Context, opts Options) (*report.Result, error) {
	r, err := newRun(opts, "check")
	if err != nil {
		return nil, err
	}
	defer r.cleanup()
	r.res.RunID = opts.RunID
	if r.res.RunID == "" {
		r.res.RunID = NewRunID(r.now())
	}
	r.dir = r.runDir(r.res.RunID)
	start := r.now()
	r.res.Started = start
	if err := r.describe(ctx); err != nil {
		return nil, err
	}
	r.res.Acceptance = r.acceptance(ctx)
	r.res.Finished = r.now()
	r.res.DurationMS = r.res.Finished.Sub(start).Milliseconds()
	return r.finish()
}

// finish summarizes, redacts and writes the result.
// The result is returned also when writing fails, with the error.
func (r *run) finish() (*report.Result, error) {
	report.Summarize(r.res)
	report.Redact(r.res, r.secrets)
	if r.res.Kind == "run" {
		if err := r.saveState(r.res, true); err != nil {
			return r.res, err
		}
	}
	if len(r.opts.Formats) > 0 {
		if _, err := report.Write(r.dir, r.res, r.opts.Formats, r.opts.Lang); err != nil {
			return r.res, err
		}
	}
	return r.res, nil
}

// cleanup removes the probe sidecars, with a context of its own: after an
// interrupt the run's context is gone.
func (r *run) cleanup() {
	ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	_ = r.checks.Cleanup(ctx)
}

// runDir is where state and reports of runID go.
func (r *run) runDir(runID string) string {
	if r.opts.ReportDir != "" {
		return r.opts.ReportDir
	}
	return RunsDir(r.env.Dir, runID)
}

// RunsDir is <envDir>/.proeftuin/runs/<runID>; with runID "" the folder
// holding all runs.
func RunsDir(envDir, runID string) string {
	d := filepath.Join(envDir, ".proeftuin", "runs")
	if runID == "" {
		return d
	}
	return filepath.Join(d, runID)
}

// Validate checks the plan options of Run against the environment (a plan
// exists; --from-step, --only, --resume and --force fit together and name
// steps that exist; with Resume, there is a run to resume) without
// touching the engine. Run calls it too.
func Validate(opts Options) error {
	if opts.Env == nil {
		return errors.New("runner: no environment")
	}
	if opts.Instance == "" {
		opts.Instance = opts.Env.Name
	}
	r := &run{opts: opts, env: opts.Env}
	if r.env.Plan == nil {
		return inputErrorf("the environment %s has no plan block: there is nothing to run", r.env.Name)
	}
	if err := r.validateSelection(); err != nil {
		return err
	}
	if opts.RunID != "" {
		if err := ValidRunID(opts.RunID); err != nil {
			return err
		}
	}
	if opts.Resume {
		// Whether the steps changed is known only with the final
		// environment (Run checks it); whether there is a run to resume
		// is known now.
		if _, err := r.findResume(); err != nil {
			return err
		}
	}
	return nil
}

// validateSelection checks --from-step and --only.
func (r *run) validateSelection() error {
	o := r.opts
	if o.FromStep != "" && o.Only != "" {
		return inputErrorf("--from-step and --only exclude each other: give one of them")
	}
	if o.Resume && (o.FromStep != "" || o.Only != "") {
		return inputErrorf("--resume continues where the earlier run stopped; it cannot be combined with --from-step or --only")
	}
	if !o.Resume && o.Force {
		return inputErrorf("--force only has a meaning with --resume")
	}
	for _, id := range []string{o.FromStep, o.Only} {
		if id != "" && r.step(id) == nil {
			return inputErrorf("the plan has no step %q; its steps are: %s", id, strings.Join(r.stepIDs(), ", "))
		}
	}
	if len(r.env.Steps) == 0 {
		return inputErrorf("the plan %s has no steps", r.env.Plan.Name)
	}
	return nil
}

func (r *run) step(id string) *config.Step {
	for _, s := range r.env.Steps {
		if s.ID == id {
			return s
		}
	}
	return nil
}

func (r *run) stepIDs() []string {
	ids := make([]string, len(r.env.Steps))
	for i, s := range r.env.Steps {
		ids[i] = s.ID
	}
	return ids
}

// describe fills the tool, environment, engine, image and requirement
// parts of the result. An engine that does not answer fails the run.
func (r *run) describe(ctx context.Context) error {
	r.res.Tool = toolInfo()
	r.res.Environment = report.EnvInfo{
		Name:     r.env.Name,
		Title:    r.env.Title,
		Version:  r.env.Version,
		Instance: r.opts.Instance,
		Hash:     r.env.Hash,
	}
	info, err := r.eng.Info(ctx)
	if err != nil {
		return fmt.Errorf("the engine does not answer: %w", err)
	}
	r.res.Engine = report.EngineInfo{ServerVersion: info.ServerVersion, APIVersion: info.APIVersion, OS: info.OS, Arch: info.Arch}
	images, err := r.images(ctx)
	if err != nil {
		return err
	}
	r.res.Images = images
	r.res.Matrix = matrix(r.env)
	return nil
}

// matrix is one row per requirement with the services that satisfy it;
// report.Summarize fills the traces to steps and checks and the verdict.
func matrix(env *config.Environment) []report.MatrixRow {
	rows := make([]report.MatrixRow, 0, len(env.Requirements))
	for _, q := range env.Requirements {
		row := report.MatrixRow{ID: q.ID, Title: q.Title, Kind: q.Kind, Priority: string(q.Priority)}
		for _, s := range env.Services {
			if slices.Contains(s.Satisfies, q.ID) {
				row.SatisfiedBy = append(row.SatisfiedBy, s.Name)
			}
		}
		rows = append(rows, row)
	}
	return rows
}
