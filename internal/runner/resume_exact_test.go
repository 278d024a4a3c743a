package runner

import (
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/report"
)

// hashFiles returns the SHA-256 of every file in dir.
func hashFiles(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = sha256.Sum256(b)
	}
	return out
}

// TestResumeOfPassedRunChangesNothing: a plain --resume after a run that
// passed used to rewrite its report (duration, start, "resumed"
// deviations). Now it is refused with a FinishedError and every file of
// the run keeps its hash.
func TestResumeOfPassedRunChangesNothing(t *testing.T) {
	l := newLab(t)
	o := l.opts(t)
	o.Formats = []string{"json", "md", "html", "junit"}
	res := l.run(t, t.Context(), o)
	if res.Status != report.Passed {
		t.Fatalf("first run %s", res.Status)
	}
	dir := Paths(o, res).Dir
	before := hashFiles(t, dir)
	calls := len(l.sc.calls())

	time.Sleep(10 * time.Millisecond)
	o.Resume = true
	got, err := Run(t.Context(), o)
	fe, ok := AsFinished(err)
	if !ok || got != nil || fe.RunID != res.RunID {
		t.Fatalf("resume of a passed run: %v, %v; want a FinishedError for %s", got, err, res.RunID)
	}
	if err := Validate(o); err == nil {
		t.Fatal("Validate accepts resuming a passed run")
	}
	after := hashFiles(t, dir)
	if len(after) != len(before) {
		t.Fatalf("files %d before, %d after", len(before), len(after))
	}
	for name, h := range before {
		if after[name] != h {
			t.Errorf("%s changed", name)
		}
	}
	if n := len(l.sc.calls()); n != calls {
		t.Errorf("resume ran %d commands", n-calls)
	}
}

