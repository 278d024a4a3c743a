// Package check evaluates the check kinds shared by acceptance checks, plan
// step checks and readiness: exec, http, tcp, dns, file, process, service.
//
// Checks without `from` run on the host and only ever reach loopback
// addresses or a service's published ports. Checks `from` a service run in
// a probe sidecar: a FROM scratch container holding only the static
// proeftuin binary that joins the service's network namespace, so the
// service's own image needs no shell, curl or nc (see sidecar.go).
//
// Kinds that describe a state that settles over time (tcp, http, dns,
// service) are retried until the check's timeout while their expectation
// is not met; one that is met passes at once, negative expectations
// included. exec, file and process run once: retrying those is a step's
// business.
package check

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/phrase"
	"github.com/proeftuin/proeftuin/internal/poll"
	"github.com/proeftuin/proeftuin/internal/report"
)

// Status is the verdict of a check: the report's Status, of which a check
// uses three values.
type Status = report.Status

const (
	Passed = report.Passed
	Failed = report.Failed
	// Error means the check could not be evaluated: an engine failure, a
	// missing container, invalid input, a refused target.
	Error = report.Error
)

// Outcome is the result of one check.
type Outcome struct {
	Status Status
	// Expected and Actual are short human texts for a report:
	// "HTTP 200" / "HTTP 503", "reachable" / "connection refused".
	Expected string
	Actual   string
	// ExpectedText and ActualText are Expected and Actual as phrases a
	// report translates; ActualText is nil when Actual has no phrase
	// form (an error's own words).
	ExpectedText phrase.Text
	ActualText   phrase.Text
	// Detail adds context: a body excerpt, the full error.
	Detail   string
	Attempts int
	Duration time.Duration
}

// DefaultTimeout is a check's timeout when config.Check.Timeout is 0.
const DefaultTimeout = 30 * time.Second

// DefaultInterval is the pause between attempts of settling kinds.
const DefaultInterval = 250 * time.Millisecond

// Runner evaluates checks against one instance of an environment. It is
// safe for concurrent use. Call Cleanup when done to remove the probe
// sidecars it started.
type Runner struct {
	Engine   engine.Engine
	Instance string
	// Env is the environment the instance was created from; it names the
	// services and their network modes. It may be nil, then services are
	// found by label only.
	Env *config.Environment
	// ProbeBinary is the static Linux proeftuin binary put into the probe
	// sidecar image. "" means $PROEFTUIN_PROBE_BINARY, else the running
	// executable.
	ProbeBinary string
	// Interval is the pause between attempts of settling kinds; 0 means
	// DefaultInterval.
	Interval time.Duration
	// Progress, if set, receives lines about building the probe image.
	Progress func(string)
	// Lookup finds service containers; nil means one of its own. The
	// plan runner shares its own, so that steps and checks list once.
	Lookup *engine.Lookup

	mu       sync.Mutex
	sidecars map[string]*sidecar // by service whose namespace is joined
	imageMu  sync.Mutex          // held while finding or building the image
	image    probeImage
}

// Run evaluates c and never returns a nil-ish outcome: problems running
// the check are reported as Status Error.
func (r *Runner) Run(ctx context.Context, c *config.Check) Outcome {
	start := time.Now()
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	deadline := start.Add(timeout)
	var o Outcome
	p := c.Probe
	switch {
	case p.Exec != nil:
		o = r.once(ctx, deadline, func(ctx context.Context) Outcome { return r.runExec(ctx, p.Exec) })
	case p.File != nil:
		o = r.once(ctx, deadline, func(ctx context.Context) Outcome { return r.runFile(ctx, p.File) })
	case p.Process != nil:
		o = r.once(ctx, deadline, func(ctx context.Context) Outcome { return r.runProcess(ctx, p.Process) })
	case p.HTTP != nil:
		o = r.runHTTP(ctx, deadline, p.HTTP)
	case p.TCP != nil:
		o = r.runTCP(ctx, deadline, p.TCP)
	case p.DNS != nil:
		o = r.runDNS(ctx, deadline, p.DNS)
	case p.Service != nil:
		o = r.runService(ctx, deadline, p.Service)
	default:
		o = Outcome{Status: Error, Actual: "check has no probe", Detail: fmt.Sprintf("check %q declares no check kind (%q)", c.Name, p.Kind)}
	}
	o.Duration = time.Since(start)
	return o
}

// once runs a one-shot kind with the check's deadline.
func (r *Runner) once(ctx context.Context, deadline time.Time, fn func(context.Context) Outcome) Outcome {
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	o := fn(ctx)
	o.Attempts = 1
	if o.Status == Error && ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		o.ActualText = phrase.Of(phrase.P("timed_out"))
		o.Actual = report.English(o.ActualText)
	}
	return o
}

// attempt is one try of a settling kind (a poll.Attempt).
type attempt struct {
	met    bool
	actual string
	text   phrase.Text // actual as phrases, if it has that form
	detail string
	// err means the attempt could not be evaluated; it is retried while
	// time remains when transient (see poll.Transient), else reported at
	// once.
	err error
	// final stops retrying: the state cannot change by waiting.
	final bool
}

