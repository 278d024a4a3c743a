package apply

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/planner"
	"github.com/proeftuin/proeftuin/internal/progress"
)

// execute carries out the plan: removals, networks, volumes, then the
// services along the dependency graph.
func (r *run) execute(ctx context.Context, d *planner.Desired, plan *planner.Plan, res *Result) error {
	netSpec := map[string]engine.NetworkSpec{}
	for _, n := range d.Networks {
		netSpec[n.Labels[engine.LabelNetwork]] = n
	}
	volSpec := map[string]engine.VolumeSpec{}
	for _, v := range d.Volumes {
		volSpec[v.Labels[engine.LabelVolume]] = v
	}

	removedEarly, err := r.removeContainersEarly(ctx, plan)
	if err != nil {
		return err
	}

	// Networks and volumes: removals, then creations, each concurrently.
	var jobs []func(context.Context) error
	for _, op := range plan.Operations {
		if op.Resource == planner.ResNetwork && (op.Kind == planner.Remove || op.Kind == planner.Recreate) {
			jobs = append(jobs, func(ctx context.Context) error { return r.removeNetwork(ctx, op.Name, op.ID) })
		}
		if op.Resource == planner.ResVolume && op.Kind == planner.Remove {
			jobs = append(jobs, func(ctx context.Context) error {
				return r.removeVolume(ctx, op.Name, planner.EngineName(r.instance, op.Name))
			})
		}
	}
	if err := r.all(ctx, jobs); err != nil {
		return err
	}
	jobs = nil
	for _, op := range plan.Operations {
		switch {
		case op.Resource == planner.ResNetwork && (op.Kind == planner.Create || op.Kind == planner.Recreate):
			spec := netSpec[op.Name]
			jobs = append(jobs, func(ctx context.Context) error { return r.createNetwork(ctx, op.Name, spec) })
		case op.Resource == planner.ResVolume && op.Kind == planner.Create:
			spec := volSpec[op.Name]
			jobs = append(jobs, func(ctx context.Context) error { return r.createVolume(ctx, op.Name, spec) })
		case op.Kind == planner.Keep && op.Resource != planner.ResService:
			if op.Resource == planner.ResNetwork && op.ID != "" {
				r.mu.Lock()
				r.netIDs[planner.EngineName(r.instance, op.Name)] = op.ID
				r.mu.Unlock()
			}
			r.emit(op.Resource.String(), op.Name, progress.Kept, 0, "")
		}
	}
	if err := r.all(ctx, jobs); err != nil {
		return err
	}
	for _, op := range plan.Operations {
		if op.Resource == planner.ResNetwork && (op.Kind == planner.Create || op.Kind == planner.Recreate) {
			if err := r.removeDuplicateNetworks(ctx); err != nil {
				return err
			}
			break
		}
	}

	if err := r.services(ctx, d, plan, removedEarly, res); err != nil {
		return err
	}
	touched, lost := touchedServices(plan)
	return r.links(ctx, d.Env, res.Services, touched, lost)
}

// removeContainersEarly removes the containers that go away before
// networks and volumes change, and returns their services. A network or
// volume can only go once no container uses it. Which old containers use
// them is not known without inspecting, so when any is removed or
// recreated, every container that is going away goes first.
func (r *run) removeContainersEarly(ctx context.Context, plan *planner.Plan) (map[string]bool, error) {
	early := false
	for _, op := range plan.Operations {
		if op.Resource != planner.ResService && (op.Kind == planner.Remove || op.Kind == planner.Recreate) {
			early = true
		}
	}
	removedEarly := map[string]bool{}
	var jobs []func(context.Context) error
	for _, op := range plan.Operations {
		if op.Resource != planner.ResService {
			continue
		}
		if op.Kind == planner.Remove || (early && op.Kind == planner.Recreate) {
			removedEarly[op.Name] = true
			jobs = append(jobs, func(ctx context.Context) error { return r.removeContainer(ctx, op.Name, op.ID) })
		}
	}
	return removedEarly, r.all(ctx, jobs)
}

// createGrace is how long a create may still take once the run's context
// was cancelled; see createContext.
const createGrace = 10 * time.Second

