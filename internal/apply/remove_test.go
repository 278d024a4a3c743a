package apply

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/engine/fake"
	"github.com/proeftuin/proeftuin/internal/progress"
)

// lateSpec is a container of the instance that the engine only finishes
// creating after the removal listed the instance: it is on the backend
// network and holds the dbdata volume, so neither can go before it.
func lateSpec() engine.ContainerSpec {
	return engine.ContainerSpec{
		Name:     inst + "-late",
		Image:    "proeftuin/busybox:1",
		Labels:   map[string]string{engine.LabelInstance: inst, engine.LabelService: "late"},
		Networks: []engine.NetworkAttachment{{Network: inst + "-backend"}},
		Mounts:   []engine.MountSpec{{Type: "volume", Source: inst + "-dbdata", Target: "/data"}},
	}
}

// appearOnFirstRemove makes the late container appear when the first
// container removal begins, as a create the daemon finishes after the
// client gave up on it would.
func appearOnFirstRemove(t *testing.T, eng *fake.Engine) *atomic.Bool {
	t.Helper()
	var appeared atomic.Bool
	eng.OnCall(func(ctx context.Context, method, name string) {
		if method == "RemoveContainer" && appeared.CompareAndSwap(false, true) {
			if _, err := eng.CreateContainer(context.Background(), lateSpec()); err != nil {
				t.Errorf("create late container: %v", err)
			}
		}
	})
	return &appeared
}

func warnings(ev *events) []string {
	ev.mu.Lock()
	defer ev.mu.Unlock()
	var out []string
	for _, e := range ev.all {
		if e.Kind == "instance" && e.Phase == progress.Warning {
			out = append(out, e.Message)
		}
	}
	return out
}

func TestDownRemovesWhatAppearsAfterTheFirstPass(t *testing.T) {
	eng := newEngine(t)
	mustUp(t, eng, shop())
	appeared := appearOnFirstRemove(t, eng)
	var ev events
	if err := Down(context.Background(), eng, inst, true, &ev); err != nil {
		t.Fatalf("down: %v", err)
	}
	if !appeared.Load() {
		t.Fatal("the late container was never created; the test proves nothing")
	}
	assertEmpty(t, eng)
	if !ev.has("service", "late", progress.Removed) {
		t.Error("the late container's removal was not reported")
	}
	if n := eng.Calls("Containers"); n < 2 {
		t.Errorf("containers listed %d times; the removal did not look again", n)
	}
}

func TestRollbackRemovesWhatAppearsAfterTheFirstPass(t *testing.T) {
	eng := newEngine(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	eng.OnStart(func(name string) {
		if name == inst+"-api" {
			cancel()
		}
	})
	appeared := appearOnFirstRemove(t, eng)
	var ev events
	_, err := up(t, ctx, eng, shop(), Options{Progress: &ev})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if !appeared.Load() {
		t.Fatal("the late container was never created; the test proves nothing")
	}
	assertEmpty(t, eng)
	if w := warnings(&ev); len(w) > 0 {
		t.Errorf("warnings: %q", w)
	}
}

func TestDownRetriesVolumeInUse(t *testing.T) {
	eng := newEngine(t)
	mustUp(t, eng, shop())
	// Something outside this run (a container still being removed by a
	// killed process) holds the volume for the first two attempts.
	eng.FailOn("RemoveVolume", inst+"-dbdata", fmt.Errorf("remove %s: volume is in use - [ctr9999]: %w", inst+"-dbdata", engine.ErrConflict))
	var tries atomic.Int32
	eng.OnCall(func(ctx context.Context, method, name string) {
		if method == "RemoveVolume" && tries.Add(1) == 2 {
			eng.ClearFaults() // the third attempt succeeds
		}
	})
	var ev events
	if err := Down(context.Background(), eng, inst, true, &ev); err != nil {
		t.Fatalf("down: %v", err)
	}
	assertEmpty(t, eng)
	if n := tries.Load(); n != 3 {
		t.Errorf("RemoveVolume called %d times, want 3", n)
	}
	if ev.has("volume", "dbdata", progress.Failed) {
		t.Error("a volume in use that then went was reported as failed")
	}
	if !ev.has("volume", "dbdata", progress.Waiting) || !ev.has("volume", "dbdata", progress.Removed) {
		t.Error("want the volume reported as waiting, then removed")
	}
}

func TestDownReportsWhatIsLeftWhenTimeRunsOut(t *testing.T) {
	eng := newEngine(t)
	mustUp(t, eng, shop())
	defer func(d time.Duration) { convergeTimeout = d }(convergeTimeout)
	convergeTimeout = 300 * time.Millisecond
	eng.FailOn("RemoveVolume", inst+"-dbdata", fmt.Errorf("volume is in use - [ctr9999]: %w", engine.ErrConflict))
	start := time.Now()
	err := Down(context.Background(), eng, inst, true, nil)
	if err == nil || !strings.Contains(err.Error(), "volume "+inst+"-dbdata could not be removed") || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("down gave up after %s", d)
	}
	if n := eng.Calls("RemoveVolume"); n < 3 {
		t.Errorf("RemoveVolume called %d times; not retried", n)
	}
	// Everything else is gone.
	if c := eng.ContainerNames(); len(c) != 0 {
		t.Errorf("containers left: %v", c)
	}
}

