package run

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/report"
	"github.com/proeftuin/proeftuin/internal/runner"
	"github.com/proeftuin/proeftuin/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func TestRunPassing(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := labDir(t, "passing")
	inst := newInstance(t)
	port := strconv.Itoa(freePort(t))
	out := filepath.Join(t.TempDir(), "out")
	notes := filepath.Join(t.TempDir(), "reflectie.md")
	if err := os.WriteFile(notes, []byte("Het ging **goed**.\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	// Before up, check has nothing to check against.
	r := runWant(t, 2, dir, "--name", inst, "--var", "web_port="+port, "check")
	if !strings.Contains(r.Stderr, "is not up") || !strings.Contains(r.Stderr, "proeftuin up") {
		t.Errorf("check before up: want a hint to run up:\n%s", r)
	}

	r = runWant(t, 0, dir, "--name", inst, "--var", "web_port="+port, "run",
		"--report-dir", out, "--author", "Sam de Vries", "--notes", notes, "rollout")
	for _, f := range []string{"result.json", "report.md", "report.html", "junit.xml", "state.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("report file: %v", err)
		}
	}
	if !strings.Contains(r.Stdout, "Rapportbestanden:") || !strings.Contains(r.Stdout, filepath.Join(out, "report.html")) {
		t.Errorf("stdout lists the report files:\n%s", r.Stdout)
	}
	if !strings.Contains(r.Stderr, "step pages: passed") {
		t.Errorf("stderr shows step progress:\n%s", r.Stderr)
	}
	res := loadResult(t, filepath.Join(out, "result.json"))

	if res.Schema != 1 || res.Kind != "run" || res.Status != report.Passed || res.RunID == "" {
		t.Errorf("head: schema %d kind %s status %s run %q", res.Schema, res.Kind, res.Status, res.RunID)
	}
	if res.Tool.Name != "proeftuin" || res.Tool.Version == "" {
		t.Errorf("tool %+v", res.Tool)
	}
	if res.Environment.Name != "passing" || res.Environment.Title != "Alles slaagt" || res.Environment.Instance != inst || len(res.Environment.Hash) != 64 {
		t.Errorf("environment %+v", res.Environment)
	}
	if res.Engine.ServerVersion == "" || res.Engine.APIVersion == "" || res.Engine.OS == "" {
		t.Errorf("engine %+v", res.Engine)
	}
	if len(res.Images) != 1 || res.Images[0].Service != "web" || res.Images[0].Ref != testImage || !strings.HasPrefix(res.Images[0].ID, "sha256:") {
		t.Errorf("images %+v", res.Images)
	}
	if res.Author != "Sam de Vries" || res.Notes != "Het ging **goed**.\n" {
		t.Errorf("author %q notes %q", res.Author, res.Notes)
	}
	if res.Plan == nil || res.Plan.Name != "rollout" || res.Plan.Title != "Everything passes" || len(res.Plan.Hash) != 64 {
		t.Errorf("plan %+v", res.Plan)
	}
	if res.Finished.Before(res.Started) || res.DurationMS != res.Finished.Sub(res.Started).Milliseconds() {
		t.Errorf("times: %s .. %s, %d ms", res.Started, res.Finished, res.DurationMS)
	}
	var ids []string
	for _, s := range res.Steps {
		ids = append(ids, s.ID)
		if s.Status != report.Passed || s.Attempts != 1 || s.Resumed || s.Error != "" || s.Started.IsZero() {
			t.Errorf("step %s: %+v", s.ID, s)
		}
		for _, a := range s.Actions {
			if a.Status != report.Passed {
				t.Errorf("step %s action %s: %+v", s.ID, a.Kind, a)
			}
		}
	}
	if !slices.Equal(ids, []string{"pages", "restart", "stop-start"}) {
		t.Errorf("steps %v", ids)
	}
	pages := stepOf(t, res, "pages")
	if len(pages.Actions) != 2 {
		t.Fatalf("pages actions: %+v", pages.Actions)
	}
	if a := pages.Actions[0]; a.Kind != "copy" || a.Service != "web" || a.Detail != "files/site -> /www/site" {
		t.Errorf("copy action %+v", a)
	}
	if a := pages.Actions[1]; a.Kind != "exec" || a.ExitCode == nil || *a.ExitCode != 0 || a.Stdout != "hallo from /www\n" ||
		!strings.Contains(a.Detail, "stdin from files/about.html") || a.Command[0] != "sh" {
		t.Errorf("exec action %+v", a)
	}
	var checks []string
	for _, c := range pages.Checks {
		checks = append(checks, c.Name+"="+string(c.Status))
	}
	if !slices.Equal(checks, []string{"about=passed", "site-owner=passed"}) {
		t.Errorf("pages checks %v", checks)
	}
	if c := pages.Checks[0]; c.Kind != "http" || c.From != "" || c.Source != "plan.hcl:24" || c.Attempts < 1 {
		t.Errorf("check about %+v", c)
	}
	var kinds []string
	for _, s := range res.Steps[1:] {
		for _, a := range s.Actions {
			kinds = append(kinds, a.Kind)
		}
	}
	if !slices.Equal(kinds, []string{"restart", "wait", "http", "stop", "start", "wait"}) {
		t.Errorf("action kinds %v", kinds)
	}
	row := rowOf(t, res, "FR-01")
	if row.Verdict != report.Verified || !slices.Equal(row.SatisfiedBy, []string{"web"}) || !slices.Equal(row.Implemented, []string{"pages"}) ||
		!slices.Equal(row.VerifiedBy, []string{"home", "pages/about", "pages/site-owner"}) || row.Priority != "must" || row.Kind != "functional" {
		t.Errorf("matrix row %+v", row)
	}
	if len(res.Deviations) != 0 {
		t.Errorf("deviations %+v", res.Deviations)
	}
	// The acceptance check runs after the plan.
	if len(res.Acceptance) != 1 || res.Acceptance[0].Name != "home" || res.Acceptance[0].Status != report.Passed {
		t.Errorf("acceptance %+v", res.Acceptance)
	}
	if s := res.Summary; s.Steps.Total != 3 || s.Steps.Passed != 3 || s.Checks.Total != 4 || s.Checks.Passed != 4 || s.Requirements.Verified != 1 {
		t.Errorf("summary %+v", s)
	}
	// The environment is kept: the page the plan wrote is still there.
	if !exists(t, inst, "web", "/www/about.html") {
		t.Error("the environment was not kept after the run")
	}

	t.Run("summary golden", func(t *testing.T) {
		golden(t, "passing.txt", mask(r.Stdout, out, inst))
	})

	t.Run("check", func(t *testing.T) {
		cout := filepath.Join(t.TempDir(), "check")
		r := runWant(t, 0, dir, "--name", inst, "--var", "web_port="+port, "check", "--report-dir", cout, "--lang", "en")
		if !strings.Contains(r.Stdout, "Acceptance test report") {
			t.Errorf("check summary:\n%s", r.Stdout)
		}
		res := loadResult(t, filepath.Join(cout, "result.json"))
		if res.Kind != "check" || res.Plan != nil || len(res.Steps) != 0 || len(res.Acceptance) != 1 || res.Status != report.Passed {
			t.Fatalf("check result %+v", res)
		}
		if c := res.Acceptance[0]; c.Name != "home" || c.Status != report.Passed || !slices.Equal(c.Verifies, []string{"FR-01"}) || c.Kind != "http" {
			t.Errorf("acceptance %+v", c)
		}
		if v := rowOf(t, res, "FR-01"); v.Verdict != report.Verified || !slices.Equal(v.VerifiedBy, []string{"home"}) {
			t.Errorf("check matrix %+v", v)
		}
		if _, err := os.Stat(filepath.Join(cout, runner.StateFile)); err == nil {
			t.Error("check wrote a run state")
		}
	})

	t.Run("output json", func(t *testing.T) {
		r := runWant(t, 0, dir, "--name", inst, "--var", "web_port="+port, "--output", "json", "run", "--only", "pages", "--report-dir", t.TempDir())
		var doc report.Result
		onlyJSON(t, r.Stdout, &doc)
		if doc.Status != report.Passed || len(doc.Steps) != 3 || doc.Steps[1].Status != report.Skipped || doc.Steps[1].Error != "not selected (--only pages)" {
			t.Errorf("--output json document: %+v", doc)
		}
	})

	t.Run("report command", func(t *testing.T) {
		in := filepath.Join(out, "result.json")
		r := runWant(t, 0, dir, "report", "--in", in, "--format", "md", "--lang", "en")
		if !strings.HasPrefix(r.Stdout, "# Evaluation report") || !strings.Contains(r.Stdout, "Sam de Vries") {
			t.Errorf("report md en:\n%.400s", r.Stdout)
		}
		html := filepath.Join(t.TempDir(), "re.html")
		runWant(t, 0, dir, "report", "--in", in, "--out", html)
		if b, _ := os.ReadFile(html); !strings.Contains(string(b), `id="summary-steps-passed">3<`) {
			t.Errorf("report --out x.html did not write HTML:\n%.300s", b)
		}
		runWant(t, 2, dir, "report", "--in", filepath.Join(out, "nope.json"))
		runWant(t, 2, dir, "report", "--in", in, "--format", "pdf")
		runWant(t, 2, dir, "report", "--in", in, "--lang", "de")
	})

	t.Run("invalid input", func(t *testing.T) {
		for _, args := range [][]string{
			{"run", "other-plan"},
			{"run", "--only", "nope"},
			{"run", "--resume", "--only", "pages"},
			{"run", "--format", "pdf"},
			{"run", "--lang", "de"},
			{"run", "--notes", "/does/not/exist.md"},
		} {
			r := run(t, dir, append([]string{"--name", inst, "--var", "web_port=" + port}, args...)...)
			if r.Code != 2 {
				t.Errorf("%v: want exit 2:\n%s", args, r)
			}
		}
	})
}