func transient(err error) error { return poll.Transient(err) }

// settle retries try every interval until it meets its expectation or the
// deadline passes (poll.Until, the loop readiness uses too). try gets the
// time left as a hint for its own timeout.
func (r *Runner) settle(ctx context.Context, deadline time.Time, expected phrase.Text, try func(ctx context.Context, left time.Duration) attempt) Outcome {
	interval := r.Interval
	if interval <= 0 {
		interval = DefaultInterval
	}
	var last attempt
	res := poll.Until(ctx, deadline, poll.Steady(interval), func(ctx context.Context, left time.Duration) poll.Attempt {
		a := try(ctx, left)
		last = a
		return poll.Attempt{Met: a.met, Actual: a.actual, Detail: a.detail, Err: a.err, Final: a.final}
	})
	a := res.Last
	o := Outcome{Expected: report.English(expected), ExpectedText: expected, Attempts: res.Attempts, Actual: a.Actual, Detail: a.Detail}
	if last.actual == a.Actual && last.err == nil {
		o.ActualText = last.text
	}
	switch {
	case a.Err != nil:
		o.Status = Error
		if o.Actual == "" {
			o.Actual = a.Err.Error()
		}
		if o.Detail == "" {
			o.Detail = a.Err.Error()
		}
	case a.Met:
		o.Status = Passed
	default:
		o.Status = Failed
	}
	if res.Interrupted != nil {
		o.Status = Error
		o.Detail = "interrupted: " + res.Interrupted.Error()
		o.ActualText = nil
	}
	return o
}

// attemptTimeout bounds one attempt: the time left, at most max.
func attemptTimeout(left, max time.Duration) time.Duration {
	if left > max {
		return max
	}
	return left
}

// serviceContainer finds the container of a service of this instance.
// A missing container is a transient error: `up` may still be creating it.
// The answer comes from the instance's list (r.Lookup), listed again when
// the service has no container in it.
func (r *Runner) serviceContainer(ctx context.Context, service string) (engine.Container, error) {
	if service == "" {
		return engine.Container{}, errors.New("no service named")
	}
	if r.Env != nil && r.Env.Service(service) == nil {
		return engine.Container{}, fmt.Errorf("unknown service %q", service)
	}
	cs, err := r.lookup().Service(ctx, service)
	if err == nil && len(cs) == 0 {
		r.lookup().Forget()
		cs, err = r.lookup().Service(ctx, service)
	}
	if err != nil {
		return engine.Container{}, fmt.Errorf("find the container of service %s: %w", service, err)
	}
	if len(cs) == 0 {
		return engine.Container{}, transient(fmt.Errorf("service %s has no container in instance %s (is the environment up?)", service, r.Instance))
	}
	return cs[0], nil
}

// freshContainer is serviceContainer with the state as the engine has it
// now, for checks about the state itself.
func (r *Runner) freshContainer(ctx context.Context, service string) (engine.Container, error) {
	r.lookup().Forget()
	return r.serviceContainer(ctx, service)
}

// runningContainer is serviceContainer for a container that must run; a
// container listed as not running is looked up again before that counts.
// Not running is worth waiting for (a container being created, started or
// restarted), except for a container that exited and that nothing starts
// again while the check waits: its service's restart policy is "no".
func (r *Runner) runningContainer(ctx context.Context, service string) (engine.Container, error) {
	c, err := r.serviceContainer(ctx, service)
	if err == nil && c.State != engine.StateRunning {
		c, err = r.freshContainer(ctx, service)
	}
	if err != nil {
		return c, err
	}
	if c.State != engine.StateRunning {
		err := fmt.Errorf("service %s is not running (%s)", service, c.State)
		if c.State.Stopped() && r.staysStopped(service) {
			return c, err
		}
		return c, transient(err)
	}
	return c, nil
}

// staysStopped says whether a stopped container of service is not
// started again by the engine: its declared restart policy is "no".
func (r *Runner) staysStopped(service string) bool {
	if r.Env == nil {
		return false
	}
	s := r.Env.Service(service)
	return s != nil && (s.Restart == "" || s.Restart == "no")
}

// lookup returns r.Lookup, creating it on first use.
func (r *Runner) lookup() *engine.Lookup {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Lookup == nil {
		r.Lookup = &engine.Lookup{Engine: r.Engine, Instance: r.Instance}
	}
	return r.Lookup
}

// networkService follows network_mode = "service:<name>": probes from a
// service that borrows another's namespace run in that other's.
func (r *Runner) networkService(service string) string {
	seen := map[string]bool{}
	for r.Env != nil && !seen[service] {
		seen[service] = true
		s := r.Env.Service(service)
		if s == nil {
			break
		}
		other, ok := strings.CutPrefix(s.NetworkMode, "service:")
		if !ok || other == "" {
			break
		}
		service = other
	}
	return service
}
