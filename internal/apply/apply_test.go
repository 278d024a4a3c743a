package apply

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/engine/fake"
	"github.com/proeftuin/proeftuin/internal/planner"
	"github.com/proeftuin/proeftuin/internal/progress"
	"github.com/proeftuin/proeftuin/internal/subnet"
)

const inst = "lab"

var fast = 10 * time.Millisecond

// shop: db (built, ready by exec) <- api (ready by log) <- web; worker
// depends on db only, so api and worker can start side by side.
func shop() *config.Environment {
	return &config.Environment{
		Name:    "webshop",
		Dir:     "/labs/shop",
		Secrets: []string{"s3cret-pw"},
		Networks: []*config.Network{
			{Name: "frontend"},
			{Name: "backend", Internal: true, AutoSubnet: true},
		},
		Volumes: []*config.Volume{{Name: "dbdata"}},
		Services: []*config.Service{
			{
				Name:     "db",
				Build:    &config.Build{Context: "/labs/shop/images/db"},
				Env:      map[string]string{"MARIADB_ROOT_PASSWORD": "s3cret-pw"},
				Networks: []*config.ServiceNetwork{{Network: "backend"}},
				Mounts:   []*config.Mount{{Volume: "dbdata", Target: "/var/lib/mysql"}},
				Ready:    &config.Ready{Exec: &config.ReadyExec{Command: []string{"mariadb-admin", "ping"}}, Interval: fast},
			},
			{
				Name:      "api",
				Image:     "proeftuin/debian:bookworm",
				DependsOn: []string{"db"},
				Networks:  []*config.ServiceNetwork{{Network: "backend"}, {Network: "frontend"}},
				Ready:     &config.Ready{Log: &config.ReadyLog{Pattern: "listening on :\\d+"}, Interval: fast},
			},
			{
				Name:      "worker",
				Image:     "proeftuin/debian:bookworm",
				DependsOn: []string{"db"},
				Networks:  []*config.ServiceNetwork{{Network: "backend"}},
			},
			{
				Name:      "web",
				Image:     "proeftuin/busybox:1",
				DependsOn: []string{"api"},
				Networks:  []*config.ServiceNetwork{{Network: "frontend"}},
				Ports:     []*config.Port{{Host: 8080, Container: 80}},
				Files: []*config.File{
					{Path: "/etc/httpd.conf", Content: []byte("H:/www\n"), Mode: 0o640, Owner: "100:101"},
					{Path: "/www/index.html", Content: []byte("<h1>shop</h1>\n"), Mode: 0o644, Owner: "www-data"},
				},
			},
		},
	}
}

func newEngine(t *testing.T) *fake.Engine {
	t.Helper()
	t.Setenv(subnet.EnvPool, "")
	eng := fake.New()
	eng.SetImage("proeftuin/debian:bookworm", "sha256:debian")
	eng.SetImage("proeftuin/busybox:1", "sha256:busybox")
	eng.SetLogs(inst+"-api", "starting\nlistening on :8081\n")
	eng.AddNetwork(engine.Network{Name: "bridge", Subnets: []string{"172.17.0.0/16"}})
	return eng
}

type events struct {
	mu  sync.Mutex
	all []progress.Event
}

func (e *events) Event(ev progress.Event) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.all = append(e.all, ev)
}

func (e *events) has(kind, name, phase string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, ev := range e.all {
		if ev.Kind == kind && ev.Name == name && ev.Phase == phase {
			return true
		}
	}
	return false
}

func up(t *testing.T, ctx context.Context, eng engine.Engine, env *config.Environment, opts Options) (*Result, error) {
	t.Helper()
	opts.Instance = inst
	return Up(ctx, eng, env, opts)
}

func mustUp(t *testing.T, eng engine.Engine, env *config.Environment) *Result {
	t.Helper()
	res, err := up(t, context.Background(), eng, env, Options{})
	if err != nil {
		t.Fatalf("up: %v", err)
	}
	return res
}