// createContext returns the context for one create call (network, volume,
// container) and a function to call when the create returned.
//
// Cancelling a request's context does not cancel the engine's work: once
// the create request was sent, the daemon finishes it and the object
// appears after the client gave up on it, possibly after the roll-back
// listed the instance, leaving a container behind that holds the volumes
// the roll-back then fails to remove. A create in flight is therefore not
// cancelled with the run: it runs on for up to createGrace, which is
// nearly always a few milliseconds, and returns. Up starts the roll-back
// only once every job returned, so by then each object created exists
// and carries its labels, and the roll-back's listing finds it (its ID
// is not needed). This is cheaper and more certain than waiting for the
// object to appear afterwards, which cannot tell "not yet" from "never".
// The grace keeps a daemon that hangs from holding up the roll-back
// forever; what such a create leaves behind, removeInstance's repeated
// listing catches or reports.
//
// A create is not begun once ctx ended: callers check ctx first.
func createContext(ctx context.Context) (context.Context, context.CancelFunc) {
	cctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(createGrace, cancel) })
	return cctx, func() {
		stop()
		cancel()
	}
}

func (r *run) createNetwork(ctx context.Context, name string, spec engine.NetworkSpec) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	start := time.Now()
	r.emit("network", name, progress.Creating, 0, spec.Subnet)
	r.attempt(spec.Name)
	cctx, done := createContext(ctx)
	id, err := r.eng.CreateNetwork(cctx, spec)
	if errors.Is(err, engine.ErrNameConflict) {
		id, err = r.adoptLeftNetwork(cctx, spec, err)
	}
	done()
	if err == nil && id != "" {
		r.mu.Lock()
		r.netIDs[spec.Name] = id
		r.mu.Unlock()
	}
	if ctx.Err() != nil {
		return ctx.Err() // created or not: the roll-back finds it by label
	}
	if err != nil {
		if spec.Subnet != "" && isPoolOverlap(err) {
			r.mu.Lock()
			r.refused = append(r.refused, spec.Subnet)
			r.mu.Unlock()
		}
		r.emit("network", name, progress.Failed, time.Since(start), err.Error())
		return fmt.Errorf("create network %s: %w", name, err)
	}
	r.emit("network", name, progress.Created, time.Since(start), "")
	return nil
}

// adoptLeftNetwork handles a network name already in use (err) when the
// network is this instance's own: a create cut off by an interrupt or a
// lost engine connection can reach the engine after the observation that
// began this run, so neither that run's roll-back nor this run's
// observation saw it. With the subnet asked for (or none asked for) it is
// taken as created; otherwise it is removed and created again. A network
// of anyone else keeps err: the engine's refusal.
func (r *run) adoptLeftNetwork(ctx context.Context, spec engine.NetworkSpec, err error) (string, error) {
	nets, lerr := r.eng.Networks(ctx, map[string]string{engine.LabelInstance: r.instance})
	if lerr != nil {
		return "", err
	}
	for _, n := range nets {
		if n.Name != spec.Name {
			continue
		}
		if spec.Subnet == "" || slices.Contains(n.Subnets, spec.Subnet) {
			return n.ID, nil
		}
		if rerr := r.eng.RemoveNetwork(ctx, n.ID); rerr != nil {
			return "", err
		}
		return r.eng.CreateNetwork(ctx, spec)
	}
	return "", err
}

// replaceLeftContainer handles a container name already in use (err)
// when the container is this instance's own: a create cut off by a kill or
// a lost engine connection can reach the engine after the observation that
// began this run. Such a leftover was never filled or started by a run
// that finished, so it is removed and created again. A container of
// anyone else keeps err: the engine's refusal.
func (r *run) replaceLeftContainer(ctx context.Context, service string, spec engine.ContainerSpec, err error) (string, error) {
	ctrs, lerr := r.eng.Containers(ctx, map[string]string{engine.LabelInstance: r.instance})
	if lerr != nil {
		return "", err
	}
	for _, c := range ctrs {
		if c.Name != spec.Name {
			continue
		}
		if rerr := r.eng.RemoveContainer(ctx, c.ID); rerr != nil {
			return "", err
		}
		r.emit("service", service, progress.Warning, 0, "removed a container of this instance left by an earlier, cut-off up")
		return r.eng.CreateContainer(ctx, spec)
	}
	return "", err
}

func (r *run) createVolume(ctx context.Context, name string, spec engine.VolumeSpec) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	start := time.Now()
	r.emit("volume", name, progress.Creating, 0, "")
	r.attempt(spec.Name)
	cctx, done := createContext(ctx)
	err := r.eng.CreateVolume(cctx, spec)
	done()
	if ctx.Err() != nil {
		return ctx.Err() // created or not: the roll-back finds it by label
	}
	if err != nil {
		r.emit("volume", name, progress.Failed, time.Since(start), err.Error())
		return fmt.Errorf("create volume %s: %w", name, err)
	}
	r.emit("volume", name, progress.Created, time.Since(start), "")
	return nil
}

// errStopped marks a service given up because the walk was cancelled
// (another service failed, or the caller cancelled).
var errStopped = errors.New("stopped")

