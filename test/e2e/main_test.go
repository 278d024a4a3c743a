// Package e2e drives the proeftuin binary against a real Docker engine, as
// a user would, and checks the result through the engine's API.
//
// The tests need a Docker engine and the local image proeftuin/busybox:1
// (built by scripts/test-images.sh when missing). Without an engine they
// are skipped, except in CI (CI=true) where that is a failure. They are
// skipped with -short.
package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/testenv"
)

const testImage = testenv.Busybox

var (
	// bin is the proeftuin binary built for this run.
	bin string
	// repoRoot is the module's root folder.
	repoRoot string
	// eng is the engine the assertions use; nil when tests are skipped.
	eng engine.Engine
)

func TestMain(m *testing.M) {
	repoRoot = testenv.RepoRoot()
	testenv.Main(m, "e2e", func(b string, e engine.Engine) { bin, eng = b, e })
}

// needEngine skips (or fails, in CI) a test that cannot run.
func needEngine(t *testing.T) {
	t.Helper()
	testenv.NeedEngine(t)
}

// result is what one run of the binary did.
type result struct {
	Code   int
	Stdout string
	Stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", r.Code, r.Stdout, r.Stderr)
}

// run runs proeftuin in dir with args and waits for it (at most 5 min).
func run(t *testing.T, dir string, args ...string) result {
	t.Helper()
	return runIn(t, dir, nil, args...)
}

func runIn(t *testing.T, dir string, stdin []byte, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := command(ctx, dir, args...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run proeftuin %s: %v", strings.Join(args, " "), err)
	}
	r := result{Code: code, Stdout: out.String(), Stderr: errb.String()}
	t.Logf("proeftuin %s -> exit %d", strings.Join(args, " "), code)
	return r
}

func command(ctx context.Context, dir string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "TESTCONTAINERS_RYUK_DISABLED=true")
	return cmd
}

// mustRun runs proeftuin and fails the test unless it exits 0.
func mustRun(t *testing.T, dir string, args ...string) result {
	t.Helper()
	r := run(t, dir, args...)
	if r.Code != 0 {
		t.Fatalf("proeftuin %s failed:\n%s", strings.Join(args, " "), r)
	}
	return r
}

// instanceName returns a name unique to this test run.
func instanceName(t *testing.T, suffix string) string {
	base := strings.ToLower(t.Name())
	base = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, base)
	if len(base) > 14 {
		base = base[:14]
	}
	name := fmt.Sprintf("e2e-%s-%x", base, time.Now().UnixNano()&0xffffff)
	if suffix != "" {
		name += "-" + suffix
	}
	return name
}

// newInstance returns a unique instance name whose resources are removed
// when the test ends, whatever happened.
func newInstance(t *testing.T, suffix string) string {
	t.Helper()
	name := instanceName(t, suffix)
	t.Cleanup(func() {
		r := run(t, t.TempDir(), "--name", name, "down", "--volumes")
		if r.Code != 0 {
			t.Logf("cleanup down %s: %s", name, r)
		}
		sweep(t, name)
	})
	return name
}

// sweep removes everything labelled with instance, bypassing proeftuin.
func sweep(t *testing.T, instance string) {
	t.Helper()
	testenv.Sweep(t, eng, instance)
}

// leftovers lists what the engine still holds for instance.
func leftovers(t *testing.T, instance string) []string {
	t.Helper()
	out, err := testenv.Leftovers(t.Context(), eng, instance)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func assertNothingLeft(t *testing.T, instance string) {
	t.Helper()
	if left := leftovers(t, instance); len(left) > 0 {
		t.Errorf("instance %s left behind: %s", instance, strings.Join(left, ", "))
	}
}

// labDir copies testdata/name to a fresh folder the test may change.
func labDir(t *testing.T, name string) string {
	t.Helper()
	src := filepath.Join("testdata", name)
	dst := filepath.Join(t.TempDir(), name)
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}

// containers maps service name to container for instance.
func containers(t *testing.T, instance string) map[string]engine.Container {
	t.Helper()
	cs, err := eng.Containers(t.Context(), map[string]string{engine.LabelInstance: instance})
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

func ids(cs map[string]engine.Container) map[string]string {
	out := map[string]string{}
	for k, c := range cs {
		out[k] = c.ID
	}
	return out
}

// execIn runs a command in a service's container through the engine API.
func execIn(t *testing.T, instance, service string, cmd ...string) engine.ExecResult {
	t.Helper()
	c, ok := containers(t, instance)[service]
	if !ok {
		t.Fatalf("no container for service %s", service)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	res, err := eng.Exec(ctx, c.ID, engine.ExecSpec{Command: cmd})
	if err != nil {
		t.Fatalf("exec %v in %s: %v", cmd, service, err)
	}
	return res
}

// waitFor polls cond until it holds or the timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	testenv.WaitFor(t, timeout, what, cond)
}
