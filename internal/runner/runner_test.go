package runner

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/engine/fake"
	"github.com/proeftuin/proeftuin/internal/report"
)

const secret = "hunter2-geheim"

// script plays the commands of testdata/lab: each command's first word is
// its name; fails says how often a name fails before it passes (-1:
// always).
type script struct {
	mu    sync.Mutex
	log   []string
	fails map[string]int
}

func (s *script) exec(cmd []string, _ int) (engine.ExecResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	name := cmd[0]
	s.log = append(s.log, name)
	if n := s.fails[name]; n != 0 {
		if n > 0 {
			s.fails[name] = n - 1
		}
		return engine.ExecResult{ExitCode: 1, Stderr: []byte("boom: " + strings.Join(cmd, " "))}, nil
	}
	return engine.ExecResult{Stdout: []byte("ok: " + strings.Join(cmd, " "))}, nil
}

func (s *script) calls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.log)
}

func (s *script) count(name string) int {
	n := 0
	for _, c := range s.calls() {
		if c == name {
			n++
		}
	}
	return n
}

func (s *script) setFails(name string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fails[name] = n
}

type lab struct {
	dir string
	eng *fake.Engine
	sc  *script
}

// newLab copies testdata/lab to a fresh folder and starts its one service
// on a fake engine.
func newLab(t *testing.T) *lab {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "lab")
	if err := os.CopyFS(dir, os.DirFS("testdata/lab")); err != nil {
		t.Fatal(err)
	}
	eng := fake.New()
	eng.SetImage("busybox:test", "sha256:feed")
	eng.AddContainer(engine.Container{Name: "unit-web", Image: "busybox:test", State: engine.StateRunning,
		Labels: map[string]string{engine.LabelInstance: "unit", engine.LabelService: "web"}})
	sc := &script{fails: map[string]int{}}
	eng.SetExec("unit-web", sc.exec)
	return &lab{dir: dir, eng: eng, sc: sc}
}

func (l *lab) env(t *testing.T) *config.Environment {
	t.Helper()
	env, diags := config.Load(config.Options{Dir: l.dir})
	if diags.HasErrors() {
		t.Fatalf("load lab: %v", diags)
	}
	return env
}

func (l *lab) opts(t *testing.T) Options {
	return Options{Engine: l.eng, Env: l.env(t), Instance: "unit", Formats: []string{"json", "md"}}
}

func (l *lab) run(t *testing.T, ctx context.Context, o Options) *report.Result {
	t.Helper()
	res, err := Run(ctx, o)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res
}

func statuses(res *report.Result) map[string]report.Status {
	out := map[string]report.Status{}
	for _, s := range res.Steps {
		out[s.ID] = s.Status
	}
	return out
}

