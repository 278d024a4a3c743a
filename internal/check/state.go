package check

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/poll"
	"github.com/proeftuin/proeftuin/internal/probe"
)

// maxFileContent is how much of a file a `contains` check reads.
const maxFileContent = 4 << 20

// runFile inspects a path through the engine's archive API, so the service
// needs no shell, and a stopped container can be checked too.
func (r *Runner) runFile(ctx context.Context, p *config.FileProbe) Outcome {
	o := Outcome{Expected: fileExpected(p)}
	var wantMode int64 = -1
	if p.Mode != "" {
		m, err := strconv.ParseUint(strings.TrimSpace(p.Mode), 8, 32)
		if err != nil || m > 0o7777 {
			return errorOutcome(o, fmt.Errorf("mode %q is not an octal file mode such as \"0644\"", p.Mode))
		}
		wantMode = int64(m)
	}
	// Fresh: a stale container ID would read as "does not exist", the
	// engine says not found for a missing container and a missing file
	// alike.
	c, err := r.freshContainer(ctx, p.Service)
	if err != nil {
		return errorOutcome(o, err)
	}
	st, err := r.stat(ctx, c.ID, p.Path, maxFileContent)
	if err != nil {
		return errorOutcome(o, fmt.Errorf("service %s: %w", p.Service, err))
	}
	o.Status = Failed
	if !st.exists {
		o.Actual = p.Path + " does not exist"
		if !p.Exists {
			o.Status = Passed
		}
		return o
	}
	if !p.Exists {
		o.Actual = p.Path + " exists"
		return o
	}
	ok := true
	parts := []string{p.Path + " exists"}
	if st.dir {
		parts[0] = p.Path + " exists (a folder)"
	}
	if p.Contains != "" {
		switch {
		case !st.regular:
			ok = false
			parts = append(parts, "is not a regular file")
		case strings.Contains(string(st.content), p.Contains):
			parts = append(parts, "contains "+strconv.Quote(p.Contains))
		default:
			ok = false
			content := strings.TrimSpace(string(st.content))
			if content == "" {
				parts = append(parts, "is empty")
			} else {
				parts = append(parts, "content was: "+strconv.Quote(probe.Excerpt(content, 160)))
			}
			if st.size > maxFileContent {
				o.Detail = fmt.Sprintf("only the first %d bytes of %d were searched", maxFileContent, st.size)
			}
		}
	}
	if wantMode >= 0 {
		parts = append(parts, fmt.Sprintf("mode %04o", st.mode))
		if st.mode != wantMode {
			ok = false
		}
	}
	o.Actual = strings.Join(parts, ", ")
	if ok {
		o.Status = Passed
	}
	return o
}

func fileExpected(p *config.FileProbe) string {
	if !p.Exists {
		return p.Path + " does not exist"
	}
	parts := []string{p.Path + " exists"}
	if p.Contains != "" {
		parts = append(parts, "contains "+strconv.Quote(p.Contains))
	}
	if p.Mode != "" {
		mode := strings.TrimSpace(p.Mode)
		if m, err := strconv.ParseUint(mode, 8, 32); err == nil {
			mode = fmt.Sprintf("%04o", m)
		}
		parts = append(parts, "mode "+mode)
	}
	return strings.Join(parts, ", ")
}

