package check

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/phrase"
	"github.com/proeftuin/proeftuin/internal/probe"
	"github.com/proeftuin/proeftuin/internal/report"
)

// lab is a small topology made directly through the engine, labelled like
// `up` labels services:
//
//	shell   busybox, busybox httpd on :80 serving "hello-shell", a health check
//	tiny    FROM scratch + tinyserver on :8080 (published on 127.0.0.1), no shell
//	stopped busybox that exited
type lab struct {
	eng      engine.Engine
	instance string
	env      *config.Environment
	tinyPort int    // host port of tiny:8080
	shellIP  string // on the lab network
	ids      map[string]string
}

func setupLab(t *testing.T) *lab {
	t.Helper()
	eng := requireEngine(t)
	busybox := requireBusybox(t, eng)
	tiny := requireTinyImage(t, eng)
	requireProbeBinary(t)

	l := &lab{eng: eng, instance: "ct-" + runID, ids: map[string]string{}}
	t.Cleanup(func() {
		if err := removeInstance(eng, l.instance); err != nil {
			t.Errorf("clean up instance %s: %v", l.instance, err)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	labels := func(service string) map[string]string {
		return map[string]string{engine.LabelInstance: l.instance, engine.LabelService: service}
	}
	netName := l.instance + "-lab"
	if _, err := eng.CreateNetwork(ctx, engine.NetworkSpec{Name: netName, Labels: map[string]string{engine.LabelInstance: l.instance, engine.LabelNetwork: "lab"}}); err != nil {
		t.Fatalf("create network: %v", err)
	}
	specs := []engine.ContainerSpec{
		{
			Name: l.instance + "-shell", Image: busybox, Hostname: "shell", Labels: labels("shell"),
			Command:     []string{"sh", "-c", "mkdir -p /www && echo hello-shell > /www/index.html && exec httpd -f -p 80 -h /www"},
			Networks:    []engine.NetworkAttachment{{Network: netName, Aliases: []string{"shell"}}},
			Healthcheck: &engine.HealthcheckSpec{Test: []string{"CMD", "true"}, Interval: time.Second, Retries: 3},
		},
		{
			Name: l.instance + "-tiny", Image: tiny, Hostname: "tiny", Labels: labels("tiny"),
			Networks: []engine.NetworkAttachment{{Network: netName, Aliases: []string{"tiny"}}},
			Ports:    []engine.PortBinding{{ContainerPort: 8080, Protocol: "tcp", HostIP: "127.0.0.1"}},
		},
		{
			Name: l.instance + "-stopped", Image: busybox, Labels: labels("stopped"),
			Command:  []string{"true"},
			Networks: []engine.NetworkAttachment{{Network: netName, Aliases: []string{"stopped"}}},
		},
	}
	for _, s := range specs {
		id, err := eng.CreateContainer(ctx, s)
		if err != nil {
			t.Fatalf("create %s: %v", s.Name, err)
		}
		if err := eng.StartContainer(ctx, id); err != nil {
			t.Fatalf("start %s: %v", s.Name, err)
		}
		l.ids[s.Labels[engine.LabelService]] = id
	}
	l.env = &config.Environment{
		Name:     "checktest",
		Networks: []*config.Network{{Name: "lab"}},
		Services: []*config.Service{
			{Name: "shell", Image: busybox},
			{Name: "tiny", Image: tiny, Ports: []*config.Port{{Container: 8080, Protocol: "tcp", HostIP: "127.0.0.1"}}},
			{Name: "stopped", Image: busybox},
		},
	}

	// Wait until both servers answer and the stopped one has stopped.
	d, err := eng.InspectContainer(ctx, l.ids["tiny"])
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range d.Ports {
		if p.ContainerPort == 8080 {
			l.tinyPort = p.HostPort
		}
	}
	if l.tinyPort == 0 {
		t.Fatalf("tiny publishes no port: %+v", d.Ports)
	}
	sd, err := eng.InspectContainer(ctx, l.ids["shell"])
	if err != nil {
		t.Fatal(err)
	}
	l.shellIP = sd.Endpoints[netName].IPv4Address
	if i := strings.IndexByte(l.shellIP, '/'); i >= 0 {
		l.shellIP = l.shellIP[:i]
	}
	waitFor(t, ctx, "tiny answers on the host", func() bool {
		return probe.HTTP(ctx, probe.HTTPSpec{URL: fmt.Sprintf("http://127.0.0.1:%d/", l.tinyPort), Timeout: time.Second}).OK
	})
	waitFor(t, ctx, "shell's httpd answers", func() bool {
		res, err := eng.Exec(ctx, l.ids["shell"], engine.ExecSpec{Command: []string{"wget", "-q", "-O", "/dev/null", "http://127.0.0.1/"}})
		return err == nil && res.ExitCode == 0
	})
	waitFor(t, ctx, "stopped exits", func() bool {
		d, err := eng.InspectContainer(ctx, l.ids["stopped"])
		return err == nil && d.State == engine.StateExited
	})
	return l
}

func waitFor(t *testing.T, ctx context.Context, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("waiting until %s: %v", what, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func (l *lab) runner(t *testing.T) *Runner {
	r := &Runner{Engine: l.eng, Instance: l.instance, Env: l.env, ProbeBinary: requireProbeBinary(t)}
	t.Cleanup(func() {
		if err := r.Cleanup(context.Background()); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
	return r
}

// want describes an expected outcome. Actual starting with "~" is a
// regular expression.
type want struct {
	status      Status
	expected    string
	actual      string
	maxAttempts int           // 0: any
	minAttempts int           // 0: any
	maxDuration time.Duration // 0: any
}

type tc struct {
	name  string
	check *config.Check
	want  want
}

func (w want) assert(t *testing.T, o Outcome) {
	t.Helper()
	if o.Status != w.status {
		t.Errorf("status = %s, want %s (actual %q, detail %q)", o.Status, w.status, o.Actual, o.Detail)
	}
	if w.expected != "" && o.Expected != w.expected {
		t.Errorf("expected = %q, want %q", o.Expected, w.expected)
	}
	if strings.HasPrefix(w.actual, "~") {
		if !regexp.MustCompile(w.actual[1:]).MatchString(o.Actual) {
			t.Errorf("actual = %q, want match /%s/", o.Actual, w.actual[1:])
		}
	} else if w.actual != "" && o.Actual != w.actual {
		t.Errorf("actual = %q, want %q", o.Actual, w.actual)
	}
	if w.maxAttempts > 0 && o.Attempts > w.maxAttempts {
		t.Errorf("attempts = %d, want at most %d", o.Attempts, w.maxAttempts)
	}
	if w.minAttempts > 0 && o.Attempts < w.minAttempts {
		t.Errorf("attempts = %d, want at least %d", o.Attempts, w.minAttempts)
	}
	if o.Attempts < 1 {
		t.Errorf("attempts = %d", o.Attempts)
	}
	if w.maxDuration > 0 && o.Duration > w.maxDuration {
		t.Errorf("duration = %v, want at most %v", o.Duration, w.maxDuration)
	}
}

func runCases(t *testing.T, r *Runner, cases []tc) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			o := r.Run(ctx, c.check)
			c.want.assert(t, o)
			if t.Failed() {
				t.Logf("outcome: %+v", o)
			}
		})
	}
}

func chk(timeout time.Duration, p config.Probe) *config.Check {
	return &config.Check{Name: "t", Probe: p, Timeout: timeout}
}

func intp(i int) *int { return &i }

// short is the timeout of checks meant to fail: long enough for a second
// attempt even when one probe through the sidecar takes over a second on
// a loaded machine (minAttempts: 2 asserts the retry).
const short = 3 * time.Second

func TestChecks(t *testing.T) {
	l := setupLab(t)
	r := l.runner(t)
	tinyURL := fmt.Sprintf("http://127.0.0.1:%d", l.tinyPort)

	execCheck := func(service string, e config.Expect, cmd ...string) *config.Check {
		return chk(10*time.Second, config.Probe{Kind: "exec", Exec: &config.ExecProbe{Service: service, Command: cmd, Expect: e}})
	}
	httpCheck := func(p config.HTTPProbe, timeout time.Duration) *config.Check {
		return chk(timeout, config.Probe{Kind: "http", HTTP: &p})
	}
	tcpCheck := func(from, addr string, reachable bool, timeout time.Duration) *config.Check {
		return chk(timeout, config.Probe{Kind: "tcp", TCP: &config.TCPProbe{From: from, Address: addr, Reachable: reachable}})
	}
	dnsCheck := func(from, name, addr string, resolves bool, timeout time.Duration) *config.Check {
		return chk(timeout, config.Probe{Kind: "dns", DNS: &config.DNSProbe{From: from, Name: name, Address: addr, Resolves: resolves}})
	}
	fileCheck := func(p config.FileProbe) *config.Check {
		return chk(10*time.Second, config.Probe{Kind: "file", File: &p})
	}
	processCheck := func(service, name string, running bool) *config.Check {
		return chk(10*time.Second, config.Probe{Kind: "process", Process: &config.ProcessProbe{Service: service, Name: name, Running: running}})
	}
	serviceCheck := func(service, state string, timeout time.Duration) *config.Check {
		return chk(timeout, config.Probe{Kind: "service", Service: &config.ServiceProbe{Service: service, State: state}})
	}

	t.Run("exec", func(t *testing.T) {
		runCases(t, r, []tc{
			{"stdout matches", execCheck("shell", config.Expect{StdoutMatches: "orders"}, "echo", "orders"),
				want{status: Passed, expected: "exit code 0, stdout matches /orders/", actual: `exit code 0, stdout was: "orders"`, maxAttempts: 1}},
			{"stdout does not match", execCheck("shell", config.Expect{StdoutMatches: "orders"}, "echo", "customers"),
				want{status: Failed, expected: "exit code 0, stdout matches /orders/", actual: `exit code 0, stdout was: "customers"`, maxAttempts: 1}},
			{"exit code", execCheck("shell", config.Expect{}, "sh", "-c", "echo boom >&2; exit 3"),
				want{status: Failed, expected: "exit code 0", actual: `exit code 3, stderr was: "boom"`, maxAttempts: 1}},
			{"expected exit code and stderr", execCheck("shell", config.Expect{ExitCode: intp(3), StderrContains: "boom"}, "sh", "-c", "echo boom >&2; exit 3"),
				want{status: Passed, expected: `exit code 3, stderr contains "boom"`, actual: `exit code 3, stderr was: "boom"`}},
			{"user workdir env", chk(10*time.Second, config.Probe{Kind: "exec", Exec: &config.ExecProbe{
				Service: "shell", Command: []string{"sh", "-c", "echo $(id -u) $(pwd) $GREETING"},
				User: "nobody", WorkDir: "/tmp", Env: map[string]string{"GREETING": "hoi"},
				Expect: config.Expect{StdoutContains: "65534 /tmp hoi"}}}),
				want{status: Passed, actual: `exit code 0, stdout was: "65534 /tmp hoi"`}},
			// Issue 17: the expectation is matched over the whole output,
			// not only the 64 KiB tail that is kept.
			{"marker before 100 kB", execCheck("shell", config.Expect{StdoutContains: "HEADER-LINE", StdoutMatches: "(?m)^HEADER-LINE$"}, "sh", "-c", "echo HEADER-LINE; head -c 100000 /dev/zero | tr '\\0' x"),
				want{status: Passed, actual: "~^exit code 0, stdout was: ", maxAttempts: 1}},
			{"marker after 100 kB", execCheck("shell", config.Expect{StdoutContains: "TAIL-LINE", StderrMatches: "FIRST"}, "sh", "-c", "echo FIRST >&2; head -c 100000 /dev/zero | tr '\\0' y >&2; head -c 100000 /dev/zero | tr '\\0' x; echo; echo TAIL-LINE"),
				want{status: Passed, actual: "~^exit code 0, ", maxAttempts: 1}},
			{"marker absent from 200 kB", execCheck("shell", config.Expect{StdoutContains: "NOWHERE"}, "sh", "-c", "head -c 200000 /dev/zero | tr '\\0' x"),
				want{status: Failed, actual: "~^exit code 0, stdout was: \"xxx"}},
			{"service not running", execCheck("stopped", config.Expect{}, "true"),
				want{status: Error, actual: "service stopped is not running (exited)"}},
			{"no shell in a scratch image", execCheck("tiny", config.Expect{}, "sh", "-c", "true"),
				want{status: Error, actual: "cannot run sh in service tiny: executable file not found in $PATH"}},
			{"unknown service", execCheck("ghost", config.Expect{}, "true"),
				want{status: Error, actual: `unknown service "ghost"`}},
		})
	})

	t.Run("http from the host", func(t *testing.T) {
		runCases(t, r, []tc{
			{"all expectations", httpCheck(config.HTTPProbe{URL: tinyURL + "/", BodyContains: "brood", Header: map[string]string{"X-Tiny": "yes"}, JSONPath: "items.0.name", JSONEquals: "brood"}, 10*time.Second),
				want{status: Passed, expected: `HTTP 200, body contains "brood", header X-Tiny contains "yes", items.0.name = "brood"`, actual: "HTTP 200", maxAttempts: 1}},
			{"wrong status", httpCheck(config.HTTPProbe{URL: tinyURL + "/status/503"}, short),
				want{status: Failed, expected: "HTTP 200", actual: "HTTP 503", minAttempts: 2, maxDuration: short + 2*time.Second}},
			{"json value differs", httpCheck(config.HTTPProbe{URL: tinyURL + "/", JSONPath: "items.0.price", JSONEquals: "3"}, short),
				want{status: Failed, expected: `HTTP 200, items.0.price = "3"`, actual: `HTTP 200, items.0.price = "2.5"`}},
			{"service name to published port", httpCheck(config.HTTPProbe{URL: "http://tiny:8080/", BodyContains: "tiny"}, 10*time.Second),
				want{status: Passed, actual: "HTTP 200"}},
			{"port not published", httpCheck(config.HTTPProbe{URL: "http://shell/"}, 10*time.Second),
				want{status: Error, actual: "~^service shell does not publish port 80 on the host", maxAttempts: 1}},
			{"elsewhere refused", httpCheck(config.HTTPProbe{URL: "http://example.com/"}, 10*time.Second),
				want{status: Error, actual: "~^refusing to connect to example.com from the host", maxAttempts: 1, maxDuration: time.Second}},
			{"connection refused", httpCheck(config.HTTPProbe{URL: "http://127.0.0.1:1/"}, short),
				want{status: Failed, actual: "connection refused", minAttempts: 2}},
		})
	})

	t.Run("http from a service", func(t *testing.T) {
		runCases(t, r, []tc{
			{"from busybox to tiny", httpCheck(config.HTTPProbe{From: "shell", URL: "http://tiny:8080/", JSONPath: "service", JSONEquals: "tiny"}, 30*time.Second),
				want{status: Passed, expected: `HTTP 200, service = "tiny"`, actual: "HTTP 200"}},
			{"from scratch image to shell", httpCheck(config.HTTPProbe{From: "tiny", URL: "http://shell/", BodyContains: "hello-shell"}, 30*time.Second),
				want{status: Passed, expected: `HTTP 200, body contains "hello-shell"`, actual: "HTTP 200"}},
			{"own loopback of the namespace", httpCheck(config.HTTPProbe{From: "tiny", URL: "http://127.0.0.1:8080/"}, 10*time.Second),
				want{status: Passed, actual: "HTTP 200", maxAttempts: 1}},
			{"wrong status", httpCheck(config.HTTPProbe{From: "tiny", URL: "http://tiny:8080/status/503"}, short),
				want{status: Failed, expected: "HTTP 200", actual: "HTTP 503", minAttempts: 2}},
			{"body differs", httpCheck(config.HTTPProbe{From: "tiny", URL: "http://shell/", BodyContains: "goodbye"}, short),
				want{status: Failed, actual: `HTTP 200, body was: "hello-shell"`}},
			{"unknown host", httpCheck(config.HTTPProbe{From: "tiny", URL: "http://ghost/"}, short),
				want{status: Failed, actual: "no such host ghost"}},
			// restart = "no": nothing starts it again, so the check does
			// not wait out its timeout.
			{"from a stopped service", httpCheck(config.HTTPProbe{From: "stopped", URL: "http://tiny:8080/"}, 20*time.Second),
				want{status: Error, actual: "service stopped is not running (exited)", maxAttempts: 1, maxDuration: 5 * time.Second}},
		})
	})

	t.Run("tcp", func(t *testing.T) {
		runCases(t, r, []tc{
			{"host reachable", tcpCheck("", fmt.Sprintf("127.0.0.1:%d", l.tinyPort), true, 10*time.Second),
				want{status: Passed, expected: "reachable", actual: "reachable", maxAttempts: 1}},
			{"host closed, expected unreachable, passes at once", tcpCheck("", "127.0.0.1:1", false, 30*time.Second),
				want{status: Passed, expected: "not reachable", actual: "connection refused", maxAttempts: 1, maxDuration: 2 * time.Second}},
			{"host closed", tcpCheck("", "127.0.0.1:1", true, short),
				want{status: Failed, expected: "reachable", actual: "connection refused", minAttempts: 2}},
			{"host open, expected unreachable", tcpCheck("", fmt.Sprintf("localhost:%d", l.tinyPort), false, short),
				want{status: Failed, expected: "not reachable", actual: "reachable", minAttempts: 2}},
			{"host elsewhere refused", tcpCheck("", "10.1.2.3:22", false, short),
				want{status: Error, actual: "~^refusing to connect to 10.1.2.3", maxAttempts: 1}},
			{"from scratch image reachable", tcpCheck("tiny", "shell:80", true, 30*time.Second),
				want{status: Passed, expected: "reachable", actual: "reachable"}},
			{"from busybox reachable", tcpCheck("shell", "tiny:8080", true, 30*time.Second),
				want{status: Passed, actual: "reachable"}},
			{"from service, closed port expected unreachable, passes at once", tcpCheck("tiny", "shell:81", false, 30*time.Second),
				want{status: Passed, expected: "not reachable", actual: "connection refused", maxAttempts: 1, maxDuration: 5 * time.Second}},
			{"from service, unknown host expected unreachable", tcpCheck("tiny", "ghost:80", false, 30*time.Second),
				want{status: Passed, actual: "no such host ghost", maxAttempts: 1}},
			{"from service, closed port", tcpCheck("tiny", "shell:81", true, short),
				want{status: Failed, expected: "reachable", actual: "connection refused", minAttempts: 2}},
			{"from service, open port expected unreachable", tcpCheck("shell", "tiny:8080", false, short),
				want{status: Failed, expected: "not reachable", actual: "reachable", minAttempts: 2}},
		})
	})

	t.Run("dns", func(t *testing.T) {
		runCases(t, r, []tc{
			{"resolves", dnsCheck("tiny", "shell", "", true, 30*time.Second),
				want{status: Passed, expected: "shell resolves", actual: "resolves to " + l.shellIP}},
			{"resolves to", dnsCheck("tiny", "shell", l.shellIP, true, 30*time.Second),
				want{status: Passed, expected: "shell resolves to " + l.shellIP, actual: "resolves to " + l.shellIP}},
			{"from busybox", dnsCheck("shell", "tiny", "", true, 30*time.Second),
				want{status: Passed, actual: "~^resolves to \\d+\\.\\d+\\.\\d+\\.\\d+$"}},
			{"resolves elsewhere", dnsCheck("tiny", "shell", "10.9.9.9", true, short),
				want{status: Failed, expected: "shell resolves to 10.9.9.9", actual: "resolves to " + l.shellIP, minAttempts: 2}},
			{"unknown, expected unknown, passes at once", dnsCheck("tiny", "ghost", "", false, 30*time.Second),
				want{status: Passed, expected: "ghost does not resolve", actual: "does not resolve (no such host)", maxAttempts: 1, maxDuration: 5 * time.Second}},
			{"unknown", dnsCheck("tiny", "ghost", "", true, short),
				want{status: Failed, expected: "ghost resolves", actual: "does not resolve (no such host)", minAttempts: 2}},
			{"known, expected unknown", dnsCheck("tiny", "shell", "", false, short),
				want{status: Failed, expected: "shell does not resolve", actual: "resolves to " + l.shellIP}},
			{"from the host refused", dnsCheck("", "shell", "", true, short),
				want{status: Error, actual: "~needs from = service", maxAttempts: 1}},
		})
	})

	t.Run("file", func(t *testing.T) {
		runCases(t, r, []tc{
			{"exists contains mode", fileCheck(config.FileProbe{Service: "tiny", Path: "/etc/tiny.conf", Exists: true, Contains: "port=8080", Mode: "640"}),
				want{status: Passed, expected: `/etc/tiny.conf exists, contains "port=8080", mode 0640`, actual: `/etc/tiny.conf exists, contains "port=8080", mode 0640`, maxAttempts: 1}},
			{"wrong mode", fileCheck(config.FileProbe{Service: "tiny", Path: "/etc/tiny.conf", Exists: true, Mode: "0644"}),
				want{status: Failed, expected: "/etc/tiny.conf exists, mode 0644", actual: "/etc/tiny.conf exists, mode 0640"}},
			{"content differs", fileCheck(config.FileProbe{Service: "tiny", Path: "/etc/tiny.conf", Exists: true, Contains: "port=9090"}),
				want{status: Failed, actual: `/etc/tiny.conf exists, content was: "# tiny⏎port=8080"`}},
			{"through a symlink", fileCheck(config.FileProbe{Service: "tiny", Path: "/etc/tiny-link", Exists: true, Contains: "port=8080"}),
				want{status: Passed}},
			{"absent, expected absent", fileCheck(config.FileProbe{Service: "tiny", Path: "/etc/nope", Exists: false}),
				want{status: Passed, expected: "/etc/nope does not exist", actual: "/etc/nope does not exist"}},
			{"absent", fileCheck(config.FileProbe{Service: "tiny", Path: "/etc/nope", Exists: true}),
				want{status: Failed, expected: "/etc/nope exists", actual: "/etc/nope does not exist"}},
			{"present, expected absent", fileCheck(config.FileProbe{Service: "tiny", Path: "/tinyserver", Exists: false}),
				want{status: Failed, expected: "/tinyserver does not exist", actual: "/tinyserver exists"}},
			{"folder", fileCheck(config.FileProbe{Service: "shell", Path: "/www", Exists: true}),
				want{status: Passed, actual: "/www exists (a folder)"}},
			{"file written at run time", fileCheck(config.FileProbe{Service: "shell", Path: "/www/index.html", Exists: true, Contains: "hello-shell"}),
				want{status: Passed}},
			{"in a stopped container", fileCheck(config.FileProbe{Service: "stopped", Path: "/bin/busybox", Exists: true}),
				want{status: Passed}},
			{"bad mode", fileCheck(config.FileProbe{Service: "tiny", Path: "/etc/tiny.conf", Exists: true, Mode: "rw-r--r--"}),
				want{status: Error, actual: "~is not an octal file mode"}},
		})
	})

	t.Run("process", func(t *testing.T) {
		runCases(t, r, []tc{
			{"running in a scratch image", processCheck("tiny", "tinyserver", true),
				want{status: Passed, expected: `a process matching "tinyserver" runs`, actual: `~^running: /tinyserver \(pid \d+\)$`, maxAttempts: 1}},
			{"not running", processCheck("tiny", "nginx", true),
				want{status: Failed, expected: `a process matching "nginx" runs`, actual: "no process matches; running: /tinyserver"}},
			{"not running, expected not running", processCheck("tiny", "nginx", false),
				want{status: Passed, expected: `no process matching "nginx" runs`, actual: "no process matches; running: /tinyserver"}},
			{"running, expected not running", processCheck("shell", "httpd", false),
				want{status: Failed, actual: `~^running: httpd -f -p 80 -h /www \(pid \d+\)`}},
			{"service stopped", processCheck("stopped", "true", true),
				want{status: Failed, actual: "no process: service stopped is not running (exited)"}},
		})
	})

	t.Run("service", func(t *testing.T) {
		runCases(t, r, []tc{
			{"running", serviceCheck("tiny", "", 10*time.Second),
				want{status: Passed, expected: "running", actual: "running", maxAttempts: 1}},
			{"healthy", serviceCheck("shell", "healthy", 30*time.Second),
				want{status: Passed, expected: "healthy", actual: "running (healthy)"}},
			{"stopped", serviceCheck("stopped", "stopped", 10*time.Second),
				want{status: Passed, expected: "stopped", actual: "exited (exit code 0)", maxAttempts: 1}},
			{"not running", serviceCheck("stopped", "running", short),
				want{status: Failed, expected: "running", actual: "exited (exit code 0)", minAttempts: 2}},
			{"running, expected stopped", serviceCheck("shell", "stopped", short),
				want{status: Failed, expected: "stopped", actual: "running (healthy)"}},
			{"no health check never becomes healthy", serviceCheck("tiny", "healthy", 30*time.Second),
				want{status: Failed, expected: "healthy", actual: "running", maxAttempts: 1}},
			{"unknown service", serviceCheck("ghost", "running", short),
				want{status: Error, actual: `unknown service "ghost"`}},
		})
	})

	// Everything above that ran `from` a service left one sidecar per
	// service, labelled with the instance, none with a service label.
	ctx := context.Background()
	sidecars, err := l.eng.Containers(ctx, map[string]string{engine.LabelInstance: l.instance, engine.LabelProbe: ""})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, c := range sidecars {
		names[c.Name] = c.State.String()
		if c.Labels[engine.LabelService] != "" {
			t.Errorf("sidecar %s has a service label", c.Name)
		}
	}
	for _, svc := range []string{"tiny", "shell"} {
		if names[l.instance+"-probe-"+svc] != "running" {
			t.Errorf("no running sidecar for %s: %v", svc, names)
		}
	}
	if len(names) != 2 {
		t.Errorf("sidecars: %v, want 2", names)
	}
}

// TestSidecarLifecycle: a later runner adopts a fitting sidecar, a restarted
// service gets a fresh one, and Cleanup removes them.
func TestSidecarLifecycle(t *testing.T) {
	l := setupLab(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	tcp := chk(30*time.Second, config.Probe{Kind: "tcp", TCP: &config.TCPProbe{From: "shell", Address: "tiny:8080", Reachable: true}})
	sidecarIDs := func() []string {
		cs, err := l.eng.Containers(ctx, map[string]string{engine.LabelInstance: l.instance, engine.LabelProbe: "shell"})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, c := range cs {
			ids = append(ids, c.ID)
		}
		return ids
	}

	r1 := &Runner{Engine: l.eng, Instance: l.instance, Env: l.env, ProbeBinary: requireProbeBinary(t)}
	if o := r1.Run(ctx, tcp); o.Status != Passed {
		t.Fatalf("first run: %+v", o)
	} else {
		t.Logf("first run: %+v", o)
	}
	first := sidecarIDs()
	if len(first) != 1 {
		t.Fatalf("sidecars after the first run: %v", first)
	}

	r2 := &Runner{Engine: l.eng, Instance: l.instance, Env: l.env, ProbeBinary: requireProbeBinary(t)}
	if o := r2.Run(ctx, tcp); o.Status != Passed {
		t.Fatalf("second runner: %+v", o)
	}
	if got := sidecarIDs(); len(got) != 1 || got[0] != first[0] {
		t.Fatalf("second runner did not reuse the sidecar: %v -> %v", first, got)
	}

	// A restart gives the service a new network namespace.
	if err := l.eng.RestartContainer(ctx, l.ids["shell"], 0); err != nil {
		t.Fatal(err)
	}
	if o := r2.Run(ctx, tcp); o.Status != Passed {
		t.Fatalf("after restart: %+v", o)
	} else {
		t.Logf("after restart: %+v", o)
	}
	after := sidecarIDs()
	if len(after) != 1 || after[0] == first[0] {
		t.Fatalf("sidecar not replaced after a restart: %v -> %v", first, after)
	}
	// The new sidecar sees the service's new namespace: its own httpd.
	own := chk(30*time.Second, config.Probe{Kind: "http", HTTP: &config.HTTPProbe{From: "shell", URL: "http://127.0.0.1/", BodyContains: "hello-shell"}})
	if o := r2.Run(ctx, own); o.Status != Passed {
		t.Fatalf("own httpd after restart: %+v", o)
	}

	if err := r1.Cleanup(ctx); err != nil {
		t.Fatalf("cleanup r1: %v", err)
	}
	if err := r2.Cleanup(ctx); err != nil {
		t.Fatalf("cleanup r2: %v", err)
	}
	if got := sidecarIDs(); len(got) != 0 {
		t.Fatalf("sidecars left after Cleanup: %v", got)
	}
}

// TestCheckProbeBinary: a dynamically linked or non-Linux
// binary gives a clear error instead of a sidecar that cannot start.
func TestCheckProbeBinary(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "script")
	if err := os.WriteFile(text, []byte("#!/bin/sh\necho hi\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := CheckProbeBinary(text, ""); err == nil || !strings.Contains(err.Error(), "not a Linux executable") {
		t.Errorf("text file: %v", err)
	}
	// The dynamic loader-linked programs every Linux host has.
	for _, p := range []string{"/bin/sh", "/usr/bin/env", "/bin/ls"} {
		if _, err := os.Stat(p); err != nil {
			continue
		}
		err := CheckProbeBinary(p, "")
		if err == nil {
			continue // a static shell (busybox-based hosts); try the next
		}
		if !strings.Contains(err.Error(), "CGO_ENABLED=0") {
			t.Errorf("%s: %v", p, err)
		}
		break
	}
	static := requireProbeBinary(t)
	if err := CheckProbeBinary(static, ""); err != nil {
		t.Errorf("static build refused: %v", err)
	}
	other := map[string]string{"amd64": "aarch64", "arm64": "x86_64"}[runtime.GOARCH]
	if other != "" {
		if err := CheckProbeBinary(static, other); err == nil || !strings.Contains(err.Error(), "GOOS=linux") {
			t.Errorf("arch mismatch: %v", err)
		}
	}
}

// TestRunnerWithoutProbeBinary: the sidecar path reports a usable error.
func TestRunnerWithoutProbeBinary(t *testing.T) {
	l := setupLab(t)
	bad := filepath.Join(t.TempDir(), "proeftuin")
	if err := os.WriteFile(bad, []byte("not a binary"), 0o755); err != nil {
		t.Fatal(err)
	}
	r := &Runner{Engine: l.eng, Instance: l.instance, Env: l.env, ProbeBinary: bad}
	defer r.Cleanup(context.Background())
	o := r.Run(context.Background(), chk(10*time.Second, config.Probe{Kind: "tcp", TCP: &config.TCPProbe{From: "tiny", Address: "shell:80", Reachable: true}}))
	if o.Status != Error || o.Attempts != 1 || !strings.Contains(o.Actual, EnvProbeBinary) {
		t.Fatalf("got %+v", o)
	}
}

func TestParseProbeOutput(t *testing.T) {
	res, err := parseProbeOutput([]byte("noise\n{\"ok\":true,\"actual\":\"reachable\"}\n"))
	if err != nil || !res.OK || res.Actual != "reachable" {
		t.Fatalf("got %+v, %v", res, err)
	}
	if _, err := parseProbeOutput([]byte("usage: ...\n")); err == nil {
		t.Fatal("no error for output without a result")
	}
}

func TestHostAddressPolicy(t *testing.T) {
	r := &Runner{Env: &config.Environment{}}
	for _, ok := range []string{"127.0.0.1:80", "localhost:8080", "[::1]:443", "127.1.2.3:9"} {
		if got, err := r.hostAddress(context.Background(), ok); err != nil || got != ok {
			t.Errorf("%s: %q, %v", ok, got, err)
		}
	}
	for _, bad := range []string{"example.com:80", "10.0.0.1:22", "192.168.1.1:80", "0.0.0.0:80", "db:3306"} {
		_, err := r.hostAddress(context.Background(), bad)
		if !errors.Is(err, ErrNotLocal) {
			t.Errorf("%s: %v, want ErrNotLocal", bad, err)
		}
	}
}

func TestExpectTexts(t *testing.T) {
	if got := ExpectText(config.Expect{ExitCode: intp(2), StdoutContains: "a", StderrMatches: "b+"}); got != `exit code 2, stdout contains "a", stderr matches /b+/` {
		t.Errorf("ExpectText = %q", got)
	}
	m, err := compileExpect(config.Expect{StdoutContains: "ok", StderrContains: "warn"})
	if err != nil {
		t.Fatal(err)
	}
	ok, actual := m.evaluate(engine.ExecResult{Stdout: []byte("ok\n"), Stderr: []byte("")})
	if ok || actual != "exit code 0, stderr was empty" {
		t.Errorf("evaluate = %v %q", ok, actual)
	}
	ok, actual = m.evaluate(engine.ExecResult{Stdout: []byte("ok\n"), Stderr: []byte("warn: x")})
	if !ok || actual != `exit code 0, stdout was: "ok", stderr was: "warn: x"` {
		t.Errorf("evaluate = %v %q", ok, actual)
	}
	if _, err := compileExpect(config.Expect{StdoutMatches: "("}); err == nil {
		t.Error("bad regexp accepted")
	}
}

// TestProbeExpectedPhrases: the phrases of every network kind say in
// English exactly what the probe's own Expected says, so a report that
// translates them says the same thing.
func TestProbeExpectedPhrases(t *testing.T) {
	for _, tc := range []struct {
		text phrase.Text
		want string
	}{
		{probe.TCPSpec{Reachable: true}.ExpectedText(), probe.TCPSpec{Reachable: true}.Expected()},
		{probe.TCPSpec{}.ExpectedText(), probe.TCPSpec{}.Expected()},
		{probe.DNSSpec{Name: "db", Resolves: true, Address: "10.0.0.10"}.ExpectedText(), probe.DNSSpec{Name: "db", Resolves: true, Address: "10.0.0.10"}.Expected()},
		{probe.DNSSpec{Name: "db", Resolves: true}.ExpectedText(), probe.DNSSpec{Name: "db", Resolves: true}.Expected()},
		{probe.DNSSpec{Name: "db"}.ExpectedText(), probe.DNSSpec{Name: "db"}.Expected()},
		{
			probe.HTTPSpec{Status: 201, BodyContains: `say "hi"`, BodyMatches: "^ok", Header: map[string]string{"content-type": "json"}, JSONPath: ".a", JSONEquals: "1"}.ExpectedText(),
			probe.HTTPSpec{Status: 201, BodyContains: `say "hi"`, BodyMatches: "^ok", Header: map[string]string{"content-type": "json"}, JSONPath: ".a", JSONEquals: "1"}.Expected(),
		},
	} {
		if got := report.English(tc.text); got != tc.want {
			t.Errorf("English(%v) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// TestProbeActualPhrases: what an http probe found, as phrases, is in
// English the start of its Actual.
func TestProbeActualPhrases(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-App", "shop")
		_, _ = w.Write([]byte("hello \"world\""))
	}))
	defer srv.Close()
	for _, spec := range []probe.HTTPSpec{
		{URL: srv.URL, Status: 503},
		{URL: srv.URL, BodyContains: "bye"},
		{URL: srv.URL, Header: map[string]string{"x-other": "a"}},
		{URL: srv.URL, Header: map[string]string{"x-app": "cart"}},
		{URL: srv.URL},
	} {
		res := probe.HTTP(context.Background(), spec)
		if len(res.Text) == 0 {
			t.Errorf("%+v: no phrases for %q", spec, res.Actual)
			continue
		}
		if got := report.English(res.Text); got != res.Actual {
			t.Errorf("%+v: English(%v) = %q, want %q", spec, res.Text, got, res.Actual)
		}
	}
}
