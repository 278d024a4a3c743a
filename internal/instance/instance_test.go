package instance

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/engine/fake"
	"github.com/proeftuin/proeftuin/internal/planner"
	"github.com/proeftuin/proeftuin/internal/subnet"
)

const name = "lab-t"

func newEngine(t *testing.T) *fake.Engine {
	t.Helper()
	t.Setenv(subnet.EnvPool, "")
	eng := fake.New()
	eng.SetImage("proeftuin/busybox:1", "sha256:busybox")
	eng.AddNetwork(engine.Network{Name: "bridge", Subnets: []string{"172.17.0.0/16"}})
	return eng
}

// open loads testdata/lab and opens the instance on eng.
func open(t *testing.T, eng engine.Engine) (*Instance, *config.Environment) {
	t.Helper()
	cfg := config.Options{Dir: "testdata/lab"}
	env, diags := config.Load(cfg)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	inst, err := Open(context.Background(), eng, name, Options{Config: &cfg})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { inst.Close() })
	return inst, env
}

// TestUpReloadsWithSubnets: the environment Up returns is the one loaded
// with the allocated subnet, so the address computed from it is real.
func TestUpReloadsWithSubnets(t *testing.T) {
	eng := newEngine(t)
	inst, env := open(t, eng)
	if env.Network("lan").Subnet != "" {
		t.Fatalf("first load has subnet %q", env.Network("lan").Subnet)
	}
	res, err := inst.Up(context.Background(), env, UpOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := res.Env.Network("lan").Subnet
	if got == "" || got != res.Subnets["lan"] {
		t.Fatalf("reloaded subnet %q, allocated %v", got, res.Subnets)
	}
	want := strings.TrimSuffix(got, "0/24") + "10"
	if addr := res.Env.Service("web").Networks[0].IPv4Address; addr != want {
		t.Errorf("web's address %q, want %q", addr, want)
	}
	// Plan sees the same: nothing to change.
	p, err := inst.Plan(context.Background(), env)
	if err != nil || p.Plan.Changes() != 0 || p.Env.Network("lan").Subnet != got {
		t.Errorf("plan after up: %v, subnet %q\n%s", err, p.Env.Network("lan").Subnet, p.Plan)
	}
}

// TestPlanAgreesWithUpOnAutoSubnets: a network that exists with a subnet
// proeftuin did not allocate (it was declared with a fixed one, and is
// "auto" now) is not reused by up; plan must say so too. (The plan
// command once kept any existing subnet and showed "unchanged".)
func TestPlanAgreesWithUpOnAutoSubnets(t *testing.T) {
	eng := newEngine(t)
	eng.AddNetwork(engine.Network{Name: name + "-lan", Subnets: []string{"10.99.0.0/24"},
		Labels: map[string]string{engine.LabelInstance: name, engine.LabelNetwork: "lan"}})
	inst, env := open(t, eng)
	p, err := inst.Plan(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	if op := find(p.Plan, planner.ResNetwork, "lan"); op.Kind != planner.Recreate || op.Cause != "subnet changed" {
		t.Errorf("plan: network lan %s (%s), want recreate (subnet changed)\n%s", op.Kind, op.Cause, p.Plan)
	}
	up, err := inst.Up(context.Background(), env, UpOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if op := find(up.Plan, planner.ResNetwork, "lan"); op.Kind != planner.Recreate {
		t.Errorf("up: network lan %s, want recreate", op.Kind)
	}
}

func find(p *planner.Plan, resource planner.ResourceKind, name string) planner.Operation {
	for _, op := range p.Operations {
		if op.Resource == resource && op.Name == name {
			return op
		}
	}
	return planner.Operation{}
}

// TestInterruptedRunSaysRollbackFailed: a run interrupted while it brings
// the instance up rolls back; when the roll-back fails, the error says
// so (it once claimed that everything was removed) and carries what is
// left.
func TestInterruptedRunSaysRollbackFailed(t *testing.T) {
	for _, tc := range []struct {
		name       string
		failRm     bool
		incomplete bool
	}{
		{"roll-back fails", true, true},
		{"roll-back succeeds", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			eng := newEngine(t)
			inst, env := open(t, eng)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			eng.OnStart(func(n string) {
				if n == name+"-db" || n == name+"-web" {
					cancel()
				}
			})
			if tc.failRm {
				eng.FailOn("RemoveNetwork", name+"-lan", errors.New("device busy"))
			}
			_, err := inst.Run(ctx, env, RunOptions{})
			var ie *InterruptedError
			if !errors.As(err, &ie) || !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want an InterruptedError wrapping context.Canceled", err)
			}
			var rb *RollbackError
			if got := errors.As(err, &rb); got != tc.incomplete {
				t.Fatalf("RollbackError found %v, want %v (err %v)", got, tc.incomplete, err)
			}
			if strings.Contains(err.Error(), "roll-back was incomplete") != tc.incomplete ||
				strings.Contains(err.Error(), "was removed") == tc.incomplete {
				t.Errorf("message %q", err)
			}
			if tc.incomplete && (len(rb.Left) != 1 || rb.Left[0] != "network "+name+"-lan") {
				t.Errorf("left %q", rb.Left)
			}
		})
	}
}

// TestCheckNeedsAnInstance: checks on an instance that is not up are
// refused as input, before anything runs.
func TestCheckNeedsAnInstance(t *testing.T) {
	eng := newEngine(t)
	inst, env := open(t, eng)
	_, err := inst.Check(context.Background(), env, runnerOptions())
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "is not up") {
		t.Fatalf("err = %v, want an InputError", err)
	}
}

