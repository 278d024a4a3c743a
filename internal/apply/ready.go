package apply

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/redact"
)

// DefaultReadyTimeout applies when a ready block sets no timeout.
const DefaultReadyTimeout = 60 * time.Second

// DefaultPollInterval applies when a ready block sets no interval.
const DefaultPollInterval = 100 * time.Millisecond

// watchInterval is how often the container's state is checked while a
// readiness probe runs, so a crash fails the wait at once instead of
// after the timeout.
const watchInterval = 200 * time.Millisecond

// logTail is the number of log lines a readiness failure carries.
const logTail = 20

// Probe is a readiness check mapped onto a testcontainers-go strategy.
type Probe struct {
	Strategy    wait.Strategy // nil: ready when running
	Description string        // for messages: `HTTP GET :80/ = 200`
	Timeout     time.Duration
	// First, when set, is one attempt made at once, before Strategy
	// (whose first attempt comes only after a poll interval): true
	// means ready. A failed attempt falls through to Strategy.
	First func(ctx context.Context, t wait.StrategyTarget) bool
}

// ReadyProbe maps a service's ready block onto testcontainers-go's wait
// strategies. override (> 0) replaces the block's timeout.
//
// HTTP and port probes from the host need the container port published;
// when it is not, the probe runs inside the container instead:
//   - port: grep for a listening socket in /proc/net/{tcp,tcp6,udp,udp6}
//     (needs only grep in the image);
//   - http: curl, else wget, else (documented limitation) the port check
//     above, through /bin/sh.
func ReadyProbe(s *config.Service, r *config.Ready, override time.Duration) (Probe, error) {
	p := Probe{Timeout: DefaultReadyTimeout}
	if r == nil {
		p.Description = "running"
		return p, nil
	}
	if r.Timeout > 0 {
		p.Timeout = r.Timeout
	}
	if override > 0 {
		p.Timeout = override
	}
	iv := r.Interval
	if iv <= 0 {
		iv = DefaultPollInterval
	}
	switch {
	case r.Exec != nil:
		if len(r.Exec.Command) == 0 {
			return p, errors.New("ready exec has an empty command")
		}
		code := r.Exec.ExitCode
		p.Strategy = wait.ForExec(r.Exec.Command).
			WithExitCodeMatcher(func(c int) bool { return c == code }).
			WithPollInterval(iv).WithStartupTimeout(p.Timeout)
		p.Description = fmt.Sprintf("exec %s exits %d", strings.Join(r.Exec.Command, " "), code)
	case r.HTTP != nil:
		path, status := r.HTTP.Path, r.HTTP.Status
		if path == "" {
			path = "/"
		}
		if status == 0 {
			status = 200
		}
		p.Description = fmt.Sprintf("HTTP GET :%d%s answers %d", r.HTTP.Port, path, status)
		if published(s, r.HTTP.Port, "tcp") {
			p.Strategy = wait.ForHTTP(path).
				WithPort(fmt.Sprintf("%d/tcp", r.HTTP.Port)).
				WithStatusCodeMatcher(func(c int) bool { return c == status }).
				WithForcedIPv4LocalHost().
				WithPollInterval(iv).WithStartupTimeout(p.Timeout)
			p.First = httpFirst(r.HTTP.Port, path, status)
		} else {
			p.Strategy = wait.ForExec([]string{"/bin/sh", "-c", httpProbeScript(r.HTTP.Port, path, status)}).
				WithPollInterval(iv).WithStartupTimeout(p.Timeout)
			p.Description += " (probed inside the container)"
		}
	case r.Port != nil:
		proto := r.Port.Protocol
		if proto == "" {
			proto = "tcp"
		}
		p.Description = fmt.Sprintf("port %d/%s listens", r.Port.Port, proto)
		if proto == "tcp" && published(s, r.Port.Port, proto) {
			p.Strategy = wait.ForListeningPort(fmt.Sprintf("%d/%s", r.Port.Port, proto)).
				WithPollInterval(iv).WithStartupTimeout(p.Timeout)
		} else {
			p.Strategy = wait.ForExec(listenProbe(r.Port.Port, proto)).
				WithPollInterval(iv).WithStartupTimeout(p.Timeout)
			p.Description += " (probed inside the container)"
		}
	case r.Log != nil:
		if _, err := regexp.Compile(r.Log.Pattern); err != nil {
			return p, fmt.Errorf("ready log pattern: %w", err)
		}
		n := r.Log.Occurrences
		if n <= 0 {
			n = 1
		}
		p.Strategy = wait.ForLog(r.Log.Pattern).AsRegexp().WithOccurrence(n).
			WithPollInterval(iv).WithStartupTimeout(p.Timeout)
		p.Description = fmt.Sprintf("log matches %q %d time(s)", r.Log.Pattern, n)
	case r.Healthcheck:
		p.Strategy = wait.ForHealthCheck().WithPollInterval(iv).WithStartupTimeout(p.Timeout)
		p.Description = "healthcheck reports healthy"
	default:
		p.Description = "running"
	}
	return p, nil
}