// runProcess lists the service's processes through the engine (like
// `docker top`), so the service needs no ps and no /proc access.
func (r *Runner) runProcess(ctx context.Context, p *config.ProcessProbe) Outcome {
	o := Outcome{Expected: processExpected(p)}
	if p.Name == "" {
		return errorOutcome(o, errors.New("process check has no name"))
	}
	c, err := r.freshContainer(ctx, p.Service)
	if err != nil {
		return errorOutcome(o, err)
	}
	o.Status = Failed
	if c.State != engine.StateRunning {
		o.Actual = fmt.Sprintf("no process: service %s is not running (%s)", p.Service, c.State)
		if !p.Running {
			o.Status = Passed
		}
		return o
	}
	procs, err := r.Engine.Top(ctx, c.ID)
	if err != nil {
		return errorOutcome(o, fmt.Errorf("list processes of service %s: %w", p.Service, err))
	}
	var found []engine.Process
	all := make([]string, 0, len(procs))
	for _, pr := range procs {
		all = append(all, probe.Excerpt(pr.Command, 60))
		if strings.Contains(pr.Command, p.Name) {
			found = append(found, pr)
		}
	}
	o.Detail = "processes: " + strings.Join(all, "; ")
	if len(found) == 0 {
		o.Actual = "no process matches"
		if len(all) > 0 {
			shown := all
			if len(shown) > 5 {
				shown = append(shown[:5:5], fmt.Sprintf("%d more", len(all)-5))
			}
			o.Actual += "; running: " + strings.Join(shown, ", ")
		}
		if !p.Running {
			o.Status = Passed
		}
		return o
	}
	o.Actual = fmt.Sprintf("running: %s (pid %d)", probe.Excerpt(found[0].Command, 120), found[0].PID)
	if len(found) > 1 {
		o.Actual += fmt.Sprintf(" and %d more", len(found)-1)
	}
	if p.Running {
		o.Status = Passed
	}
	return o
}

func processExpected(p *config.ProcessProbe) string {
	if p.Running {
		return "a process matching " + strconv.Quote(p.Name) + " runs"
	}
	return "no process matching " + strconv.Quote(p.Name) + " runs"
}

// runService compares the container's state; it settles, since a service
// may still be starting or its health check may still be running.
func (r *Runner) runService(ctx context.Context, deadline time.Time, p *config.ServiceProbe) Outcome {
	want := p.State
	if want == "" {
		want = "running"
	}
	switch want {
	case "running", "healthy", "stopped":
	default:
		return errorOutcome(Outcome{Expected: want, Attempts: 1}, fmt.Errorf("state %q: want running, healthy or stopped", want))
	}
	if r.Env != nil && r.Env.Service(p.Service) == nil {
		return errorOutcome(Outcome{Expected: want, Attempts: 1}, fmt.Errorf("unknown service %q", p.Service))
	}
	return r.settle(ctx, deadline, want, func(ctx context.Context, _ time.Duration) attempt {
		c, err := r.serviceContainer(ctx, p.Service)
		if poll.IsTransient(err) {
			// No container is a state too: not created (yet).
			return attempt{met: false, actual: "no container"}
		}
		if err != nil {
			return attempt{err: err}
		}
		d, err := r.Engine.InspectContainer(ctx, c.ID)
		if errors.Is(err, engine.ErrNotFound) {
			r.lookup().Forget() // perhaps recreated under another ID
			return attempt{actual: "no container"}
		}
		if err != nil {
			return attempt{err: transient(fmt.Errorf("inspect service %s: %w", p.Service, err))}
		}
		actual := stateText(d)
		switch want {
		case "running":
			return attempt{met: d.State == engine.StateRunning, actual: actual}
		case "healthy":
			if d.State == engine.StateRunning && d.Health == engine.HealthNone {
				return attempt{actual: actual, final: true, detail: "the service has no health check, so it never becomes healthy"}
			}
			return attempt{met: d.State == engine.StateRunning && d.Health == engine.HealthHealthy, actual: actual}
		default: // stopped
			return attempt{met: !d.State.Alive(), actual: actual}
		}
	})
}

// stateText describes a container's state: "running", "running
// (healthy)", "exited (exit code 1)".
func stateText(d engine.ContainerDetail) string {
	switch {
	case d.State == engine.StateRunning:
		if d.Health != engine.HealthNone {
			return "running (" + d.Health.String() + ")"
		}
		return "running"
	case d.State.Stopped():
		return fmt.Sprintf("%s (exit code %d)", d.State, d.ExitCode)
	case d.State == "":
		return "unknown"
	default:
		return d.State.String()
	}
}