func TestRunMixed(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := labDir(t, "mixed")
	inst := newInstance(t)
	port := strconv.Itoa(freePort(t))
	out := filepath.Join(t.TempDir(), "out")

	r := runWant(t, 1, dir, "--name", inst, "--var", "web_port="+port, "run", "--report-dir", out, "--format", "json,md,html,junit,text")
	res := loadResult(t, filepath.Join(out, "result.json"))
	if res.Status != report.Failed {
		t.Errorf("overall %s", res.Status)
	}

	want := []struct {
		id       string
		status   report.Status
		attempts int
		rollback report.Status
	}{
		{"write-page", report.Passed, 1, ""},
		{"flaky", report.Passed, 2, ""},
		{"config", report.RolledBack, 1, report.Passed},
		{"optional", report.Failed, 1, ""},
		{"guarded", report.RolledBack, 1, report.Passed},
		{"never", report.Skipped, 0, ""},
	}
	if len(res.Steps) != len(want) {
		t.Fatalf("steps: %+v", res.Steps)
	}
	for i, w := range want {
		s := res.Steps[i]
		if s.ID != w.id || s.Status != w.status || s.Attempts != w.attempts || s.RollbackStatus != w.rollback {
			t.Errorf("step %d: %s %s attempts %d rollback %q; want %+v", i, s.ID, s.Status, s.Attempts, s.RollbackStatus, w)
		}
	}
	if a := stepOf(t, res, "write-page").Actions[0]; a.Stdout != "written\n" || *a.ExitCode != 0 {
		t.Errorf("write-page action %+v", a)
	}
	// The last attempt of flaky passed: its output is that attempt's.
	if a := stepOf(t, res, "flaky").Actions[0]; a.Status != report.Passed || *a.ExitCode != 0 || a.Stderr != "" {
		t.Errorf("flaky action %+v", a)
	}
	opt := stepOf(t, res, "optional")
	if a := opt.Actions[0]; a.Status != report.Failed || *a.ExitCode != 3 || a.Error != "exit code 3, expected 0" || a.Stderr != "no such tool\n" {
		t.Errorf("optional action %+v", a)
	}
	if len(opt.Checks) != 1 || opt.Checks[0].Status != report.Skipped {
		t.Errorf("optional's check must be skipped: %+v", opt.Checks)
	}
	g := stepOf(t, res, "guarded")
	if len(g.Checks) != 1 || g.Checks[0].Status != report.Failed || g.Checks[0].Actual != "/tmp/does-not-exist does not exist" {
		t.Errorf("guarded check %+v", g.Checks)
	}
	// The report (Dutch by default) shows what the check found in Dutch,
	// from the phrases the check stored next to its English text.
	if c := g.Checks[0]; len(c.ActualText) == 0 || len(c.ExpectedText) == 0 {
		t.Errorf("guarded check has no phrases: %+v", c)
	}
	if md, err := os.ReadFile(filepath.Join(out, "report.md")); err != nil || !strings.Contains(string(md), "/tmp/does-not-exist bestaat niet") || strings.Contains(string(md), "does not exist") ||
		!strings.Contains(string(md), "exitcode 3, verwacht 0") {
		t.Errorf("report.md: %v; want the guarded check's finding and the optional action's error in Dutch only", err)
	}
	if len(g.Rollback) != 2 || g.Rollback[0].Status != report.Passed || g.Rollback[1].Status != report.Passed ||
		!slices.Equal(g.Rollback[1].Command, []string{"touch", "/tmp/rolled-back"}) {
		t.Errorf("guarded rollback %+v", g.Rollback)
	}
	if c := stepOf(t, res, "config"); len(c.Rollback) != 1 || !slices.Equal(c.Rollback[0].Command, []string{"rm", "-f", "/etc/app/app.conf"}) ||
		len(c.Checks) != 1 || c.Checks[0].Status != report.Passed || c.Checks[0].Kind != "file" {
		t.Errorf("config step %+v", c)
	}
	if s := stepOf(t, res, "never"); !strings.Contains(s.Error, "step guarded failed and the plan was rolled back") || len(s.Actions) != 0 {
		t.Errorf("never %+v", s)
	}

	// What happened in the container agrees: rolled back, and the rest not run.
	for path, want := range map[string]bool{
		"/tmp/once":         true,  // flaky ran
		"/tmp/guarded":      false, // removed by guarded's rollback
		"/tmp/rolled-back":  true,  // created by guarded's rollback
		"/etc/app/app.conf": false, // removed by config's rollback
		"/tmp/never":        false, // never ran
	} {
		if got := exists(t, inst, "web", path); got != want {
			t.Errorf("%s exists: %v, want %v", path, got, want)
		}
	}

	verdicts := map[string]string{}
	for _, row := range res.Matrix {
		verdicts[row.ID] = row.Verdict
	}
	wantVerdicts := map[string]string{"FR-01": report.Verified, "FR-02": report.NotVerified, "FR-03": report.VerdictFailed, "FR-04": report.NotVerified}
	for id, v := range wantVerdicts {
		if verdicts[id] != v {
			t.Errorf("verdict %s: %s, want %s", id, verdicts[id], v)
		}
	}
	if row := rowOf(t, res, "FR-04"); !slices.Equal(row.SatisfiedBy, []string{"web"}) || len(row.VerifiedBy) != 0 {
		t.Errorf("FR-04 %+v", row)
	}

	var devs []string
	for _, d := range res.Deviations {
		devs = append(devs, fmt.Sprintf("%s:%s:%d:%s", d.Step, d.Kind, d.Attempts, d.Rollback))
	}
	wantDevs := []string{"flaky:retried:2:", "config:rolled_back:1:passed", "optional:failed:1:", "guarded:rolled_back:1:passed", "never:skipped:0:"}
	if !slices.Equal(devs, wantDevs) {
		t.Errorf("deviations\n got %v\nwant %v", devs, wantDevs)
	}
	s := res.Summary
	if s.Steps != (report.Counts{Total: 6, Passed: 2, Failed: 1, Skipped: 1, RolledBack: 2}) {
		t.Errorf("step counts %+v", s.Steps)
	}
	if s.Checks != (report.Counts{Total: 4, Passed: 2, Failed: 1, Skipped: 1}) {
		t.Errorf("check counts %+v", s.Checks)
	}
	if q := s.Requirements; q.Total != 4 || q.Verified != 1 || q.Failed != 1 || q.NotVerified != 2 {
		t.Errorf("requirement counts %+v", q)
	}

	junit, err := os.ReadFile(filepath.Join(out, "junit.xml"))
	if err != nil || !strings.Contains(string(junit), "<testsuites") || !strings.Contains(string(junit), "<failure") {
		t.Errorf("junit.xml: %v\n%.300s", err, junit)
	}
	if summary, err := os.ReadFile(filepath.Join(out, "summary.txt")); err != nil || !strings.Contains(r.Stdout, strings.TrimSpace(string(summary))[:40]) {
		t.Errorf("summary.txt and stdout disagree: %v", err)
	}

	t.Run("html in chromium", func(t *testing.T) {
		checkHTMLInBrowser(t, filepath.Join(out, "report.html"), map[string]string{
			"summary-steps-total":               "6",
			"summary-steps-passed":              "2",
			"summary-steps-failed":              "1",
			"summary-steps-skipped":             "1",
			"summary-steps-rolled-back":         "2",
			"summary-checks-total":              "4",
			"summary-checks-passed":             "2",
			"summary-checks-failed":             "1",
			"summary-requirements-verified":     "1",
			"summary-requirements-failed":       "1",
			"summary-requirements-not-verified": "2",
		}, wantVerdicts)
	})
}

