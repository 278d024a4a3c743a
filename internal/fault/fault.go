package fault

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/instance"
	"github.com/proeftuin/proeftuin/internal/report"
	"github.com/proeftuin/proeftuin/internal/runner"
)

// LabelFault marks what a fault adds to an instance (network helper
// sidecars): its value is the fault's id. Reset and down remove it.
const LabelFault = "proeftuin.fault"

// Options control Start, Check and Reset.
type Options struct {
	Force  bool   // start while an incident is open
	Lang   string // the ticket's language
	Author string
	Notes  string
	Up     instance.UpOptions // for Reset
	// Runner is passed to the facade's Actions and Checks (the probe
	// binary); the network helper is set here.
	Runner runner.Options
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now().UTC()
	}
	return time.Now().UTC()
}

// inputf is the facade's InputError: the request cannot be done as asked
// (unknown fault, the instance is not ready for it, no open incident);
// nothing was changed.
func inputf(format string, args ...any) error {
	return &instance.InputError{Err: fmt.Errorf(format, args...)}
}

// Find is the fault id of env, or an InputError with "did you mean".
// With random it picks one.
func Find(env *config.Environment, id string, random bool) (*config.Fault, error) {
	if len(env.Faults) == 0 {
		return nil, inputf("the environment %s declares no fault blocks; see docs/language.md#fault", env.Name)
	}
	if random {
		return env.Faults[rand.IntN(len(env.Faults))], nil
	}
	if f := env.Fault(id); f != nil {
		return f, nil
	}
	return nil, inputf("no fault %q in environment %s.%s Run 'proeftuin fault list' to see them", id, env.Name, config.DidYouMean(id, env.FaultIDs()))
}

// Recovered are the fault's recovered checks: the named acceptance checks
// and its own.
func Recovered(env *config.Environment, f *config.Fault) []*config.Check {
	var out []*config.Check
	for _, name := range f.RecoveredChecks {
		for _, c := range env.Checks {
			if c.Name == name {
				out = append(out, c)
			}
		}
	}
	return append(out, f.RecoveredOwn...)
}

// Start injects fault f into the running instance and opens an incident.
// It refuses when the instance is not up, when the recovered checks do
// not pass first, and when an incident is open (unless Force). The
// incident is saved before the inject runs.
func Start(ctx context.Context, inst *instance.Instance, env *config.Environment, f *config.Fault, o Options) (*Incident, error) {
	store := NewStore(env.Dir)
	if open, err := store.OpenIncident(inst.Name()); err != nil {
		return nil, err
	} else if open != nil && !o.Force {
		return nil, inputf("incident %s (%s) is still open on instance %s: repair it and run 'proeftuin fault check', or 'proeftuin fault reset'; --force starts another anyway", open.ID, open.Status, inst.Name())
	}
	env, err := inst.Loaded(ctx, env)
	if err != nil {
		return nil, BeforeInject(ctx, err)
	}
	if why, err := inst.IsUp(ctx, env); err != nil {
		return nil, BeforeInject(ctx, err)
	} else if why != "" {
		return nil, inputf("%s; a fault is only started on a running instance", why)
	}
	before, err := inst.Checks(ctx, env, Recovered(env, f), o.Runner)
	if err != nil || ctx.Err() != nil {
		return nil, BeforeInject(ctx, err)
	}
	if failing := failed(before); len(failing) > 0 {
		return nil, inputf("the instance is not healthy before the fault: %s do not pass; run 'proeftuin up' (or 'proeftuin fault reset') first", strings.Join(failing, ", "))
	}
	stopped, err := inst.Stopped(ctx, env)
	if err != nil || ctx.Err() != nil {
		return nil, BeforeInject(ctx, err)
	}
	now := o.now()
	inc := &Incident{
		Schema: 1, ID: NewID(now), Instance: inst.Name(), Environment: env.Name, Fault: f.ID,
		Ticket: f.TicketText(o.Lang), Lang: o.Lang, Priority: f.Priority, Category: f.Category,
		Status: StatusInjecting, ReportedAt: now, HintsTotal: len(f.Hints), Services: touched(f.Inject), Stopped: stopped,
		Before: before, Timeline: []Event{{Time: now, Kind: "start", Text: "incident reported"}},
	}
	if err := store.Save(inc); err != nil {
		return nil, fmt.Errorf("record the incident (nothing was injected): %w", err)
	}
	o.Runner.NetworkHelper = newHelper(inst, f.ID, o.Runner.ProbeBinary)
	actions, err := inst.Actions(context.WithoutCancel(ctx), env, f.Inject, o.Runner)
	inc.Inject = actions
	inc.Status = StatusOpen
	text := "the fault was injected"
	if bad := notPassed(actions); err != nil || bad != "" {
		text = "the inject did not finish: " + errors.Join(err, errors.New(bad)).Error()
	}
	inc.Timeline = append(inc.Timeline, Event{Time: o.now(), Kind: "injected", Text: text})
	if serr := store.Save(inc); serr != nil {
		return inc, serr
	}
	if err != nil || text != "the fault was injected" {
		return inc, fmt.Errorf("incident %s: %s; run 'proeftuin fault reset' to restore the design", inc.ID, text)
	}
	return inc, nil
}

// BeforeInject is err of a step before the inject, or, once ctx is
// cancelled (Ctrl-C), that nothing was started.
func BeforeInject(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return &instance.InterruptedError{Msg: "interrupted before the inject: no fault was started"}
	}
	return err
}

