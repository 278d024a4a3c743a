package apply

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/engine/tcwait"
	"github.com/proeftuin/proeftuin/internal/poll"
	"github.com/proeftuin/proeftuin/internal/probe"
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

// fastPoll is the pause between tries during a probe's first second
// (fastFor): most services that become ready at all do so within it, and
// a dependency chain pays the gap between readiness and its discovery once
// per hop. After it the ready block's interval applies.
const (
	fastPoll = 10 * time.Millisecond
	fastFor  = time.Second
)

// attemptMax bounds one try of an http, tcp or exec probe.
const attemptMax = 5 * time.Second

// Probe kinds, as in the ready block.
const (
	KindRunning     = "running"
	KindExec        = "exec"
	KindHTTP        = "http"
	KindPort        = "port"
	KindLog         = "log"
	KindHealthcheck = "healthcheck"
)

// Probe is a readiness probe: what to try, from where, how often and how
// long. Every kind runs through poll.Until, the loop checks use too (see
// docs/adr/0004-one-probing-system.md).
type Probe struct {
	Kind        string // one of the Kind* constants
	Description string // for messages: `HTTP GET :80/ answers 200`
	Timeout     time.Duration
	Schedule    poll.Schedule
	// Inside: the probe runs inside the container (an exec), because the
	// port it asks for is not published on the host.
	Inside bool
	// Strategy is set for the kinds that testcontainers-go's wait
	// strategies serve (a published port, a log pattern), run through
	// the tcwait adapter.
	Strategy wait.Strategy

	try func(ctx context.Context, eng engine.Engine, id string, left time.Duration) poll.Attempt
}