func stepOf(t *testing.T, res *report.Result, id string) report.Step {
	t.Helper()
	for _, s := range res.Steps {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("no step %s in result", id)
	return report.Step{}
}

func verdicts(res *report.Result) map[string]string {
	out := map[string]string{}
	for _, r := range res.Matrix {
		out[r.ID] = r.Verdict
	}
	return out
}

// wantReason checks a reason the runner gave: its code and parameters,
// and that the error text next to it is the reason's English text.
func wantReason(t *testing.T, what string, got *report.Reason, text string, want report.Reason) {
	t.Helper()
	if got == nil || *got != want {
		t.Errorf("%s: reason %+v, want %+v", what, got, want)
		return
	}
	if en := want.English(); text != en && !strings.HasPrefix(text, en+"\n") {
		t.Errorf("%s: text %q does not start with the reason's English %q", what, text, en)
	}
}

func deviationKinds(res *report.Result) []string {
	var out []string
	for _, d := range res.Deviations {
		out = append(out, d.Step+":"+d.Kind)
	}
	return out
}

func TestRunAllPass(t *testing.T) {
	l := newLab(t)
	res := l.run(t, t.Context(), l.opts(t))

	if res.Status != report.Passed || res.Kind != "run" || res.Schema != report.SchemaVersion {
		t.Fatalf("status %s kind %s schema %d", res.Status, res.Kind, res.Schema)
	}
	want := []string{"one", "check-one", "two", "three", "check-three", "four"}
	if got := l.sc.calls(); !slices.Equal(got, want) {
		t.Errorf("commands run: %v, want %v", got, want)
	}
	if res.Environment.Name != "unit" || res.Environment.Instance != "unit" || res.Environment.Hash == "" || res.Environment.Title != "Runner unit lab" {
		t.Errorf("environment: %+v", res.Environment)
	}
	if res.Engine.ServerVersion != "fake" || res.Engine.APIVersion != "1.41" {
		t.Errorf("engine: %+v", res.Engine)
	}
	if len(res.Images) != 1 || res.Images[0] != (report.Image{Service: "web", Ref: "busybox:test", ID: "sha256:feed"}) {
		t.Errorf("images: %+v", res.Images)
	}
	if res.Plan == nil || res.Plan.Name != "unit-plan" || res.Plan.Title != "Unit plan" || len(res.Plan.Hash) != 64 {
		t.Errorf("plan: %+v", res.Plan)
	}
	one := stepOf(t, res, "one")
	if one.Attempts != 1 || len(one.Actions) != 1 || one.Actions[0].ExitCode == nil || *one.Actions[0].ExitCode != 0 ||
		one.Actions[0].Stdout != "ok: one" || one.Actions[0].Service != "web" {
		t.Errorf("step one: %+v", one)
	}
	if len(one.Checks) != 1 || one.Checks[0].Status != report.Passed || one.Checks[0].Kind != "exec" ||
		one.Checks[0].From != "web" || one.Checks[0].Source != "plan.hcl:14" {
		t.Errorf("step one checks: %+v", one.Checks)
	}
	if got := verdicts(res); got["FR-01"] != report.Verified || got["FR-02"] != report.Verified || got["FR-03"] != report.NotVerified {
		t.Errorf("verdicts: %v", got)
	}
	row := res.Matrix[0]
	if !slices.Equal(row.SatisfiedBy, []string{"web"}) || !slices.Equal(row.Implemented, []string{"one"}) ||
		!slices.Equal(row.VerifiedBy, []string{"one/one-done"}) || row.Kind != "functional" || row.Priority != "must" {
		t.Errorf("matrix row FR-01: %+v", row)
	}
	if len(res.Deviations) != 0 {
		t.Errorf("deviations: %+v", res.Deviations)
	}
	// Files: state and the asked formats, in the run's folder.
	out := Paths(l.opts(t), res)
	if out.Dir != filepath.Join(l.dir, ".proeftuin", "runs", res.RunID) {
		t.Errorf("run folder %s", out.Dir)
	}
	for _, p := range append([]string{out.State}, out.Files...) {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("expected file: %v", err)
		}
	}
	loaded, err := report.Load(filepath.Join(out.Dir, "result.json"))
	if err != nil || loaded.Status != report.Passed || len(loaded.Steps) != 4 {
		t.Errorf("result.json: %v %+v", err, loaded)
	}
	// Every step and check finds the container in one list of the
	// instance; no inspect is needed for the report's image IDs.
	if n, m := l.eng.Calls("Containers"), l.eng.Calls("InspectContainer"); n != 1 || m != 0 {
		t.Errorf("%d container lists and %d inspects for 6 commands, want 1 and 0", n, m)
	}
}

