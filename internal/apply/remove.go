package apply

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/progress"
)

// Removing an instance converges rather than making a single pass over
// one listing. The engine keeps working on requests whose client gave up:
// a create that was on the wire when up was interrupted finishes after
// the roll-back listed the instance, a container that another (killed)
// process is removing still holds its volume, a container that is still
// being created is listed but not yet removable. So removeInstance lists
// by label, removes what it finds (containers, then networks, then
// volumes), and lists again, with a short backoff, until a listing finds
// nothing or the time is up; then it says what is left.

// convergeTimeout bounds how long removeInstance keeps retrying (a context
// with an earlier deadline bounds it sooner). A variable for tests.
var convergeTimeout = RollbackTimeout

// Backoff between removal passes.
var (
	convergeBackoff    = 50 * time.Millisecond
	convergeMaxBackoff = time.Second
)

// finalListing is kept from the deadline of the caller's context for the
// last pass, so that what is left can be listed and named.
const finalListing = 2 * time.Second

// removalWaitMax bounds how long removeContainer waits for a removal that
// someone else has in progress; ctx may bound it sooner.
const removalWaitMax = time.Minute

// removalPoll is how often removeContainer looks whether a container that
// someone else is removing is gone.
var removalPoll = 100 * time.Millisecond

// removeInstance removes the instance's objects, found by label: containers
// concurrently (forced, no grace), then networks, then volumes (when
// volumes is true). keep, when not nil, spares objects by engine name and
// ID. A missing object is fine: someone else removed it first.
//
// It repeats until a listing finds nothing left to remove. A failure that
// time may cure (an object still in use, a removal already in progress,
// which the engine reports as a conflict) is retried with a short backoff
// for at most convergeTimeout; any other failure ends it at once. When
// something remains, the error names it.
func removeInstance(ctx context.Context, r *run, volumes bool, keep func(name, id string) bool) error {
	start := time.Now()
	deadline := start.Add(convergeTimeout)
	if d, ok := ctx.Deadline(); ok {
		if d = d.Add(-finalListing); d.Before(deadline) {
			deadline = d
		}
	}
	backoff := convergeBackoff
	confirming := false
	for {
		p, err := r.removePass(ctx, volumes, keep)
		r.tally(p)
		if err != nil {
			// A listing failed or ctx ended: report it with what failed.
			return errors.Join(append(p.errs, err)...)
		}
		if len(p.found) == 0 {
			return nil // converged: nothing of the instance is left
		}
		if p.fatal {
			return errors.Join(p.errs...)
		}
		wait := min(backoff, time.Until(deadline))
		if wait <= 0 {
			// A pass that removed everything it found but ended after
			// the deadline (a slow engine: one pass over a big lab can
			// take longer than convergeTimeout) gets one more listing
			// to confirm that nothing is left, rather than failing a
			// removal that worked.
			if len(p.failed) == 0 && !confirming && ctx.Err() == nil {
				confirming = true
				continue
			}
			return p.incomplete(time.Since(start))
		}
		if err := sleep(ctx, wait); err != nil {
			return errors.Join(append(p.errs, err)...)
		}
		backoff = min(2*backoff, convergeMaxBackoff)
	}
}

// pass is what one removal pass found and how it went.
type pass struct {
	mu      sync.Mutex
	found   []string // "container lab-web": everything listed and not kept
	failed  []string // what of found could not be removed
	removed []string // what of found was removed
	errs    []error  // why
	fatal   bool     // an error that retrying will not cure
}

func (p *pass) record(what string, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err == nil {
		p.removed = append(p.removed, what)
		return
	}
	p.failed = append(p.failed, what)
	p.errs = append(p.errs, err)
	if !retryable(err) {
		p.fatal = true
	}
}

// tally records what a pass removed and what it could not remove.
func (r *run) tally(p *pass) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, what := range p.removed {
		if !slices.Contains(r.removed, what) {
			r.removed = append(r.removed, what)
		}
	}
	r.left = slices.DeleteFunc(slices.Clone(p.found), func(what string) bool { return slices.Contains(p.removed, what) })
}

// incomplete is the error for objects still there when time ran out.
func (p *pass) incomplete(after time.Duration) error {
	left := p.failed
	verb := "could not be removed"
	if len(left) == 0 {
		// The last pass removed all it found, yet every pass found
		// something: objects keep appearing.
		left, verb = p.found, "kept reappearing"
	}
	err := fmt.Errorf("%s %s within %s", strings.Join(left, ", "), verb, after.Round(100*time.Millisecond))
	return errors.Join(append([]error{err}, p.errs...)...)
}

