//go:build reliability

package reliability

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/report"
	"github.com/proeftuin/proeftuin/internal/runner"
)

// trial is one seeded interruption: which signal, and when after the
// command started.
type trial struct {
	n      int
	seed   int64
	sig    syscall.Signal
	moment time.Duration
}

func (tr trial) String() string {
	return fmt.Sprintf("trial %d (RELIABILITY_SEED=%d): %s after %s", tr.n, tr.seed, sigName(tr.sig), tr.moment.Round(time.Millisecond))
}

func sigName(s syscall.Signal) string {
	if s == syscall.SIGKILL {
		return "SIGKILL"
	}
	return "SIGINT"
}

// plannedTrials draws the trials of one kind: SIGINT and SIGKILL
// alternate, the moment is uniform in [10ms, window).
func plannedTrials(kind string, window time.Duration) []trial {
	s := seed()
	rng := rand.New(rand.NewPCG(uint64(s), uint64(len(kind))*7919+uint64(kind[0])))
	out := make([]trial, trials())
	for i := range out {
		sig := syscall.SIGINT
		if i%2 == 1 {
			sig = syscall.SIGKILL
		}
		out[i] = trial{n: i, seed: s, sig: sig, moment: 10*time.Millisecond + time.Duration(rng.Int64N(int64(window)))}
	}
	return out
}

// parallelTrials runs fn for every trial, at most RELIABILITY_PARALLEL
// (default 3) at once, each as a subtest named after its trial.
func parallelTrials(t *testing.T, trs []trial, fn func(t *testing.T, tr trial)) {
	par := 3
	if n, err := fmt.Sscan(os.Getenv("RELIABILITY_PARALLEL"), &par); n != 1 || err != nil || par < 1 {
		par = 3
	}
	sem := make(chan struct{}, par)
	var wg sync.WaitGroup
	for _, tr := range trs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			// t.Run from a goroutine: the subtests run side by side
			// without t.Parallel, so the bound above holds.
			t.Run(fmt.Sprintf("%02d-%s", tr.n, sigName(tr.sig)), func(t *testing.T) {
				defer func() {
					if t.Failed() {
						t.Logf("replay with RELIABILITY_SEED=%d RELIABILITY_TRIALS=%d: %s", tr.seed, trials(), tr)
					}
				}()
				fn(t, tr)
			})
		}()
	}
	wg.Wait()
}

// interrupted checks the exit code of a command signalled in a trial.
func checkSignalled(t *testing.T, tr trial, r result, what string) {
	t.Helper()
	switch {
	case r.Code == 0:
		t.Logf("%s: %s finished before the signal", tr, what)
	case tr.sig == syscall.SIGKILL && r.Code == 128+int(syscall.SIGKILL):
	case tr.sig == syscall.SIGINT && r.Code == 130:
	default:
		t.Errorf("%s: %s exited %d\n%s", tr, what, r.Code, r)
	}
}

// converged checks that every service of the lab runs and the plan has
// nothing left to do.
func converged(t *testing.T, dir, inst string, tr trial) {
	t.Helper()
	cs := containers(t, inst)
	for _, svc := range []string{"db", "api", "web", "worker"} {
		if c, ok := cs[svc]; !ok || c.State != "running" {
			t.Errorf("%s: after the second up, service %s is %q", tr, svc, c.State)
		}
	}
	if r := run(t, dir, "--name", inst, "plan", "--detailed-exitcode"); r.Code != 0 {
		t.Errorf("%s: plan after the second up shows changes:\n%s", tr, r)
	}
}

// downClean removes the instance and checks that nothing is left.
func downClean(t *testing.T, dir, inst string, tr trial) {
	t.Helper()
	if r := run(t, dir, "--name", inst, "down", "--volumes"); r.Code != 0 {
		t.Errorf("%s: down:\n%s", tr, r)
	}
	if left := leftovers(t, inst); len(left) > 0 {
		t.Errorf("%s: after down, instance %s left behind: %s", tr, inst, strings.Join(left, ", "))
	}
}

// TestInterruptUp signals `up` of a four-service lab at seeded moments;
// a second `up` converges and `down` leaves nothing. test/e2e covers
// SIGINT, SIGTERM and SIGKILL at one fixed moment (TestInterruptedUpRollsBack,
// TestTerminatedUpRollsBack, TestKilledUpThenDown, TestDoubleInterrupt).
func TestInterruptUp(t *testing.T) {
	needEngine(t)
	t.Parallel()
	parallelTrials(t, plannedTrials("up", 6*time.Second), func(t *testing.T, tr trial) {
		dir := labDir(t, "lab")
		inst := newInstance(t, "")
		p := start(t, invocation{dir: dir, args: []string{"--name", inst, "up"}})
		time.Sleep(tr.moment)
		p.signal(tr.sig)
		r := p.wait(t, 2*time.Minute)
		checkSignalled(t, tr, r, "up")
		if r.Code == 130 {
			// A complete roll-back says so, and then nothing may be left.
			if strings.Contains(r.Stderr, "what this run created was removed") {
				if left := leftovers(t, inst); len(left) > 0 {
					t.Errorf("%s: up reported a complete roll-back but left %s\n%s", tr, strings.Join(left, ", "), r)
				}
			} else if strings.TrimSpace(r.Stderr) == "" {
				// The signal came before up installed its handler (while
				// it loaded the definition): nothing was created.
				if left := leftovers(t, inst); len(left) > 0 {
					t.Errorf("%s: up died of SIGINT before handling it, yet left %s", tr, strings.Join(left, ", "))
				}
			} else if !strings.Contains(r.Stderr, "roll-back was incomplete") {
				t.Errorf("%s: up after SIGINT says neither that it rolled back nor that it could not:\n%s", tr, r)
			}
		}
		if r := run(t, dir, "--name", inst, "up"); r.Code != 0 {
			t.Fatalf("%s: up after the interrupted one:\n%s", tr, r)
		}
		converged(t, dir, inst, tr)
		downClean(t, dir, inst, tr)
	})
}

