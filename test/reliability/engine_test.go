//go:build reliability

package reliability

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/faultproxy"
	"github.com/proeftuin/proeftuin/internal/report"
	"github.com/proeftuin/proeftuin/internal/runner"
)

// newProxy starts a faultproxy in front of the engine, closed at the end.
func newProxy(t *testing.T) *faultproxy.Proxy {
	t.Helper()
	p, err := faultproxy.New(t.TempDir(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// engineGone checks the exit code and message of a command whose engine
// went away: exit 3, it says the engine stopped answering and what to do.
func engineGone(t *testing.T, what string, r result) {
	t.Helper()
	if r.Code != 3 {
		t.Errorf("%s with the engine cut: exit %d, want 3\n%s", what, r.Code, r)
	}
	if !strings.Contains(r.Stderr, "does not answer") || !strings.Contains(r.Stderr, "check that Docker is running") {
		t.Errorf("%s with the engine cut: the message does not say that the engine stopped answering and what to do:\n%s", what, r)
	}
	if strings.Contains(r.Stderr, "panic:") || strings.Contains(r.Stderr, "goroutine ") {
		t.Errorf("%s panicked:\n%s", what, r)
	}
	lines := strings.Split(strings.TrimSpace(r.Stderr), "\n")
	t.Logf("%s with the engine cut: exit %d; last line: %s", what, r.Code, lines[len(lines)-1])
}

// TestEngineCutDuringUp: the engine goes away while `up` creates the
// lab; up exits 3 with a clear message, and a fresh up converges once the
// engine is back.
func TestEngineCutDuringUp(t *testing.T) {
	needEngine(t)
	t.Parallel()
	p := newProxy(t)
	dir := labDir(t, "lab")
	inst := newInstance(t, "")
	env := []string{"DOCKER_HOST=" + p.Host()}
	up := start(t, invocation{dir: dir, env: env, args: []string{"--name", inst, "up"}})
	// Cut once up has created something (a network comes first; under
	// load the first container can take minutes).
	waitWhile(t, up, 3*time.Minute, "the first network or container of "+inst, func() bool { return len(leftovers(t, inst)) > 0 })
	p.Cut()
	r := up.wait(t, 3*time.Minute)
	engineGone(t, "up", r)

	if err := p.Restore(); err != nil {
		t.Fatal(err)
	}
	if r := do(t, invocation{dir: dir, env: env, args: []string{"--name", inst, "up"}}); r.Code != 0 {
		t.Fatalf("up after the engine came back:\n%s", r)
	}
	if r := do(t, invocation{dir: dir, env: env, args: []string{"--name", inst, "down", "--volumes"}}); r.Code != 0 {
		t.Fatalf("down:\n%s", r)
	}
	if left := leftovers(t, inst); len(left) > 0 {
		t.Errorf("left behind: %s", strings.Join(left, ", "))
	}
	t.Logf("faultproxy: %+v", p.Stats())
}

// TestEngineCutDuringStep: the engine goes away while a plan step runs
// `sleep 3`; run exits 3 with a clear message, its state and result on
// disk load, and run --resume finishes once the engine is back.
func TestEngineCutDuringStep(t *testing.T) {
	needEngine(t)
	t.Parallel()
	p := newProxy(t)
	dir := labDir(t, "lab")
	inst := newInstance(t, "")
	mustRun(t, dir, "--name", inst, "up")
	env := []string{"DOCKER_HOST=" + p.Host()}
	rdir := filepath.Join(t.TempDir(), "run")
	args := []string{"--name", inst, "--var", "step_sleep=3", "run", "--report-dir", rdir}
	run := start(t, invocation{dir: dir, env: env, args: args})
	// The first step's exec runs `sleep 3` in db: cut while it sleeps.
	waitWhile(t, run, 2*time.Minute, "the first step's sleep", func() bool {
		return strings.Contains(string(execIn(t, inst, "db", "ps").Stdout), "sleep 3")
	})
	p.Cut()
	r := run.wait(t, 3*time.Minute)
	engineGone(t, "run", r)

	if _, err := os.Stat(filepath.Join(rdir, runner.StateFile)); err == nil {
		if _, err := runner.LoadState(filepath.Join(rdir, runner.StateFile)); err != nil {
			t.Errorf("state after the cut does not load: %v", err)
		}
	}
	if res, err := report.Load(filepath.Join(rdir, "result.json")); err != nil {
		t.Errorf("result after the cut does not load: %v", err)
	} else if res.Status != report.Error {
		t.Errorf("result after the cut: status %s, want error", res.Status)
	}

	if err := p.Restore(); err != nil {
		t.Fatal(err)
	}
	res := do(t, invocation{dir: dir, env: env, args: append(args, "--resume")})
	if res.Code != 0 {
		t.Fatalf("run --resume after the engine came back:\n%s", res)
	}
	final, err := report.Load(filepath.Join(rdir, "result.json"))
	if err != nil || final.Status != report.Passed {
		t.Fatalf("result after resume: %v %+v", err, final)
	}
}
