// Package testenv gives tests the things they need from the machine: a
// Docker engine, the local test images and a static proeftuin binary.
//
// The rule for a missing engine is the project's: a test that needs one is
// skipped on a developer's machine without an engine and with -short, and
// FAILS in CI (CI=true), so a broken set-up never passes as "skipped".
package testenv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/engine/docker"
)

// Busybox is the FROM scratch busybox image scripts/test-images.sh builds.
const Busybox = "proeftuin/busybox:1"

// Debian is the debootstrapped Debian base scripts/test-images.sh builds.
const Debian = "proeftuin/debian:bookworm"

// InCI reports whether the tests run in CI, where nothing may be skipped
// for want of an engine.
func InCI() bool { return os.Getenv("CI") == "true" }

// Unavailable fails the test in CI and skips it elsewhere.
func Unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	if InCI() {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}

var (
	engineOnce sync.Once
	sharedEng  engine.Engine
	engineErr  error
)

// Connect connects to the engine the environment names (DOCKER_HOST, the
// docker context, or the local socket). It is shared by every test of the
// package and never closed before the process ends.
func Connect() (engine.Engine, error) {
	engineOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		sharedEng, engineErr = docker.New(ctx, docker.Options{PingTimeout: 10 * time.Second})
	})
	return sharedEng, engineErr
}

// Engine returns the shared engine, or skips/fails the test (see package
// doc) when none answers.
func Engine(t testing.TB) engine.Engine {
	t.Helper()
	if testing.Short() {
		t.Skip("needs a container engine (-short)")
	}
	eng, err := Connect()
	if err != nil {
		Unavailable(t, "no container engine: %v", err)
	}
	return eng
}

var (
	imageMu   sync.Mutex
	imageErrs = map[string]error{}
)

// EnsureImage makes sure ref (Busybox or Debian) is in the engine,
// building it with scripts/test-images.sh when it is missing.
func EnsureImage(ctx context.Context, eng engine.Engine, ref string) error {
	imageMu.Lock()
	defer imageMu.Unlock()
	if err, done := imageErrs[ref]; done {
		return err
	}
	err := ensureImage(ctx, eng, ref)
	imageErrs[ref] = err
	return err
}

func ensureImage(ctx context.Context, eng engine.Engine, ref string) error {
	_, err := eng.ImageID(ctx, ref)
	if err == nil || !errors.Is(err, engine.ErrNotFound) {
		return err
	}
	only := map[string]string{Busybox: "busybox", Debian: "debian"}[ref]
	if only == "" {
		return fmt.Errorf("image %s is missing and scripts/test-images.sh does not build it", ref)
	}
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(RepoRoot(), "scripts", "test-images.sh"), "--only", only)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build %s with scripts/test-images.sh: %w\n%s", ref, err, out)
	}
	_, err = eng.ImageID(ctx, ref)
	return err
}

// Image is EnsureImage for a test: it fails the test when the image
// cannot be had, and returns ref.
func Image(t testing.TB, eng engine.Engine, ref string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if err := EnsureImage(ctx, eng, ref); err != nil {
		t.Fatalf("test image: %v", err)
	}
	return ref
}

// RepoRoot is the module's root folder.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// BuildBinary builds a static proeftuin binary (CGO_ENABLED=0, as the
// probe sidecar needs) into dir and returns its path.
func BuildBinary(dir string) (string, error) {
	bin := filepath.Join(dir, "proeftuin")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/proeftuin")
	cmd.Dir = RepoRoot()
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
}
