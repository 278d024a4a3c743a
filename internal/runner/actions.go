package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/proeftuin/proeftuin/internal/apply"
	"github.com/proeftuin/proeftuin/internal/check"
	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/phrase"
	"github.com/proeftuin/proeftuin/internal/redact"
	"github.com/proeftuin/proeftuin/internal/report"
)

// slack is extra time an action's context gets beyond its timeout when the
// action enforces that timeout itself (wait, http), so its own, more
// telling message wins over a bare "deadline exceeded".
const slack = 2 * time.Second

// failure is an action that ran but did not do what was expected (as
// opposed to one that could not run: an engine error).
type failure struct {
	msg  string
	text phrase.Text // msg as phrases, when it has that form
}

func (f *failure) Error() string { return f.msg }

func failf(format string, args ...any) error { return &failure{msg: fmt.Sprintf(format, args...)} }

// action runs one action within its timeout. ctx is the run's context
// (cancelled by an interrupt), sctx the step's (with the step's timeout),
// which may be ctx itself.
func (r *run) action(ctx, sctx context.Context, a *config.Action) report.Action {
	ra := describeAction(r.env, a)
	timeout := a.Timeout
	if timeout <= 0 {
		timeout = DefaultActionTimeout
	}
	ctxTimeout := timeout
	if a.Kind == "wait" || a.Kind == "http" {
		ctxTimeout += slack
	}
	actx, cancel := context.WithTimeout(sctx, ctxTimeout)
	defer cancel()
	start := time.Now()

	var err error
	switch a.Kind {
	case "exec":
		err = r.exec(actx, a.Exec, &ra)
	case "copy":
		err = r.copy(actx, a.Copy)
	case "restart", "stop", "start":
		err = r.lifecycle(actx, a.Kind, a.Service)
	case "wait":
		err = r.wait(actx, a.Wait, timeout)
	case "http":
		err = r.http(actx, a.HTTP, timeout)
	case "kill", "chmod", "chown", "fill", "disconnect", "connect", "netem", "block":
		err = r.faultAction(actx, a, &ra)
	default:
		err = fmt.Errorf("unknown action %q", a.Kind)
	}
	ra.DurationMS = time.Since(start).Milliseconds()

	var f *failure
	switch {
	case err == nil:
		ra.Status = report.Passed
	case ctx.Err() != nil:
		ra.Status = report.Interrupted
		setReason(&ra.Error, &ra.Reason, report.Reason{Code: report.ReasonActionInterrupted})
	case sctx.Err() != nil:
		ra.Status = report.Failed
		setReason(&ra.Error, &ra.Reason, report.Reason{Code: report.ReasonStepTimeRanOut})
	case actx.Err() != nil && errors.Is(actx.Err(), context.DeadlineExceeded):
		ra.Status = report.Failed
		setReason(&ra.Error, &ra.Reason, report.Reason{Code: report.ReasonActionTimeout, Arg: timeout.String()})
	case errors.As(err, &f):
		ra.Status, ra.Error, ra.ErrorText = report.Failed, f.msg, f.text
	default:
		ra.Status, ra.Error = report.Error, err.Error()
	}
	return ra
}

// describeAction fills what an action is, before it runs.
func describeAction(env *config.Environment, a *config.Action) report.Action {
	ra := report.Action{Kind: a.Kind}
	switch a.Kind {
	case "exec":
		if a.Exec != nil {
			ra.Service = a.Exec.Service
			ra.Command = append([]string(nil), a.Exec.Command...)
			var d []string
			if a.Exec.User != "" {
				d = append(d, "user "+a.Exec.User)
			}
			if a.Exec.WorkDir != "" {
				d = append(d, "in "+a.Exec.WorkDir)
			}
			if a.Exec.StdinFile != "" {
				d = append(d, "stdin from "+relPath(env, a.Exec.StdinFile))
			}
			if a.Exec.ExitCode != 0 {
				d = append(d, fmt.Sprintf("expects exit code %d", a.Exec.ExitCode))
			}
			ra.Detail = strings.Join(d, ", ")
		}
	case "copy":
		if a.Copy != nil {
			ra.Service = a.Copy.Service
			ra.Detail = relPath(env, a.Copy.Source) + " -> " + a.Copy.Target
		}
	case "restart", "stop", "start":
		ra.Service = a.Service
		ra.Detail = a.Kind + " " + a.Service
	case "wait":
		if a.Wait != nil {
			ra.Service = a.Wait.Service
			if p, err := apply.ReadyProbe(env.Service(a.Wait.Service), a.Wait.Ready, 0); err == nil {
				ra.Detail = "until " + p.Description
			}
		}
	case "http":
		if a.HTTP != nil {
			ra.Service = a.HTTP.From
			method := a.HTTP.Method
			if method == "" {
				method = "GET"
			}
			status := a.HTTP.Status
			if status == 0 {
				status = 200
			}
			ra.Detail = fmt.Sprintf("%s %s = %d", method, a.HTTP.URL, status)
		}
	default:
		if a.Fault != nil {
			ra.Service, ra.Detail = a.Fault.Service, DescribeFaultAction(a)
		}
	}
	return ra
}

