// Package run drives the proeftuin binary's run, check and report commands
// against a real Docker engine and checks the result documents and report
// files they write.
//
// The tests need a Docker engine and the local image proeftuin/busybox:1
// (built by scripts/test-images.sh when missing). Without an engine they
// are skipped, except in CI (CI=true) where that is a failure. They are
// skipped with -short. The HTML test also needs chromium (same rule).
package run

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/report"
	"github.com/proeftuin/proeftuin/internal/testenv"
)

const testImage = testenv.Busybox

var (
	bin      string        // the proeftuin binary built for this run
	repoRoot string        // the module's root folder
	eng      engine.Engine // for assertions; nil when skipped
)

func TestMain(m *testing.M) {
	repoRoot = testenv.RepoRoot()
	testenv.Main(m, "test/run", func(b string, e engine.Engine) { bin, eng = b, e })
}

// needEngine skips a test that cannot run (TestMain already failed the
// run in CI).
func needEngine(t *testing.T) {
	t.Helper()
	testenv.NeedEngine(t)
}

type result struct {
	Code   int
	Stdout string
	Stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", r.Code, r.Stdout, r.Stderr)
}

func command(ctx context.Context, dir string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "TESTCONTAINERS_RYUK_DISABLED=true")
	return cmd
}

// run runs proeftuin in dir and waits for it (at most 5 min).
func run(t *testing.T, dir string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := command(ctx, dir, args...)
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
	t.Logf("proeftuin %s -> exit %d", strings.Join(args, " "), code)
	return result{Code: code, Stdout: out.String(), Stderr: errb.String()}
}

// runWant runs proeftuin and fails the test unless it exits with code.
func runWant(t *testing.T, code int, dir string, args ...string) result {
	t.Helper()
	r := run(t, dir, args...)
	if r.Code != code {
		t.Fatalf("proeftuin %s: want exit %d:\n%s", strings.Join(args, " "), code, r)
	}
	return r
}

// newInstance returns a unique instance name whose resources are removed
// when the test ends, whatever happened.
func newInstance(t *testing.T) string {
	t.Helper()
	base := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, strings.ToLower(t.Name()))
	if len(base) > 14 {
		base = base[:14]
	}
	name := fmt.Sprintf("run-%s-%x", base, time.Now().UnixNano()&0xffffff)
	t.Cleanup(func() {
		if r := run(t, t.TempDir(), "--name", name, "down", "--volumes"); r.Code != 0 {
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

// labDir copies testdata/name to a fresh folder the test may change.
func labDir(t *testing.T, name string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), name)
	if err := os.CopyFS(dst, os.DirFS(filepath.Join("testdata", name))); err != nil {
		t.Fatal(err)
	}
	return dst
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// loadResult reads a result.json through report.Load (schema checked).
func loadResult(t *testing.T, path string) *report.Result {
	t.Helper()
	res, err := report.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// execIn runs a command in a service's container through the engine API.
func execIn(t *testing.T, instance, service string, cmd ...string) engine.ExecResult {
	t.Helper()
	cs, err := eng.Containers(t.Context(), map[string]string{engine.LabelInstance: instance, engine.LabelService: service})
	if err != nil || len(cs) == 0 {
		t.Fatalf("no container for service %s: %v", service, err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	res, err := eng.Exec(ctx, cs[0].ID, engine.ExecSpec{Command: cmd})
	if err != nil {
		t.Fatalf("exec %v in %s: %v", cmd, service, err)
	}
	return res
}

// processRuns reports whether a process with this command line runs in a
// service's container (the engine lists them; the image needs no ps).
func processRuns(t *testing.T, instance, service, command string) bool {
	t.Helper()
	cs, err := eng.Containers(t.Context(), map[string]string{engine.LabelInstance: instance, engine.LabelService: service})
	if err != nil || len(cs) == 0 {
		return false
	}
	procs, err := eng.Top(t.Context(), cs[0].ID)
	if err != nil {
		return false
	}
	for _, p := range procs {
		if p.Command == command {
			return true
		}
	}
	return false
}

// exists reports whether path exists in a service's container.
func exists(t *testing.T, instance, service, path string) bool {
	t.Helper()
	return execIn(t, instance, service, "test", "-e", path).ExitCode == 0
}

// onlyJSON decodes stdout as exactly one JSON document.
func onlyJSON(t *testing.T, stdout string, v any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(stdout))
	if err := dec.Decode(v); err != nil {
		t.Fatalf("stdout is not a JSON document: %v\n%s", err, stdout)
	}
	if dec.More() {
		t.Fatalf("stdout holds more than one JSON document:\n%s", stdout)
	}
}

func stepOf(t *testing.T, res *report.Result, id string) report.Step {
	t.Helper()
	for _, s := range res.Steps {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("no step %s in the result", id)
	return report.Step{}
}

func rowOf(t *testing.T, res *report.Result, id string) report.MatrixRow {
	t.Helper()
	for _, r := range res.Matrix {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no requirement %s in the result", id)
	return report.MatrixRow{}
}
