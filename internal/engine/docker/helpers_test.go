package docker

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// testLabel marks everything the tests create; its value is this run's ID.
const testLabel = "proeftuin.enginetest"

// testImage is the image the tests run; scripts/test-images.sh builds it.
const testImage = "proeftuin/busybox:1"

var runID = func() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}()

func TestMain(m *testing.M) {
	if sock := os.Getenv(fakeSSHSocketEnv); sock != "" {
		os.Exit(fakeSSH(sock))
	}
	// testcontainers-go is imported (for wait strategies): never let it
	// start its reaper container.
	os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	os.Exit(m.Run())
}

var (
	engineOnce sync.Once
	sharedEng  *Docker
	engineErr  error
)

// requireEngine returns the engine of the environment, or skips the test
// when none answers; in CI (CI=true) a missing engine fails instead.
func requireEngine(t *testing.T) *Docker {
	t.Helper()
	if testing.Short() {
		t.Skip("needs a container engine (-short)")
	}
	engineOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		sharedEng, engineErr = newDocker(ctx, Options{PingTimeout: 10 * time.Second}, osEnviron())
	})
	if engineErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no container engine: %v", engineErr)
		}
		t.Skipf("no container engine: %v", engineErr)
	}
	return sharedEng
}

var (
	imageOnce sync.Once
	imageErr  error
)

// requireImage makes sure testImage exists, building it with the project's
// script when it is missing.
func requireImage(t *testing.T, d *Docker) string {
	t.Helper()
	imageOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		if _, err := d.ImageID(ctx, testImage); err == nil || !errors.Is(err, engine.ErrNotFound) {
			imageErr = err
			return
		}
		_, file, _, _ := runtime.Caller(0)
		script := filepath.Join(filepath.Dir(file), "..", "..", "..", "scripts", "test-images.sh")
		out, err := exec.CommandContext(ctx, "bash", script, "--only", "busybox").CombinedOutput()
		if err != nil {
			imageErr = errors.New("build " + testImage + ": " + err.Error() + "\n" + string(out))
			return
		}
		_, imageErr = d.ImageID(ctx, testImage)
	})
	if imageErr != nil {
		t.Fatalf("test image: %v", imageErr)
	}
	return testImage
}

// testName returns a unique resource name for this test.
func testName(t *testing.T, suffix string) string {
	name := strings.NewReplacer("/", "-", "_", "-").Replace(strings.ToLower(t.Name()))
	if len(name) > 30 {
		name = name[:30]
	}
	return "pt-" + runID + "-" + name + "-" + suffix
}

// labels returns the test's labels plus extra key=value pairs.
func labels(kv ...string) map[string]string {
	m := map[string]string{testLabel: runID}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// cleanupCtx is for t.Cleanup: the test's context may be gone by then.
func cleanupCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 30*time.Second)
}

// createNetwork creates a network removed at the end of the test.
func createNetwork(t *testing.T, d *Docker, spec engine.NetworkSpec) string {
	t.Helper()
	id, err := d.CreateNetwork(testContext(t), spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := cleanupCtx()
		defer cancel()
		if err := d.RemoveNetwork(ctx, id); err != nil && !errors.Is(err, engine.ErrNotFound) {
			t.Errorf("cleanup: %v", err)
		}
	})
	return id
}

// createSubnetNetwork creates a network on a free /24 of 10.213.0.0/16
// (chosen at random, retried when the daemon finds it taken).
func createSubnetNetwork(t *testing.T, d *Docker, spec engine.NetworkSpec) (id, prefix string) {
	t.Helper()
	var lastErr error
	for range 20 {
		b := make([]byte, 1)
		_, _ = rand.Read(b)
		prefix = "10.213." + strconv.Itoa(int(b[0])) + "."
		spec.Subnet = prefix + "0/24"
		id, err := d.CreateNetwork(testContext(t), spec)
		if err == nil {
			t.Cleanup(func() {
				ctx, cancel := cleanupCtx()
				defer cancel()
				if err := d.RemoveNetwork(ctx, id); err != nil && !errors.Is(err, engine.ErrNotFound) {
					t.Errorf("cleanup: %v", err)
				}
			})
			return id, prefix
		}
		lastErr = err
		if !strings.Contains(err.Error(), "overlap") {
			break
		}
	}
	t.Fatal(lastErr)
	return "", ""
}

// createContainer creates a container removed at the end of the test.
func createContainer(t *testing.T, d *Docker, spec engine.ContainerSpec) string {
	t.Helper()
	if spec.Image == "" {
		spec.Image = requireImage(t, d)
	}
	if spec.Labels == nil {
		spec.Labels = labels()
	}
	id, err := d.CreateContainer(testContext(t), spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := cleanupCtx()
		defer cancel()
		if err := d.RemoveContainer(ctx, id); err != nil && !errors.Is(err, engine.ErrNotFound) {
			t.Errorf("cleanup: %v", err)
		}
	})
	return id
}

// runContainer creates and starts a container.
func runContainer(t *testing.T, d *Docker, spec engine.ContainerSpec) string {
	t.Helper()
	id := createContainer(t, d, spec)
	if err := d.StartContainer(testContext(t), id); err != nil {
		t.Fatal(err)
	}
	return id
}

// tarOf builds a tar stream of files (path -> content).
func tarOf(t *testing.T, files map[string]string) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for name, content := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(content)), Typeflag: tar.TypeReg, ModTime: time.Now()}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf
}

// mustExec runs a command and fails the test unless it exits 0.
func mustExec(t *testing.T, d *Docker, id string, cmd ...string) string {
	t.Helper()
	res, err := d.Exec(testContext(t), id, engine.ExecSpec{Command: cmd})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != 0 {
		t.Fatalf("%q exited %d: %s%s", cmd, res.ExitCode, res.Stdout, res.Stderr)
	}
	return string(res.Stdout)
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func imageRemoveOptions() client.ImageRemoveOptions {
	return client.ImageRemoveOptions{Force: true, PruneChildren: true}
}