// TestLockIsHeld: a second Open with the lock waits for the first and
// gives up after its timeout with an EngineError.
func TestLockIsHeld(t *testing.T) {
	eng := newEngine(t)
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	first, err := Open(context.Background(), eng, name, Options{Lock: true})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	var notices []string
	_, err = Open(context.Background(), eng, name, Options{Lock: true, LockTimeout: 200 * time.Millisecond,
		Notice: func(m string) { notices = append(notices, m) }})
	var ee *EngineError
	if !errors.As(err, &ee) || len(notices) != 1 || !strings.Contains(notices[0], "waiting for another proeftuin command") {
		t.Fatalf("second open: %v, notices %q", err, notices)
	}
}

// TestRunRefusesABadSelectionFirst: a step that does not exist is an
// InputError before anything is brought up.
func TestRunRefusesABadSelectionFirst(t *testing.T) {
	eng := newEngine(t)
	inst, env := open(t, eng)
	o := RunOptions{}
	o.Runner.Only = "nope"
	res, err := inst.Run(context.Background(), env, o)
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), `no step "nope"`) || res == nil {
		t.Fatalf("err = %v, result %v", err, res)
	}
	if n := len(eng.ContainerNames()) + eng.Calls("CreateNetwork"); n != 0 {
		t.Errorf("%d objects created for a refused run", n)
	}
}

// TestUpRefusedNamesTheHolder: a second instance of a lab with a literal
// subnet is refused by the engine; Up says which instance holds the
// subnet, as an EngineError (exit 3), and leaves nothing behind.
func TestUpRefusedNamesTheHolder(t *testing.T) {
	eng := newEngine(t)
	cfg := config.Options{Dir: "testdata/literal"}
	env, diags := config.Load(cfg)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	up := func(name string) error {
		inst, err := Open(context.Background(), eng, name, Options{Config: &cfg})
		if err != nil {
			t.Fatal(err)
		}
		defer inst.Close()
		_, err = inst.Up(context.Background(), env, UpOptions{})
		return err
	}
	if err := up("p1"); err != nil {
		t.Fatal(err)
	}
	err := up("p2")
	var ee *EngineError
	if !errors.As(err, &ee) || !errors.Is(err, engine.ErrSubnetTaken) {
		t.Fatalf("second up: %T %v", err, err)
	}
	want := `network 10.20.0.0/24 is held by instance p1 (lab literal); take it down (proeftuin --name p1 down) or give this lab subnet = "auto" (main.hcl:5)`
	if err.Error() != want {
		t.Errorf("second up:\n got %s\nwant %s", err, want)
	}
	if left, _ := eng.Containers(context.Background(), engine.Instance("p2")); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}

// TestUpNameConflictNamesTheObject: a container made by hand with the
// name a service's container will have is a refusal (exit 3) that names
// it.
func TestUpNameConflictNamesTheObject(t *testing.T) {
	eng := newEngine(t)
	eng.AddContainer(engine.Container{Name: name + "-web", Image: "proeftuin/busybox:1", State: engine.StateRunning})
	inst, env := open(t, eng)
	_, err := inst.Up(context.Background(), env, UpOptions{})
	var ee *EngineError
	if !errors.As(err, &ee) || !errors.Is(err, engine.ErrNameConflict) {
		t.Fatalf("up: %T %v", err, err)
	}
	if want := "container name " + name + "-web is held by container " + name + "-web, which proeftuin did not make"; !strings.Contains(err.Error(), want) {
		t.Errorf("up: %v\nwant it to say %q", err, want)
	}
}