// errDependency marks a service skipped because one it depends on failed.
type errDependency struct{ service, dep string }

func (e *errDependency) Error() string {
	return fmt.Sprintf("service %s not started: %s failed", e.service, e.dep)
}

// serviceNode is one service operation in the walk of run.services:
// started closes once its container runs (or the walk gave up on it),
// done once it is ready, or has completed when a dependent waits for
// that.
type serviceNode struct {
	op      planner.Operation
	started chan struct{}
	done    chan struct{}
	err     error
}

// services walks the service operations along the dependency graph: each
// service starts as soon as everything it depends on meets its depends_on
// condition (ready by default; started; completed), at most r.parallel
// engine operations at a time. Readiness waits do not hold a slot. The
// first failure cancels the rest.
func (r *run) services(ctx context.Context, d *planner.Desired, plan *planner.Plan, removedEarly map[string]bool, res *Result) error {
	byName := map[string]*planner.DesiredService{}
	completes := map[string]bool{}
	for _, s := range d.Services {
		byName[s.Name] = s
		if s.Service != nil {
			for dep, c := range s.Service.DependCondition {
				completes[dep] = completes[dep] || c == config.DependCompleted
			}
		}
	}
	nodes := map[string]*serviceNode{}
	var order []*serviceNode
	for _, op := range plan.Operations {
		if op.Resource != planner.ResService || op.Kind == planner.Remove {
			continue
		}
		n := &serviceNode{op: op, started: make(chan struct{}), done: make(chan struct{})}
		nodes[op.Name] = n
		order = append(order, n)
	}

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	sem := make(chan struct{}, r.parallel)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, n := range order {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ds := byName[n.op.Name]
			id, err := r.serviceWhenDepsMet(ctx, sem, n, nodes, ds, removedEarly[n.op.Name], completes[n.op.Name])
			if err != nil {
				var de *errDependency
				if err != errStopped && !errors.As(err, &de) {
					cancel(err)
				}
				return
			}
			mu.Lock()
			res.Services[n.op.Name] = id
			mu.Unlock()
		}()
	}
	wg.Wait()

	var errs []error
	for _, n := range order {
		var de *errDependency
		if n.err != nil && n.err != errStopped && !errors.As(n.err, &de) {
			errs = append(errs, n.err)
		}
	}
	if len(errs) == 0 {
		// Only the caller can have cancelled: a failure here is in errs.
		return ctx.Err()
	}
	return errors.Join(errs...)
}

// serviceWhenDepsMet waits until every dependency of n meets its
// condition, then carries out n's operation. It closes n.started and
// n.done whatever happens (n.err is set by the caller before done is
// seen: done is closed after the deferred assignment below).
func (r *run) serviceWhenDepsMet(ctx context.Context, sem chan struct{}, n *serviceNode, nodes map[string]*serviceNode,
	ds *planner.DesiredService, removed, complete bool) (id string, err error) {
	startedOnce := sync.OnceFunc(func() { close(n.started) })
	defer func() {
		n.err = err
		startedOnce()
		close(n.done)
	}()
	for _, dep := range ds.DependsOn {
		dn := nodes[dep]
		if dn == nil {
			continue
		}
		wait := dn.done
		if ds.Service != nil && ds.Service.Condition(dep) == config.DependStarted {
			wait = dn.started
		}
		select {
		case <-wait:
		case <-ctx.Done():
			return "", errStopped
		}
		select {
		case <-dn.done:
			if dn.err != nil {
				return "", &errDependency{service: n.op.Name, dep: dep}
			}
		default: // started, still on its way to ready
		}
	}
	return r.service(ctx, sem, n.op, ds, removed, complete, startedOnce)
}

// service carries out one service operation and waits for readiness.
func (r *run) service(ctx context.Context, sem chan struct{}, op planner.Operation, ds *planner.DesiredService, removed, complete bool, started func()) (string, error) {
	if op.Kind == planner.Keep {
		r.emit("service", op.Name, progress.Kept, 0, "")
		return op.ID, nil
	}
	if op.Kind == planner.Reapply {
		// It runs on; its network setup is redone with the links.
		r.emit("service", op.Name, progress.Warning, 0, op.Cause+"; re-applying it")
		return op.ID, nil
	}
	select {
	case sem <- struct{}{}:
	case <-ctx.Done():
		return "", errStopped
	}
	id, err := r.startService(ctx, op, ds, removed)
	<-sem
	if err != nil {
		if ctx.Err() != nil {
			return "", errStopped
		}
		r.emit("service", op.Name, progress.Failed, 0, err.Error())
		return "", err
	}
	started()
	start := time.Now()
	if ds.Ready != nil || complete {
		r.emit("service", op.Name, progress.Waiting, 0, "")
	}
	wait := WaitReady
	if complete {
		wait = waitCompleted
	}
	if err := wait(ctx, r.eng, id, ds.Service, ds.Ready, r.opts.WaitTimeout, r.secrets); err != nil {
		if ctx.Err() != nil {
			return "", errStopped
		}
		r.emit("service", op.Name, progress.Failed, time.Since(start), "not ready")
		return "", err
	}
	r.emit("service", op.Name, progress.Ready, time.Since(start), "")
	return id, nil
}

