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
)

// TestFaultStartInterrupted sends a real SIGINT to 'proeftuin fault start'
// at several points of its run (loading, the checks before, the inject,
// the record): afterwards the fault is either not injected or recorded as
// the instance's open incident, never injected without a record. A
// recorded one is reset before the next point.
func TestFaultStartInterrupted(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := labDir(t, "faults")
	inst := newInstance(t, "")
	mustRun(t, dir, "--name", inst, "up")
	openFile := filepath.Join(dir, ".proeftuin", "incidents", "open-"+inst)
	outcomes := map[string]int{}
	// The start takes about 0.1-0.5 s: most points fall inside it.
	for _, delay := range []time.Duration{0, 20 * time.Millisecond, 40 * time.Millisecond, 60 * time.Millisecond,
		80 * time.Millisecond, 100 * time.Millisecond, 130 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, time.Second} {
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
		cmd := command(ctx, dir, "--name", inst, "fault", "start", "disk-full")
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			cancel()
			t.Fatal(err)
		}
		time.Sleep(delay)
		_ = cmd.Process.Signal(os.Interrupt) // it may have finished already
		err := cmd.Wait()
		cancel()
		code := 0
		if err != nil {
			code = cmd.ProcessState.ExitCode()
		}
		injected := run(t, dir, "--name", inst, "exec", "web", "--", "test", "-e", "/tmp/big").Code == 0
		status := incidentStatus(t, dir, openFile)
		switch {
		case injected && status == "":
			t.Errorf("SIGINT after %s (exit %d): the fault is injected but no incident is recorded\n%s", delay, code, out.String())
			run(t, dir, "--name", inst, "exec", "web", "--", "rm", "-f", "/tmp/big")
		case status != "" && status != "injecting" && status != "open":
			t.Errorf("SIGINT after %s: the open incident has status %q", delay, status)
		}
		t.Logf("SIGINT after %s: exit %d, injected %v, incident %q\n%s", delay, code, injected, status, out.String())
		// -1: the signal ended the process before it could handle it.
		if code != 0 && code != 130 && code != 3 && code != -1 {
			t.Errorf("SIGINT after %s: exit %d, want 0 (done), 130 (interrupted) or 3\n%s", delay, code, out.String())
		}
		outcomes[fmt.Sprintf("exit %d, injected %v, recorded %v", code, injected, status != "")]++
		if status != "" {
			mustRun(t, dir, "--name", inst, "fault", "reset")
		}
	}
	t.Logf("outcomes: %v", outcomes)
	if outcomes["exit 0, injected true, recorded true"] == 0 {
		t.Errorf("no start finished: %v", outcomes)
	}
	mustRun(t, dir, "--name", inst, "down")
	assertNothingLeft(t, inst)
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
