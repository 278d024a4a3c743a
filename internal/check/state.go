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
	"github.com/proeftuin/proeftuin/internal/phrase"
	"github.com/proeftuin/proeftuin/internal/poll"
	"github.com/proeftuin/proeftuin/internal/probe"
	"github.com/proeftuin/proeftuin/internal/report"
)

// maxFileContent is how much of a file a `contains` check reads.
const maxFileContent = 4 << 20

// runFile inspects a path through the engine's archive API, so the service
// needs no shell, and a stopped container can be checked too.
func (r *Runner) runFile(ctx context.Context, p *config.FileProbe) Outcome {
	o := expecting(fileExpected(p))
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
		found(&o, phrase.Of(phrase.P("file_absent", p.Path)))
		if !p.Exists {
			o.Status = Passed
		}
		return o
	}
	if !p.Exists {
		found(&o, phrase.Of(phrase.P("file_exists", p.Path)))
		return o
	}
	ok := true
	parts := phrase.Of(phrase.P("file_exists", p.Path))
	if st.dir {
		parts[0] = phrase.P("file_folder", p.Path)
	}
	if p.Contains != "" {
		switch {
		case !st.regular:
			ok = false
			parts = append(parts, phrase.P("not_regular"))
		case strings.Contains(string(st.content), p.Contains):
			parts = append(parts, phrase.P("contains", p.Contains))
		default:
			ok = false
			content := strings.TrimSpace(string(st.content))
			if content == "" {
				parts = append(parts, phrase.P("is_empty"))
			} else {
				parts = append(parts, phrase.P("content_was", probe.Excerpt(content, 160)))
			}
			if st.size > maxFileContent {
				o.Detail = fmt.Sprintf("only the first %d bytes of %d were searched", maxFileContent, st.size)
			}
		}
	}
	if wantMode >= 0 {
		parts = append(parts, phrase.P("mode", fmt.Sprintf("%04o", st.mode)))
		if st.mode != wantMode {
			ok = false
		}
	}
	found(&o, parts)
	if ok {
		o.Status = Passed
	}
	return o
}

// found sets what o found to t.
func found(o *Outcome, t phrase.Text) {
	o.ActualText = t
	o.Actual = report.English(t)
}

func fileExpected(p *config.FileProbe) phrase.Text {
	if !p.Exists {
		return phrase.Of(phrase.P("file_absent", p.Path))
	}
	parts := phrase.Of(phrase.P("file_exists", p.Path))
	if p.Contains != "" {
		parts = append(parts, phrase.P("contains", p.Contains))
	}
	if p.Mode != "" {
		mode := strings.TrimSpace(p.Mode)
		if m, err := strconv.ParseUint(mode, 8, 32); err == nil {
			mode = fmt.Sprintf("%04o", m)
		}
		parts = append(parts, phrase.P("mode", mode))
	}
	return parts
}

// runProcess lists the service's processes through the engine (like
// `docker top`), so the service needs no ps and no /proc access.
func (r *Runner) runProcess(ctx context.Context, p *config.ProcessProbe) Outcome {
	o := expecting(processExpected(p))
	if p.Name == "" {
		return errorOutcome(o, errors.New("process check has no name"))
	}
	c, err := r.freshContainer(ctx, p.Service)
	if err != nil {
		return errorOutcome(o, err)
	}
	o.Status = Failed
	if c.State != engine.StateRunning {
		found(&o, phrase.Of(phrase.P("service_not_running", p.Service, string(c.State))))
		if !p.Running {
			o.Status = Passed
		}
		return o
	}
	procs, err := r.Engine.Top(ctx, c.ID)
	if err != nil {
		return errorOutcome(o, fmt.Errorf("list processes of service %s: %w", p.Service, err))
	}
	var matched []engine.Process
	all := make([]string, 0, len(procs))
	for _, pr := range procs {
		all = append(all, probe.Excerpt(pr.Command, 60))
		if strings.Contains(pr.Command, p.Name) {
			matched = append(matched, pr)
		}
	}
	o.Detail = "processes: " + strings.Join(all, "; ")
	if len(matched) == 0 {
		found(&o, phrase.Of(phrase.P("no_process_matches")))
		if len(all) > 0 {
			shown := all
			if len(shown) > 5 {
				shown = append(shown[:5:5], fmt.Sprintf("%d more", len(all)-5))
			}
			found(&o, phrase.Of(phrase.P("no_process_matches_running", strings.Join(shown, ", "))))
		}
		if !p.Running {
			o.Status = Passed
		}
		return o
	}
	first := phrase.P("process_found", probe.Excerpt(matched[0].Command, 120), strconv.Itoa(matched[0].PID))
	if len(matched) > 1 {
		first = phrase.P("processes_found", probe.Excerpt(matched[0].Command, 120), strconv.Itoa(matched[0].PID), strconv.Itoa(len(matched)-1))
	}
	found(&o, phrase.Of(first))
	if p.Running {
		o.Status = Passed
	}
	return o
}

