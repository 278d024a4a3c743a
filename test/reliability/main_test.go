//go:build reliability

// Package reliability drives the proeftuin binary against a real Docker
// engine under faults: signals at random moments, an engine that goes
// away, containers that crash, hang or flood, changes made by hand,
// concurrent instances, hostile definitions, and secrets that must not leak.
// See docs/reliability.md for what it covers and its figures.
//
// The helpers follow test/e2e's (an instance per test, removed in
// t.Cleanup by label, also on failure). `make test` runs a short
// fixed-seed subset (3 trials); `make reliability` runs every trial:
//
//	RELIABILITY_TRIALS=20 RELIABILITY_SEED=1 go test -tags reliability ./test/reliability/
package reliability

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/testenv"
)

var (
	bin string
	eng engine.Engine
)

func TestMain(m *testing.M) {
	testenv.Main(m, "reliability", func(b string, e engine.Engine) { bin, eng = b, e })
}

// needEngine skips (or, in CI, fails) a test that cannot run.
func needEngine(t *testing.T) {
	t.Helper()
	testenv.NeedEngine(t)
}

// trials is how many seeded trials of each kind run: 3 by default (the
// subset of the normal test run), RELIABILITY_TRIALS otherwise.
func trials() int {
	if n, err := strconv.Atoi(os.Getenv("RELIABILITY_TRIALS")); err == nil && n > 0 {
		return n
	}
	return 3
}

// seed is RELIABILITY_SEED, 1 by default, so a failure can be replayed.
func seed() int64 {
	if n, err := strconv.ParseInt(os.Getenv("RELIABILITY_SEED"), 10, 64); err == nil {
		return n
	}
	return 1
}

// result is what one run of the binary did.
type result struct {
	Code   int
	Stdout string
	Stderr string
	MaxRSS int64 // peak resident set of the child, in KiB
	Took   time.Duration
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", r.Code, r.Stdout, r.Stderr)
}

// invocation describes one run of proeftuin.
type invocation struct {
	dir   string
	env   []string // extra environment, e.g. DOCKER_HOST=...
	args  []string
	limit time.Duration // 0: 5 minutes
}

func command(ctx context.Context, inv invocation) *exec.Cmd {
	cmd := exec.CommandContext(ctx, bin, inv.args...)
	cmd.Dir = inv.dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "TESTCONTAINERS_RYUK_DISABLED=true")
	cmd.Env = append(cmd.Env, inv.env...)
	cmd.WaitDelay = 10 * time.Second
	return cmd
}

// do runs proeftuin and waits for it.
func do(t testing.TB, inv invocation) result {
	t.Helper()
	limit := inv.limit
	if limit == 0 {
		limit = 5 * time.Minute
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := command(ctx, inv)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	r := result{Stdout: out.String(), Stderr: errb.String(), Took: time.Since(start)}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.Code = ee.ExitCode()
	case err != nil:
		t.Fatalf("run proeftuin %s: %v", strings.Join(inv.args, " "), err)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.MaxRSS = ru.Maxrss
	}
	t.Logf("proeftuin %s -> exit %d", strings.Join(inv.args, " "), r.Code)
	return r
}

// run runs proeftuin in dir with args.
func run(t testing.TB, dir string, args ...string) result {
	t.Helper()
	return do(t, invocation{dir: dir, args: args})
}

// mustRun runs proeftuin and fails the test unless it exits 0.
func mustRun(t testing.TB, dir string, args ...string) result {
	t.Helper()
	r := run(t, dir, args...)
	if r.Code != 0 {
		t.Fatalf("proeftuin %s failed:\n%s", strings.Join(args, " "), r)
	}
	return r
}

// started is a proeftuin process running in the background.
type started struct {
	cmd  *exec.Cmd
	out  *testenv.Buffer
	errb *testenv.Buffer
	done chan result
	// exited is closed when the process has ended.
	exited chan struct{}
}