func published(s *config.Service, port int, proto string) bool {
	if s == nil {
		return false
	}
	for _, p := range s.Ports {
		pp := p.Protocol
		if pp == "" {
			pp = "tcp"
		}
		if p.Container == port && pp == proto {
			return true
		}
	}
	return false
}

// listenProbe greps the kernel's socket tables for a listening socket on
// port: state 0A (LISTEN) for TCP, any bound socket for UDP. It needs only
// grep, not a shell.
func listenProbe(port int, proto string) []string {
	hex := fmt.Sprintf("%04X", port)
	if proto == "udp" {
		return []string{"grep", "-Eqs", "^ *[0-9]+: [0-9A-Fa-f]+:" + hex + " ", "/proc/net/udp", "/proc/net/udp6"}
	}
	return []string{"grep", "-Eqs", "^ *[0-9]+: [0-9A-Fa-f]+:" + hex + " [0-9A-Fa-f]+:[0-9A-Fa-f]+ 0A", "/proc/net/tcp", "/proc/net/tcp6"}
}

// httpProbeScript asks for http://127.0.0.1:port/path inside the
// container with curl or wget, whichever the image has. An image with
// neither only gets the listening-port check: documented limitation.
func httpProbeScript(port int, path string, status int) string {
	url := fmt.Sprintf("http://127.0.0.1:%d%s", port, path)
	hex := fmt.Sprintf("%04X", port)
	return fmt.Sprintf(`u='%s'
if command -v curl >/dev/null 2>&1; then
  [ "$(curl -s -o /dev/null -w '%%{http_code}' "$u")" = "%d" ]
elif command -v wget >/dev/null 2>&1; then
  wget -q -S -O /dev/null "$u" 2>&1 | grep -q "HTTP/[0-9.]* %d"
else
  grep -Eqs '^ *[0-9]+: [0-9A-Fa-f]+:%s [0-9A-Fa-f]+:[0-9A-Fa-f]+ 0A' /proc/net/tcp /proc/net/tcp6
fi`, strings.ReplaceAll(url, "'", `'\''`), status, status, hex)
}

// ReadyError says why a service did not become ready.
type ReadyError struct {
	Service string
	Reason  string   // "exited with code 1", "not ready after 1m0s (...)", ...
	Logs    []string // the container's last log lines
	Err     error    // the strategy's error, if any
}

func (e *ReadyError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "service %s did not become ready: %s", e.Service, e.Reason)
	if len(e.Logs) > 0 {
		fmt.Fprintf(&b, "\nlast %d log lines of %s:", len(e.Logs), e.Service)
		for _, l := range e.Logs {
			b.WriteString("\n  " + l)
		}
	}
	return b.String()
}

func (e *ReadyError) Unwrap() error { return e.Err }

// errExited is the cause of a wait cancelled by the watcher.
type watchError struct{ reason string }

func (e *watchError) Error() string { return e.reason }

