package apply

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/planner"
	"github.com/proeftuin/proeftuin/internal/progress"
	"github.com/proeftuin/proeftuin/internal/subnet"
)

// TestOtherEnvironmentKeepsDataOnDocker is trial 1 of issue 17: an up of
// another environment under a used name used to remove the first
// environment's containers, networks and volume. Now it is refused
// before anything changes; an up of the first environment that no longer
// declares the volume keeps it with its data; only Down with volumes
// removes it.
func TestOtherEnvironmentKeepsDataOnDocker(t *testing.T) {
	eng := realEngine(t)
	t.Setenv(subnet.EnvPool, "")
	name := realInstance(t, eng)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()

	bigDir := t.TempDir()
	big := &config.Environment{
		Name:     "big",
		Dir:      bigDir,
		Networks: []*config.Network{{Name: "lab", AutoSubnet: true}},
		Volumes:  []*config.Volume{{Name: "data"}},
		Services: []*config.Service{{
			Name: "db", Image: busybox, Command: []string{"sleep", "3600"},
			Networks: []*config.ServiceNetwork{{Network: "lab"}},
			Mounts:   []*config.Mount{{Volume: "data", Target: "/data"}},
		}},
	}
	if _, err := Up(ctx, eng, big, Options{Instance: name, Progress: progressLog(t)}); err != nil {
		t.Fatal(err)
	}
	db := containerOf(t, eng, name, "db")
	if res, err := eng.Exec(ctx, db, engine.ExecSpec{Command: sh("echo precious > /data/file")}); err != nil || res.ExitCode != 0 {
		t.Fatalf("write into the volume: %v %+v", err, res)
	}

	other := &config.Environment{
		Name:     "other",
		Dir:      t.TempDir(),
		Services: []*config.Service{{Name: "web", Image: busybox, Command: []string{"sleep", "3600"}}},
	}
	_, err := Up(ctx, eng, other, Options{Instance: name, Progress: progressLog(t)})
	var oe *planner.OtherEnvironmentError
	if !errors.As(err, &oe) {
		t.Fatalf("up of another environment: err = %v, want *planner.OtherEnvironmentError", err)
	}
	if got := containerOf(t, eng, name, "db"); got != db {
		t.Fatalf("the first environment's container changed: %s, was %s", got, db)
	}

	// The same environment from another folder: a warning naming both.
	var warned []string
	sink := progress.SinkFunc(func(e progress.Event) {
		if e.Phase == progress.Warning {
			warned = append(warned, e.Message)
		}
	})
	moved := *big
	moved.Dir = t.TempDir()
	moved.Volumes = nil // and the volume is no longer declared
	moved.Services = []*config.Service{{Name: "db", Image: busybox, Command: []string{"sleep", "3600"},
		Networks: []*config.ServiceNetwork{{Network: "lab"}}}}
	res, err := Up(ctx, eng, &moved, Options{Instance: name, Progress: sink})
	if err != nil {
		t.Fatal(err)
	}
	if w := strings.Join(warned, "\n"); !strings.Contains(w, bigDir) || !strings.Contains(w, moved.Dir) {
		t.Errorf("warnings %q do not name both folders %s and %s", w, bigDir, moved.Dir)
	}
	for _, op := range res.Plan.Operations {
		if op.Resource == planner.ResVolume && op.Kind == planner.Remove {
			t.Errorf("up planned to remove volume %s", op.Name)
		}
	}
	vols, err := eng.Volumes(ctx, map[string]string{engine.LabelInstance: name})
	if err != nil || len(vols) != 1 {
		t.Fatalf("volumes after an up without it: %v, %v; want the one volume kept", vols, err)
	}

	// The data is still there: read it through a container on the volume.
	back := *big
	if _, err := Up(ctx, eng, &back, Options{Instance: name, Progress: progressLog(t)}); err != nil {
		t.Fatal(err)
	}
	out, err := eng.Exec(ctx, containerOf(t, eng, name, "db"), engine.ExecSpec{Command: sh("cat /data/file")})
	if err != nil || strings.TrimSpace(string(out.Stdout)) != "precious" {
		t.Fatalf("data in the volume: %q, %v; want precious", out.Stdout, err)
	}

	// Down without volumes keeps it; with volumes removes it.
	if err := Down(ctx, eng, name, false, nil); err != nil {
		t.Fatal(err)
	}
	if vols, _ := eng.Volumes(ctx, map[string]string{engine.LabelInstance: name}); len(vols) != 1 {
		t.Fatalf("down without --volumes left %d volumes, want 1", len(vols))
	}
	if err := Down(ctx, eng, name, true, nil); err != nil {
		t.Fatal(err)
	}
	if vols, _ := eng.Volumes(ctx, map[string]string{engine.LabelInstance: name}); len(vols) != 0 {
		t.Fatalf("down --volumes left %v", vols)
	}
}

func containerOf(t *testing.T, eng engine.Engine, instance, service string) string {
	t.Helper()
	cs, err := eng.Containers(t.Context(), map[string]string{engine.LabelInstance: instance, engine.LabelService: service})
	if err != nil || len(cs) != 1 {
		t.Fatalf("container of %s: %v, %v", service, cs, err)
	}
	return cs[0].ID
}

// TestTakenPortRefusedBeforeChangesOnDocker: `doctor` found a host port
// taken, but `up` went ahead and the engine refused the container
// halfway (issue 17, trial 7). Now up checks first and changes nothing.
func TestTakenPortRefusedBeforeChangesOnDocker(t *testing.T) {
	eng := realEngine(t)
	t.Setenv(subnet.EnvPool, "")
	name := realInstance(t, eng)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	env := &config.Environment{
		Name:     "ports",
		Dir:      t.TempDir(),
		Networks: []*config.Network{{Name: "lab", AutoSubnet: true}},
		Services: []*config.Service{{
			Name: "web", Image: busybox, Command: []string{"sleep", "3600"},
			Networks: []*config.ServiceNetwork{{Network: "lab"}},
			Ports:    []*config.Port{{Host: port, Container: 80}},
		}},
	}
	var created []string
	sink := progress.SinkFunc(func(e progress.Event) {
		if e.Phase == progress.Created || e.Phase == progress.Creating {
			created = append(created, e.Kind+" "+e.Name)
		}
	})
	_, err = Up(t.Context(), eng, env, Options{Instance: name, Progress: sink})
	var pt *PortTakenError
	if !errors.As(err, &pt) || !strings.Contains(err.Error(), strconv.Itoa(port)) {
		t.Fatalf("err = %v, want a PortTakenError naming port %d", err, port)
	}
	if len(created) > 0 {
		t.Errorf("created before the refusal: %v", created)
	}
}