// ReadyProbe maps a service's ready block onto a probe. override (> 0)
// replaces the block's timeout.
//
// HTTP and port probes from the host need the container port published;
// when it is not, the probe runs inside the container instead:
//   - port: grep for a listening socket in /proc/net/{tcp,tcp6,udp,udp6}
//     (needs only grep in the image);
//   - http: curl, else wget, else (documented limitation) the port check
//     above, through /bin/sh.
func ReadyProbe(s *config.Service, r *config.Ready, override time.Duration) (Probe, error) {
	p := Probe{Kind: KindRunning, Description: "running", Timeout: DefaultReadyTimeout}
	if r == nil {
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
	p.Schedule = poll.Schedule{Interval: iv, Fast: min(fastPoll, iv), FastFor: fastFor}
	switch {
	case r.Exec != nil:
		if len(r.Exec.Command) == 0 {
			return p, errors.New("ready exec has an empty command")
		}
		code := r.Exec.ExitCode
		p.Kind = KindExec
		p.Description = fmt.Sprintf("exec %s exits %d", strings.Join(r.Exec.Command, " "), code)
		p.try = execTry(r.Exec.Command, code)
	case r.HTTP != nil:
		path, status := r.HTTP.Path, r.HTTP.Status
		if path == "" {
			path = "/"
		}
		if status == 0 {
			status = 200
		}
		p.Kind = KindHTTP
		p.Description = fmt.Sprintf("HTTP GET :%d%s answers %d", r.HTTP.Port, path, status)
		if published(s, r.HTTP.Port, "tcp") {
			p.try = httpTry(r.HTTP.Port, path, status)
		} else {
			p.Inside = true
			p.try = execTry([]string{"/bin/sh", "-c", httpProbeScript(r.HTTP.Port, path, status)}, 0)
			p.Description += " (probed inside the container)"
		}
	case r.Port != nil:
		proto := r.Port.Protocol
		if proto == "" {
			proto = "tcp"
		}
		p.Kind = KindPort
		p.Description = fmt.Sprintf("port %d/%s listens", r.Port.Port, proto)
		if proto == "tcp" && published(s, r.Port.Port, proto) {
			// A connect to a published port reaches the engine's proxy
			// even when nothing listens inside; the strategy also looks
			// inside the container.
			p.Strategy = wait.ForListeningPort(fmt.Sprintf("%d/%s", r.Port.Port, proto)).
				WithPollInterval(iv).WithStartupTimeout(p.Timeout)
		} else {
			p.Inside = true
			p.try = execTry(listenProbe(r.Port.Port, proto), 0)
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
		p.Kind = KindLog
		p.Strategy = wait.ForLog(r.Log.Pattern).AsRegexp().WithOccurrence(n).
			WithPollInterval(iv).WithStartupTimeout(p.Timeout)
		p.Description = fmt.Sprintf("log matches %q %d time(s)", r.Log.Pattern, n)
	case r.Healthcheck:
		p.Kind = KindHealthcheck
		p.Description = "healthcheck reports healthy"
		p.try = healthTry
	}
	return p, nil
}

// execTry runs cmd in the container; the probe is met when it exits with
// code. An exec that cannot run is tried again: the container may still
// be starting (the watcher notices one that stopped).
func execTry(cmd []string, code int) func(context.Context, engine.Engine, string, time.Duration) poll.Attempt {
	return func(ctx context.Context, eng engine.Engine, id string, left time.Duration) poll.Attempt {
		ctx, cancel := context.WithTimeout(ctx, min(left, attemptMax))
		defer cancel()
		res, err := eng.Exec(ctx, id, engine.ExecSpec{Command: cmd, OutputLimit: 4096})
		if err != nil {
			return poll.Attempt{Err: poll.Transient(err)}
		}
		return poll.Attempt{Met: res.ExitCode == code, Actual: fmt.Sprintf("exit code %d", res.ExitCode)}
	}
}

// httpTry asks for path on the host port the container's port is
// published on, as an http check from the host does (probe.HTTP).
func httpTry(port int, path string, status int) func(context.Context, engine.Engine, string, time.Duration) poll.Attempt {
	var addr string // the published address, found once
	return func(ctx context.Context, eng engine.Engine, id string, left time.Duration) poll.Attempt {
		if addr == "" {
			a, err := publishedAddress(ctx, eng, id, port)
			if err != nil {
				return poll.Attempt{Err: poll.Transient(err)}
			}
			addr = a
		}
		res := probe.HTTP(ctx, probe.HTTPSpec{URL: "http://" + addr + path, Status: status, Timeout: min(left, attemptMax)})
		return poll.Attempt{Met: res.OK, Actual: res.Actual, Detail: res.Detail}
	}
}

// publishedAddress is host:port where the container's TCP port is
// published, on the IPv4 loopback for a local engine.
func publishedAddress(ctx context.Context, eng engine.Engine, id string, port int) (string, error) {
	d, err := eng.InspectContainer(ctx, id)
	if err != nil {
		return "", err
	}
	host := eng.Capabilities().PortHost
	if host == "" || host == "localhost" {
		host = "127.0.0.1"
	}
	for _, p := range d.Ports {
		if p.ContainerPort == port && (p.Protocol == "" || p.Protocol == "tcp") && p.HostPort > 0 {
			return net.JoinHostPort(host, strconv.Itoa(p.HostPort)), nil
		}
	}
	return "", fmt.Errorf("port %d/tcp is not published yet", port)
}

// healthTry is met when the engine reports the healthcheck healthy.
func healthTry(ctx context.Context, eng engine.Engine, id string, _ time.Duration) poll.Attempt {
	d, err := eng.InspectContainer(ctx, id)
	if err != nil {
		return poll.Attempt{Err: poll.Transient(err)}
	}
	if d.Health == engine.HealthNone && d.State == engine.StateRunning {
		return poll.Attempt{Actual: "no healthcheck", Final: true}
	}
	return poll.Attempt{Met: d.Health == engine.HealthHealthy, Actual: d.Health.String()}
}

// strategyTry runs a testcontainers-go strategy through the tcwait
// adapter as one try: the strategy polls on its own until its timeout.
func strategyTry(st wait.Strategy) func(context.Context, engine.Engine, string, time.Duration) poll.Attempt {
	return func(ctx context.Context, eng engine.Engine, id string, _ time.Duration) poll.Attempt {
		if err := st.WaitUntilReady(ctx, tcwait.Target(eng, id)); err != nil {
			return poll.Attempt{Err: err}
		}
		return poll.Attempt{Met: true}
	}
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
// container's state is watched: if it exits, or its healthcheck turns
// unhealthy while the probe is the healthcheck, the wait fails at once.
// The error carries the last log lines, with secrets redacted.
func WaitReady(ctx context.Context, eng engine.Engine, id string, s *config.Service, r *config.Ready, override time.Duration, secrets []string) error {
	name := ""
	if s != nil {
		name = s.Name
	}
	p, err := ReadyProbe(s, r, override)
	if err != nil {
		return &ReadyError{Service: name, Reason: err.Error(), Err: err}
	}
	try := p.try
	if p.Strategy != nil {
		try = strategyTry(p.Strategy)
	}
	if try == nil {
		return nil
	}
	wctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	watchDone := make(chan struct{})
	go func() {
		defer close(watchDone)
		watch(wctx, eng, id, p.Kind == KindHealthcheck, cancel)
	}()
	deadline := time.Now().Add(p.Timeout)
	tctx, tcancel := context.WithDeadline(wctx, deadline)
	res := poll.Until(tctx, deadline, p.Schedule, func(ctx context.Context, left time.Duration) poll.Attempt {
		return try(ctx, eng, id, left)
	})
	tcancel()
	cancel(nil)
	<-watchDone
	if res.Last.Err == nil && res.Last.Met {
		return nil
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	err = res.Last.Err
	re := &ReadyError{Service: name}
	if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) && !poll.IsTransient(err) {
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
	} else if reason := stateReason(eng, id, p.Kind == KindHealthcheck); reason != "" {
		// The probe failed on a container that stopped between two
		// looks of the watcher (an exec into it fails at once).
		re.Reason, re.Err = reason, nil
	} else if res.TimedOut || res.Interrupted != nil || errors.Is(err, context.DeadlineExceeded) {
		re.Reason = fmt.Sprintf("not ready after %s (%s)", p.Timeout, p.Description)
		if a := res.Last.Actual; a != "" {
			re.Reason += "; last: " + a
		}
	} else if err != nil {
		re.Reason = fmt.Sprintf("%s: %v", p.Description, err)
	} else {
		re.Reason = fmt.Sprintf("%s: %s", p.Description, res.Last.Actual)
	}
	re.Logs = tailLogs(eng, id, secrets)
	return re
}

// stateReason looks at the container once more and says why it cannot
// become ready, or "" when it still runs.
func stateReason(eng engine.Engine, id string, health bool) string {
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
	case health && d.Health == engine.HealthUnhealthy:
		return "the container's healthcheck reports unhealthy"
	}
	return ""
}

// watch polls the container's state until ctx ends and cancels the wait
// when the container stops running or, when health is set (the probe is
// the healthcheck), turns unhealthy. Another probe decides readiness on
// its own: a healthcheck that fails until a plan step configures the
// service does not fail a wait for its port.
func watch(ctx context.Context, eng engine.Engine, id string, health bool, cancel context.CancelCauseFunc) {
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
		case health && d.Health == engine.HealthUnhealthy:
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
