// Package apply makes an instance's actual state match the environment:
// it resolves images, allocates auto subnets, walks the planner's
// operations along the dependency graph concurrently and waits for
// readiness. Down removes everything labelled with an instance.
package apply

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/proeftuin/proeftuin/internal/check"
	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/planner"
	"github.com/proeftuin/proeftuin/internal/policy"
	"github.com/proeftuin/proeftuin/internal/progress"
)

// Options control Up.
type Options struct {
	Instance      string
	Parallel      int           // bounded concurrency; 0 means 8
	WaitTimeout   time.Duration // overrides every ready.timeout when > 0
	KeepOnFailure bool          // leave what a failed first up created
	Allow         []string      // unsafe settings the user allowed (see Unsafe)
	// Pull overrides every service's pull policy ("missing", "always",
	// "never"); "" keeps each service's own.
	Pull     string
	Progress progress.Sink // nil: discard
	// Reload re-loads the environment with the auto subnets allocated for
	// this instance (config.Options.Subnets); Up calls it once it knows them.
	Reload func(subnets map[string]string) (*config.Environment, error)
	// ProbeBinary is the static Linux binary for the network helper
	// (check.Runner.ProbeBinary); "" finds it as checks do.
	ProbeBinary string
}

// Result says what Up did.
type Result struct {
	Plan     *planner.Plan
	Services map[string]string // service name -> container ID
	Elapsed  time.Duration
	// Subnets holds the subnet of every auto network (declared name ->
	// CIDR), allocated or kept.
	Subnets map[string]string
}

// DiagnosticsError carries diagnostics that point into the environment's
// HCL (unsafe settings refused); the CLI renders them with their source
// lines and exits 2.
type DiagnosticsError struct{ Diags hcl.Diagnostics }

func (e *DiagnosticsError) Error() string { return e.Diags.Error() }

// Diagnostics returns the diagnostics (the CLI looks for this method).
func (e *DiagnosticsError) Diagnostics() hcl.Diagnostics { return e.Diags }

// RollbackTimeout bounds the clean-up after a failed or interrupted up.
const RollbackTimeout = 30 * time.Second

// run is the state of one Up or Down.
type run struct {
	eng      engine.Engine
	instance string
	opts     Options
	sink     progress.Sink
	parallel int
	secrets  []string

	mu sync.Mutex
	// attempted names of everything this run tried to create; with the
	// IDs that existed before, rollback can tell what is new even when a
	// create was cut short by cancellation after the engine acted on it.
	attempted map[string]bool
	before    map[string]bool // IDs (volume names) that existed at observe
	allNets   []engine.Network
	haveNets  bool
	// refused are subnets the engine refused as overlapping although no
	// network listed has them: another network's create holds them until
	// it completes. Later allocations of this run avoid them.
	refused []string
	// subnetStart is where the next auto subnet search begins (see
	// subnet.Request.Start): 0 at first, random after a refusal.
	subnetStart int
	// netIDs maps the engine names of the instance's networks to the IDs
	// this run created or kept (see removeDuplicateNetworks).
	netIDs map[string]string
	// removed and left are what removeInstance removed and what its last
	// pass could not remove ("container lab-web").
	removed, left []string
	// probe builds the image of the network helper (netsetup.go).
	probe *check.Runner
	// dir is the environment's folder, where the network setup is
	// recorded (netrecord.go); "" keeps no record.
	dir string
}

func newRun(eng engine.Engine, instance string, opts Options) *run {
	r := &run{eng: eng, instance: instance, opts: opts, sink: opts.Progress, parallel: opts.Parallel,
		attempted: map[string]bool{}, before: map[string]bool{}, netIDs: map[string]string{},
		probe: &check.Runner{Engine: eng, Instance: instance, ProbeBinary: opts.ProbeBinary}}
	if r.sink == nil {
		r.sink = progress.Discard
	}
	if r.parallel <= 0 {
		r.parallel = 8
	}
	return r
}

func (r *run) emit(kind, name, phase string, d time.Duration, msg string) {
	r.sink.Event(progress.Event{Time: time.Now(), Kind: kind, Name: name, Phase: phase, Duration: d, Message: msg})
}

// attempt records that this run is about to create an object.
func (r *run) attempt(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.attempted[name] = true
}

// all runs jobs concurrently, at most r.parallel at a time, and returns
// every error joined (each job's error is reported, not just the first).
func (r *run) all(ctx context.Context, jobs []func(context.Context) error) error {
	sem := make(chan struct{}, r.parallel)
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, job := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				errs[i] = ctx.Err()
				return
			}
			defer func() { <-sem }()
			errs[i] = job(ctx)
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return errors.Join(errs...)
}