func index(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func TestUpFresh(t *testing.T) {
	eng := newEngine(t)
	var dbPings atomic.Int32
	eng.SetExec(inst+"-db", func(cmd []string, n int) (engine.ExecResult, error) {
		dbPings.Store(int32(n))
		if n < 3 {
			return engine.ExecResult{ExitCode: 1}, nil
		}
		return engine.ExecResult{}, nil
	})
	// Dependents start only after db answered its third ping.
	eng.OnStart(func(name string) {
		if (name == inst+"-api" || name == inst+"-worker") && dbPings.Load() < 3 {
			t.Errorf("%s started before db was ready (%d pings)", name, dbPings.Load())
		}
	})
	var ev events
	var reloaded map[string]string
	res, err := up(t, context.Background(), eng, shop(), Options{
		Progress: &ev,
		Reload: func(subnets map[string]string) (*config.Environment, error) {
			reloaded = subnets
			env := shop()
			env.Network("backend").Subnet = subnets["backend"]
			return env, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}

	order := eng.StartOrder()
	for _, pair := range [][2]string{{"db", "api"}, {"db", "worker"}, {"api", "web"}} {
		if index(order, inst+"-"+pair[0]) > index(order, inst+"-"+pair[1]) {
			t.Errorf("start order %v: %s after %s", order, pair[0], pair[1])
		}
	}
	if len(order) != 4 {
		t.Errorf("started %v", order)
	}
	if got := fmt.Sprint(reloaded); got != "map[backend:10.201.0.0/24]" {
		t.Errorf("reload got subnets %s", got)
	}
	if res.Plan.Changes() != 7 || len(res.Services) != 4 {
		t.Errorf("plan:\n%sservices %v", res.Plan, res.Services)
	}

	nets, _ := eng.Networks(context.Background(), map[string]string{engine.LabelInstance: inst})
	for _, n := range nets {
		if n.Name == inst+"-backend" && (n.Subnets[0] != "10.201.0.0/24" || !n.Internal || n.Labels[engine.LabelSubnet] != "auto") {
			t.Errorf("backend network %+v", n)
		}
	}
	web, _ := eng.Container(inst + "-web")
	if f := web.Files["/etc/httpd.conf"]; string(f.Content) != "H:/www\n" || f.Mode != 0o640 || f.UID != 100 || f.GID != 101 {
		t.Errorf("httpd.conf %+v", f)
	}
	if f := web.Files["/www/index.html"]; f.UID != 0 || f.GID != 0 {
		t.Errorf("index.html owned by name should fall back to 0:0: %+v", f)
	}
	if !ev.has("service", "web", progress.Warning) {
		t.Error("no warning about the owner name")
	}
	for _, s := range []string{"db", "api", "worker", "web"} {
		if !ev.has("service", s, progress.Ready) {
			t.Errorf("no ready event for %s", s)
		}
	}
	if !ev.has("image", "proeftuin/webshop-db:latest", progress.Built) || !ev.has("network", "backend", progress.Created) {
		t.Error("missing image or network events")
	}
}

func TestUpUnchangedIsCheap(t *testing.T) {
	eng := newEngine(t)
	mustUp(t, eng, shop())
	eng.ResetCalls()
	var ev events
	res, err := up(t, context.Background(), eng, shop(), Options{Progress: &ev})
	if err != nil {
		t.Fatal(err)
	}
	if res.Plan.Changes() != 0 {
		t.Errorf("re-up plans changes:\n%s", res.Plan)
	}
	calls := eng.AllCalls()
	for _, m := range []string{"Containers", "Networks", "Volumes"} {
		if calls[m] != 1 {
			t.Errorf("%s called %d times, want 1", m, calls[m])
		}
	}
	for _, m := range []string{"CreateContainer", "StartContainer", "RemoveContainer", "CreateNetwork", "CreateVolume", "InspectContainer", "Exec", "Logs", "CopyTo", "PullImage"} {
		if calls[m] != 0 {
			t.Errorf("%s called %d times on an unchanged re-up", m, calls[m])
		}
	}
	if len(res.Services) != 4 || !ev.has("service", "api", progress.Kept) {
		t.Errorf("services %v", res.Services)
	}
}

func TestUpSingleServiceChange(t *testing.T) {
	eng := newEngine(t)
	before := mustUp(t, eng, shop())
	env := shop()
	env.Service("api").Env = map[string]string{"DEBUG": "1"}
	eng.ResetCalls()
	res := mustUp(t, eng, env)
	op, _ := res.Plan.Find(planner.ResService, "api")
	if op.Kind != planner.Recreate || op.Cause != "env changed" {
		t.Errorf("api: %v", op)
	}
	if eng.Calls("CreateContainer") != 1 || eng.Calls("RemoveContainer") != 1 {
		t.Errorf("calls %v", eng.AllCalls())
	}
	for _, s := range []string{"db", "worker", "web"} {
		if res.Services[s] != before.Services[s] {
			t.Errorf("%s was replaced", s)
		}
	}
	if res.Services["api"] == before.Services["api"] {
		t.Error("api kept its container")
	}
}

func TestUpRemovesDroppedService(t *testing.T) {
	eng := newEngine(t)
	mustUp(t, eng, shop())
	env := shop()
	env.Services = env.Services[:3]
	res := mustUp(t, eng, env)
	if op, _ := res.Plan.Find(planner.ResService, "web"); op.Kind != planner.Remove {
		t.Errorf("web: %v", op)
	}
	if _, ok := eng.Container(inst + "-web"); ok {
		t.Error("web still exists")
	}
}

func TestUpStartsStopped(t *testing.T) {
	eng := newEngine(t)
	mustUp(t, eng, shop())
	eng.SetState(inst+"-worker", engine.StateExited, 137)
	eng.ResetCalls()
	res := mustUp(t, eng, shop())
	if op, _ := res.Plan.Find(planner.ResService, "worker"); op.Kind != planner.Start {
		t.Errorf("worker: %v", op)
	}
	if eng.Calls("StartContainer") != 1 || eng.Calls("CreateContainer") != 0 {
		t.Errorf("calls %v", eng.AllCalls())
	}
}

func TestUpRecreatesNetworkWithItsContainers(t *testing.T) {
	eng := newEngine(t)
	mustUp(t, eng, shop())
	env := shop()
	env.Network("frontend").Internal = true
	res := mustUp(t, eng, env)
	for _, s := range []string{"api", "web"} {
		if op, _ := res.Plan.Find(planner.ResService, s); op.Kind != planner.Recreate {
			t.Errorf("%s: %v", s, op)
		}
	}
	nets, _ := eng.Networks(context.Background(), map[string]string{engine.LabelNetwork: "frontend"})
	if len(nets) != 1 || !nets[0].Internal {
		t.Errorf("frontend %+v", nets)
	}
}

func assertEmpty(t *testing.T, eng *fake.Engine) {
	t.Helper()
	if c := eng.ContainerNames(); len(c) != 0 {
		t.Errorf("containers left: %v", c)
	}
	if n := eng.NetworkNames(); len(n) != 1 {
		t.Errorf("networks left: %v", n)
	}
	if v := eng.VolumeNames(); len(v) != 0 {
		t.Errorf("volumes left: %v", v)
	}
}

func TestUpFailureRollsBackFirstUp(t *testing.T) {
	eng := newEngine(t)
	eng.FailOn("StartContainer", inst+"-web", errors.New("port is already allocated"))
	_, err := up(t, context.Background(), eng, shop(), Options{})
	if err == nil || !strings.Contains(err.Error(), "port is already allocated") || !strings.Contains(err.Error(), "removed") {
		t.Fatalf("err = %v", err)
	}
	assertEmpty(t, eng)
}

// TestUpFailureRollbackFails: when removing what a failed first up
// created fails too (the engine went away), the error must not claim
// that everything was removed; it says to run down.
func TestUpFailureRollbackFails(t *testing.T) {
	eng := newEngine(t)
	eng.FailOn("StartContainer", inst+"-web", errors.New("port is already allocated"))
	eng.FailOn("RemoveContainer", "", errors.New("engine gone"))
	_, err := up(t, context.Background(), eng, shop(), Options{})
	if err == nil || strings.Contains(err.Error(), "everything this first up created was removed") ||
		!strings.Contains(err.Error(), "proeftuin --name "+inst+" down") {
		t.Fatalf("err = %v", err)
	}
}

func TestUpFailureKeepOnFailure(t *testing.T) {
	eng := newEngine(t)
	eng.FailOn("StartContainer", inst+"-web", errors.New("boom"))
	if _, err := up(t, context.Background(), eng, shop(), Options{KeepOnFailure: true}); err == nil {
		t.Fatal("no error")
	}
	// What was created stays for inspection (worker may not have been
	// reached before the failure stopped the walk).
	names := eng.ContainerNames()
	if index(names, inst+"-web") < 0 || index(names, inst+"-db") < 0 || len(eng.VolumeNames()) != 1 {
		t.Errorf("containers: %v, volumes %v", names, eng.VolumeNames())
	}
}

func TestUpFailureLeavesExisting(t *testing.T) {
	eng := newEngine(t)
	mustUp(t, eng, shop())
	env := shop()
	env.Service("web").Env = map[string]string{"X": "1"}
	eng.FailOn("StartContainer", inst+"-web", errors.New("boom"))
	if _, err := up(t, context.Background(), eng, env, Options{}); err == nil {
		t.Fatal("no error")
	}
	// The failed web is left to inspect; the rest is untouched.
	if got := strings.Join(eng.ContainerNames(), " "); got != "lab-api lab-db lab-web lab-worker" {
		t.Errorf("containers: %s", got)
	}
}

func TestUpDependentsSkippedAfterFailure(t *testing.T) {
	eng := newEngine(t)
	eng.FailOn("CreateContainer", inst+"-db", errors.New("no space left on device"))
	_, err := up(t, context.Background(), eng, shop(), Options{KeepOnFailure: true})
	if err == nil || !strings.Contains(err.Error(), "no space left") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "api") {
		t.Errorf("dependents' skips should not clutter the error: %v", err)
	}
	if n := eng.Calls("CreateContainer"); n != 1 {
		t.Errorf("CreateContainer called %d times", n)
	}
}

func TestUpCancelRollsBackFirstUp(t *testing.T) {
	eng := newEngine(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	eng.OnStart(func(name string) {
		if name == inst+"-api" {
			cancel()
		}
	})
	_, err := up(t, ctx, eng, shop(), Options{KeepOnFailure: true})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	assertEmpty(t, eng)
}

func TestUpCancelRemovesOnlyWhatThisRunCreated(t *testing.T) {
	eng := newEngine(t)
	before := mustUp(t, eng, shop())
	env := shop()
	env.Volumes = append(env.Volumes, &config.Volume{Name: "cache"})
	env.Services = append(env.Services, &config.Service{
		Name: "cache", Image: "proeftuin/busybox:1", Networks: []*config.ServiceNetwork{{Network: "backend"}},
		Mounts: []*config.Mount{{Volume: "cache", Target: "/c"}},
		Ready:  &config.Ready{Exec: &config.ReadyExec{Command: []string{"false"}}, Interval: fast},
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Interrupted once the readiness probe is under way.
	eng.SetExec(inst+"-cache", func([]string, int) (engine.ExecResult, error) {
		cancel()
		return engine.ExecResult{ExitCode: 1}, nil
	})
	_, err := up(t, ctx, eng, env, Options{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if _, ok := eng.Container(inst + "-cache"); ok {
		t.Error("cache container left behind")
	}
	if v := strings.Join(eng.VolumeNames(), " "); v != "lab-dbdata" {
		t.Errorf("volumes: %s", v)
	}
	for s, id := range before.Services {
		if c, ok := eng.Container(id); !ok || c.State != engine.StateRunning {
			t.Errorf("%s was touched", s)
		}
	}
}

func TestUpContainerExitsWhileWaiting(t *testing.T) {
	eng := newEngine(t)
	eng.SetExec(inst+"-db", func([]string, int) (engine.ExecResult, error) { return engine.ExecResult{ExitCode: 1}, nil })
	var logs strings.Builder
	for i := 1; i <= 25; i++ {
		fmt.Fprintf(&logs, "db line %d\n", i)
	}
	logs.WriteString("password is s3cret-pw\n")
	eng.SetLogs(inst+"-db", logs.String())
	eng.OnStart(func(name string) {
		if name == inst+"-db" {
			eng.SetState(name, engine.StateExited, 3)
		}
	})
	start := time.Now()
	_, err := up(t, context.Background(), eng, shop(), Options{})
	if err == nil {
		t.Fatal("no error")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("failure took %s; the exit should be seen at once", d)
	}
	var re *ReadyError
	if !errors.As(err, &re) {
		t.Fatalf("want ReadyError, got %v", err)
	}
	msg := err.Error()
	for _, want := range []string{"service db did not become ready", "exited with code 3", "db line 25", "db line 7", "(sensitive)"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	for _, not := range []string{"db line 6\n", "s3cret"} {
		if strings.Contains(msg, not) {
			t.Errorf("error contains %q:\n%s", not, msg)
		}
	}
	if len(re.Logs) != logTail {
		t.Errorf("%d log lines", len(re.Logs))
	}
	assertEmpty(t, eng)
}

func TestUpUnhealthyFailsAtOnce(t *testing.T) {
	eng := newEngine(t)
	env := shop()
	db := env.Service("db")
	db.Healthcheck = &config.Healthcheck{Test: []string{"CMD", "false"}}
	db.Ready = &config.Ready{Healthcheck: true, Interval: fast}
	eng.OnStart(func(name string) {
		if name == inst+"-db" {
			eng.SetHealth(name, engine.HealthUnhealthy)
		}
	})
	_, err := up(t, context.Background(), eng, env, Options{WaitTimeout: time.Minute})
	if err == nil || !strings.Contains(err.Error(), "unhealthy") {
		t.Fatalf("err = %v", err)
	}
}

// TestUpUnhealthyIgnoredByOtherProbe: a service whose ready block is an
// exec probe is ready when the exec succeeds, even while its Docker
// healthcheck reports unhealthy (it may depend on a later plan step).
func TestUpUnhealthyIgnoredByOtherProbe(t *testing.T) {
	eng := newEngine(t)
	env := shop()
	db := env.Service("db")
	db.Healthcheck = &config.Healthcheck{Test: []string{"CMD", "false"}}
	db.Ready = &config.Ready{Exec: &config.ReadyExec{Command: []string{"ready"}}, Interval: fast}
	var execs atomic.Int32
	start := time.Now()
	eng.SetExec(inst+"-db", func([]string, int) (engine.ExecResult, error) {
		execs.Add(1)
		if time.Since(start) < 3*watchInterval { // long enough for the watcher to see "unhealthy"
			return engine.ExecResult{ExitCode: 1}, nil
		}
		return engine.ExecResult{}, nil
	})
	eng.OnStart(func(name string) {
		if name == inst+"-db" {
			eng.SetHealth(name, engine.HealthUnhealthy)
		}
	})
	if _, err := up(t, context.Background(), eng, env, Options{WaitTimeout: time.Minute}); err != nil {
		t.Fatalf("err = %v", err)
	}
	if n := execs.Load(); n < 5 {
		t.Errorf("%d execs, want the probe to have run until it passed", n)
	}
}

func TestUpReadyTimeout(t *testing.T) {
	eng := newEngine(t)
	eng.SetExec(inst+"-db", func([]string, int) (engine.ExecResult, error) { return engine.ExecResult{ExitCode: 1}, nil })
	_, err := up(t, context.Background(), eng, shop(), Options{WaitTimeout: 300 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "not ready after 300ms") {
		t.Fatalf("err = %v", err)
	}
}

func TestUpRefusesForeignObjects(t *testing.T) {
	eng := newEngine(t)
	eng.AddContainer(engine.Container{Name: inst + "-web"})
	eng.AddNetwork(engine.Network{Name: inst + "-frontend", Labels: map[string]string{engine.LabelInstance: "other", engine.LabelNetwork: "x"}})
	eng.AddVolume(engine.Volume{Name: inst + "-dbdata"})
	_, err := up(t, context.Background(), eng, shop(), Options{})
	if err == nil {
		t.Fatal("no error")
	}
	var fe *ForeignError
	if !errors.As(err, &fe) {
		t.Fatalf("want ForeignError, got %v", err)
	}
	for _, want := range []string{
		"container lab-web already exists and was not created by proeftuin",
		`network lab-frontend already exists and belongs to proeftuin instance "other"`,
		"volume lab-dbdata already exists",
		"--name",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if eng.Calls("CreateNetwork")+eng.Calls("CreateContainer")+eng.Calls("BuildImage") != 0 {
		t.Errorf("created something: %v", eng.AllCalls())
	}
}

func TestUpRefusesUnsafe(t *testing.T) {
	eng := newEngine(t)
	env := shop()
	env.Service("web").Privileged = true
	_, err := up(t, context.Background(), eng, env, Options{})
	var de *DiagnosticsError
	if !errors.As(err, &de) || !strings.Contains(de.Diags[0].Detail, "--allow privileged") {
		t.Fatalf("err = %v", err)
	}
	if len(eng.AllCalls()) != 0 {
		t.Errorf("engine called: %v", eng.AllCalls())
	}
	if _, err := up(t, context.Background(), eng, env, Options{Allow: []string{"privileged"}}); err != nil {
		t.Fatal(err)
	}
}

func TestUpImages(t *testing.T) {
	t.Run("pull failure says what to do", func(t *testing.T) {
		eng := newEngine(t)
		env := shop()
		env.Service("web").Image = "nginx:1.27"
		env.Variables = append(env.Variables, &config.Variable{Name: "web_image", Value: `"nginx:1.27"`})
		_, err := up(t, context.Background(), eng, env, Options{})
		var pe *PullError
		if !errors.As(err, &pe) || pe.Image != "nginx:1.27" {
			t.Fatalf("err = %v, want a PullError for nginx:1.27", err)
		}
		for _, want := range []string{"cannot pull image nginx:1.27 (service web)", "proeftuin bundle import", "--var web_image=IMAGE"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error lacks %q: %v", want, err)
			}
		}
		assertEmpty(t, eng)
	})
	t.Run("--pull never overrides the services", func(t *testing.T) {
		eng := newEngine(t)
		eng.SetPullable("nginx:1.27", "sha256:nginx")
		env := shop()
		env.Service("web").Image = "nginx:1.27"
		_, err := up(t, context.Background(), eng, env, Options{Pull: PullNever})
		if err == nil || !strings.Contains(err.Error(), "pulling is off") {
			t.Fatalf("err = %v", err)
		}
		if n := eng.Calls("PullImage"); n != 0 {
			t.Errorf("PullImage called %d times", n)
		}
	})
	t.Run("missing pulls once per reference", func(t *testing.T) {
		eng := newEngine(t)
		eng.SetPullable("nginx:1.27", "sha256:nginx")
		env := shop()
		env.Service("web").Image = "nginx:1.27"
		env.Service("worker").Image = "nginx:1.27"
		mustUp(t, eng, env)
		if n := eng.Calls("PullImage"); n != 1 {
			t.Errorf("PullImage called %d times", n)
		}
	})
	t.Run("never", func(t *testing.T) {
		eng := newEngine(t)
		eng.SetPullable("nginx:1.27", "sha256:nginx")
		env := shop()
		env.Service("web").Image = "nginx:1.27"
		env.Service("web").Pull = PullNever
		_, err := up(t, context.Background(), eng, env, Options{})
		if err == nil || !strings.Contains(err.Error(), `pull = "never"`) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("always pulls a present image", func(t *testing.T) {
		eng := newEngine(t)
		eng.SetPullable("proeftuin/busybox:1", "sha256:busybox2")
		env := shop()
		env.Service("web").Pull = PullAlways
		mustUp(t, eng, env)
		if n := eng.Calls("PullImage"); n != 1 {
			t.Errorf("PullImage called %d times", n)
		}
	})
	t.Run("a new image ID recreates the service", func(t *testing.T) {
		eng := newEngine(t)
		mustUp(t, eng, shop())
		eng.SetImage("proeftuin/busybox:1", "sha256:busybox2")
		res := mustUp(t, eng, shop())
		if op, _ := res.Plan.Find(planner.ResService, "web"); op.Kind != planner.Recreate || op.Cause != "image changed" {
			t.Errorf("web: %v", op)
		}
	})
}

func TestUpAutoSubnetAvoidsTaken(t *testing.T) {
	eng := newEngine(t)
	eng.AddNetwork(engine.Network{Name: "someone-else", Subnets: []string{"10.201.0.0/24"}})
	res := mustUp(t, eng, shop())
	if res.Subnets["backend"] != "10.201.1.0/24" {
		t.Errorf("subnets %v", res.Subnets)
	}
	// Re-up keeps it without listing all networks again.
	eng.ResetCalls()
	res = mustUp(t, eng, shop())
	if res.Subnets["backend"] != "10.201.1.0/24" || eng.Calls("Networks") != 1 {
		t.Errorf("subnets %v, Networks calls %d", res.Subnets, eng.Calls("Networks"))
	}
}

func TestUpParallelOne(t *testing.T) {
	eng := newEngine(t)
	if _, err := up(t, context.Background(), eng, shop(), Options{Parallel: 1}); err != nil {
		t.Fatal(err)
	}
}

func TestDown(t *testing.T) {
	eng := newEngine(t)
	mustUp(t, eng, shop())
	eng.AddContainer(engine.Container{Name: "unrelated"})
	var ev events
	if err := Down(context.Background(), eng, inst, false, &ev); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(eng.ContainerNames(), " "); got != "unrelated" {
		t.Errorf("containers: %s", got)
	}
	if got := strings.Join(eng.VolumeNames(), " "); got != "lab-dbdata" {
		t.Errorf("volumes: %s", got)
	}
	if !ev.has("service", "web", progress.Removed) || !ev.has("network", "backend", progress.Removed) {
		t.Error("missing removal events")
	}
	if err := Down(context.Background(), eng, inst, true, nil); err != nil {
		t.Fatal(err)
	}
	if len(eng.VolumeNames()) != 0 || len(eng.NetworkNames()) != 1 {
		t.Errorf("left: %v %v", eng.VolumeNames(), eng.NetworkNames())
	}
	// Idempotent, and fine for an instance that never existed.
	if err := Down(context.Background(), eng, inst, true, nil); err != nil {
		t.Fatal(err)
	}
	if err := Down(context.Background(), eng, "never-was", true, nil); err != nil {
		t.Fatal(err)
	}
}

func TestDownToleratesNotFound(t *testing.T) {
	eng := newEngine(t)
	mustUp(t, eng, shop())
	// Someone else removes web between our list and our remove.
	var raced atomic.Bool
	eng.OnCall(func(ctx context.Context, method, name string) {
		if method == "RemoveContainer" && name == inst+"-web" && raced.CompareAndSwap(false, true) {
			_ = eng.RemoveContainer(ctx, name)
		}
	})
	if err := Down(context.Background(), eng, inst, true, nil); err != nil {
		t.Fatal(err)
	}
	if !raced.Load() || len(eng.ContainerNames()) != 0 {
		t.Errorf("race not exercised or containers left: %v", eng.ContainerNames())
	}
}

func TestDownReportsErrors(t *testing.T) {
	eng := newEngine(t)
	mustUp(t, eng, shop())
	eng.FailOn("RemoveContainer", inst+"-web", errors.New("device busy"))
	err := Down(context.Background(), eng, inst, false, nil)
	if err == nil || !strings.Contains(err.Error(), "device busy") {
		t.Fatalf("err = %v", err)
	}
}

func TestPlanChangesNothing(t *testing.T) {
	eng := newEngine(t)
	p, err := Plan(context.Background(), eng, shop(), Options{Instance: inst})
	if err != nil {
		t.Fatal(err)
	}
	if p.Changes() != 7 || len(eng.ContainerNames()) != 0 || eng.Calls("CreateNetwork") != 0 || eng.Calls("PullImage") != 0 || eng.Calls("BuildImage") != 0 {
		t.Errorf("plan:\n%s calls %v", p, eng.AllCalls())
	}
	mustUp(t, eng, shop())
	p, err = Plan(context.Background(), eng, shop(), Options{Instance: inst})
	if err != nil || p.Changes() != 0 {
		t.Errorf("plan after up: %v\n%s", err, p)
	}
}

// oldEngine is the fake engine speaking an API without start_interval.
type oldEngine struct{ *fake.Engine }

func (oldEngine) Capabilities() engine.Capabilities {
	return engine.Capabilities{PortHost: "127.0.0.1"}
}

func TestUpWarnsAboutUnsupportedStartInterval(t *testing.T) {
	env := shop()
	env.Service("web").Healthcheck = &config.Healthcheck{
		Test:          []string{"CMD", "true"},
		StartInterval: time.Second,
		DeclRange:     hcl.Range{Filename: "main.hcl", Start: hcl.Pos{Line: 42}},
	}
	for _, tc := range []struct {
		name string
		eng  engine.Engine
		want bool
	}{
		{"old engine", oldEngine{newEngine(t)}, true},
		{"engine without feature checks", newEngine(t), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := &events{}
			if _, err := up(t, context.Background(), tc.eng, env, Options{Progress: ev}); err != nil {
				t.Fatal(err)
			}
			got := false
			ev.mu.Lock()
			for _, e := range ev.all {
				if e.Phase == progress.Warning && e.Name == "web" && strings.Contains(e.Message, "start_interval (main.hcl:42)") {
					got = true
				}
			}
			ev.mu.Unlock()
			if got != tc.want {
				t.Fatalf("start_interval warning emitted = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestUpAutoSubnetRace: another process creates a network on the subnet
// this up chose, between its listing and its create (found by
// test/reliability's ten concurrent instances): up allocates again
// instead of failing with "Pool overlaps".
func TestUpAutoSubnetRace(t *testing.T) {
	eng := newEngine(t)
	var raced atomic.Bool
	eng.OnCall(func(_ context.Context, method, name string) {
		if method == "CreateNetwork" && name == inst+"-backend" && !raced.Swap(true) {
			eng.AddNetwork(engine.Network{Name: "other-instance", Subnets: []string{"10.201.0.0/24"}})
		}
	})
	var ev events
	res, err := up(t, context.Background(), eng, shop(), Options{Progress: &ev})
	if err != nil {
		t.Fatalf("up after a subnet race: %v", err)
	}
	wantOtherSubnet(t, res.Subnets["backend"], "10.201.0.0/24")
	if !ev.has("instance", inst, progress.Warning) {
		t.Error("no warning about allocating again")
	}
}

// TestUpLiteralSubnetOverlapNotRetried: a declared subnet that overlaps
// another network fails at once; only auto subnets are allocated again.
func TestUpLiteralSubnetOverlapNotRetried(t *testing.T) {
	eng := newEngine(t)
	env := shop()
	for _, n := range env.Networks {
		n.AutoSubnet, n.Subnet = false, ""
	}
	env.Networks[0].Subnet = "172.17.5.0/24" // inside the bridge's 172.17.0.0/16
	eng.ResetCalls()
	if _, err := up(t, context.Background(), eng, env, Options{}); err == nil || !errors.Is(err, engine.ErrSubnetTaken) {
		t.Fatalf("up: %v, want ErrSubnetTaken", err)
	}
	if n := eng.Calls("CreateNetwork"); n > len(env.Networks) {
		t.Errorf("%d CreateNetwork calls for %d networks: retried", n, len(env.Networks))
	}
}

// reservedSubnet is an engine whose daemon holds one subnet without
// listing it, as Docker does while another network's create is still in
// progress: a create on it fails with "Pool overlaps".
type reservedSubnet struct {
	*fake.Engine
	subnet string
}

func (e reservedSubnet) CreateNetwork(ctx context.Context, spec engine.NetworkSpec) (string, error) {
	if spec.Subnet == e.subnet {
		return "", fmt.Errorf("Error response from daemon: Pool overlaps with other one on this address space: %w", engine.ErrSubnetTaken)
	}
	return e.Engine.CreateNetwork(ctx, spec)
}

// TestUpAutoSubnetReservedUnlisted: the subnet the engine refused is not
// chosen again, even though no listed network has it.
func TestUpAutoSubnetReservedUnlisted(t *testing.T) {
	eng := reservedSubnet{Engine: newEngine(t), subnet: "10.201.0.0/24"}
	res, err := up(t, context.Background(), eng, shop(), Options{})
	if err != nil {
		t.Fatalf("up: %v", err)
	}
	wantOtherSubnet(t, res.Subnets["backend"], "10.201.0.0/24")
}

// wantOtherSubnet: got is an auto subnet of the default pool, not lost.
func wantOtherSubnet(t *testing.T, got, lost string) {
	t.Helper()
	p, err := netip.ParsePrefix(got)
	if err != nil || p.Bits() != 24 || !netip.MustParsePrefix("10.201.0.0/16").Contains(p.Addr()) {
		t.Fatalf("backend on %q, want a /24 of 10.201.0.0/16", got)
	}
	if got == lost {
		t.Errorf("backend on %s, the subnet the engine refused", got)
	}
}

// crowdedLowSubnets is an engine where every create on one of the pool's
// lowest /24s loses a race: another process creates a network there
// just before, as when a class starts many instances at once and each
// picks the lowest free subnet.
type crowdedLowSubnets struct {
	*fake.Engine
	low int // how many of the lowest /24s are contested
	n   atomic.Int32
}

func (e *crowdedLowSubnets) CreateNetwork(ctx context.Context, spec engine.NetworkSpec) (string, error) {
	if p, err := netip.ParsePrefix(spec.Subnet); err == nil {
		b := p.Addr().As4()
		if b[0] == 10 && b[1] == 201 && int(b[2]) < e.low {
			e.AddNetwork(engine.Network{Name: fmt.Sprintf("racer-%d", e.n.Add(1)), Subnets: []string{spec.Subnet}})
			return "", fmt.Errorf("Error response from daemon: Pool overlaps with other one on this address space: %w", engine.ErrSubnetTaken)
		}
	}
	return e.Engine.CreateNetwork(ctx, spec)
}

// TestUpAutoSubnetCrowded: losing the race for the lowest free subnet
// again and again (found by CI: the tenth of ten concurrent ups lost
// ten times in a row) does not fail up: after a refusal the search
// starts elsewhere in the pool.
func TestUpAutoSubnetCrowded(t *testing.T) {
	for i := 0; i < 20; i++ {
		eng := &crowdedLowSubnets{Engine: newEngine(t), low: subnetAttempts + 2}
		res, err := up(t, context.Background(), eng, shop(), Options{})
		if err != nil {
			t.Fatalf("try %d: up with the low subnets contested: %v", i, err)
		}
		wantOtherSubnet(t, res.Subnets["backend"], "")
	}
}

// A build whose content tag exists is not run again: not by a second
// instance of the lab, not after an offline bundle import.
func TestUpReusesBuiltImage(t *testing.T) {
	env := shop()
	env.Service("db").Build.Hash = "c0ffee00c0ffee00c0ffee"
	eng := newEngine(t)
	for _, name := range []string{"a", "b"} {
		eng.SetLogs(name+"-api", "listening on :8081\n")
	}
	if _, err := Up(context.Background(), eng, env, Options{Instance: "a"}); err != nil {
		t.Fatal(err)
	}
	if n := eng.Calls("BuildImage"); n != 1 {
		t.Fatalf("first up built %d times, want 1", n)
	}
	ev := &events{}
	if _, err := Up(context.Background(), eng, env, Options{Instance: "b", Progress: ev}); err != nil {
		t.Fatal(err)
	}
	if n := eng.Calls("BuildImage"); n != 1 {
		t.Errorf("a second instance built again (%d builds)", n)
	}
	if !ev.has("image", "proeftuin/webshop-db:c0ffee00c0ff", progress.Kept) {
		t.Error("no kept event for the reused image")
	}
	env.Service("db").Build.Hash = "beef00beef00beef00beef"
	if _, err := Up(context.Background(), eng, env, Options{Instance: "a"}); err != nil {
		t.Fatal(err)
	}
	if n := eng.Calls("BuildImage"); n != 2 {
		t.Errorf("a changed build context was not built (%d builds)", n)
	}
}

// TestUpStartAmbiguousNetwork: the duplicate appears only after up looked
// for duplicates, and a container start fails as "ambiguous"; up removes
// the duplicate and starts the container again.
func TestUpStartAmbiguousNetwork(t *testing.T) {
	eng := newEngine(t)
	eng.FailOn("StartContainer", inst+"-web", fmt.Errorf("network %s-frontend is ambiguous (2 matches found on name): %w", inst, engine.ErrAmbiguous))
	var once atomic.Bool
	eng.OnCall(func(_ context.Context, method, name string) {
		if method == "StartContainer" && name == inst+"-web" && !once.Swap(true) {
			eng.AddNetwork(engine.Network{Name: inst + "-frontend", Subnets: []string{"172.30.0.0/16"},
				Labels: map[string]string{engine.LabelInstance: inst, engine.LabelNetwork: "frontend"}})
			eng.ClearFaults() // this call still fails; the next succeeds
		}
	})
	if _, err := up(t, context.Background(), eng, shop(), Options{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	n := 0
	for _, name := range eng.NetworkNames() {
		if name == inst+"-frontend" {
			n++
		}
	}
	if n != 1 || eng.Calls("StartContainer") < 2 {
		t.Errorf("%d networks named %s-frontend, %d starts: %v", n, inst, eng.Calls("StartContainer"), eng.NetworkNames())
	}
}

// TestUpRemovesDuplicateNetwork: a network create of an earlier, killed
// up completes in the daemon while this up creates the same network: the
// duplicate is removed before any container is created (on Docker 20.10
// a container start on a name with two networks fails as "ambiguous").
func TestUpRemovesDuplicateNetwork(t *testing.T) {
	eng := newEngine(t)
	var orphan atomic.Bool
	eng.OnCall(func(_ context.Context, method, name string) {
		if method == "Networks" && eng.Calls("CreateNetwork") > 0 && !orphan.Swap(true) {
			eng.AddNetwork(engine.Network{Name: inst + "-frontend", Subnets: []string{"172.30.0.0/16"},
				Labels: map[string]string{engine.LabelInstance: inst, engine.LabelNetwork: "frontend"}})
		}
	})
	var ev events
	if _, err := up(t, context.Background(), eng, shop(), Options{Progress: &ev}); err != nil {
		t.Fatalf("up: %v", err)
	}
	n := 0
	for _, name := range eng.NetworkNames() {
		if name == inst+"-frontend" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d networks named %s-frontend after up, want 1: %v", n, inst, eng.NetworkNames())
	}
	if !ev.has("network", "frontend", progress.Warning) {
		t.Error("no warning about the duplicate")
	}
}

// leftAfterObserve is an engine on which a network create of an earlier,
// cut-off up reaches the engine after this up's observation: the first
// CreateNetwork of name finds a network of that name already there.
func leftAfterObserve(t *testing.T, name string, labels map[string]string, subnet string) *fake.Engine {
	eng := newEngine(t)
	var once atomic.Bool
	eng.OnCall(func(_ context.Context, method, n string) {
		if method == "CreateNetwork" && n == name && !once.Swap(true) {
			eng.AddNetwork(engine.Network{Name: name, Subnets: []string{subnet}, Labels: labels})
		}
	})
	return eng
}

// TestUpAdoptsNetworkLeftByCutUp: found by test/reliability's engine cut
// during up. The instance's own network, left by the cut-off up after
// this up observed, is taken over with its subnet, or replaced with
// another; a network of anyone else with that name is still refused.
func TestUpAdoptsNetworkLeftByCutUp(t *testing.T) {
	own := map[string]string{engine.LabelInstance: inst, engine.LabelNetwork: "backend"}
	for _, tc := range []struct {
		name, subnet string
		labels       map[string]string
		wantErr      bool
	}{
		{"same subnet", "10.201.0.0/24", own, false},
		{"other subnet", "10.201.77.0/24", own, false},
		{"someone else's", "10.201.0.0/24", map[string]string{engine.LabelInstance: "other"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			eng := leftAfterObserve(t, inst+"-backend", tc.labels, tc.subnet)
			res, err := up(t, context.Background(), eng, shop(), Options{})
			if tc.wantErr {
				if !errors.Is(err, engine.ErrNameConflict) {
					t.Fatalf("up: %v, want the name conflict", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("up: %v", err)
			}
			nets, err := eng.Networks(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			var found []string
			for _, n := range nets {
				if n.Name == inst+"-backend" {
					found = append(found, strings.Join(n.Subnets, ","))
				}
			}
			if len(found) != 1 || found[0] != res.Subnets["backend"] {
				t.Errorf("networks %s-backend after up: %v, want one on %s", inst, found, res.Subnets["backend"])
			}
		})
	}
}

// TestUpReplacesContainerLeftByKilledUp: found by test/reliability's
// SIGKILL during up. A container create of the killed up reaches the
// engine after this up observed: the instance's own leftover is removed
// and created again; a container of anyone else with that name is still
// refused.
func TestUpReplacesContainerLeftByKilledUp(t *testing.T) {
	for _, tc := range []struct {
		name    string
		labels  map[string]string
		wantErr bool
	}{
		{"own", map[string]string{engine.LabelInstance: inst, engine.LabelService: "db"}, false},
		{"someone else's", map[string]string{engine.LabelInstance: "other"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			eng := newEngine(t)
			var once atomic.Bool
			var left string
			eng.OnCall(func(_ context.Context, method, n string) {
				if method == "CreateContainer" && n == inst+"-db" && !once.Swap(true) {
					left = eng.AddContainer(engine.Container{Name: inst + "-db", Image: "postgres:16", State: engine.StateCreated, Labels: tc.labels})
				}
			})
			_, err := up(t, context.Background(), eng, shop(), Options{})
			if tc.wantErr {
				if !errors.Is(err, engine.ErrNameConflict) {
					t.Fatalf("up: %v, want the name conflict", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("up: %v", err)
			}
			ctrs, err := eng.Containers(context.Background(), map[string]string{engine.LabelInstance: inst})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, c := range ctrs {
				if c.Name == inst+"-db" {
					n++
					if c.ID == left {
						t.Error("the leftover container was kept")
					}
					if c.State != engine.StateRunning {
						t.Errorf("db is %s, want running", c.State)
					}
				}
			}
			if n != 1 {
				t.Errorf("%d containers named %s-db, want 1", n, inst)
			}
		})
	}
}

// TestUpFailureAfterDownRollsBack: down keeps the volumes; an up after it
// that fails must still remove the containers and networks it created
// (as a first up does), and keep the volumes with their data.
func TestUpFailureAfterDownRollsBack(t *testing.T) {
	eng := newEngine(t)
	mustUp(t, eng, shop())
	if err := Down(context.Background(), eng, inst, false, nil); err != nil {
		t.Fatal(err)
	}
	vols := eng.VolumeNames()
	if len(vols) != 1 {
		t.Fatalf("volumes after down: %v", vols)
	}
	eng.FailOn("StartContainer", inst+"-web", errors.New("port is already allocated"))
	_, err := up(t, context.Background(), eng, shop(), Options{})
	if err == nil || !strings.Contains(err.Error(), "removed") {
		t.Fatalf("err = %v", err)
	}
	if c := eng.ContainerNames(); len(c) != 0 {
		t.Errorf("containers left: %v", c)
	}
	if n := eng.NetworkNames(); len(n) != 1 {
		t.Errorf("networks left: %v", n)
	}
	if got := eng.VolumeNames(); len(got) != 1 || got[0] != vols[0] {
		t.Errorf("volumes = %v, want %v kept", got, vols)
	}
}