// checkHTMLInBrowser renders the report in headless chromium and checks
// the DOM it built: summary counts by element id and the requirement
// rows' verdicts. It keeps a screenshot in artifacts/.
func checkHTMLInBrowser(t *testing.T, path string, counts, verdicts map[string]string) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		testenv.Unavailable(t, "chromium is not installed (apt-get install -y chromium)")
	}
	profile := t.TempDir()
	args := []string{"--headless=new", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + profile}
	dom, err := exec.Command(chromium, append(args, "--dump-dom", "file://"+path)...).Output()
	if err != nil {
		t.Fatalf("chromium --dump-dom: %v", err)
	}
	for id, want := range counts {
		m := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `"[^>]*>([^<]*)<`).FindSubmatch(dom)
		if m == nil || strings.TrimSpace(string(m[1])) != want {
			t.Errorf("rendered #%s: %q, want %s", id, m, want)
		}
	}
	rows := regexp.MustCompile(`<tr data-requirement="([^"]+)" data-verdict="([^"]+)"`).FindAllSubmatch(dom, -1)
	got := map[string]string{}
	for _, m := range rows {
		got[string(m[1])] = string(m[2])
	}
	if len(got) != len(verdicts) {
		t.Errorf("requirement rows %v, want %v", got, verdicts)
	}
	for id, v := range verdicts {
		if got[id] != v {
			t.Errorf("row %s: verdict %q, want %q", id, got[id], v)
		}
	}
	artifacts, _ := filepath.Abs("artifacts")
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(artifacts, "report.png")
	os.Remove(shot)
	cmd := exec.Command(chromium, append(args, "--screenshot="+shot, "--window-size=1240,1754", "--hide-scrollbars", "file://"+path)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium --screenshot: %v\n%s", err, out)
	}
	if st, err := os.Stat(shot); err != nil || st.Size() < 10_000 {
		t.Errorf("screenshot %s: %v", shot, err)
	}
	t.Logf("screenshot: %s", shot)
}

