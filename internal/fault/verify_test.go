package fault

import (
	"context"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/engine/fake"
	"github.com/proeftuin/proeftuin/internal/instance"
	"github.com/proeftuin/proeftuin/internal/runner"
	"github.com/proeftuin/proeftuin/internal/subnet"
)

const noSolutionLab = `environment "t" {}

requirement "FR-01" {
  title    = "x"
  priority = "must"
}

service "web" {
  image   = "proeftuin/busybox:1"
  command = ["httpd", "-f"]
}

check "page" {
  verifies = [requirement.FR-01]
  exec {
    service = service.web
    command = ["test", "-e", "/www/index.html"]
  }
}

fault "gone" {
  ticket = "The page is gone."
  inject {
    exec {
      service = service.web
      command = ["rm", "/www/index.html"]
    }
  }
  recovered {
    checks = [check.page]
  }
}
`

// A fault without a solution block (the block is optional) that breaks
// something gets the verdict "no solution", which says what to add; not
// "the solution does not repair it", which blames a solution that is
// not there.
func TestVerifyFaultWithoutSolution(t *testing.T) {
	t.Setenv(subnet.EnvPool, "")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "environment.hcl"), []byte(noSolutionLab), 0o644); err != nil {
		t.Fatal(err)
	}
	eng := fake.New()
	eng.SetImage("proeftuin/busybox:1", "sha256:busybox")
	var removed atomic.Bool
	eng.SetExec("vt-web", func(cmd []string, _ int) (engine.ExecResult, error) {
		switch {
		case cmd[0] == "rm":
			removed.Store(true)
		case cmd[0] == "test" && removed.Load():
			return engine.ExecResult{ExitCode: 1}, nil
		}
		return engine.ExecResult{}, nil
	})
	ctx := context.Background()
	cfg := config.Options{Dir: dir}
	env, diags := config.Load(cfg)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	inst, err := instance.Open(ctx, eng, "vt", instance.Options{Config: &cfg})
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	if _, err := inst.Up(ctx, env, instance.UpOptions{}); err != nil {
		t.Fatal(err)
	}
	f := env.Faults[0]
	verdict, detail, err := verifySteps(ctx, inst, env, f, Recovered(env, f), time.Second, runner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if verdict != "no solution" {
		t.Fatalf("verdict %q (%s), want \"no solution\"", verdict, detail)
	}
	v := Verification{ID: f.ID, Source: "env.hcl:1", Verdict: verdict, Detail: detail}
	if p := v.Problem(); p != "fault gone (env.hcl:1): no solution: "+detail {
		t.Errorf("problem: %q", p)
	}
}