func start(t testing.TB, inv invocation) *started {
	t.Helper()
	cmd := command(context.Background(), inv)
	s := &started{cmd: cmd, out: &testenv.Buffer{}, errb: &testenv.Buffer{}, done: make(chan result, 1), exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = s.out, s.errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		_ = cmd.Wait()
		r := result{Code: cmd.ProcessState.ExitCode(), Stdout: s.out.String(), Stderr: s.errb.String()}
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			r.Code = 128 + int(ws.Signal())
		}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			r.MaxRSS = ru.Maxrss
		}
		s.done <- r
		close(s.exited)
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
		}
	})
	return s
}

func (s *started) signal(sig os.Signal) { _ = s.cmd.Process.Signal(sig) }

// wait waits at most limit for the process to end; it kills it and fails
// the test after that.
func (s *started) wait(t testing.TB, limit time.Duration) result {
	t.Helper()
	select {
	case r := <-s.done:
		return r
	case <-time.After(limit):
		_ = s.cmd.Process.Kill()
		r := <-s.done
		t.Fatalf("proeftuin %s did not end within %s:\n%s", strings.Join(s.cmd.Args[1:], " "), limit, r)
		return r
	}
}

// instanceName returns a name unique to this test run.
func instanceName(t testing.TB, suffix string) string {
	base := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, strings.ToLower(t.Name()))
	if len(base) > 16 {
		base = base[len(base)-16:]
	}
	name := fmt.Sprintf("rel-%s-%x", base, time.Now().UnixNano()&0xffffff)
	if suffix != "" {
		name += "-" + suffix
	}
	return name
}

// newInstance returns a unique instance name whose resources are removed
// when the test ends, whatever happened.
func newInstance(t testing.TB, suffix string) string {
	t.Helper()
	name := instanceName(t, suffix)
	t.Cleanup(func() { cleanupInstance(t, name) })
	return name
}

// cleanupInstance removes an instance by proeftuin's down and then by
// label, bypassing proeftuin, whatever is left.
func cleanupInstance(t testing.TB, name string) {
	r := do(t, invocation{dir: os.TempDir(), args: []string{"--name", name, "down", "--volumes"}, limit: 2 * time.Minute})
	if r.Code != 0 {
		t.Logf("cleanup down %s: %s", name, r)
	}
	sweep(t, name)
}

// sweep removes everything labelled with instance.
func sweep(t testing.TB, instance string) {
	t.Helper()
	testenv.Sweep(t, eng, instance)
}

// leftovers lists what the engine still holds for instance.
func leftovers(t testing.TB, instance string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := testenv.Leftovers(ctx, eng, instance)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// labDir copies testdata/name to a fresh folder the test may change.
func labDir(t testing.TB, name string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), name)
	if err := os.CopyFS(dst, os.DirFS(filepath.Join("testdata", name))); err != nil {
		t.Fatal(err)
	}
	return dst
}

// containers maps service name to container for instance.
func containers(t testing.TB, instance string) map[string]engine.Container {
	t.Helper()
	cs, err := eng.Containers(context.Background(), map[string]string{engine.LabelInstance: instance})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]engine.Container{}
	for _, c := range cs {
		if s := c.Labels[engine.LabelService]; s != "" {
			out[s] = c
		}
	}
	return out
}

// waitWhile polls cond until it holds, a moment in the life of the
// background process s: when s ends first, or the moment does not come
// within timeout, the test fails with what s printed, which says why.
func waitWhile(t testing.TB, s *started, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		select {
		case <-s.exited:
			r := <-s.done
			t.Fatalf("proeftuin %s ended before %s:\n%s", strings.Join(s.cmd.Args[1:], " "), what, r)
		default:
		}
		if time.Now().After(deadline) {
			_ = s.cmd.Process.Kill()
			r := <-s.done
			t.Fatalf("timed out after %s waiting for %s; proeftuin %s printed:\n%s", timeout, what, strings.Join(s.cmd.Args[1:], " "), r)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// execIn runs a command in a service's container through the engine API.
func execIn(t testing.TB, instance, service string, cmd ...string) engine.ExecResult {
	t.Helper()
	c, ok := containers(t, instance)[service]
	if !ok {
		t.Fatalf("no container for service %s", service)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := eng.Exec(ctx, c.ID, engine.ExecSpec{Command: cmd})
	if err != nil {
		t.Fatalf("exec %v in %s: %v", cmd, service, err)
	}
	return res
}