// WaitReady waits until the container id of service s satisfies its ready
// block (nil: ready at once, it was just started). While the probe runs, the
// container's state is watched: if it exits or turns unhealthy the wait
// fails at once. The error carries the last log lines, with secrets
// redacted.
func WaitReady(ctx context.Context, eng engine.Engine, id string, s *config.Service, r *config.Ready, override time.Duration, secrets []string) error {
	name := ""
	if s != nil {
		name = s.Name
	}
	p, err := ReadyProbe(s, r, override)
	if err != nil {
		return &ReadyError{Service: name, Reason: err.Error(), Err: err}
	}
	if p.Strategy == nil {
		return nil
	}
	if p.First != nil && p.First(ctx, eng.WaitTarget(id)) {
		return nil
	}
	wctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	watchDone := make(chan struct{})
	go func() {
		defer close(watchDone)
		watch(wctx, eng, id, cancel)
	}()
	err = p.Strategy.WaitUntilReady(wctx, eng.WaitTarget(id))
	cancel(nil)
	<-watchDone
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	re := &ReadyError{Service: name}
	if !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		// Keep the probe's own error for errors.As, never a context
		// error: callers read those as "interrupted".
		re.Err = err
	}
	var we *watchError
	if cause := context.Cause(wctx); errors.As(cause, &we) {
		// The container's own state is the reason; the probe's error
		// (a refused connection, a failed inspect under load) is only
		// its echo and must not read as an engine failure.
		re.Reason, re.Err = we.reason, nil
	} else if reason := stateReason(eng, id); reason != "" {
		// The probe failed on a container that stopped between two
		// looks of the watcher (an exec into it fails at once).
		re.Reason, re.Err = reason, nil
	} else if errors.Is(err, context.DeadlineExceeded) {
		re.Reason = fmt.Sprintf("not ready after %s (%s)", p.Timeout, p.Description)
	} else {
		re.Reason = fmt.Sprintf("%s: %v", p.Description, err)
	}
	re.Logs = tailLogs(eng, id, secrets)
	return re
}

// stateReason looks at the container once more and says why it cannot
// become ready, or "" when it still runs.
func stateReason(eng engine.Engine, id string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	d, err := eng.InspectContainer(ctx, id)
	switch {
	case errors.Is(err, engine.ErrNotFound):
		return "the container disappeared"
	case err != nil:
		return ""
	case d.State.Stopped():
		return fmt.Sprintf("the container exited with code %d", d.ExitCode)
	case d.Health == engine.HealthUnhealthy:
		return "the container's healthcheck reports unhealthy"
	}
	return ""
}

// watch polls the container's state until ctx ends and cancels the wait
// when the container stops running or turns unhealthy.
func watch(ctx context.Context, eng engine.Engine, id string, cancel context.CancelCauseFunc) {
	t := time.NewTicker(watchInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		d, err := eng.InspectContainer(ctx, id)
		if err != nil {
			if errors.Is(err, engine.ErrNotFound) {
				cancel(&watchError{"the container disappeared"})
				return
			}
			continue // a transient engine error; the probe has its own timeout
		}
		switch {
		case d.State.Stopped():
			cancel(&watchError{fmt.Sprintf("the container exited with code %d", d.ExitCode)})
			return
		case d.Health == engine.HealthUnhealthy:
			cancel(&watchError{"the container's healthcheck reports unhealthy"})
			return
		}
	}
}

// tailLogs returns the last log lines of a container, redacted, within a
// short deadline of its own (the caller's context may be ending).
func tailLogs(eng engine.Engine, id string, secrets []string) []string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rc, err := eng.Logs(ctx, id, engine.LogOptions{Tail: fmt.Sprint(logTail)})
	if err != nil {
		return nil
	}
	defer rc.Close()
	var lines []string
	sc := bufio.NewScanner(io.LimitReader(rc, 1<<20))
	sc.Buffer(make([]byte, 64*1024), 64*1024)
	for sc.Scan() {
		lines = append(lines, redact.String(sc.Text(), secrets))
		if len(lines) > logTail {
			lines = lines[1:]
		}
	}
	return lines
}

// firstClient makes the one immediate readiness request (see Probe.First),
// configured as testcontainers-go's ForHTTP client.
var firstClient = &http.Client{
	Transport: &http.Transport{Proxy: http.ProxyFromEnvironment, DisableKeepAlives: true},
	Timeout:   time.Second,
}

// httpFirst is one GET of a published HTTP port, made at once: most
// services that are ready at all answer right after they start, and
// ForHTTP's first request comes only after a poll interval, which a
// dependency chain pays once per hop.
func httpFirst(port int, path string, status int) func(context.Context, wait.StrategyTarget) bool {
	return func(ctx context.Context, t wait.StrategyTarget) bool {
		host, err := t.Host(ctx)
		if err != nil {
			return false
		}
		mp, err := t.MappedPort(ctx, fmt.Sprintf("%d/tcp", port))
		if err != nil || mp.Num() == 0 {
			return false
		}
		host = strings.Replace(host, "localhost", "127.0.0.1", 1)
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, mp.Port())+path, nil)
		if err != nil {
			return false
		}
		resp, err := firstClient.Do(req)
		if err != nil {
			return false
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		_ = resp.Body.Close()
		return resp.StatusCode == status
	}
}