// relPath shows a path of the environment folder relative to it.
func relPath(env *config.Environment, p string) string {
	if env != nil && env.Dir != "" {
		if rel, err := filepath.Rel(env.Dir, p); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return p
}

// skippedAction is an action not run because an earlier one failed.
func skippedAction(a *config.Action) report.Action {
	ra := describeAction(nil, a)
	ra.Status = report.Skipped
	return ra
}

// container finds the container of a service of this instance; running
// requires it to run. It answers from the instance's list (r.lookup),
// listed again when that list has no container for the service or lists
// it as not running.
func (r *run) container(ctx context.Context, service string, running bool) (engine.Container, error) {
	if service == "" {
		return engine.Container{}, errors.New("no service named")
	}
	if r.env.Service(service) == nil {
		return engine.Container{}, fmt.Errorf("unknown service %q", service)
	}
	cs, err := r.lookup.Service(ctx, service)
	if err == nil && (len(cs) == 0 || running && cs[0].State != engine.StateRunning) {
		r.lookup.Forget()
		cs, err = r.lookup.Service(ctx, service)
	}
	if err != nil {
		return engine.Container{}, fmt.Errorf("find the container of service %s: %w", service, err)
	}
	if len(cs) == 0 {
		return engine.Container{}, fmt.Errorf("service %s has no container in instance %s (is the environment up?)", service, r.opts.Instance)
	}
	c := cs[0]
	if running && c.State != engine.StateRunning {
		return c, fmt.Errorf("service %s is not running (%s)", service, c.State)
	}
	return c, nil
}

// exec runs a command in the service's container and compares its exit
// code with the expected one.
func (r *run) exec(ctx context.Context, e *config.ExecAction, ra *report.Action) error {
	if e == nil || len(e.Command) == 0 {
		return errors.New("exec action without a command")
	}
	c, err := r.container(ctx, e.Service, true)
	if err != nil {
		return err
	}
	spec := engine.ExecSpec{
		Command:     e.Command,
		User:        e.User,
		WorkDir:     e.WorkDir,
		Env:         envList(e.Env),
		OutputLimit: OutputLimit,
	}
	if e.StdinFile != "" {
		f, err := os.Open(e.StdinFile)
		if err != nil {
			return fmt.Errorf("stdin_file: %w", err)
		}
		defer f.Close()
		spec.Stdin = f
	}
	res, err := r.eng.Exec(ctx, c.ID, spec)
	if err != nil && r.lookup.Stale(err) && spec.Stdin == nil {
		if c, err = r.container(ctx, e.Service, true); err != nil {
			return err
		}
		res, err = r.eng.Exec(ctx, c.ID, spec)
	}
	ra.Stdout, ra.Stderr, ra.Truncated = keptOutput(res.Stdout, res.Truncated, r.secrets), keptOutput(res.Stderr, res.Truncated, r.secrets), res.Truncated
	if err != nil {
		return err
	}
	code := res.ExitCode
	ra.ExitCode = &code
	if code != e.ExitCode {
		if code == 126 || code == 127 {
			return failf("exit code %d, expected %d: %s could not be started in service %s", code, e.ExitCode, e.Command[0], e.Service)
		}
		return &failure{msg: fmt.Sprintf("exit code %d, expected %d", code, e.ExitCode),
			text: phrase.Of(phrase.P("exit_code_want", strconv.Itoa(code), strconv.Itoa(e.ExitCode)))}
	}
	return nil
}

// keptOutput is the output an action keeps, redacted here, before it is
// stored anywhere: when the engine kept only the tail, the tail may begin
// with the end of a secret cut by the cap, which whole-secret redaction
// later would not find (see redact.Tail).
func keptOutput(b []byte, truncated bool, secrets []string) string {
	if truncated {
		return redact.Tail(string(b), secrets)
	}
	return redact.String(string(b), secrets)
}

// envList renders an env map as sorted KEY=value items.
func envList(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// lifecycle restarts, stops or starts a service's container. The grace
// before SIGKILL is the service's stop_timeout (none: at once), as for
// `up` and `down`.
func (r *run) lifecycle(ctx context.Context, kind, service string) error {
	c, err := r.container(ctx, service, false)
	if err != nil {
		return err
	}
	var grace time.Duration
	if s := r.env.Service(service); s != nil && s.StopTimeout != nil {
		grace = *s.StopTimeout
	}
	switch kind {
	case "restart":
		err = r.eng.RestartContainer(ctx, c.ID, grace)
	case "stop":
		err = r.eng.StopContainer(ctx, c.ID, grace)
	case "start":
		err = r.eng.StartContainer(ctx, c.ID)
	}
	r.lookup.Forget() // the state changed, or may have
	if err != nil {
		return fmt.Errorf("%s service %s: %w", kind, service, err)
	}
	if kind == "stop" {
		return nil
	}
	// A started container has a new network namespace: what the network
	// helper set at up (links, names, MACs, routes) went with the old one.
	_, err = apply.NetSetupAgain(ctx, r.eng, r.env, apply.Options{Instance: r.opts.Instance, ProbeBinary: r.opts.ProbeBinary}, []string{service})
	if err != nil {
		return fmt.Errorf("%s service %s: %w", kind, service, err)
	}
	return nil
}

// wait waits for the service's readiness as `up` does.
func (r *run) wait(ctx context.Context, w *config.WaitAction, timeout time.Duration) error {
	if w == nil {
		return errors.New("wait action without a service")
	}
	c, err := r.container(ctx, w.Service, false)
	if err != nil {
		return err
	}
	err = apply.WaitReady(ctx, r.eng, c.ID, r.env.Service(w.Service), w.Ready, timeout, r.secrets)
	var re *apply.ReadyError
	if errors.As(err, &re) {
		return &failure{msg: re.Error()}
	}
	return err
}

// http makes a request through check.Runner: from the host (loopback or a
// published port) or from a service's network namespace.
func (r *run) http(ctx context.Context, h *config.HTTPProbe, timeout time.Duration) error {
	if h == nil {
		return errors.New("http action without a url")
	}
	o := r.checks.Run(ctx, &config.Check{Name: "http", Probe: config.Probe{Kind: "http", HTTP: h}, Timeout: timeout})
	switch o.Status {
	case check.Passed:
		return nil
	case check.Failed:
		msg := fmt.Sprintf("expected %s, got %s", o.Expected, o.Actual)
		if o.Detail != "" {
			msg += "\n" + o.Detail
		}
		return &failure{msg: msg}
	default:
		msg := o.Actual
		if o.Detail != "" && o.Detail != o.Actual {
			msg += "\n" + o.Detail
		}
		return errors.New(msg)
	}
}

// runCheck evaluates a step check (or, with ctx == sctx, an acceptance
// check) and converts the outcome.
func (r *run) runCheck(ctx, sctx context.Context, c *config.Check) report.Check {
	rc := describeCheck(c)
	o := r.checks.Run(sctx, c)
	rc.Status = o.Status
	rc.Expected = o.Expected
	rc.Actual = o.Actual
	rc.ExpectedText, rc.ActualText = o.ExpectedText, o.ActualText
	if o.Status != check.Passed && o.Detail != "" && o.Detail != o.Actual {
		rc.Actual = strings.TrimSpace(rc.Actual + "\n" + o.Detail)
	}
	rc.Attempts = o.Attempts
	rc.DurationMS = o.Duration.Milliseconds()
	if o.Status != check.Passed {
		switch {
		case ctx.Err() != nil:
			rc.Status = report.Interrupted
		case sctx.Err() != nil && rc.Status == report.Error:
			// The reason's English text stays in front of actual for
			// readers that do not know reasons; reports translate it.
			reason := report.Reason{Code: report.ReasonStepTimeRanOut}
			rc.Status = report.Failed
			rc.Reason = &reason
			rc.Actual = strings.TrimSpace(reason.English() + "\n" + rc.Actual)
		}
	}
	return rc
}

// describeCheck fills what a check is, before it runs.
func describeCheck(c *config.Check) report.Check {
	rc := report.Check{
		Name:     c.Name,
		Title:    c.Title,
		Kind:     probeKind(c.Probe),
		From:     c.Probe.Target(),
		Verifies: append([]string(nil), c.Verifies...),
	}
	if c.DeclRange.Filename != "" {
		rc.Source = fmt.Sprintf("%s:%d", filepath.ToSlash(c.DeclRange.Filename), c.DeclRange.Start.Line)
	}
	return rc
}

// skippedCheck is a check that did not run.
func skippedCheck(c *config.Check) report.Check {
	rc := describeCheck(c)
	rc.Status = report.Skipped
	return rc
}

func probeKind(p config.Probe) string {
	switch {
	case p.Kind != "":
		return p.Kind
	case p.Exec != nil:
		return "exec"
	case p.HTTP != nil:
		return "http"
	case p.TCP != nil:
		return "tcp"
	case p.DNS != nil:
		return "dns"
	case p.File != nil:
		return "file"
	case p.Process != nil:
		return "process"
	case p.Service != nil:
		return "service"
	}
	return ""
}
