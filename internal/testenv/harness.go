package testenv

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// skipReason is why the tests of a Main package cannot run; "" when they
// can. Every test package is its own binary, so one variable will do.
var skipReason string

// Main is the TestMain of a package that drives the built proeftuin
// binary against the engine (test/e2e, test/run, test/reliability): it
// connects to the engine, makes sure the busybox test image is there,
// builds the static binary, hands both to ready and runs the tests.
// Without an engine the run fails in CI (exit 1) and the tests skip
// elsewhere (NeedEngine); -short skips them too. name prefixes messages.
func Main(m *testing.M, name string, ready func(bin string, eng engine.Engine)) {
	flag.Parse()
	os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	if testing.Short() {
		skipReason = name + " tests need a Docker engine; skipped with -short"
		os.Exit(m.Run())
	}
	bin, eng, err := setup(name)
	if err != nil {
		if InCI() {
			fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
			os.Exit(1)
		}
		skipReason = err.Error()
		os.Exit(m.Run())
	}
	ready(bin, eng)
	code := m.Run()
	os.RemoveAll(filepath.Dir(bin))
	os.Exit(code)
}

func setup(name string) (string, engine.Engine, error) {
	eng, err := Connect()
	if err != nil {
		return "", nil, fmt.Errorf("no Docker engine: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if err := EnsureImage(ctx, eng, Busybox); err != nil {
		return "", nil, err
	}
	dir, err := os.MkdirTemp("", "proeftuin-"+strings.ReplaceAll(name, "/", "-")+"-bin-")
	if err != nil {
		return "", nil, err
	}
	// Static, so the probe sidecar (a FROM scratch image holding this
	// binary) can run it.
	bin, err := BuildBinary(dir)
	return bin, eng, err
}

// NeedEngine skips a test of a Main package that cannot run (in CI, Main
// has already failed the run).
func NeedEngine(t testing.TB) {
	t.Helper()
	if skipReason == "" {
		return
	}
	if testing.Short() {
		t.Skip(skipReason)
	}
	Unavailable(t, "%s", skipReason)
}

// Leftovers lists what the engine still holds for instance: every
// container, network and volume with its label, as "kind name".
func Leftovers(ctx context.Context, eng engine.Engine, instance string) ([]string, error) {
	match := engine.Instance(instance)
	var out []string
	cs, err := eng.Containers(ctx, match)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		out = append(out, "container "+c.Name)
	}
	ns, err := eng.Networks(ctx, match)
	if err != nil {
		return nil, err
	}
	for _, n := range ns {
		out = append(out, "network "+n.Name)
	}
	vs, err := eng.Volumes(ctx, match)
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		out = append(out, "volume "+v.Name)
	}
	return out, nil
}

// Sweep removes everything labelled with instance straight through the
// engine, bypassing proeftuin: the cleanup of a test that failed before
// its own `down`. It logs what it finds.
func Sweep(t testing.TB, eng engine.Engine, instance string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	match := engine.Instance(instance)
	if cs, err := eng.Containers(ctx, match); err == nil {
		for _, c := range cs {
			t.Logf("sweep: container %s left behind", c.Name)
			_ = eng.RemoveContainer(ctx, c.ID)
		}
	}
	if ns, err := eng.Networks(ctx, match); err == nil {
		for _, n := range ns {
			t.Logf("sweep: network %s left behind", n.Name)
			_ = eng.RemoveNetwork(ctx, n.ID)
		}
	}
	if vs, err := eng.Volumes(ctx, match); err == nil {
		for _, v := range vs {
			t.Logf("sweep: volume %s left behind", v.Name)
			_ = eng.RemoveVolume(ctx, v.Name)
		}
	}
}
