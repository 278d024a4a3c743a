// Package instance is the one way through to an instance of an
// environment on an engine. Every command that works on an instance
// (plan, up, run, check, status, down, lab verify) opens it with Open,
// which takes the instance lock and owns the progress sink, and calls one
// method. The methods load the environment again once the instance's auto
// subnets are known, so addresses computed from them (cidrhost) are the
// real ones, and return typed results and typed errors (InputError,
// EngineError, RollbackError, InterruptedError).
package instance

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/lock"
	"github.com/proeftuin/proeftuin/internal/planner"
	"github.com/proeftuin/proeftuin/internal/progress"
)

// Options configure Open.
type Options struct {
	// Config loads the environment; the methods load it again with the
	// instance's auto subnets (Config.Subnets). Nil when the instance has
	// no definition at hand (down or status after the lab was deleted).
	Config *config.Options
	// Progress receives every event; Close closes it when it is a
	// progress.Renderer. Nil discards them.
	Progress progress.Sink
	// Lock takes the instance lock: one up, run, check or down per
	// instance of an engine at a time. Plan and status read only and need
	// none.
	Lock bool
	// LockTimeout bounds the wait for another command (0: lock's default).
	LockTimeout time.Duration
	// Command is this process's command line, for the lock file.
	Command string
	// Notice tells the user something outside the progress display (that
	// the lock is held by another command, that services do not run); nil
	// drops it.
	Notice func(msg string)
	// Adjust, when set, changes every environment the methods load (with
	// the instance's subnets) before it is used: grading caps resources.
	Adjust func(*config.Environment)
}

// Instance is an opened instance. Close it.
type Instance struct {
	eng    engine.Engine
	name   string
	opts   Options
	sink   progress.Sink
	lock   *lock.Lock
	closed atomic.Bool
}

// Open opens instance name on eng: with Options.Lock it waits for the
// instance lock (bounded by LockTimeout and ctx).
func Open(ctx context.Context, eng engine.Engine, name string, opts Options) (*Instance, error) {
	if eng == nil || name == "" {
		return nil, errors.New("instance: Open needs an engine and a name")
	}
	i := &Instance{eng: eng, name: name, opts: opts, sink: opts.Progress}
	if i.sink == nil {
		i.sink = progress.Discard
	}
	if opts.Notice == nil {
		i.opts.Notice = func(string) {}
	}
	if opts.Lock {
		l, err := i.takeLock(ctx)
		if err != nil {
			i.closeSink()
			return nil, err
		}
		i.lock = l
	}
	return i, nil
}

// takeLock serialises up/down/run/check on one instance of one engine.
func (i *Instance) takeLock(ctx context.Context) (*lock.Lock, error) {
	// The lock is per engine, known by its identity rather than the
	// address as spelled (lock.EngineKey): a unix socket by its inode,
	// without a round trip; another address by the engine's ID.
	host := "default"
	if h, ok := i.eng.(interface{ Host() string }); ok && h.Host() != "" {
		host = h.Host()
	}
	var infoErr error
	key := lock.EngineKey(host, func() string {
		info, err := i.eng.Info(ctx)
		infoErr = err
		return info.ID
	})
	if infoErr != nil {
		return nil, engineError(infoErr)
	}
	var warned atomic.Bool
	l, err := lock.Acquire(ctx, key, i.name, lock.Options{
		Timeout: i.opts.LockTimeout,
		Command: i.opts.Command,
		Waiting: func(h lock.Holder) {
			if !warned.Swap(true) {
				i.opts.Notice(fmt.Sprintf("waiting for another proeftuin command on instance %s%s", i.name, holder(h)))
			}
		},
	})
	switch {
	case err == nil:
		return l, nil
	case errors.Is(err, context.Canceled):
		return nil, &InterruptedError{Msg: "interrupted while waiting for the instance lock"}
	case errors.Is(err, lock.ErrTimeout):
		return nil, &EngineError{Err: fmt.Errorf("%w; another proeftuin command is still working on it (--lock-timeout to wait longer)", err)}
	}
	return nil, &EngineError{Err: err}
}

// holder is " (pid N: command)" for a lock holder, "" when unknown.
func holder(h lock.Holder) string {
	if h.PID <= 0 {
		return ""
	}
	who := fmt.Sprintf(" (pid %d", h.PID)
	if h.Command != "" {
		who += ": " + h.Command
	}
	return who + ")"
}

// Close releases the lock and closes the progress sink. It may be called
// more than once; callers close before printing a summary so a terminal
// display is finished first.
func (i *Instance) Close() error {
	if i.closed.Swap(true) {
		return nil
	}
	err := i.closeSink()
	if i.lock != nil {
		err = errors.Join(err, i.lock.Release())
	}
	return err
}

func (i *Instance) closeSink() error {
	if r, ok := i.sink.(progress.Renderer); ok {
		return r.Close()
	}
	return nil
}

// Name is the instance's name.
func (i *Instance) Name() string { return i.name }

// Engine is the engine the instance lives on.
func (i *Instance) Engine() engine.Engine { return i.eng }

// Progress is the sink every method reports to.
func (i *Instance) Progress() progress.Sink { return i.sink }

// Notify reports a warning about the instance through the progress sink
// (an interrupt, say), so a terminal display stays intact.
func (i *Instance) Notify(msg string) { Notify(i.sink, i.name, msg) }

// Notify reports a warning about instance name through sink, before the
// instance is open (an interrupt while connecting, say).
func Notify(sink progress.Sink, name, msg string) {
	sink.Event(progress.Event{Time: time.Now(), Kind: "instance", Name: name, Phase: progress.Warning, Message: msg})
}

// Observe reads what the engine holds for the instance.
func (i *Instance) Observe(ctx context.Context) (*planner.Actual, error) {
	a, err := planner.Observe(ctx, i.eng, i.name)
	if err != nil {
		return nil, engineError(err)
	}
	return a, nil
}

// Objects counts the instance's containers, networks and volumes,
// probe sidecars included.
func (i *Instance) Objects(ctx context.Context) (int, error) {
	match := engine.Instance(i.name)
	cs, err := i.eng.Containers(ctx, match)
	if err != nil {
		return 0, engineError(err)
	}
	ns, err := i.eng.Networks(ctx, match)
	if err != nil {
		return 0, engineError(err)
	}
	vs, err := i.eng.Volumes(ctx, match)
	if err != nil {
		return 0, engineError(err)
	}
	return len(cs) + len(ns) + len(vs), nil
}

// loader returns the function that loads the environment again with the
// instance's auto subnets, every service pulled by pull when set: the one
// Reload of apply.Options. Diagnostics with errors come back as an
// InputError; warnings were shown by the first load.
func (i *Instance) loader(pull string) func(subnets map[string]string) (*config.Environment, error) {
	return func(subnets map[string]string) (*config.Environment, error) {
		if i.opts.Config == nil {
			return nil, &InputError{Err: errors.New("the environment's definition is needed to load it with its subnets")}
		}
		o := *i.opts.Config
		o.Subnets = subnets
		env, diags := config.Load(o)
		if diags.HasErrors() {
			return nil, &InputError{Diags: diags, Env: env}
		}
		ApplyPull(env, pull)
		if i.opts.Adjust != nil {
			i.opts.Adjust(env)
		}
		return env, nil
	}
}

// ApplyPull overrides every service's pull policy when pull is set
// (missing, always, never).
func ApplyPull(env *config.Environment, pull string) {
	if env == nil || pull == "" {
		return
	}
	for _, s := range env.Services {
		s.Pull = pull
	}
}