// touched are the services the actions act on, sorted.
func touched(actions []*config.Action) []string {
	seen := map[string]bool{}
	for _, a := range actions {
		for _, s := range []string{a.Service, execService(a), copyService(a), waitService(a)} {
			if s != "" {
				seen[s] = true
			}
		}
		if a.Fault != nil && a.Fault.Service != "" {
			seen[a.Fault.Service] = true
		}
	}
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func execService(a *config.Action) string {
	if a.Exec != nil {
		return a.Exec.Service
	}
	return ""
}

func copyService(a *config.Action) string {
	if a.Copy != nil {
		return a.Copy.Service
	}
	return ""
}

func waitService(a *config.Action) string {
	if a.Wait != nil {
		return a.Wait.Service
	}
	return ""
}

func failed(checks []report.Check) []string {
	var out []string
	for _, c := range checks {
		if c.Status != report.Passed {
			out = append(out, c.Name)
		}
	}
	return out
}

func notPassed(actions []report.Action) string {
	for n, a := range actions {
		if a.Status != report.Passed {
			msg := fmt.Sprintf("action %d (%s) %s", n+1, a.Kind, a.Status)
			if a.Error != "" {
				msg += ": " + a.Error
			}
			return msg
		}
	}
	return ""
}

// open is the instance's open incident, or an InputError.
func open(store Store, instanceName string) (*Incident, error) {
	inc, err := store.OpenIncident(instanceName)
	if err != nil {
		return nil, err
	}
	if inc == nil {
		return nil, inputf("no incident is open on instance %s: start one with 'proeftuin fault start ID' (or --random)", instanceName)
	}
	return inc, nil
}

// Hint returns the next hint of the open incident and records that it
// was used; n counts from 1. ok is false when every hint was given.
func Hint(env *config.Environment, instanceName string, o Options) (hint string, n int, inc *Incident, err error) {
	store := NewStore(env.Dir)
	if inc, err = open(store, instanceName); err != nil {
		return "", 0, nil, err
	}
	f := env.Fault(inc.Fault)
	if f == nil {
		return "", 0, inc, inputf("the fault %q of incident %s is no longer declared", inc.Fault, inc.ID)
	}
	if inc.HintsUsed >= len(f.Hints) {
		return "", inc.HintsUsed, inc, nil
	}
	hint = f.Hints[inc.HintsUsed]
	inc.HintsUsed++
	inc.Timeline = append(inc.Timeline, Event{Time: o.now(), Kind: "hint",
		Text: fmt.Sprintf("hint %d of %d", inc.HintsUsed, len(f.Hints)), N: inc.HintsUsed, Of: len(f.Hints)})
	return hint, inc.HintsUsed, inc, store.Save(inc)
}

// Check runs the open incident's recovered checks. When all pass the
// incident is resolved and its report written (Report.Files).
func Check(ctx context.Context, inst *instance.Instance, env *config.Environment, o Options) (*Incident, []report.Check, error) {
	store := NewStore(env.Dir)
	inc, err := open(store, inst.Name())
	if err != nil {
		return nil, nil, err
	}
	f := env.Fault(inc.Fault)
	if f == nil {
		return inc, nil, inputf("the fault %q of incident %s is no longer declared; run 'proeftuin fault reset'", inc.Fault, inc.ID)
	}
	if env, err = inst.Loaded(ctx, env); err != nil {
		return inc, nil, err
	}
	checks, err := inst.Checks(ctx, env, Recovered(env, f), o.Runner)
	if err != nil {
		return inc, nil, err
	}
	failing := failed(checks)
	now := o.now()
	inc.Timeline = append(inc.Timeline, Event{Time: now, Kind: "check",
		Text: fmt.Sprintf("%d of %d recovered checks pass", len(checks)-len(failing), len(checks)),
		N:    len(checks) - len(failing), Of: len(checks)})
	if len(failing) == 0 {
		inc.Status, inc.ClosedAt, inc.After = StatusResolved, now, checks
		inc.Author, inc.Notes = o.Author, o.Notes
		inc.Timeline = append(inc.Timeline, Event{Time: now, Kind: "resolved", Text: "every recovered check passes"})
		lang := o.Lang
		if lang == "" {
			lang = inc.Lang
		}
		if err := WriteReport(store, inc, f, lang, now); err != nil {
			return inc, checks, errors.Join(err, store.Save(inc))
		}
	}
	return inc, checks, store.Save(inc)
}

// Reset restores the finished lab (see Restore): the services the fault
// touched are recreated and the plan's steps on them run again, its
// sidecars are removed, and the open incident is closed as reset.
func Reset(ctx context.Context, inst *instance.Instance, env *config.Environment, o Options) (*Incident, error) {
	store := NewStore(env.Dir)
	inc, err := store.OpenIncident(inst.Name())
	if err != nil {
		return nil, err
	}
	if inc == nil {
		return nil, inputf("no incident is open on instance %s; 'proeftuin up' restores drift from the design", inst.Name())
	}
	if err := Restore(ctx, inst, env, inc.Fault, inc.Services, inc.Stopped, o.Up); err != nil {
		return inc, err
	}
	now := o.now()
	inc.Status, inc.ClosedAt = StatusReset, now
	inc.Timeline = append(inc.Timeline, Event{Time: now, Kind: "reset", Text: "restored from the design: " + strings.Join(inc.Services, ", ")})
	return inc, store.Save(inc)
}