// TestInterruptRun signals `run` while its steps run; the state on disk
// stays readable and `run --resume` finishes the run.
func TestInterruptRun(t *testing.T) {
	needEngine(t)
	t.Parallel()
	parallelTrials(t, plannedTrials("run", 7*time.Second), func(t *testing.T, tr trial) {
		dir := labDir(t, "lab")
		inst := newInstance(t, "")
		mustRun(t, dir, "--name", inst, "up")
		rdir := filepath.Join(t.TempDir(), "run")
		args := []string{"--name", inst, "--var", "step_sleep=2", "run", "--report-dir", rdir}
		p := start(t, invocation{dir: dir, args: args})
		time.Sleep(tr.moment)
		p.signal(tr.sig)
		r := p.wait(t, 2*time.Minute)
		checkSignalled(t, tr, r, "run")
		stateReadable(t, tr, rdir, r)

		res := run(t, dir, append(args[:len(args):len(args)], "--resume")...)
		if res.Code == 2 && strings.Contains(res.Stderr, "there is no run to resume") {
			// Killed before the first step's state was written: there is
			// nothing to resume, and the message says so; a new run works.
			t.Logf("%s: nothing to resume; starting again", tr)
			if _, err := os.Stat(filepath.Join(rdir, runner.StateFile)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s: resume found no run although %s exists", tr, runner.StateFile)
			}
			res = run(t, dir, args...)
		}
		if res.Code != 0 {
			t.Fatalf("%s: run --resume:\n%s", tr, res)
		}
		final, err := report.Load(filepath.Join(rdir, "result.json"))
		if err != nil {
			t.Fatalf("%s: result after resume: %v", tr, err)
		}
		if final.Status != report.Passed || len(final.Steps) != 3 {
			t.Errorf("%s: result after resume: status %s, %d steps", tr, final.Status, len(final.Steps))
		}
		downClean(t, dir, inst, tr)
	})
}

// stateReadable checks that what an interrupted run left on disk loads.
func stateReadable(t *testing.T, tr trial, rdir string, r result) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(rdir, runner.StateFile)); err == nil {
		st, err := runner.LoadState(filepath.Join(rdir, runner.StateFile))
		if err != nil {
			t.Errorf("%s: state.json after the signal does not load: %v", tr, err)
		} else if tr.sig == syscall.SIGINT && r.Code == 130 && st.Finished && st.Result.Status != report.Interrupted {
			t.Errorf("%s: state after SIGINT: finished with status %s", tr, st.Result.Status)
		}
	}
	if _, err := os.Stat(filepath.Join(rdir, "result.json")); err == nil {
		if _, err := report.Load(filepath.Join(rdir, "result.json")); err != nil {
			t.Errorf("%s: result.json after the signal does not load: %v", tr, err)
		}
	} else if r.Code == 130 && stateExists(rdir) {
		// Interrupted in its steps (there is a state), run writes the
		// report; interrupted while it brought the lab up, it writes none.
		t.Errorf("%s: run after SIGINT wrote no result.json", tr)
	}
	// No temporary file may be left where a reader would take it for the
	// state (a half-written state is the failure the rename prevents).
	matches, _ := filepath.Glob(filepath.Join(rdir, "*.tmp*"))
	if tr.sig == syscall.SIGINT && len(matches) > 0 {
		t.Errorf("%s: temporary files left after SIGINT: %v", tr, matches)
	}
}

// TestInterruptDown signals `down` at seeded moments; a second `down`
// removes everything.
func TestInterruptDown(t *testing.T) {
	needEngine(t)
	t.Parallel()
	parallelTrials(t, plannedTrials("down", 3*time.Second), func(t *testing.T, tr trial) {
		dir := labDir(t, "lab")
		inst := newInstance(t, "")
		mustRun(t, dir, "--name", inst, "up")
		p := start(t, invocation{dir: dir, args: []string{"--name", inst, "down", "--volumes"}})
		time.Sleep(tr.moment)
		p.signal(tr.sig)
		r := p.wait(t, 2*time.Minute)
		checkSignalled(t, tr, r, "down")
		// Once removal began, an interrupted down must say that it did not
		// finish. (Interrupted while connecting, it says "interrupted" and
		// has removed nothing.)
		if r.Code == 130 && strings.Contains(r.Stderr, "removing") && !strings.Contains(r.Stderr, "run down again") && len(leftovers(t, inst)) > 0 {
			t.Errorf("%s: interrupted down left resources without saying to run down again:\n%s", tr, r)
		}
		downClean(t, dir, inst, tr)
	})
}

func stateExists(rdir string) bool {
	_, err := os.Stat(filepath.Join(rdir, runner.StateFile))
	return err == nil
}
