package check

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"go/build"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/testenv"
)

var runID = func() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}()

// buildDir holds the binaries the tests build; TestMain removes it.
var buildDir string

func TestMain(m *testing.M) {
	// testcontainers-go is linked in (wait strategies): no reaper container.
	os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	dir, err := os.MkdirTemp("", "proeftuin-checktest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	buildDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func moduleRoot() string { return testenv.RepoRoot() }

// goBuild builds a static Linux binary of pkg (relative to the module).
func goBuild(ctx context.Context, pkg, out string) error {
	goTool := filepath.Join(build.Default.GOROOT, "bin", "go")
	if _, err := os.Stat(goTool); err != nil {
		goTool = "go"
	}
	cmd := exec.CommandContext(ctx, goTool, "build", "-o", out, pkg)
	cmd.Dir = moduleRoot()
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build %s: %w\n%s", pkg, err, buf.String())
	}
	return nil
}

var (
	probeBinOnce sync.Once
	probeBin     string
	probeBinErr  error
)

// requireProbeBinary builds the static proeftuin binary the way the brief
// for releases does (CGO_ENABLED=0 go build ./cmd/proeftuin). While that
// binary cannot be built or lacks the `probe` command, the test shim
// testdata/probebin (the same probe.Main) stands in, and the test says so.
func requireProbeBinary(t *testing.T) string {
	t.Helper()
	probeBinOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		out := filepath.Join(buildDir, "proeftuin")
		err := goBuild(ctx, "./cmd/proeftuin", out)
		if err == nil {
			if cerr := exec.CommandContext(ctx, out, "probe", "help").Run(); cerr != nil {
				err = fmt.Errorf("%s has no probe command yet: %w", out, cerr)
			}
		}
		if err == nil {
			probeBin = out
			return
		}
		shim := filepath.Join(buildDir, "probebin")
		if serr := goBuild(ctx, "./internal/check/testdata/probebin", shim); serr != nil {
			probeBinErr = errors.Join(err, serr)
			return
		}
		probeBin = shim
		probeBinErr = err // reported as a log line, not a failure
	})
	if probeBin == "" {
		t.Fatalf("probe binary: %v", probeBinErr)
	}
	if probeBinErr != nil {
		t.Logf("using testdata/probebin as the probe binary: %v", probeBinErr)
	}
	return probeBin
}

// requireEngine returns the engine, or skips the test when none answers;
// in CI (CI=true) a missing engine fails the test instead.
func requireEngine(t *testing.T) engine.Engine { return testenv.Engine(t) }

// requireBusybox makes sure the busybox test image exists.
func requireBusybox(t *testing.T, eng engine.Engine) string {
	return testenv.Image(t, eng, testenv.Busybox)
}

var (
	tinyOnce sync.Once
	tinyRef  string
	tinyErr  error
)

// requireTinyImage builds a FROM scratch image holding only the static
// tinyserver test program and two files: no shell, no tools.
func requireTinyImage(t *testing.T, eng engine.Engine) string {
	t.Helper()
	tinyOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		dir := filepath.Join(buildDir, "tiny")
		if err := os.MkdirAll(filepath.Join(dir, "etc"), 0o755); err != nil {
			tinyErr = err
			return
		}
		if err := goBuild(ctx, "./internal/check/testdata/tinyserver", filepath.Join(dir, "tinyserver")); err != nil {
			tinyErr = err
			return
		}
		conf := filepath.Join(dir, "etc", "tiny.conf")
		if err := os.WriteFile(conf, []byte("# tiny\nport=8080\n"), 0o640); err != nil {
			tinyErr = err
			return
		}
		if err := os.Chmod(conf, 0o640); err != nil { // past the umask
			tinyErr = err
			return
		}
		if err := os.Symlink("tiny.conf", filepath.Join(dir, "etc", "tiny-link")); err != nil {
			tinyErr = err
			return
		}
		dockerfile := "FROM scratch\nCOPY tinyserver /tinyserver\nCOPY etc/ /etc/\nENTRYPOINT [\"/tinyserver\"]\n"
		if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(dockerfile), 0o644); err != nil {
			tinyErr = err
			return
		}
		tinyRef = "proeftuin/checktest-tiny:1"
		_, tinyErr = eng.BuildImage(ctx, engine.BuildSpec{ContextDir: dir, Tags: []string{tinyRef}}, nil)
	})
	if tinyErr != nil {
		t.Fatalf("tiny image: %v", tinyErr)
	}
	return tinyRef
}

// removeInstance removes every container and network labelled with the
// instance, sidecars included.
func removeInstance(eng engine.Engine, instance string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var errs []error
	cs, err := eng.Containers(ctx, map[string]string{engine.LabelInstance: instance})
	if err != nil {
		return err
	}
	for _, c := range cs {
		if err := eng.RemoveContainer(ctx, c.ID); err != nil && !errors.Is(err, engine.ErrNotFound) {
			errs = append(errs, err)
		}
	}
	ns, err := eng.Networks(ctx, map[string]string{engine.LabelInstance: instance})
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	for _, n := range ns {
		if err := eng.RemoveNetwork(ctx, n.ID); err != nil && !errors.Is(err, engine.ErrNotFound) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