func processExpected(p *config.ProcessProbe) phrase.Text {
	if p.Running {
		return phrase.Of(phrase.P("process_runs", p.Name))
	}
	return phrase.Of(phrase.P("no_process", p.Name))
}

// runService compares the container's state; it settles, since a service
// may still be starting or its health check may still be running.
func (r *Runner) runService(ctx context.Context, deadline time.Time, p *config.ServiceProbe) Outcome {
	want := wantState(p)
	switch want {
	case "running", "healthy", "stopped":
	default:
		return errorOutcome(Outcome{Expected: want, Attempts: 1}, fmt.Errorf("state %q: want running, healthy or stopped", want))
	}
	expected := phrase.Of(phrase.P("state." + want))
	if r.Env != nil && r.Env.Service(p.Service) == nil {
		return errorOutcome(withAttempts(expecting(expected), 1), fmt.Errorf("unknown service %q", p.Service))
	}
	return r.settle(ctx, deadline, expected, func(ctx context.Context, _ time.Duration) attempt {
		c, err := r.serviceContainer(ctx, p.Service)
		if poll.IsTransient(err) {
			// No container is a state too: not created (yet).
			return attempt{met: false, actual: "no container", text: phrase.Of(phrase.P("no_container"))}
		}
		if err != nil {
			return attempt{err: err}
		}
		d, err := r.Engine.InspectContainer(ctx, c.ID)
		if errors.Is(err, engine.ErrNotFound) {
			r.lookup().Forget() // perhaps recreated under another ID
			return attempt{actual: "no container", text: phrase.Of(phrase.P("no_container"))}
		}
		if err != nil {
			return attempt{err: transient(fmt.Errorf("inspect service %s: %w", p.Service, err))}
		}
		actual, text := stateText(d), statePhrases(d)
		switch want {
		case "running":
			return attempt{met: d.State == engine.StateRunning, actual: actual, text: text}
		case "healthy":
			if d.State == engine.StateRunning && d.Health == engine.HealthNone {
				return attempt{actual: actual, text: text, final: true, detail: "the service has no health check, so it never becomes healthy"}
			}
			return attempt{met: d.State == engine.StateRunning && d.Health == engine.HealthHealthy, actual: actual, text: text}
		default: // stopped
			return attempt{met: !d.State.Alive(), actual: actual, text: text}
		}
	})
}

// statePhrases is stateText as phrases, or nil for a state the report's
// catalogue does not name (it then shows stateText as it is).
func statePhrases(d engine.ContainerDetail) phrase.Text {
	var t phrase.Text
	switch {
	case d.State == engine.StateRunning && d.Health != engine.HealthNone:
		t = phrase.Of(phrase.P("state.running_" + d.Health.String()))
	case d.State.Stopped():
		t = phrase.Of(phrase.P("state."+string(d.State)+"_code", strconv.Itoa(d.ExitCode)))
	default:
		t = phrase.Of(phrase.P("state." + string(d.State)))
	}
	if report.English(t) != stateText(d) {
		return nil
	}
	return t
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
