package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/probebin"
)

// TestProbeFromAnyBuild runs a check `from` a service with builds of
// proeftuin that cannot serve as the probe themselves: a dynamically
// linked one (CGO_ENABLED=1 go build, what `go build` gives on a Linux
// machine with a C compiler) and one that looks foreign, as a macOS or
// Windows build does. Both build the probe with the local toolchain.
func TestProbeFromAnyBuild(t *testing.T) {
	needEngine(t)
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("no C compiler for a cgo build")
	}
	dir := labDir(t, "nonetwork")
	inst := newInstance(t, "")
	mustRun(t, dir, "--name", inst, "up")

	builds := map[string][]string{
		"cgo":     {"CGO_ENABLED=1"},
		"foreign": {"CGO_ENABLED=0", "-ldflags=-X github.com/proeftuin/proeftuin/internal/probebin.selfForeign=1"},
	}
	for name, spec := range builds {
		t.Run(name, func(t *testing.T) {
			exe := filepath.Join(t.TempDir(), "proeftuin-"+name)
			args := []string{"build", "-o", exe}
			env := append(os.Environ(), spec[0])
			args = append(args, spec[1:]...)
			build := exec.Command("go", append(args, "./cmd/proeftuin")...)
			build.Dir, build.Env = repoRoot, env
			if out, err := build.CombinedOutput(); err != nil {
				t.Fatalf("go build: %v\n%s", err, out)
			}
			if name == "cgo" {
				// The premise: this build cannot be the probe.
				if err := probebin.Check(exe, ""); err == nil || !strings.Contains(err.Error(), "dynamically linked") {
					t.Fatalf("the cgo build is usable as the probe (%v); the test proves nothing", err)
				}
			}
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, exe, "--name", inst, "check")
			cmd.Dir = dir
			// A fresh probe cache, but Go's own build cache as it is
			// (it lives under the same XDG folder by default).
			gocache, err := exec.Command("go", "env", "GOCACHE").Output()
			if err != nil {
				t.Fatal(err)
			}
			cmd.Env = append(os.Environ(), "NO_COLOR=1", "XDG_CACHE_HOME="+t.TempDir(), "GOCACHE="+strings.TrimSpace(string(gocache)), probebin.EnvBinary+"=")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("check with the %s build: %v\n%s", name, err, out)
			}
			if !strings.Contains(string(out), "web-by-name") || strings.Contains(string(out), "FAIL") {
				t.Errorf("check output:\n%s", out)
			}
		})
	}
}