// TestResumeNeverFallsBackToOlderRun: with the newest state truncated,
// empty, null or {}, --resume used to continue an older run silently.
func TestResumeNeverFallsBackToOlderRun(t *testing.T) {
	for name, content := range map[string]string{"truncated": `{"version": 1, "run_id": "x`, "empty": "", "null": "null", "object": "{}"} {
		t.Run(name, func(t *testing.T) {
			l := newLab(t)
			l.sc.setFails("four", -1)
			older := l.run(t, t.Context(), l.opts(t)) // failed: resumable
			o := l.opts(t)
			newest := filepath.Join(RunsDir(l.dir, "zz-newest"), StateFile)
			if err := os.MkdirAll(filepath.Dir(newest), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(newest, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			future := time.Now().Add(time.Minute)
			os.Chtimes(newest, future, future)
			o.Resume = true
			res, err := Run(t.Context(), o)
			if res != nil || !IsInputError(err) || !strings.Contains(err.Error(), newest) {
				t.Fatalf("got %v, %v; want an input error naming %s (older run %s must not be resumed)", res, err, newest, older.RunID)
			}
		})
	}
}

// TestRunExistsBeforeFirstStep: a run is on disk before its first step,
// so a kill at any moment leaves it for --resume; a folder that cannot
// be written stops the run before any step.
func TestRunExistsBeforeFirstStep(t *testing.T) {
	l := newLab(t)
	o := l.opts(t)
	o.RunID = "r1"
	var seen bool
	l.eng.OnCall(func(_ context.Context, method, _ string) {
		if method == "Exec" && !seen {
			seen = true
			st, err := LoadState(filepath.Join(RunsDir(l.dir, "r1"), StateFile))
			if err != nil || st.Finished || len(st.Result.Steps) != 0 {
				t.Errorf("state at the first step: %+v, %v; want an unfinished run without steps", st, err)
			}
		}
	})
	l.run(t, t.Context(), o)
	if !seen {
		t.Fatal("no step ran")
	}
}

func TestReadOnlyRunsFolderStopsBeforeFirstStep(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Log("root ignores folder modes; using a file where the folder should be")
	}
	l := newLab(t)
	// A file named .proeftuin: the runs folder cannot be made, as for a
	// read-only folder, also for root.
	if err := os.WriteFile(filepath.Join(l.dir, ".proeftuin"), nil, 0o444); err != nil {
		t.Fatal(err)
	}
	res, err := Run(t.Context(), l.opts(t))
	if res != nil || !IsInputError(err) || !strings.Contains(err.Error(), "before the first step") {
		t.Fatalf("got %v, %v", res, err)
	}
	if n := len(l.sc.calls()); n != 0 {
		t.Fatalf("%d commands ran before the folder was found unwritable", n)
	}
}

func TestRunIDStaysInRunsFolder(t *testing.T) {
	l := newLab(t)
	for _, id := range []string{"../../../x", "a/b", "..", `a\b`, "/abs"} {
		o := l.opts(t)
		o.RunID = id
		if err := Validate(o); !IsInputError(err) || !strings.Contains(err.Error(), "--run-id") {
			t.Errorf("run id %q: %v", id, err)
		}
	}
	o := l.opts(t)
	o.RunID = "ok-1.2_3"
	if err := Validate(o); err != nil {
		t.Fatal(err)
	}
}

// TestSecretCutAtOutputCapNeverStored: a step prints a secret just
// before the 64 KiB cap; the secret is cut at every position by the cap.
// No fragment of it may reach any file (issue 17, trial 5).
func TestSecretCutAtOutputCapNeverStored(t *testing.T) {
	for cut := 1; cut < len(secret); cut++ {
		l := newLab(t)
		// The tail the engine keeps starts cut bytes into the secret.
		out := strings.Repeat("x", 100) + secret + strings.Repeat("y", OutputLimit-(len(secret)-cut))
		l.eng.SetExec("unit-web", func(cmd []string, _ int) (engine.ExecResult, error) {
			return engine.ExecResult{Stdout: []byte(out), Stderr: []byte(out)}, nil
		})
		o := l.opts(t)
		o.Formats = report.Formats
		res := l.run(t, t.Context(), o)
		if a := stepOf(t, res, "one").Actions[0]; !a.Truncated {
			t.Fatalf("cut %d: output not truncated", cut)
		}
		err := filepath.WalkDir(l.dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasSuffix(p, ".hcl") {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			// The tail starts with frag followed by the filler.
			if strings.Contains(string(data), secret[cut:]+"yyy") {
				t.Errorf("cut %d: %s holds the fragment %q", cut, filepath.Base(p), secret[cut:])
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestResumeRunsAgainStepsWhoseContainerWasReplaced: a run is
// interrupted, the service's container is removed and made anew (as `up`
// does after `docker rm -f`); --resume must not copy the earlier steps'
// "passed" — what they did inside the old container is gone — but run
// them again (issue 17, trial 3; docs/runner.md).
func TestResumeRunsAgainStepsWhoseContainerWasReplaced(t *testing.T) {
	l := newLab(t)
	l.sc.setFails("four", -1)
	o := l.opts(t)
	first := l.run(t, t.Context(), o)
	if got := statuses(first); got["one"] != report.Passed || got["two"] != report.Passed || got["four"] != report.Failed {
		t.Fatalf("first run: %v", got)
	}
	ctx := context.Background()
	cs, _ := l.eng.Containers(ctx, map[string]string{engine.LabelService: "web"})
	for _, c := range cs {
		_ = l.eng.RemoveContainer(ctx, c.ID)
	}
	l.eng.AddContainer(engine.Container{Name: "unit-web", Image: "busybox:test", State: "running",
		Labels: map[string]string{engine.LabelInstance: "unit", engine.LabelService: "web"}})
	l.eng.SetExec("unit-web", l.sc.exec)
	l.sc.setFails("four", 0)

	before := len(l.sc.calls())
	o.Resume = true
	res := l.run(t, t.Context(), o)
	if got := l.sc.calls()[before:]; !slices.Equal(got, []string{"one", "check-one", "two", "three", "check-three", "four"}) {
		t.Errorf("commands on resume: %v; want every step again", got)
	}
	for _, id := range []string{"one", "two", "three"} {
		if s := stepOf(t, res, id); s.Resumed || s.Status != report.Passed {
			t.Errorf("step %s: resumed %v status %s; want run again", id, s.Resumed, s.Status)
		}
	}

	// Unchanged containers: a second interrupted run resumes as before.
	l.sc.setFails("four", -1)
	o.Resume = false
	l.run(t, t.Context(), o)
	l.sc.setFails("four", 0)
	before = len(l.sc.calls())
	o.Resume = true
	res = l.run(t, t.Context(), o)
	if got := l.sc.calls()[before:]; !slices.Equal(got, []string{"four"}) {
		t.Errorf("commands on resume with the same container: %v", got)
	}
	if s := stepOf(t, res, "one"); !s.Resumed {
		t.Error("step one not resumed although its container is the same")
	}
}
