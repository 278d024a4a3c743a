package apply

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/progress"
	"github.com/proeftuin/proeftuin/internal/subnet"
	"github.com/proeftuin/proeftuin/internal/testenv"
)

const busybox = testenv.Busybox

func TestMain(m *testing.M) {
	// proeftuin cleans up by label; testcontainers' reaper is not used.
	os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	os.Exit(m.Run())
}

// realEngine connects to the Docker engine and makes sure the busybox test
// image exists. Without an engine the test is skipped on a developer's
// machine and fails in CI (CI=true).
func realEngine(t *testing.T) engine.Engine {
	t.Helper()
	eng := testenv.Engine(t)
	testenv.Image(t, eng, busybox)
	return eng
}

func realInstance(t *testing.T, eng engine.Engine) string {
	t.Helper()
	name := fmt.Sprintf("pt-apply-%d", time.Now().UnixNano()%1_000_000_000)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		if err := Down(ctx, eng, name, true, nil); err != nil {
			t.Errorf("down %s: %v", name, err)
		}
	})
	return name
}

func progressLog(t *testing.T) progress.Sink {
	start := time.Now()
	return progress.SinkFunc(func(e progress.Event) {
		t.Logf("%6dms %s %s %s %s %s", time.Since(start).Milliseconds(), e.Kind, e.Name, e.Phase, e.Duration, e.Message)
	})
}

func sh(script string) []string { return []string{"/bin/sh", "-c", script} }

// TestReadinessOnDocker runs every readiness kind against real containers.
func TestReadinessOnDocker(t *testing.T) {
	eng := realEngine(t)
	t.Setenv(subnet.EnvPool, "")
	name := realInstance(t, eng)
	index := &config.File{Path: "/www/index.html", Content: []byte("<h1>proeftuin</h1>\n"), Mode: 0o644, Owner: "0:0"}
	env := &config.Environment{
		Name:     "readiness",
		Dir:      t.TempDir(),
		Networks: []*config.Network{{Name: "lab", AutoSubnet: true}},
		Services: []*config.Service{
			{
				Name: "published", Image: busybox, Command: []string{"httpd", "-f", "-p", "80", "-h", "/www"},
				Networks: []*config.ServiceNetwork{{Network: "lab"}},
				Ports:    []*config.Port{{Container: 80}},
				Files:    []*config.File{index},
				Ready:    &config.Ready{HTTP: &config.ReadyHTTP{Port: 80}},
			},
			{
				Name: "private", Image: busybox, Command: sh("sleep 0.5; exec httpd -f -p 8080 -h /www"),
				Networks: []*config.ServiceNetwork{{Network: "lab"}},
				Files:    []*config.File{index},
				Ready:    &config.Ready{HTTP: &config.ReadyHTTP{Port: 8080, Path: "/index.html"}},
			},
			{
				Name: "port", Image: busybox, Command: sh("sleep 0.5; exec nc -ll -p 9000 -e cat"),
				Networks: []*config.ServiceNetwork{{Network: "lab"}},
				Ready:    &config.Ready{Port: &config.ReadyPort{Port: 9000}},
			},
			{
				Name: "log", Image: busybox, Command: sh("echo booting; sleep 0.5; echo ready now; echo ready now; exec sleep 3600"),
				Networks: []*config.ServiceNetwork{{Network: "lab"}},
				Ready:    &config.Ready{Log: &config.ReadyLog{Pattern: "ready n[o]w", Occurrences: 2}},
			},
			{
				Name: "exec", Image: busybox, Command: sh("sleep 0.5; touch /tmp/ok; exec sleep 3600"),
				Networks:  []*config.ServiceNetwork{{Network: "lab"}},
				DependsOn: []string{"log"},
				Ready:     &config.Ready{Exec: &config.ReadyExec{Command: []string{"test", "-f", "/tmp/ok"}}},
			},
			{
				Name: "health", Image: busybox, Command: sh("sleep 0.5; touch /tmp/ok; exec sleep 3600"),
				Networks:    []*config.ServiceNetwork{{Network: "lab"}},
				Healthcheck: &config.Healthcheck{Test: []string{"CMD", "test", "-f", "/tmp/ok"}, Interval: 200 * time.Millisecond, Retries: 3},
				Ready:       &config.Ready{Healthcheck: true},
			},
		},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := Up(ctx, eng, env, Options{Instance: name, WaitTimeout: 45 * time.Second, Progress: progressLog(t)})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Services) != 6 {
		t.Errorf("services %v", res.Services)
	}
	// The copied file arrived with its content.
	out, err := eng.Exec(ctx, res.Services["private"], engine.ExecSpec{Command: []string{"cat", "/www/index.html"}})
	if err != nil || !strings.Contains(string(out.Stdout), "proeftuin") {
		t.Errorf("index.html: %v %q", err, out.Stdout)
	}
	// A second up changes nothing.
	res, err = Up(ctx, eng, env, Options{Instance: name})
	if err != nil || res.Plan.Changes() != 0 {
		t.Fatalf("re-up: %v\n%s", err, res.Plan)
	}
}

// TestCrashFailsFastOnDocker: a container that exits while its probe runs
// fails the up at once, with its logs, and a first up is rolled back.
func TestCrashFailsFastOnDocker(t *testing.T) {
	eng := realEngine(t)
	name := realInstance(t, eng)
	env := &config.Environment{
		Name: "crash",
		Dir:  t.TempDir(),
		Services: []*config.Service{{
			Name: "crash", Image: busybox, Command: sh("echo starting; echo cannot open /data: denied; exit 3"),
			Ready: &config.Ready{Exec: &config.ReadyExec{Command: []string{"false"}}},
		}},
	}
	start := time.Now()
	sink := progressLog(t)
	_, err := Up(context.Background(), eng, env, Options{Instance: name, WaitTimeout: 60 * time.Second, Progress: sink})
	var re *ReadyError
	if !errors.As(err, &re) {
		t.Fatalf("want ReadyError, got %v", err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("took %s", d)
	}
	if !strings.Contains(err.Error(), "exited with code 3") || !strings.Contains(err.Error(), "cannot open /data") {
		t.Errorf("err = %v", err)
	}
	cs, _ := eng.Containers(context.Background(), map[string]string{engine.LabelInstance: name})
	if len(cs) != 0 {
		t.Errorf("first up not rolled back: %v", cs)
	}
}