func TestRollbackIncompleteIsReported(t *testing.T) {
	eng := newEngine(t)
	defer func(d time.Duration) { convergeTimeout = d }(convergeTimeout)
	convergeTimeout = 300 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	eng.OnStart(func(name string) {
		if name == inst+"-api" {
			cancel()
		}
	})
	eng.FailOn("RemoveVolume", inst+"-dbdata", fmt.Errorf("volume is in use - [ctr9999]: %w", engine.ErrConflict))
	var ev events
	_, err := up(t, ctx, eng, shop(), Options{Progress: &ev})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	w := warnings(&ev)
	if len(w) != 1 || !strings.HasPrefix(w[0], "rollback incomplete: ") || !strings.Contains(w[0], "volume "+inst+"-dbdata") {
		t.Errorf("warnings: %q", w)
	}
	// The error says so too: Up returns the roll-back's failure, with
	// what it removed and what it left.
	var rb *RollbackError
	if !errors.As(err, &rb) {
		t.Fatalf("err = %v, want a *RollbackError", err)
	}
	if !slices.Equal(rb.Left, []string{"volume " + inst + "-dbdata"}) || !slices.Contains(rb.Removed, "container "+inst+"-db") {
		t.Errorf("removed %q, left %q", rb.Removed, rb.Left)
	}
}

func TestDownFailsAtOnceOnLastingErrors(t *testing.T) {
	eng := newEngine(t)
	mustUp(t, eng, shop())
	eng.FailOn("RemoveContainer", inst+"-web", errors.New("device busy"))
	start := time.Now()
	err := Down(context.Background(), eng, inst, true, nil)
	if err == nil || !strings.Contains(err.Error(), "device busy") {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("an error retrying cannot cure was retried for %s", d)
	}
	if n := eng.Calls("RemoveContainer"); n != 4 {
		t.Errorf("RemoveContainer called %d times, want 4 (one pass)", n)
	}
}

func TestDownWaitsForRemovalInProgress(t *testing.T) {
	eng := newEngine(t)
	mustUp(t, eng, shop())
	web := inst + "-web"
	id := func() string { c, _ := eng.Container(web); return c.ID }()
	// Someone else (an up killed by a second Ctrl-C) is removing web; the
	// engine finishes that a moment later.
	inProgress := fmt.Errorf("remove container %s: %w: %w", id, engine.ErrConflict, engine.ErrRemovalInProgress)
	eng.FailOn("RemoveContainer", web, inProgress)
	var once atomic.Bool
	eng.OnCall(func(ctx context.Context, method, name string) {
		if method == "RemoveContainer" && name == web && once.CompareAndSwap(false, true) {
			time.AfterFunc(150*time.Millisecond, func() {
				eng.ClearFaults()
				_ = eng.RemoveContainer(context.Background(), id)
			})
		}
	})
	var ev events
	if err := Down(context.Background(), eng, inst, true, &ev); err != nil {
		t.Fatalf("down: %v", err)
	}
	assertEmpty(t, eng)
	if ev.has("service", "web", progress.Failed) {
		t.Error("a removal already in progress was reported as failed")
	}
	if eng.Calls("InspectContainer") == 0 {
		t.Error("down did not wait for the container to go")
	}
}

func TestCreateInFlightAtCancelIsRolledBack(t *testing.T) {
	eng := newEngine(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The interrupt arrives while api's create is on its way to the
	// engine: the create must still come back (with an object the
	// roll-back can find), not be abandoned halfway.
	var createCtxAlive atomic.Bool
	eng.OnCall(func(cctx context.Context, method, name string) {
		if method == "CreateContainer" && name == inst+"-api" {
			cancel()
			createCtxAlive.Store(cctx.Err() == nil)
		}
	})
	var ev events
	_, err := up(t, ctx, eng, shop(), Options{Progress: &ev})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if !createCtxAlive.Load() {
		t.Error("the create in flight was cancelled with the run")
	}
	if !ev.has("service", "api", progress.Removed) {
		t.Error("the container whose create was in flight was not removed")
	}
	assertEmpty(t, eng)
	if index(eng.StartOrder(), inst+"-api") >= 0 {
		t.Error("api was started after the interrupt")
	}
}

// A slow engine: the one pass that removes everything takes longer than
// convergeTimeout. Down confirms with one more listing and succeeds
// instead of reporting objects that are gone as "kept reappearing".
func TestDownSlowerThanConvergeTimeout(t *testing.T) {
	old := convergeTimeout
	convergeTimeout = 50 * time.Millisecond
	t.Cleanup(func() { convergeTimeout = old })
	eng := newEngine(t)
	mustUp(t, eng, shop())
	eng.OnCall(func(ctx context.Context, method, name string) {
		if method == "RemoveContainer" {
			time.Sleep(100 * time.Millisecond)
		}
	})
	if err := Down(context.Background(), eng, inst, true, nil); err != nil {
		t.Fatalf("down: %v", err)
	}
	assertEmpty(t, eng)
}
