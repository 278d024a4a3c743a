package tcwait

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/engine/fake"
)

// TestTarget: the adapter answers from the engine's own methods.
func TestTarget(t *testing.T) {
	ctx := context.Background()
	eng := fake.New()
	eng.SetImage("img", "sha256:img")
	id, err := eng.CreateContainer(ctx, engine.ContainerSpec{Name: "web", Image: "img", Ports: []engine.PortBinding{{ContainerPort: 80, HostPort: 32768}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.StartContainer(ctx, id); err != nil {
		t.Fatal(err)
	}
	eng.SetExec("web", func([]string, int) (engine.ExecResult, error) {
		return engine.ExecResult{ExitCode: 3, Stdout: []byte("out"), Stderr: []byte("err")}, nil
	})
	tg := Target(eng, id)

	if h, err := tg.Host(ctx); err != nil || h != "127.0.0.1" {
		t.Errorf("Host = %q, %v", h, err)
	}
	if p, err := tg.MappedPort(ctx, "80/tcp"); err != nil || p.Num() != 32768 {
		t.Errorf("MappedPort(80) = %v, %v", p, err)
	}
	if _, err := tg.MappedPort(ctx, "81"); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("MappedPort(81): %v, want ErrNotFound", err)
	}
	code, r, err := tg.Exec(ctx, []string{"x"})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(r); code != 3 || string(b) != "outerr" {
		t.Errorf("Exec = %d %q", code, b)
	}
	st, err := tg.State(ctx)
	if err != nil || !st.Running || st.Health != nil {
		t.Errorf("State = %+v, %v", st, err)
	}
	eng.SetHealth("web", engine.HealthUnhealthy)
	if st, _ := tg.State(ctx); st.Health == nil || st.Health.Status != "unhealthy" {
		t.Errorf("health %+v", st.Health)
	}
}