// Up converges the instance to env. On failure of a first up it removes
// what this run created unless KeepOnFailure; on ctx cancellation it rolls
// back what this run created within a bounded time and returns ctx.Err().
func Up(ctx context.Context, eng engine.Engine, env *config.Environment, opts Options) (*Result, error) {
	start := time.Now()
	if env == nil {
		return nil, errors.New("no environment")
	}
	instance := opts.Instance
	if instance == "" {
		instance = env.Name
	}
	r := newRun(eng, instance, opts)
	r.secrets = env.Secrets
	r.dir = env.Dir

	if diags := policy.Check(env, opts.Allow); diags.HasErrors() {
		return nil, &DiagnosticsError{Diags: diags}
	}

	r.warnUnsupported(env)

	actual, err := r.observe(ctx)
	if err != nil {
		return nil, err
	}
	if err := r.checkOwner(env, actual); err != nil {
		return nil, err
	}
	first := actual.Empty()
	// An instance that holds only volumes was taken down (down keeps
	// them): an up that fails now is a first up for its containers and
	// networks, which it removes again, but the volumes and their data
	// stay (rollback(false) keeps what existed before this run).
	fresh := first || len(actual.Containers)+len(actual.Networks) == 0
	res, err := r.upRetrying(ctx, env, actual)
	if err == nil {
		res.Elapsed = time.Since(start)
		r.emit("instance", instance, progress.Ready, res.Elapsed, "")
		return res, nil
	}
	if ctx.Err() != nil {
		// Interrupted: undo what this run created, whatever it was.
		r.emit("instance", instance, progress.Failed, time.Since(start), "interrupted; rolling back")
		if rerr := r.rollback(first); rerr != nil {
			return res, errors.Join(ctx.Err(), rerr)
		}
		return res, ctx.Err()
	}
	r.emit("instance", instance, progress.Failed, time.Since(start), "")
	if fresh && !opts.KeepOnFailure && r.createdAnything() {
		if rerr := r.rollback(first); rerr != nil {
			err = &failedUp{
				err:      fmt.Errorf("%w\n(removing what this first up created failed too; run 'proeftuin --name %s down' once the engine answers)", err, instance),
				rollback: rerr,
			}
		} else {
			err = fmt.Errorf("%w\n(everything this first up created was removed; use --keep-on-failure to inspect it)", err)
		}
	}
	return res, err
}

// checkOwner refuses an instance name held by another environment:
// converging would remove its containers and networks. It warns when the
// same environment was brought up from another folder.
func (r *run) checkOwner(env *config.Environment, actual *planner.Actual) error {
	folders, err := planner.CheckOwner(actual, r.instance, env.Name, env.Dir)
	if err != nil {
		return err
	}
	for _, f := range folders {
		r.emit("instance", r.instance, progress.Warning, 0, fmt.Sprintf(
			"instance %s of environment %s was brought up from %s; it is now converged to the definition in %s", r.instance, env.Name, f, env.Dir))
	}
	return nil
}

// observe reads the instance and remembers what existed before this run
// (see rollback).
func (r *run) observe(ctx context.Context) (*planner.Actual, error) {
	start := time.Now()
	actual, err := planner.Observe(ctx, r.eng, r.instance)
	if err != nil {
		return nil, err
	}
	r.emit("instance", r.instance, "observed", time.Since(start), fmt.Sprintf("%d containers, %d networks, %d volumes",
		len(actual.Containers), len(actual.Networks), len(actual.Volumes)))
	for _, c := range actual.Containers {
		r.before[c.ID] = true
	}
	for _, n := range actual.Networks {
		r.before[n.ID] = true
	}
	for _, v := range actual.Volumes {
		r.before[v.Name] = true
	}
	return actual, nil
}

// upRetrying is r.up, again after the engine refused an auto subnet.
// Another proeftuin (another instance, another process) may have taken
// the auto subnet this run chose between its listing of the engine's
// networks and its create: the engine then refuses the network with
// "Pool overlaps". Observe again and allocate anew, a few times, each
// time searching from a random place in the pool: processes that all
// start from the lowest free subnet would collide again and again.
func (r *run) upRetrying(ctx context.Context, env *config.Environment, actual *planner.Actual) (*Result, error) {
	res, err := r.up(ctx, env, actual)
	for try := 1; err != nil && ctx.Err() == nil && try < subnetAttempts && hasAutoSubnet(env) && isPoolOverlap(err); try++ {
		r.emit("instance", r.instance, progress.Warning, 0, "an auto subnet was taken by another network meanwhile; allocating again")
		r.forgetNetworks()
		r.mu.Lock()
		r.subnetStart = rand.IntN(1 << 16)
		r.mu.Unlock()
		select {
		case <-time.After(time.Duration(rand.Int64N(int64(200 * time.Millisecond)))):
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		again, oerr := planner.Observe(ctx, r.eng, r.instance)
		if oerr != nil {
			break
		}
		actual = again
		res, err = r.up(ctx, env, actual)
	}
	return res, err
}

// subnetAttempts bounds how often Up allocates auto subnets again after
// the engine refused one as overlapping (see Up).
const subnetAttempts = 10

// isPoolOverlap reports whether err is the engine refusing a network
// whose subnet overlaps another network's (Docker: "Pool overlaps with
// other one on this address space").
func isPoolOverlap(err error) bool {
	return errors.Is(err, engine.ErrSubnetTaken)
}

func hasAutoSubnet(env *config.Environment) bool {
	for _, n := range env.Networks {
		if n.AutoSubnet {
			return true
		}
	}
	return false
}

// forgetNetworks drops the cached list of the engine's networks, so the
// next allocation sees networks created since.
func (r *run) forgetNetworks() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.allNets, r.haveNets = nil, false
}