// removePass lists the instance's objects and removes them once. The
// error is a failed listing or the end of ctx; removal failures are in the
// pass.
func (r *run) removePass(ctx context.Context, volumes bool, keep func(name, id string) bool) (*pass, error) {
	p := &pass{}
	match := engine.Instance(r.instance)
	job := func(what string, remove func(context.Context) error) func(context.Context) error {
		p.found = append(p.found, what)
		return func(ctx context.Context) error {
			p.record(what, remove(ctx))
			return nil
		}
	}

	cs, err := r.eng.Containers(ctx, match)
	if err != nil {
		return p, fmt.Errorf("list containers of %s: %w", r.instance, err)
	}
	var jobs []func(context.Context) error
	for _, c := range cs {
		if keep != nil && keep(c.Name, c.ID) {
			continue
		}
		name := declaredName(r.instance, c.Labels[engine.LabelService], c.Name)
		jobs = append(jobs, job("container "+c.Name, func(ctx context.Context) error {
			return r.removeObject(ctx, "service", name, "container of service", true, func(ctx context.Context) error {
				return r.deleteContainer(ctx, c.ID)
			})
		}))
	}
	if err := r.all(ctx, jobs); err != nil {
		return p, err
	}

	ns, err := r.eng.Networks(ctx, match)
	if err != nil {
		return p, fmt.Errorf("list networks of %s: %w", r.instance, err)
	}
	jobs = nil
	for _, n := range ns {
		if keep != nil && keep(n.Name, n.ID) {
			continue
		}
		name := declaredName(r.instance, n.Labels[engine.LabelNetwork], n.Name)
		jobs = append(jobs, job("network "+n.Name, func(ctx context.Context) error {
			return r.removeObject(ctx, "network", name, "network", true, func(ctx context.Context) error {
				return r.eng.RemoveNetwork(ctx, n.ID)
			})
		}))
	}
	if err := r.all(ctx, jobs); err != nil {
		return p, err
	}

	if !volumes {
		return p, nil
	}
	vs, err := r.eng.Volumes(ctx, match)
	if err != nil {
		return p, fmt.Errorf("list volumes of %s: %w", r.instance, err)
	}
	jobs = nil
	for _, v := range vs {
		if keep != nil && keep(v.Name, v.Name) {
			continue
		}
		name := declaredName(r.instance, v.Labels[engine.LabelVolume], v.Name)
		jobs = append(jobs, job("volume "+v.Name, func(ctx context.Context) error {
			return r.removeObject(ctx, "volume", name, "volume", true, func(ctx context.Context) error {
				return r.eng.RemoveVolume(ctx, v.Name)
			})
		}))
	}
	return p, r.all(ctx, jobs)
}

// retryable reports whether a removal failure may pass by itself: the
// object is still in use (a volume by a container, a network by an
// endpoint) or someone else is removing it. Engines report these as
// ErrConflict or ErrRemovalInProgress.
func retryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	return errors.Is(err, engine.ErrConflict) || errors.Is(err, engine.ErrRemovalInProgress)
}

// removalInProgress reports whether err says that someone else is already
// removing the container.
func removalInProgress(err error) bool {
	return errors.Is(err, engine.ErrRemovalInProgress)
}

// deleteContainer removes a container. When someone else is already
// removing it (a process killed right after asking, such as an up
// interrupted twice), the outcome wanted is on its way: it waits until
// the container is gone. The Docker engine waits itself; this covers
// engines that do not.
func (r *run) deleteContainer(ctx context.Context, id string) error {
	err := r.eng.RemoveContainer(ctx, id)
	if !removalInProgress(err) {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, removalWaitMax)
	defer cancel()
	for {
		if serr := sleep(wctx, removalPoll); serr != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("still being removed after %s: %w", removalWaitMax, err)
		}
		_, ierr := r.eng.InspectContainer(wctx, id)
		switch {
		case errors.Is(ierr, engine.ErrNotFound):
			return nil
		case ierr != nil && wctx.Err() == nil:
			return ierr
		}
	}
}

// removeObject removes one object and reports it. kind and name are for
// progress events, what for the error ("remove <what> <name>: …"). A
// missing object counts as removed. When retrying, a failure that
// retrying may cure is reported as waiting, not as failed.
func (r *run) removeObject(ctx context.Context, kind, name, what string, retrying bool, remove func(context.Context) error) error {
	start := time.Now()
	r.emit(kind, name, progress.Removing, 0, "")
	err := remove(ctx)
	if err == nil || errors.Is(err, engine.ErrNotFound) {
		r.emit(kind, name, progress.Removed, time.Since(start), "")
		return nil
	}
	if retrying && retryable(err) {
		r.emit(kind, name, progress.Waiting, time.Since(start), "retrying: "+err.Error())
	} else {
		r.emit(kind, name, progress.Failed, time.Since(start), err.Error())
	}
	return fmt.Errorf("remove %s %s: %w", what, name, err)
}

func (r *run) removeContainer(ctx context.Context, name, id string) error {
	return r.removeObject(ctx, "service", name, "container of service", false, func(ctx context.Context) error {
		return r.deleteContainer(ctx, id)
	})
}

func (r *run) removeNetwork(ctx context.Context, name, id string) error {
	return r.removeObject(ctx, "network", name, "network", false, func(ctx context.Context) error {
		return r.eng.RemoveNetwork(ctx, id)
	})
}

func (r *run) removeVolume(ctx context.Context, name, engineName string) error {
	return r.removeObject(ctx, "volume", name, "volume", false, func(ctx context.Context) error {
		return r.eng.RemoveVolume(ctx, engineName)
	})
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func declaredName(instance, label, engineName string) string {
	if label != "" {
		return label
	}
	if len(engineName) > len(instance)+1 && engineName[:len(instance)+1] == instance+"-" {
		return engineName[len(instance)+1:]
	}
	return engineName
}