func TestInterruptAndResume(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := labDir(t, "slow")
	inst := newInstance(t)

	cmd := command(t.Context(), dir, "--name", inst, "run")
	var stdout, stderr testenv.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for !strings.Contains(stderr.String(), "step sleepy: running") {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the sleepy step never started:\n%s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The step's exec is under way once its sleep runs in the container.
	testenv.WaitFor(t, time.Minute, "the sleepy step's exec", func() bool {
		return processRuns(t, inst, "box", "sleep 30")
	})
	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	code := cmd.ProcessState.ExitCode()
	if code != 130 {
		t.Fatalf("exit %d (%v), want 130\n--- stdout\n%s--- stderr\n%s", code, err, stdout.String(), stderr.String())
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("the interrupt took %s; the step must be stopped, not waited for", d)
	}

	runs, _ := filepath.Glob(filepath.Join(dir, ".proeftuin", "runs", "*", runner.StateFile))
	if len(runs) != 1 {
		t.Fatalf("run states: %v", runs)
	}
	st, err := runner.LoadState(runs[0])
	if err != nil {
		t.Fatal(err)
	}
	if st.Instance != inst || st.Result.Status != report.Interrupted || !st.Finished || len(st.StepHashes) != 3 {
		t.Errorf("state: instance %s status %s finished %v hashes %v", st.Instance, st.Result.Status, st.Finished, st.StepHashes)
	}
	var got []string
	for _, s := range st.Result.Steps {
		got = append(got, s.ID+"="+string(s.Status))
	}
	if !slices.Equal(got, []string{"first=passed", "sleepy=interrupted", "last=skipped"}) {
		t.Errorf("state steps %v", got)
	}
	first := loadResult(t, filepath.Join(filepath.Dir(runs[0]), "result.json"))
	if first.Status != report.Interrupted || first.RunID != st.RunID {
		t.Errorf("result.json after the interrupt: %s %s", first.Status, first.RunID)
	}
	if d := first.Deviations; len(d) != 2 || d[0].Kind != report.DevInterrupted || d[0].Step != "sleepy" || d[1].Kind != report.DevSkipped {
		t.Errorf("deviations after the interrupt: %+v", d)
	}

	// Resume; the sleepy step is made short (it did not pass, so its
	// changed declaration is no reason to refuse).
	runWant(t, 0, dir, "--name", inst, "--var", "sleep=0", "run", "--resume")
	res := loadResult(t, filepath.Join(filepath.Dir(runs[0]), "result.json"))
	if res.RunID != st.RunID || res.Status != report.Passed {
		t.Errorf("resumed run %s status %s, want run %s passed", res.RunID, res.Status, st.RunID)
	}
	var steps []string
	for _, s := range res.Steps {
		steps = append(steps, fmt.Sprintf("%s=%s/%v", s.ID, s.Status, s.Resumed))
	}
	if !slices.Equal(steps, []string{"first=passed/true", "sleepy=passed/false", "last=passed/false"}) {
		t.Errorf("resumed steps %v", steps)
	}
	if len(res.Deviations) != 1 || res.Deviations[0].Kind != report.DevResumed || res.Deviations[0].Step != "first" {
		t.Errorf("resumed deviations %+v", res.Deviations)
	}
	if row := rowOf(t, res, "FR-01"); row.Verdict != report.Verified {
		t.Errorf("FR-01 after resume: %+v", row)
	}
	// The first step did not run again, the container was kept.
	if log := string(execIn(t, inst, "box", "cat", "/tmp/log").Stdout); log != "first\nlast\n" {
		t.Errorf("/tmp/log = %q", log)
	}

	// The run passed: it is finished, and --resume (even with a changed
	// step and --force) never rewrites it (issue 17). A changed step of a
	// run that did not pass is refused without --force: the runner's
	// TestResumeRefusesChangedStep.
	resultFile := filepath.Join(filepath.Dir(runs[0]), "result.json")
	before, _ := os.ReadFile(resultFile)
	plan := filepath.Join(dir, "environment.hcl")
	src, _ := os.ReadFile(plan)
	if err := os.WriteFile(plan, []byte(strings.Replace(string(src), "echo first", "echo eerste", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"run", "--resume"}, {"run", "--resume", "--force"}} {
		r := runWant(t, 0, dir, append([]string{"--name", inst, "--var", "sleep=0"}, args...)...)
		if !strings.Contains(r.Stderr, "already finished") {
			t.Errorf("%v after a passed run must say it is finished:\n%s", args, r)
		}
	}
	if after, _ := os.ReadFile(resultFile); !bytes.Equal(before, after) {
		t.Error("--resume rewrote the finished run's result.json")
	}
	if log := string(execIn(t, inst, "box", "cat", "/tmp/log").Stdout); log != "first\nlast\n" {
		t.Errorf("after --resume of a finished run /tmp/log = %q", log)
	}
}

func TestRedaction(t *testing.T) {
	needEngine(t)
	t.Parallel()
	const secret = "Geheim-Wachtwoord-42"
	dir := labDir(t, "secret")
	inst := newInstance(t)
	out := filepath.Join(t.TempDir(), "out")

	var outputs []string
	r := runWant(t, 1, dir, "--name", inst, "run", "--report-dir", out, "--format", strings.Join(report.Formats, ","))
	outputs = append(outputs, r.Stdout, r.Stderr)
	r = runWant(t, 1, dir, "--name", inst, "--output", "json", "run", "--report-dir", filepath.Join(out, "json"))
	outputs = append(outputs, r.Stdout, r.Stderr)
	for _, f := range report.Formats {
		for _, lang := range report.Languages() {
			r := runWant(t, 0, dir, "report", "--in", filepath.Join(out, "result.json"), "--format", f, "--lang", lang,
				"--out", filepath.Join(out, "again-"+lang+"-"+report.FileName(f)))
			outputs = append(outputs, r.Stdout, r.Stderr)
			r = runWant(t, 0, dir, "report", "--in", filepath.Join(out, "result.json"), "--format", f, "--lang", lang)
			outputs = append(outputs, r.Stdout, r.Stderr)
		}
	}

	// The secret really went through the run: the action printed it and
	// the check compared it; what was written says "(sensitive)".
	res := loadResult(t, filepath.Join(out, "result.json"))
	s := stepOf(t, res, "use-password")
	if s.Actions[0].Stdout != "env says (sensitive)\n" || s.Actions[0].Stderr != "arg says (sensitive)\n" {
		t.Errorf("action output: %+v", s.Actions[0])
	}
	if !strings.Contains(strings.Join(s.Actions[0].Command, " "), "(sensitive)") || !strings.Contains(s.Checks[0].Expected, "(sensitive)") {
		t.Errorf("command %q / check expected %q not redacted", s.Actions[0].Command, s.Checks[0].Expected)
	}

	files := 0
	for _, root := range []string{out, dir} {
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasSuffix(p, ".hcl") {
				return err // the definitions hold the default, of course
			}
			files++
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
	if files < 2*len(report.Formats)+2 {
		t.Errorf("only %d files searched", files)
	}
	for i, o := range outputs {
		if strings.Contains(o, secret) {
			t.Errorf("output %d holds the secret:\n%s", i, o)
		}
	}
}

// mask replaces what changes from run to run in a terminal summary.
func mask(s, out, inst string) string {
	s = strings.ReplaceAll(s, out, "<out>")
	s = strings.ReplaceAll(s, inst, "<instance>")
	s = regexp.MustCompile(`\d+(,\d+)? (ms|s)\b|\d+ min \d+ s`).ReplaceAllString(s, "<dur>")
	return s
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("summary differs from %s (run with -update to accept):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
