package status

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/engine/fake"
)

func setup(t *testing.T) (*fake.Engine, *config.Environment) {
	t.Helper()
	ctx := context.Background()
	eng := fake.New()
	eng.SetImage("busybox", "sha256:1")
	label := func(kind, name string) map[string]string {
		return map[string]string{engine.LabelInstance: "lab", kind: name}
	}
	if _, err := eng.CreateNetwork(ctx, engine.NetworkSpec{Name: "lab-front", Subnet: "10.9.0.0/24", Labels: label(engine.LabelNetwork, "front")}); err != nil {
		t.Fatal(err)
	}
	if err := eng.CreateVolume(ctx, engine.VolumeSpec{Name: "lab-data", Labels: label(engine.LabelVolume, "data")}); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"web", "old"} {
		id, err := eng.CreateContainer(ctx, engine.ContainerSpec{
			Name: "lab-" + s, Image: "busybox", Labels: label(engine.LabelService, s),
			Networks: []engine.NetworkAttachment{{Network: "lab-front"}},
			Ports:    []engine.PortBinding{{ContainerPort: 80, Protocol: "tcp", HostIP: "127.0.0.1", HostPort: 8080}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := eng.StartContainer(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	// Another instance's container must not show up.
	eng.AddContainer(engine.Container{Name: "other-web", Labels: map[string]string{engine.LabelInstance: "other", engine.LabelService: "web"}})

	env := &config.Environment{
		Name:     "shop",
		Networks: []*config.Network{{Name: "front"}, {Name: "back", Internal: true}},
		Services: []*config.Service{{Name: "db"}, {Name: "web"}},
	}
	return eng, env
}

func TestGatherWithDrift(t *testing.T) {
	eng, env := setup(t)
	r, err := Gather(context.Background(), eng, "lab", env)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range r.Services {
		got = append(got, s.Name+":"+s.State+":"+s.Drift)
	}
	// Declaration order first, then undeclared by name.
	want := "db:missing:missing web:running: old:running:not declared"
	if strings.Join(got, " ") != want {
		t.Errorf("services %q, want %q", strings.Join(got, " "), want)
	}
	web := r.Services[1]
	if web.Container != "lab-web" || len(web.Ports) != 1 || web.Ports[0].String() != "127.0.0.1:8080->80/tcp" {
		t.Errorf("web: %+v", web)
	}
	if len(web.Networks) != 1 || web.Networks[0].Network != "front" {
		t.Errorf("web networks %+v, want the declared name front", web.Networks)
	}
	if !r.Drifted() {
		t.Error("Drifted() = false")
	}
	var nets []string
	for _, n := range r.Networks {
		nets = append(nets, n.Name+":"+n.Drift)
	}
	if strings.Join(nets, " ") != "front: back:missing" {
		t.Errorf("networks %v", nets)
	}

	var buf bytes.Buffer
	if err := r.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"instance lab (environment shop)", "SERVICE", "db ", "missing", "running (not declared)", "127.0.0.1:8080->80/tcp", "back (missing)", "volumes: lab-data"} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("text lacks %q:\n%s", s, buf.String())
		}
	}
}

func TestGatherWithoutEnvironment(t *testing.T) {
	eng, _ := setup(t)
	r, err := Gather(context.Background(), eng, "lab", nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Declared || r.Drifted() || len(r.Services) != 2 {
		t.Errorf("report %+v", r)
	}
	var buf bytes.Buffer
	r.WriteText(&buf)
	if !strings.Contains(buf.String(), "drift is not shown") {
		t.Errorf("text:\n%s", buf.String())
	}
}

func TestGatherNothing(t *testing.T) {
	r, err := Gather(context.Background(), fake.New(), "gone", nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	r.WriteText(&buf)
	if buf.String() != "instance gone: nothing exists on the engine\n" {
		t.Errorf("%q", buf.String())
	}
}

// TestGatherStoppedAndDisconnected: changes made by hand show as drift: a
// stopped container, a declared network the container left.
func TestGatherStoppedAndDisconnected(t *testing.T) {
	eng, env := setup(t)
	env.Service("web").Networks = []*config.ServiceNetwork{{Network: "front"}, {Network: "back"}}
	env.Services = append(env.Services, &config.Service{Name: "old", Networks: []*config.ServiceNetwork{{Network: "front"}}})
	eng.SetState("lab-old", engine.StateExited, 137)
	r, err := Gather(context.Background(), eng, "lab", env)
	if err != nil {
		t.Fatal(err)
	}
	drift := map[string]string{}
	for _, s := range r.Services {
		drift[s.Name] = s.Drift
	}
	if drift["web"] != "network back disconnected" {
		t.Errorf("web drift %q", drift["web"])
	}
	if drift["old"] != Stopped {
		t.Errorf("old drift %q", drift["old"])
	}
	var buf bytes.Buffer
	if err := r.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"running (network back disconnected)", "exited (stopped)"} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("text lacks %q:\n%s", s, buf.String())
		}
	}
}
