//go:build reliability

package reliability

import (
	"context"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"
)

type statusJSON struct {
	Services []struct {
		Name     string `json:"name"`
		State    string `json:"state"`
		Drift    string `json:"drift"`
		Networks []struct {
			Network string `json:"network"`
			Address string `json:"address"`
		} `json:"networks"`
	} `json:"services"`
	Networks []struct {
		Name    string   `json:"name"`
		Subnets []string `json:"subnets"`
	} `json:"networks"`
}

func status(t *testing.T, dir string, args ...string) statusJSON {
	t.Helper()
	r := run(t, dir, append(args, "--output", "json", "status")...)
	if r.Code != 0 {
		t.Fatalf("status: %s", r)
	}
	var st statusJSON
	if err := json.Unmarshal([]byte(r.Stdout), &st); err != nil {
		t.Fatalf("status output: %v\n%s", err, r)
	}
	return st
}

// TestDriftByHand: a student stops one container, removes another,
// disconnects a third from its network and edits a file in it. status
// shows each against the design, check fails on the edited file, plan
// names the repairs, and up repairs them all.
func TestDriftByHand(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := labDir(t, "lab")
	inst := newInstance(t, "")
	mustRun(t, dir, "--name", inst, "up")
	if r := run(t, dir, "--name", inst, "check", "--report-dir", t.TempDir()); r.Code != 0 {
		t.Fatalf("check before the changes:\n%s", r)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cs := containers(t, inst)
	if err := eng.StopContainer(ctx, cs["worker"].ID, time.Second); err != nil {
		t.Fatal(err)
	}
	if err := eng.RemoveContainer(ctx, cs["api"].ID); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.CommandContext(ctx, "docker", "network", "disconnect", inst+"-front", inst+"-web").CombinedOutput(); err != nil {
		t.Fatalf("docker network disconnect: %v\n%s", err, out)
	}
	execIn(t, inst, "web", "sh", "-c", "echo defaced > /www/index.html")

	want := map[string]string{"worker": "stopped", "api": "missing", "web": "network front disconnected", "db": ""}
	st := status(t, dir, "--name", inst)
	for _, s := range st.Services {
		if w, ok := want[s.Name]; ok && s.Drift != w {
			t.Errorf("status: service %s drift %q, want %q", s.Name, s.Drift, w)
		}
	}
	text := run(t, dir, "--name", inst, "status")
	for _, s := range []string{"(stopped)", "missing", "(network front disconnected)"} {
		if !strings.Contains(text.Stdout, s) {
			t.Errorf("status text lacks %q:\n%s", s, text.Stdout)
		}
	}

	r := run(t, dir, "--name", inst, "check", "--report-dir", t.TempDir())
	if r.Code != 1 || !strings.Contains(r.Stdout, "welcome-page") {
		t.Errorf("check after the file was edited: want exit 1 naming welcome-page\n%s", r)
	}

	p := run(t, dir, "--name", inst, "plan")
	for _, s := range []string{"start service worker", "create service api", "recreate service web"} {
		if !strings.Contains(p.Stdout, s) {
			t.Errorf("plan lacks %q:\n%s", s, p)
		}
	}
	if !strings.Contains(p.Stdout, "network front disconnected") {
		t.Errorf("plan does not give the disconnected network as the cause:\n%s", p)
	}

	mustRun(t, dir, "--name", inst, "up")
	st = status(t, dir, "--name", inst)
	for _, s := range st.Services {
		if s.Drift != "" || s.State != "running" {
			t.Errorf("after up: service %s is %s, drift %q", s.Name, s.State, s.Drift)
		}
	}
	if r := run(t, dir, "--name", inst, "check", "--report-dir", t.TempDir()); r.Code != 0 {
		t.Errorf("check after up repaired the lab:\n%s", r)
	}
	if r := run(t, dir, "--name", inst, "plan", "--detailed-exitcode"); r.Code != 0 {
		t.Errorf("plan after the repair:\n%s", r)
	}
}