// TestContainerRecreatedDuringRun: the container is replaced (new ID)
// while the plan runs, as a student's `up` elsewhere could; the next step
// finds it anew instead of failing on the ID it had listed.
func TestContainerRecreatedDuringRun(t *testing.T) {
	l := newLab(t)
	recreate := func(cmd []string, n int) (engine.ExecResult, error) {
		res, err := l.sc.exec(cmd, n)
		// After "two" the next action finds a stale ID, after "three"
		// the next check does.
		if cmd[0] == "two" || cmd[0] == "three" {
			ctx := context.Background()
			cs, _ := l.eng.Containers(ctx, map[string]string{engine.LabelService: "web"})
			for _, c := range cs {
				_ = l.eng.RemoveContainer(ctx, c.ID)
			}
			l.eng.AddContainer(engine.Container{Name: "unit-web", Image: "busybox:test", State: engine.StateRunning,
				Labels: map[string]string{engine.LabelInstance: "unit", engine.LabelService: "web"}})
		}
		return res, err
	}
	l.eng.SetExec("unit-web", recreate)
	res := l.run(t, t.Context(), l.opts(t))
	if res.Status != report.Passed {
		t.Fatalf("status %s: %+v", res.Status, res.Steps)
	}
	for _, name := range []string{"three", "check-three", "four"} {
		if n := l.sc.count(name); n != 1 {
			t.Errorf("%s ran %d times, want 1", name, n)
		}
	}
	// The run's list, the test's own two, and one more after each stale ID.
	if n := l.eng.Calls("Containers"); n != 5 {
		t.Errorf("%d container lists, want 5", n)
	}
}

func TestRetryThenPass(t *testing.T) {
	l := newLab(t)
	l.sc.setFails("two", 1)
	res := l.run(t, t.Context(), l.opts(t))
	two := stepOf(t, res, "two")
	if two.Status != report.Passed || two.Attempts != 2 {
		t.Fatalf("step two: status %s after %d attempts", two.Status, two.Attempts)
	}
	if l.sc.count("two") != 2 {
		t.Errorf("two ran %d times, want 2", l.sc.count("two"))
	}
	if res.Status != report.Passed {
		t.Errorf("overall %s", res.Status)
	}
	if got := deviationKinds(res); !slices.Equal(got, []string{"two:retried"}) {
		t.Errorf("deviations %v", got)
	}
}

func TestRetryExhaustedStops(t *testing.T) {
	l := newLab(t)
	l.sc.setFails("two", -1)
	res := l.run(t, t.Context(), l.opts(t))
	two := stepOf(t, res, "two")
	if two.Status != report.Failed || two.Attempts != 3 || l.sc.count("two") != 3 {
		t.Fatalf("step two: %s after %d attempts (%d runs)", two.Status, two.Attempts, l.sc.count("two"))
	}
	if a := two.Actions[0]; a.Status != report.Failed || a.Error != "exit code 1, expected 0" || *a.ExitCode != 1 {
		t.Errorf("action: %+v", a)
	}
	// on_failure = "stop" (the default): nothing is rolled back, the rest is skipped.
	if got := statuses(res); got["one"] != report.Passed || got["three"] != report.Skipped || got["four"] != report.Skipped {
		t.Errorf("statuses %v", got)
	}
	if l.sc.count("undo-one") != 0 || l.sc.count("undo-two") != 0 {
		t.Errorf("rollback ran on stop: %v", l.sc.calls())
	}
	if s := stepOf(t, res, "three"); !strings.Contains(s.Error, "step two failed") || len(s.Checks) != 1 || s.Checks[0].Status != report.Skipped {
		t.Errorf("skipped step three: %+v", s)
	}
	for _, id := range []string{"three", "four"} {
		s := stepOf(t, res, id)
		wantReason(t, "step "+id, s.Reason, s.Error, report.Reason{Code: report.ReasonEarlierStepFailed, Step: "two"})
	}
	if r := stepOf(t, res, "two").Reason; r != nil {
		t.Errorf("a failed step gets no reason (its actions and checks tell): %+v", r)
	}
	if res.Status != report.Failed {
		t.Errorf("overall %s", res.Status)
	}
	if got := verdicts(res); got["FR-02"] != report.NotVerified || got["FR-01"] != report.Verified {
		t.Errorf("verdicts %v", got)
	}
}