// startService (re)creates, fills and starts a container, or starts a
// stopped one.
func (r *run) startService(ctx context.Context, op planner.Operation, ds *planner.DesiredService, removed bool) (string, error) {
	id := op.ID
	if op.Kind == planner.Recreate && !removed {
		if err := r.removeContainer(ctx, op.Name, op.ID); err != nil {
			return "", err
		}
	}
	if op.Kind == planner.Create || op.Kind == planner.Recreate {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		start := time.Now()
		r.emit("service", op.Name, progress.Creating, 0, op.Cause)
		r.attempt(ds.Spec.Name)
		cctx, done := createContext(ctx)
		var err error
		id, err = r.eng.CreateContainer(cctx, ds.Spec)
		if errors.Is(err, engine.ErrNameConflict) && op.Kind == planner.Create {
			id, err = r.replaceLeftContainer(cctx, op.Name, ds.Spec, err)
		}
		done()
		if ctx.Err() != nil {
			return "", ctx.Err() // created or not: the roll-back finds it by label
		}
		if err != nil {
			return "", fmt.Errorf("create container for service %s: %w", op.Name, err)
		}
		if len(ds.Files) > 0 {
			tr, notes, err := filesTar(ds.Files)
			if err != nil {
				return "", fmt.Errorf("service %s: %w", op.Name, err)
			}
			for _, n := range notes {
				r.emit("service", op.Name, progress.Warning, 0, n)
			}
			if err := r.eng.CopyTo(ctx, id, "/", tr); err != nil {
				return "", fmt.Errorf("copy files into service %s: %w", op.Name, err)
			}
		}
		r.emit("service", op.Name, progress.Created, time.Since(start), "")
	}
	start := time.Now()
	r.emit("service", op.Name, progress.Starting, 0, "")
	err := r.eng.StartContainer(ctx, id)
	if errors.Is(err, engine.ErrAmbiguous) {
		// A network left by a killed earlier up appeared under one of
		// our names after removeDuplicateNetworks looked (its create was
		// still in flight in the daemon): remove it and start again.
		if derr := r.removeDuplicateNetworks(ctx); derr == nil {
			err = r.eng.StartContainer(ctx, id)
		}
	}
	if err != nil {
		msg := fmt.Errorf("start service %s: %w", op.Name, err)
		if tail := tailLogs(r.eng, id, r.secrets); len(tail) > 0 {
			return "", &ReadyError{Service: op.Name, Reason: "start failed: " + err.Error(), Logs: tail, Err: err}
		}
		return "", msg
	}
	if ds.Service != nil && ds.Service.NeedsNetSetup() && !hasLink(ds.Service) {
		if err := r.netSetup(ctx, id, ds.Service); err != nil {
			return "", err
		}
	}
	r.emit("service", op.Name, progress.Started, time.Since(start), "")
	return id, nil
}

// removeDuplicateNetworks removes networks of the instance that carry the
// name of one this run created or kept but are not it. They are left by
// an earlier proeftuin killed while its create was still in flight in the
// daemon (under load a network create takes seconds): the network appears
// after that run's roll-back, or after the next up observed the instance,
// and then every container start fails with "network … is ambiguous".
// It costs one listing, only when this run created a network.
func (r *run) removeDuplicateNetworks(ctx context.Context) error {
	ns, err := r.eng.Networks(ctx, engine.Instance(r.instance))
	if err != nil {
		return fmt.Errorf("list networks: %w", err)
	}
	r.mu.Lock()
	ours := map[string]string{}
	for name, id := range r.netIDs {
		ours[name] = id
	}
	r.mu.Unlock()
	for _, n := range ns {
		id, known := ours[n.Name]
		if !known || n.ID == id {
			continue
		}
		r.emit("network", n.Labels[engine.LabelNetwork], progress.Warning, 0, "removing a duplicate left by an interrupted earlier run")
		if err := r.eng.RemoveNetwork(ctx, n.ID); err != nil && !errors.Is(err, engine.ErrNotFound) {
			return fmt.Errorf("remove duplicate network %s: %w", n.Name, err)
		}
	}
	return nil
}