func (r *run) createdAnything() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.attempted) > 0
}

func (r *run) up(ctx context.Context, env *config.Environment, actual *planner.Actual) (*Result, error) {
	env, subnets, err := r.subnets(ctx, env, actual)
	if err != nil {
		return nil, err
	}
	if env.Secrets != nil {
		r.secrets = env.Secrets
	}
	if err := r.checkOwnership(ctx, env, actual); err != nil {
		return nil, err
	}
	images, err := r.resolveImages(ctx, env)
	if err != nil {
		return nil, err
	}
	desired, err := planner.Desire(env, r.instance, images)
	if err != nil {
		return nil, err
	}
	plan := planner.Compute(desired, actual)
	if err := r.markLost(ctx, env, plan); err != nil {
		return nil, err
	}
	res := &Result{Plan: plan, Services: map[string]string{}, Subnets: subnets}
	if err := r.checkPorts(ctx, env, plan, actual); err != nil {
		return res, err
	}
	return res, r.execute(ctx, desired, plan, res)
}

// RollbackError says that removing what a failed or interrupted up
// created did not finish: Removed were removed, Left are still there
// ("container lab-web", "volume lab-data"; empty when a listing failed
// and what is left is unknown).
type RollbackError struct {
	Removed []string
	Left    []string
	Err     error
}

func (e *RollbackError) Error() string { return "rollback incomplete: " + e.Err.Error() }
func (e *RollbackError) Unwrap() error { return e.Err }

// failedUp is a failed first up whose roll-back failed too: its text is
// the up's error, and both are reachable with errors.Is and errors.As.
type failedUp struct {
	err      error
	rollback *RollbackError
}

func (e *failedUp) Error() string   { return e.err.Error() }
func (e *failedUp) Unwrap() []error { return []error{e.err, e.rollback} }

// rollback removes what this run created (everything labelled with the
// instance when all is true) within RollbackTimeout, on a context of its
// own: the caller's may be the one that was cancelled. It runs once every
// create of the run returned (see createContext) and repeats the removal
// until nothing it should remove is left (see removeInstance); if time
// runs out first, it says so in a "rollback incomplete" warning, and the
// CLI tells the user to run down.
func (r *run) rollback(all bool) *RollbackError {
	ctx, cancel := context.WithTimeout(context.Background(), RollbackTimeout)
	defer cancel()
	r.mu.Lock()
	attempted := r.attempted
	before := r.before
	r.mu.Unlock()
	keep := func(name, id string) bool {
		if all {
			return false
		}
		return !attempted[name] || before[id]
	}
	err := removeInstance(ctx, r, true, keep)
	if err == nil {
		return nil
	}
	r.emit("instance", r.instance, progress.Warning, 0, "rollback incomplete: "+err.Error())
	r.mu.Lock()
	defer r.mu.Unlock()
	return &RollbackError{Removed: slices.Clone(r.removed), Left: slices.Clone(r.left), Err: err}
}

// Down removes every container, network (and, with volumes, volume)
// labelled with the instance, listing again until nothing is left (see
// removeInstance). It needs no environment definition.
func Down(ctx context.Context, eng engine.Engine, instance string, volumes bool, sink progress.Sink) error {
	if instance == "" {
		return errors.New("no instance name")
	}
	start := time.Now()
	r := newRun(eng, instance, Options{Progress: sink})
	err := removeInstance(ctx, r, volumes, nil)
	if err != nil {
		r.emit("instance", instance, progress.Failed, time.Since(start), "")
		return err
	}
	r.emit("instance", instance, progress.Removed, time.Since(start), "")
	return nil
}

// warnUnsupported emits a warning for each setting the connected engine
// will not honour (it is dropped, not refused, so the lab still comes up).
func (r *run) warnUnsupported(env *config.Environment) {
	caps := r.eng.Capabilities()
	for _, s := range env.Services {
		if h := s.Healthcheck; h != nil && h.StartInterval > 0 && !caps.HealthcheckStartInterval {
			r.emit("service", s.Name, progress.Warning, 0, fmt.Sprintf(
				"healthcheck start_interval (%s:%d) is ignored: the engine's API is older than 1.44 (Docker 25)",
				h.DeclRange.Filename, h.DeclRange.Start.Line))
		}
	}
}
