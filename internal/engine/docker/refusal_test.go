package docker

import (
	"errors"
	"testing"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// TestRefusalsAreTyped: the daemon's refusals come back as the engine's
// typed errors, found by the state of the engine, not by the message: a
// host port another container publishes (a 500 without a kind), a
// container name and a network name in use, an overlapping subnet.
func TestRefusalsAreTyped(t *testing.T) {
	d := requireEngine(t)
	ctx := testContext(t)
	port := []engine.PortBinding{{ContainerPort: 80, HostPort: 38979, HostIP: "127.0.0.1", Protocol: "tcp"}}
	runContainer(t, d, engine.ContainerSpec{Name: testName(t, "a"), Command: []string{"sleep", "300"}, Ports: port})
	second := createContainer(t, d, engine.ContainerSpec{Name: testName(t, "b"), Command: []string{"sleep", "300"}, Ports: port})
	if err := d.StartContainer(ctx, second); !errors.Is(err, engine.ErrPortTaken) {
		t.Errorf("start with a taken host port: %v, want ErrPortTaken", err)
	}
	_, err := d.CreateContainer(ctx, engine.ContainerSpec{Name: testName(t, "a"), Image: requireImage(t, d), Labels: labels()})
	if !errors.Is(err, engine.ErrNameConflict) || !errors.Is(err, engine.ErrConflict) {
		t.Errorf("create with a name in use: %v, want ErrNameConflict", err)
	}
	name := testName(t, "n")
	_, prefix := createSubnetNetwork(t, d, engine.NetworkSpec{Name: name, Labels: labels()})
	if _, err := d.CreateNetwork(ctx, engine.NetworkSpec{Name: name, Labels: labels()}); !errors.Is(err, engine.ErrNameConflict) {
		t.Errorf("network with a name in use: %v, want ErrNameConflict", err)
	}
	if _, err := d.CreateNetwork(ctx, engine.NetworkSpec{Name: testName(t, "m"), Subnet: prefix + "0/24", Labels: labels()}); !errors.Is(err, engine.ErrSubnetTaken) {
		t.Errorf("network with a subnet in use: %v, want ErrSubnetTaken", err)
	}
}
