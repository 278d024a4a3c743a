package labs

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/engine/fake"
	"github.com/proeftuin/proeftuin/internal/instance"
	"github.com/proeftuin/proeftuin/internal/report"
)

func testEnv() *config.Environment {
	at := func(line int) hcl.Range {
		return hcl.Range{Filename: "environment.hcl", Start: hcl.Pos{Line: line}}
	}
	return &config.Environment{
		Name: "t",
		Requirements: []*config.Requirement{
			{ID: "FR-01", Priority: config.Must},
			{ID: "FR-02", Priority: config.Must},
			{ID: "SEC-01", Priority: config.Must},
		},
		Checks: []*config.Check{
			{Name: "good", Verifies: []string{"FR-01"}, DeclRange: at(10), Timeout: time.Minute},
			{Name: "hollow", Verifies: []string{"FR-02"}, DeclRange: at(20)},
			{Name: "design", Verifies: []string{"SEC-01"}, DeclRange: at(30), Timeout: 5 * time.Second},
			{Name: "broken", Verifies: []string{"SEC-01", "FR-01"}, DeclRange: at(40)},
		},
		Plan: &config.Plan{Name: "p"},
		Steps: []*config.Step{
			{ID: "one", Implements: []string{"FR-01"}},
			{ID: "two", Implements: []string{"FR-02"}},
		},
	}
}

func result(statuses map[string]report.Status) *report.Result {
	r := &report.Result{}
	for _, name := range []string{"good", "hollow", "design", "broken"} {
		if s, ok := statuses[name]; ok {
			r.Acceptance = append(r.Acceptance, report.Check{Name: name, Status: s, Actual: "actual " + string(s)})
		}
	}
	return r
}

func TestJudge(t *testing.T) {
	env := testEnv()
	before := result(map[string]report.Status{"good": report.Failed, "hollow": report.Passed, "design": report.Passed, "broken": report.Error})
	after := result(map[string]report.Status{"good": report.Passed, "hollow": report.Passed, "design": report.Passed, "broken": report.Failed})
	got := judge(env, Implemented(env), before, after)
	want := map[string]struct {
		verdict     string
		implemented bool
		source      string
	}{
		"good":   {VerdictOK, true, "environment.hcl:10"},
		"hollow": {VerdictTestsNothing, true, "environment.hcl:20"},
		"design": {VerdictOK, false, "environment.hcl:30"}, // may pass before: the design meets it
		"broken": {VerdictFailsAfter, true, "environment.hcl:40"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d verdicts, want %d", len(got), len(want))
	}
	for _, c := range got {
		w := want[c.Name]
		if c.Verdict != w.verdict || c.Implemented != w.implemented || c.Source != w.source {
			t.Errorf("%s: verdict %q implemented %v source %s; want %q %v %s", c.Name, c.Verdict, c.Implemented, c.Source, w.verdict, w.implemented, w.source)
		}
	}

	// A check missing from a run (interrupted) did not run.
	got = judge(env, Implemented(env), before, result(map[string]report.Status{"good": report.Passed}))
	if got[1].Verdict != VerdictNotRun {
		t.Errorf("check absent after the plan: verdict %q, want %q", got[1].Verdict, VerdictNotRun)
	}
}

func TestCapTimeouts(t *testing.T) {
	env := testEnv()
	capped := capTimeouts(env, 10*time.Second)
	for i, c := range capped.Checks {
		if c.Timeout != 10*time.Second && !(c.Name == "design" && c.Timeout == 5*time.Second) {
			t.Errorf("%s: timeout %s", c.Name, c.Timeout)
		}
		if c == env.Checks[i] {
			t.Errorf("%s: the original check was changed in place", c.Name)
		}
	}
	if env.Checks[0].Timeout != time.Minute {
		t.Error("capTimeouts changed the environment")
	}
}

func TestLint(t *testing.T) {
	env := testEnv()
	if p, _ := Lint(env); len(p) != 0 {
		t.Errorf("problems in a sound design: %v", p)
	}
	env.Requirements = append(env.Requirements, &config.Requirement{ID: "FR-03", Priority: config.Should}, &config.Requirement{ID: "FR-04", Priority: config.Must})
	env.Steps[0].Implements = append(env.Steps[0].Implements, "FR-03")
	p, _ := Lint(env)
	joined := strings.Join(p, "\n")
	for _, want := range []string{"FR-03 is implemented by the plan but no acceptance check verifies it", "must requirement FR-04 has no acceptance check"} {
		if !strings.Contains(joined, want) {
			t.Errorf("Lint: %q does not say %q", joined, want)
		}
	}
	if p, _ := Lint(&config.Environment{}); len(p) != 2 {
		t.Errorf("empty lab: %v, want no plan and no checks", p)
	}
}

func TestJoinImplemented(t *testing.T) {
	impl := map[string]bool{"A": true, "B": true, "C": true}
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{[]string{"A"}, "A"},
		{[]string{"A", "X", "B"}, "A and B"},
		{[]string{"A", "B", "C"}, "A, B and C"},
	} {
		if got := joinImplemented(tc.in, impl); got != tc.want {
			t.Errorf("joinImplemented(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestVerifyRefusesExistingInstance(t *testing.T) {
	eng := fake.New()
	ctx := context.Background()
	if err := eng.CreateVolume(ctx, engine.VolumeSpec{Name: "mine-data", Labels: map[string]string{engine.LabelInstance: "mine"}}); err != nil {
		t.Fatal(err)
	}
	env := testEnv()
	inst, err := instance.Open(ctx, eng, "mine", instance.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	_, err = Verify(ctx, inst, VerifyOptions{Env: env})
	var ee *ExistsError
	if !errors.As(err, &ee) || ee.Instance != "mine" || ee.Objects != 1 {
		t.Fatalf("Verify on an existing instance: %v, want an ExistsError", err)
	}
	// Nothing was removed.
	if vs, _ := eng.Volumes(ctx, nil); len(vs) != 1 {
		t.Fatalf("volumes after the refusal: %v", vs)
	}
}

func TestNewInstanceName(t *testing.T) {
	a, b := NewInstanceName("webserver"), NewInstanceName("webserver")
	if a == b || !strings.HasPrefix(a, "webserver-verify-") || len(a) != len("webserver-verify-")+6 {
		t.Errorf("instance names %q and %q", a, b)
	}
}