func TestRollbackOrder(t *testing.T) {
	l := newLab(t)
	l.sc.setFails("check-three", -1) // step three's action passes, its check fails
	l.sc.setFails("undo-two", -1)    // one rollback action fails; the next still runs
	res := l.run(t, t.Context(), l.opts(t))

	calls := l.sc.calls()
	i := slices.Index(calls, "undo-three")
	if i < 0 || !slices.Equal(calls[i:], []string{"undo-three", "undo-two", "undo-two-more", "undo-one"}) {
		t.Fatalf("rollback order: %v", calls)
	}
	if l.sc.count("four") != 0 {
		t.Errorf("step four ran after a rollback")
	}
	four := stepOf(t, res, "four")
	wantReason(t, "step four", four.Reason, four.Error, report.Reason{Code: report.ReasonRolledBackAfter, Step: "three"})
	want := map[string]report.Status{"one": report.RolledBack, "two": report.RolledBack, "three": report.RolledBack, "four": report.Skipped}
	for id, st := range want {
		if got := statuses(res)[id]; got != st {
			t.Errorf("step %s: %s, want %s", id, got, st)
		}
	}
	three := stepOf(t, res, "three")
	if three.RollbackStatus != report.Passed || len(three.Rollback) != 1 || three.Rollback[0].Status != report.Passed {
		t.Errorf("step three rollback: %+v", three)
	}
	if c := three.Checks[0]; c.Status != report.Failed || c.Expected != "exit code 0" || !strings.Contains(c.Actual, "exit code 1") {
		t.Errorf("step three check: %+v", c)
	}
	two := stepOf(t, res, "two")
	if two.RollbackStatus != report.Failed || len(two.Rollback) != 2 || two.Rollback[0].Status != report.Failed || two.Rollback[1].Status != report.Passed {
		t.Errorf("step two rollback: %+v", two.Rollback)
	}
	if res.Status != report.Failed {
		t.Errorf("overall %s", res.Status)
	}
	if got := verdicts(res); got["FR-02"] != report.VerdictFailed || got["FR-01"] != report.Verified {
		t.Errorf("verdicts %v", got)
	}
	var rolled []string
	for _, d := range res.Deviations {
		if d.Kind == report.DevRolledBack {
			rolled = append(rolled, d.Step+"="+string(d.Rollback))
		}
	}
	if !slices.Equal(rolled, []string{"one=passed", "two=failed", "three=passed"}) {
		t.Errorf("rolled_back deviations %v (all: %+v)", rolled, res.Deviations)
	}
}

func TestContinueAfterFailure(t *testing.T) {
	l := newLab(t)
	// Step four is declared stop; make "one" continue instead by editing the lab.
	p := filepath.Join(l.dir, "plan.hcl")
	src, _ := os.ReadFile(p)
	src = []byte(strings.Replace(string(src), `title      = "Step one"`, `title      = "Step one"
  on_failure = "continue"`, 1))
	if err := os.WriteFile(p, src, 0o644); err != nil {
		t.Fatal(err)
	}
	l.sc.setFails("one", -1)
	res := l.run(t, t.Context(), l.opts(t))
	if got := statuses(res); got["one"] != report.Failed || got["two"] != report.Passed || got["four"] != report.Passed {
		t.Fatalf("statuses %v", got)
	}
	one := stepOf(t, res, "one")
	if len(one.Checks) != 1 || one.Checks[0].Status != report.Skipped || l.sc.count("check-one") != 0 {
		t.Errorf("check of a step whose action failed must not run: %+v", one.Checks)
	}
	if one.Error != "" {
		t.Errorf("a failed step's error is left to the renderers: %q", one.Error)
	}
	if res.Status != report.Failed || res.Summary.Steps.Failed != 1 || res.Summary.Steps.Passed != 3 {
		t.Errorf("overall %s summary %+v", res.Status, res.Summary.Steps)
	}
}

