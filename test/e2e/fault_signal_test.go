//go:build unix

package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// TestFaultStartInterrupted sends a real SIGINT to 'proeftuin fault start'
// (the binary TestMain built) at several points of its run (at once,
// after fixed delays, while the checks before the inject run, once the
// incident is recorded): afterwards the fault is either not injected (exit
// 130, "no fault was started") or recorded as the instance's open
// incident, never injected without a record. A recorded one is reset
// before the next point.
func TestFaultStartInterrupted(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := labDir(t, "faults")
	inst := newInstance(t, "")
	mustRun(t, dir, "--name", inst, "up")
	openFile := filepath.Join(dir, ".proeftuin", "incidents", "open-"+inst)
	outcomes := map[string]int{}
	// Points: fixed delays, and the moments the start is seen doing
	// something (a probe sidecar of the checks before the inject runs; the
	// incident is recorded before the inject).
	type point struct {
		name  string
		ready func() bool
	}
	after := func(d time.Duration) point {
		deadline := time.Now()
		return point{d.String(), func() bool { return time.Since(deadline) >= d }}
	}
	probing := point{"checks before the inject", func() bool {
		cs, err := eng.Containers(t.Context(), map[string]string{engine.LabelInstance: inst})
		for _, c := range cs {
			if c.Labels[engine.LabelProbe] != "" {
				return err == nil
			}
		}
		return false
	}}
	recording := point{"incident recorded", func() bool { _, err := os.Stat(openFile); return err == nil }}
	points := []func() point{
		func() point { return after(0) }, func() point { return after(50 * time.Millisecond) },
		func() point { return probing }, func() point { return recording },
		func() point { return probing }, func() point { return recording },
		func() point { return after(200 * time.Millisecond) }, func() point { return after(time.Second) },
	}
	for _, mk := range points {
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
		cmd := command(ctx, dir, "--name", inst, "fault", "start", "web-cut-off")
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			cancel()
			t.Fatal(err)
		}
		p := mk()
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		delay := p.name
	wait:
		for !p.ready() {
			select {
			case <-exited:
				delay += " (not reached: the start had finished)"
				break wait
			case <-time.After(2 * time.Millisecond):
			}
		}
		_ = cmd.Process.Signal(os.Interrupt) // it may have finished already
		<-exited
		cancel()
		code := cmd.ProcessState.ExitCode()
		injected := cutOff(t, inst)
		status := incidentStatus(t, dir, openFile)
		switch {
		case injected && status == "":
			t.Errorf("SIGINT at %s (exit %d): the fault is injected but no incident is recorded\n%s", delay, code, out.String())
			mustRun(t, dir, "--name", inst, "up")
		case status != "" && status != "injecting" && status != "open":
			t.Errorf("SIGINT at %s: the open incident has status %q", delay, status)
		}
		t.Logf("SIGINT at %s: exit %d, injected %v, incident %q\n%s", delay, code, injected, status, out.String())
		// -1: the signal ended the process before it could handle it.
		if code != 0 && code != 130 && code != -1 {
			t.Errorf("SIGINT at %s: exit %d, want 0 (done), 130 (interrupted) or killed by the signal\n%s", delay, code, out.String())
		}
		if code == 130 && (injected || status != "" || !strings.Contains(out.String(), "no fault was started")) {
			t.Errorf("SIGINT at %s: exit 130 says nothing was started, but injected %v, incident %q\n%s", delay, injected, status, out.String())
		}
		outcomes[fmt.Sprintf("exit %d, injected %v, recorded %v", code, injected, status != "")]++
		if status != "" {
			mustRun(t, dir, "--name", inst, "fault", "reset")
		}
	}
	t.Logf("outcomes: %v", outcomes)
	if outcomes["exit 0, injected true, recorded true"] == 0 || outcomes["exit 130, injected false, recorded false"] == 0 {
		t.Errorf("the signals did not hit both before the inject (exit 130) and after its record (exit 0): %v", outcomes)
	}
	mustRun(t, dir, "--name", inst, "down")
	assertNothingLeft(t, inst)
}

// cutOff says whether the fault web-cut-off is injected: web is on no
// network.
func cutOff(t *testing.T, inst string) bool {
	t.Helper()
	d, err := eng.InspectContainer(t.Context(), containers(t, inst)["web"].ID)
	if err != nil {
		t.Fatal(err)
	}
	return len(d.Networks) == 0
}

// incidentStatus is the status of the instance's open incident, "" when
// none is open.
func incidentStatus(t *testing.T, dir, openFile string) string {
	t.Helper()
	id, err := os.ReadFile(openFile)
	if errors.Is(err, fs.ErrNotExist) {
		return ""
	} else if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, ".proeftuin", "incidents", strings.TrimSpace(string(id)), "incident.json"))
	if err != nil {
		t.Fatalf("open incident %s without its record: %v", id, err)
	}
	var inc struct {
		Status string `json:"status"`
	}
	if err := json.Unmarshal(data, &inc); err != nil {
		t.Fatal(err)
	}
	return inc.Status
}
