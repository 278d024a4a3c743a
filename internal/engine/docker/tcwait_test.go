package docker

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	tcexec "github.com/testcontainers/testcontainers-go/exec"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/engine/tcwait"
)

// TestWaitStrategies runs testcontainers-go's strategies through the
// adapter against a busybox web server published on 127.0.0.1.
func TestWaitStrategies(t *testing.T) {
	t.Parallel()
	d := requireEngine(t)
	ctx := testContext(t)
	id := createContainer(t, d, engine.ContainerSpec{
		Name: testName(t, "web"),
		// Start slowly so the strategies really wait.
		Command: []string{"sh", "-c", "sleep 1; echo starting; sleep 1; echo ready to serve; exec httpd -f -v -p 8080 -h /www"},
		Ports:   []engine.PortBinding{{ContainerPort: 8080, HostIP: "127.0.0.1"}},
	})
	if err := d.CopyTo(ctx, id, "/", tarOf(t, map[string]string{"www/index.html": "<h1>proeftuin</h1>\n"})); err != nil {
		t.Fatal(err)
	}
	if err := d.StartContainer(ctx, id); err != nil {
		t.Fatal(err)
	}
	target := tcwait.Target(d, id)

	strategy := wait.ForAll(
		wait.ForLog("ready to serve"),
		wait.ForExec([]string{"test", "-f", "/www/index.html"}).
			WithResponseMatcher(func(r io.Reader) bool { b, _ := io.ReadAll(r); return len(b) == 0 }),
		wait.ForListeningPort("8080/tcp"),
		wait.ForHTTP("/").WithPort("8080/tcp").
			WithResponseMatcher(func(r io.Reader) bool { b, _ := io.ReadAll(r); return strings.Contains(string(b), "proeftuin") }),
	).WithDeadline(60 * time.Second)
	start := time.Now()
	if err := strategy.WaitUntilReady(ctx, target); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took < 2*time.Second {
		t.Errorf("ready after %s, before the server could have started", took)
	}

	host, err := target.Host(ctx)
	if err != nil || host != "127.0.0.1" {
		t.Errorf("Host = %q, %v", host, err)
	}
	p, err := target.MappedPort(ctx, "8080")
	if err != nil || p.Num() == 0 || p.Proto() != "tcp" {
		t.Errorf("MappedPort(8080) = %v, %v", p, err)
	}
	if _, err := target.MappedPort(ctx, "9999/tcp"); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("MappedPort(9999) error = %v", err)
	}
	ports, err := target.Ports(ctx)
	if err != nil || len(ports) != 1 {
		t.Errorf("Ports = %v, %v", ports, err)
	}
	state, err := target.State(ctx)
	if err != nil || !state.Running {
		t.Errorf("State = %+v, %v", state, err)
	}

	rc, err := target.CopyFileFromContainer(ctx, "/www/index.html")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(rc)
	rc.Close()
	if string(body) != "<h1>proeftuin</h1>\n" {
		t.Errorf("CopyFileFromContainer = %q", body)
	}

	// Exec: plain and multiplexed readers both give clean output, and
	// process options reach the exec.
	code, r, err := target.Exec(ctx, []string{"sh", "-c", "pwd; id -u; echo oops >&2; exit 4"}, tcexec.WithWorkingDir("/www"), tcexec.WithUser("65534"))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(r)
	if code != 4 || string(out) != "/www\n65534\noops\n" {
		t.Errorf("Exec = %d %q", code, out)
	}
	code, r, err = target.Exec(ctx, []string{"sh", "-c", "echo a; echo b >&2"}, tcexec.Multiplexed())
	if err != nil {
		t.Fatal(err)
	}
	out, _ = io.ReadAll(r)
	if code != 0 || string(out) != "a\nb\n" {
		t.Errorf("Exec multiplexed = %d %q", code, out)
	}
}

// TestWaitStrategyNotListening checks that exit codes travel through the
// adapter: docker-proxy accepts connections on the published port, so only
// the internal check (an exec) can tell that nothing listens.
func TestWaitStrategyNotListening(t *testing.T) {
	t.Parallel()
	d := requireEngine(t)
	ctx := testContext(t)
	id := runContainer(t, d, engine.ContainerSpec{
		Name:    testName(t, "c"),
		Command: []string{"sleep", "300"},
		Ports:   []engine.PortBinding{{ContainerPort: 8080, HostIP: "127.0.0.1"}},
	})
	err := wait.ForListeningPort("8080/tcp").WithStartupTimeout(3*time.Second).WaitUntilReady(ctx, tcwait.Target(d, id))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("waiting for a port nobody listens on: %v", err)
	}
}

// TestWaitStrategyFailsOnExit checks that a container that dies is
// reported rather than waited on until the deadline.
func TestWaitStrategyFailsOnExit(t *testing.T) {
	t.Parallel()
	d := requireEngine(t)
	ctx := testContext(t)
	id := runContainer(t, d, engine.ContainerSpec{
		Name:    testName(t, "c"),
		Command: []string{"sh", "-c", "echo bye; exit 2"},
	})
	start := time.Now()
	err := wait.ForLog("never printed").WithStartupTimeout(20*time.Second).WaitUntilReady(ctx, tcwait.Target(d, id))
	if err == nil || !strings.Contains(err.Error(), "exited with code 2") {
		t.Fatalf("waiting on an exited container: %v", err)
	}
	if time.Since(start) > 15*time.Second {
		t.Errorf("took %s to notice the exit", time.Since(start))
	}
}