func TestInterruptThenResume(t *testing.T) {
	l := newLab(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var execs int
	var mu sync.Mutex
	l.eng.OnCall(func(_ context.Context, method, _ string) {
		if method != "Exec" {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		execs++
		if execs == 4 { // one, check-one, two, then three: interrupt
			cancel()
		}
	})
	o := l.opts(t)
	res := l.run(t, ctx, o)
	if got := statuses(res); got["one"] != report.Passed || got["two"] != report.Passed || got["three"] != report.Interrupted || got["four"] != report.Skipped {
		t.Fatalf("statuses %v", got)
	}
	if res.Status != report.Interrupted {
		t.Errorf("overall %s", res.Status)
	}
	three := stepOf(t, res, "three")
	if a := three.Actions[0]; a.Status != report.Interrupted {
		t.Errorf("interrupted action: %+v", a)
	} else {
		wantReason(t, "action of step three", a.Reason, a.Error, report.Reason{Code: report.ReasonActionInterrupted})
	}
	wantReason(t, "step three", three.Reason, three.Error, report.Reason{Code: report.ReasonInterrupted})
	four := stepOf(t, res, "four")
	wantReason(t, "step four", four.Reason, four.Error, report.Reason{Code: report.ReasonRunInterrupted})
	if d := res.Deviations; len(d) == 0 || d[len(d)-1].Reason == nil || d[len(d)-1].Reason.Code != report.ReasonRunInterrupted {
		t.Errorf("the deviation carries the step's reason: %+v", d)
	}
	st, err := LoadState(Paths(o, res).State)
	if err != nil {
		t.Fatal(err)
	}
	if st.Result.Status != report.Interrupted || st.Instance != "unit" || st.RunID != res.RunID || len(st.StepHashes) != 4 {
		t.Errorf("state: %+v", st)
	}

	// Resume: one and two are not run again.
	l.eng.OnCall(nil)
	before := len(l.sc.calls())
	o = l.opts(t)
	o.Resume = true
	res2 := l.run(t, t.Context(), o)
	if res2.RunID != res.RunID {
		t.Errorf("resume continues run %s, got %s", res.RunID, res2.RunID)
	}
	if got := l.sc.calls()[before:]; !slices.Equal(got, []string{"three", "check-three", "four"}) {
		t.Errorf("commands on resume: %v", got)
	}
	for _, id := range []string{"one", "two"} {
		if s := stepOf(t, res2, id); !s.Resumed || s.Status != report.Passed {
			t.Errorf("step %s: %+v", id, s)
		}
	}
	if s := stepOf(t, res2, "three"); s.Resumed || s.Status != report.Passed {
		t.Errorf("step three: %+v", s)
	}
	if res2.Status != report.Passed {
		t.Errorf("overall %s", res2.Status)
	}
	if got := deviationKinds(res2); !slices.Equal(got, []string{"one:resumed", "two:resumed"}) {
		t.Errorf("deviations %v", got)
	}
}

func TestResumeRefusesChangedStep(t *testing.T) {
	l := newLab(t)
	l.sc.setFails("four", -1)
	l.run(t, t.Context(), l.opts(t))

	// Change step one's command; only moving text around must not count.
	p := filepath.Join(l.dir, "plan.hcl")
	src, _ := os.ReadFile(p)
	moved := "# a comment moves every step down a line\n" + string(src)
	if err := os.WriteFile(p, []byte(moved), 0o644); err != nil {
		t.Fatal(err)
	}
	o := l.opts(t)
	o.Resume = true
	l.sc.setFails("four", 0)
	if _, err := Run(t.Context(), o); err != nil {
		t.Fatalf("a comment is no change: %v", err)
	}

	l2 := newLab(t)
	l2.sc.setFails("four", -1)
	l2.run(t, t.Context(), l2.opts(t))
	p = filepath.Join(l2.dir, "plan.hcl")
	src, _ = os.ReadFile(p)
	changed := strings.Replace(string(src), `command = ["one"]`, `command = ["one", "--again"]`, 1)
	if err := os.WriteFile(p, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	o = l2.opts(t)
	o.Resume = true
	_, err := Run(t.Context(), o)
	if !IsInputError(err) || !strings.Contains(err.Error(), "step(s) one changed") || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("want a refusal naming step one and --force, got %v", err)
	}
	// With --force the changed step runs again; the unchanged one is resumed.
	before := len(l2.sc.calls())
	o.Force = true
	l2.sc.setFails("four", 0)
	res := l2.run(t, t.Context(), o)
	if got := l2.sc.calls()[before:]; !slices.Equal(got, []string{"one", "check-one", "four"}) {
		t.Errorf("commands with --force: %v", got)
	}
	if s := stepOf(t, res, "one"); s.Resumed {
		t.Errorf("changed step one must not be resumed")
	}
	for _, id := range []string{"two", "three"} {
		if s := stepOf(t, res, id); !s.Resumed {
			t.Errorf("unchanged step %s must be resumed", id)
		}
	}
}

func TestResumeWithoutEarlierRun(t *testing.T) {
	l := newLab(t)
	o := l.opts(t)
	o.Resume = true
	if _, err := Run(t.Context(), o); !IsInputError(err) || !strings.Contains(err.Error(), "no earlier run") {
		t.Fatalf("got %v", err)
	}
}

func TestSelection(t *testing.T) {
	l := newLab(t)
	o := l.opts(t)
	o.FromStep = "three"
	res := l.run(t, t.Context(), o)
	if got := statuses(res); got["one"] != report.Skipped || got["two"] != report.Skipped || got["three"] != report.Passed || got["four"] != report.Passed {
		t.Errorf("--from-step: %v", got)
	}
	if got := l.sc.calls(); !slices.Equal(got, []string{"three", "check-three", "four"}) {
		t.Errorf("--from-step ran %v", got)
	}
	one := stepOf(t, res, "one")
	wantReason(t, "--from-step", one.Reason, one.Error, report.Reason{Code: report.ReasonBeforeStart, Arg: "three"})

	l = newLab(t)
	o = l.opts(t)
	o.Only = "two"
	res = l.run(t, t.Context(), o)
	if got := l.sc.calls(); !slices.Equal(got, []string{"two"}) {
		t.Errorf("--only ran %v", got)
	}
	if s := stepOf(t, res, "one"); s.Status != report.Skipped || !strings.Contains(s.Error, "--only two") {
		t.Errorf("--only: %+v", s)
	} else {
		wantReason(t, "--only", s.Reason, s.Error, report.Reason{Code: report.ReasonNotSelected, Arg: "two"})
	}

	for _, bad := range []Options{{Only: "nope"}, {FromStep: "one", Only: "two"}, {Force: true}, {Resume: true, Only: "one"}} {
		o := l.opts(t)
		o.Only, o.FromStep, o.Force, o.Resume = bad.Only, bad.FromStep, bad.Force, bad.Resume
		if _, err := Run(t.Context(), o); !IsInputError(err) {
			t.Errorf("%+v: want an input error, got %v", bad, err)
		}
	}
}

func TestStepTimeout(t *testing.T) {
	l := newLab(t)
	env := l.env(t)
	env.Steps[0].Timeout = 50 * time.Millisecond
	l.eng.OnCall(func(ctx context.Context, method, _ string) {
		if method == "Exec" {
			<-ctx.Done() // every exec hangs until its context ends
		}
	})
	o := l.opts(t)
	o.Env = env
	res := l.run(t, t.Context(), o)
	one := stepOf(t, res, "one")
	if one.Status != report.Failed || !strings.Contains(one.Error, "timeout of 50ms") {
		t.Fatalf("step one: %+v", one)
	}
	if a := one.Actions[0]; a.Status != report.Failed || !strings.Contains(a.Error, "timeout") {
		t.Errorf("action: %+v", a)
	} else {
		wantReason(t, "action", a.Reason, a.Error, report.Reason{Code: report.ReasonStepTimeRanOut})
	}
	wantReason(t, "step one", one.Reason, one.Error, report.Reason{Code: report.ReasonStepTimeout, Arg: "50ms"})
}

func TestEngineErrorIsError(t *testing.T) {
	l := newLab(t)
	l.eng.SetState("unit-web", engine.StateExited, 137)
	res := l.run(t, t.Context(), l.opts(t))
	one := stepOf(t, res, "one")
	if one.Status != report.Error || one.Actions[0].Status != report.Error || !strings.Contains(one.Actions[0].Error, "not running") {
		t.Fatalf("step one: %+v", one)
	}
	if res.Status != report.Error {
		t.Errorf("overall %s", res.Status)
	}

	l.eng.FailOn("Info", "", errors.New("daemon gone"))
	if _, err := Run(t.Context(), l.opts(t)); err == nil || IsInputError(err) {
		t.Errorf("an engine that does not answer: got %v", err)
	}
}

func TestSecretsRedactedInStateAndReports(t *testing.T) {
	l := newLab(t)
	l.sc.setFails("two", 1) // the failed attempt's stderr holds the secret too
	o := l.opts(t)
	o.Formats = report.Formats
	res := l.run(t, t.Context(), o)
	two := stepOf(t, res, "two")
	if !strings.Contains(two.Actions[0].Stdout, "(sensitive)") || !slices.Contains(two.Actions[0].Command, "(sensitive)") {
		t.Errorf("step two not redacted: %+v", two.Actions[0])
	}
	err := filepath.WalkDir(l.dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".hcl") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.Contains(string(data), secret) {
			t.Errorf("%s holds the secret", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCheckAcceptance(t *testing.T) {
	l := newLab(t)
	env := l.env(t)
	env.Checks = []*config.Check{
		{Name: "a", Verifies: []string{"FR-01"}, Probe: config.Probe{Kind: "exec", Exec: &config.ExecProbe{Service: "web", Command: []string{"acc-a"}}}},
		{Name: "b", Verifies: []string{"FR-02"}, Probe: config.Probe{Kind: "exec", Exec: &config.ExecProbe{Service: "web", Command: []string{"acc-b"}}}},
		{Name: "c", Verifies: []string{"FR-02"}, Probe: config.Probe{Kind: "file", File: &config.FileProbe{Service: "web", Path: "/nope", Exists: true}}},
	}
	l.sc.setFails("acc-b", -1)
	o := l.opts(t)
	o.Env = env
	res, err := Check(t.Context(), o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Kind != "check" || res.Plan != nil || len(res.Steps) != 0 || len(res.Acceptance) != 3 {
		t.Fatalf("check result: %+v", res)
	}
	got := []string{}
	for _, c := range res.Acceptance {
		got = append(got, c.Name+"="+string(c.Status))
	}
	if !slices.Equal(got, []string{"a=passed", "b=failed", "c=failed"}) {
		t.Errorf("checks %v", got)
	}
	if v := verdicts(res); v["FR-01"] != report.Verified || v["FR-02"] != report.VerdictFailed || v["FR-03"] != report.NotVerified {
		t.Errorf("verdicts %v", v)
	}
	if _, err := os.Stat(filepath.Join(Paths(o, res).Dir, StateFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("check writes no state: %v", err)
	}
	if _, err := os.Stat(filepath.Join(Paths(o, res).Dir, "result.json")); err != nil {
		t.Error(err)
	}
}

func TestStepHashCanonical(t *testing.T) {
	l := newLab(t)
	a := StepHashes(l.env(t))
	// The same lab in another folder hashes the same.
	other := filepath.Join(t.TempDir(), "elsewhere")
	if err := os.CopyFS(other, os.DirFS(l.dir)); err != nil {
		t.Fatal(err)
	}
	env, _ := config.Load(config.Options{Dir: other})
	b := StepHashes(env)
	for id, h := range a {
		if b[id] != h {
			t.Errorf("step %s hashes differently after moving the folder", id)
		}
	}
	// A changed secret changes the step that uses it, and only that one.
	env2, _ := config.Load(config.Options{Dir: l.dir, Vars: []string{"secret=other"}})
	c := StepHashes(env2)
	for id, h := range a {
		if (c[id] != h) != (id == "two") {
			t.Errorf("step %s: changed=%v", id, c[id] != h)
		}
	}
	data, _ := json.Marshal(a)
	if strings.Contains(string(data), secret) {
		t.Error("hashes leak the secret")
	}
}

func TestCopyAction(t *testing.T) {
	l := newLab(t)
	env := l.env(t)
	// /etc/passwd for the owner look-up by name.
	passwd, _ := copyTar(writeTemp(t, "root:x:0:0::/root:/bin/sh\nwww:x:33:44::/var/www:/bin/false\n"), "/etc/passwd", 0o644, 0, 0)
	ctr, _ := l.eng.Container("unit-web")
	if err := l.eng.CopyTo(t.Context(), ctr.ID, "/", passwd); err != nil {
		t.Fatal(err)
	}
	env.Steps = []*config.Step{{
		ID: "copy", Retry: config.Retry{Attempts: 1},
		Actions: []*config.Action{
			{Kind: "copy", Copy: &config.CopyAction{Service: "web", Source: filepath.Join(l.dir, "files/about.html"), Target: "/www/about.html", Mode: 0o600, Owner: "www"}},
			{Kind: "copy", Copy: &config.CopyAction{Service: "web", Source: filepath.Join(l.dir, "files/site"), Target: "/srv/site/", Owner: "7:8"}},
			{Kind: "copy", Copy: &config.CopyAction{Service: "web", Source: filepath.Join(l.dir, "files/about.html"), Target: "/x", Owner: "nobody"}},
		},
	}}
	o := l.opts(t)
	o.Env = env
	res := l.run(t, t.Context(), o)
	acts := res.Steps[0].Actions
	if acts[0].Status != report.Passed || acts[0].Detail != "files/about.html -> /www/about.html" || acts[1].Status != report.Passed {
		t.Fatalf("copy actions: %+v", acts)
	}
	ctr, _ = l.eng.Container("unit-web")
	if f := ctr.Files["/www/about.html"]; string(f.Content) != "<h1>About</h1>\n" || f.Mode != 0o600 || f.UID != 33 || f.GID != 44 {
		t.Errorf("about.html: %+v", f)
	}
	for _, p := range []string{"/srv/site/index.html", "/srv/site/sub/deep.txt"} {
		if f, ok := ctr.Files[p]; !ok || f.UID != 7 || f.GID != 8 {
			t.Errorf("%s: %+v (present %v)", p, f, ok)
		}
	}
	if a := acts[2]; a.Status != report.Failed || !strings.Contains(a.Error, `no user "nobody"`) {
		t.Errorf("unknown owner: %+v", a)
	}
}

func writeTemp(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestStepTimeoutDuringCheck: a check the step's timeout stopped gets the
// reason, its English text in front of actual.
func TestStepTimeoutDuringCheck(t *testing.T) {
	l := newLab(t)
	env := l.env(t)
	env.Steps[0].Timeout = 100 * time.Millisecond
	var mu sync.Mutex
	execs := 0
	l.eng.OnCall(func(ctx context.Context, method, _ string) {
		if method != "Exec" {
			return
		}
		mu.Lock()
		execs++
		n := execs
		mu.Unlock()
		if n > 1 { // the action passes; the check hangs until its context ends
			<-ctx.Done()
		}
	})
	o := l.opts(t)
	o.Env = env
	res := l.run(t, t.Context(), o)
	one := stepOf(t, res, "one")
	if one.Status != report.Failed || len(one.Checks) != 1 {
		t.Fatalf("step one: %+v", one)
	}
	c := one.Checks[0]
	if c.Status != report.Failed {
		t.Fatalf("check: %+v", c)
	}
	wantReason(t, "check", c.Reason, c.Actual, report.Reason{Code: report.ReasonStepTimeRanOut})
	wantReason(t, "step one", one.Reason, one.Error, report.Reason{Code: report.ReasonStepTimeout, Arg: "100ms"})
}
