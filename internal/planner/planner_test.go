package planner

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/engine/fake"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

const inst = "lab"

// shop is a small webshop: db (built) <- api <- web, plus a cache that
// shares the api's network namespace.
func shop() *config.Environment {
	sec := 30 * time.Second
	return &config.Environment{
		Name:    "webshop",
		Secrets: []string{"s3cret-pw"},
		Networks: []*config.Network{
			{Name: "frontend"},
			{Name: "backend", Internal: true, AutoSubnet: true, Subnet: "10.201.0.0/24"},
		},
		Volumes: []*config.Volume{{Name: "dbdata"}},
		Services: []*config.Service{
			{
				Name:         "db",
				Build:        &config.Build{Context: "/labs/shop/images/db"},
				Env:          map[string]string{"MARIADB_ROOT_PASSWORD": "s3cret-pw", "TZ": "Europe/Amsterdam"},
				SensitiveEnv: []string{"MARIADB_ROOT_PASSWORD"},
				Networks:     []*config.ServiceNetwork{{Network: "backend", IPv4Address: "10.201.0.10", Aliases: []string{"database"}}},
				Mounts:       []*config.Mount{{Volume: "dbdata", Target: "/var/lib/mysql"}},
				Ready:        &config.Ready{Exec: &config.ReadyExec{Command: []string{"mariadb-admin", "ping"}}},
				StopTimeout:  &sec,
			},
			{
				Name:      "api",
				Image:     "proeftuin/debian:bookworm",
				Command:   []string{"api", "--listen", ":8081"},
				DependsOn: []string{"db"},
				Networks:  []*config.ServiceNetwork{{Network: "backend"}, {Network: "frontend"}},
				Env:       map[string]string{"DB_HOST": "db"},
			},
			{
				Name:        "cache",
				Image:       "proeftuin/busybox:1",
				NetworkMode: "service:api",
			},
			{
				Name:      "web",
				Image:     "nginx:1.27",
				DependsOn: []string{"api"},
				Networks:  []*config.ServiceNetwork{{Network: "frontend"}},
				Ports:     []*config.Port{{Host: 8080, Container: 80}},
				Files: []*config.File{
					{Path: "/etc/nginx/conf.d/shop.conf", Content: []byte("server { listen 80; }\n"), Mode: 0o644, Owner: "0:0"},
				},
				Healthcheck: &config.Healthcheck{Test: []string{"CMD", "true"}, Interval: time.Second},
				Ready:       &config.Ready{HTTP: &config.ReadyHTTP{Port: 80, Path: "/"}},
			},
		},
	}
}

var images = map[string]string{
	"db":    "sha256:db1",
	"api":   "sha256:debian1",
	"cache": "sha256:busybox1",
	"web":   "sha256:nginx1",
}

func copyImages() map[string]string {
	out := map[string]string{}
	for k, v := range images {
		out[k] = v
	}
	return out
}

// materialize creates everything of d on the engine and starts it, like a
// successful up would.
func materialize(t *testing.T, eng *fake.Engine, d *Desired) {
	t.Helper()
	ctx := context.Background()
	for _, n := range d.Networks {
		if _, err := eng.CreateNetwork(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	for _, v := range d.Volumes {
		if err := eng.CreateVolume(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range d.Services {
		eng.SetImage(s.Spec.Image, "img")
		id, err := eng.CreateContainer(ctx, s.Spec)
		if err != nil {
			t.Fatal(err)
		}
		if err := eng.StartContainer(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
}

// planFor observes eng and plans env against it.
func planFor(t *testing.T, eng *fake.Engine, env *config.Environment, imgs map[string]string) *Plan {
	t.Helper()
	d, err := Desire(env, inst, imgs)
	if err != nil {
		t.Fatal(err)
	}
	a, err := Observe(context.Background(), eng, inst)
	if err != nil {
		t.Fatal(err)
	}
	return Compute(d, a)
}

// deployed returns an engine holding shop() as up would leave it.
func deployed(t *testing.T) *fake.Engine {
	t.Helper()
	eng := fake.New()
	d, err := Desire(shop(), inst, images)
	if err != nil {
		t.Fatal(err)
	}
	materialize(t, eng, d)
	return eng
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs:\n--- got\n%s--- want\n%s", path, got, want)
	}
}

func TestPlanFresh(t *testing.T) {
	p := planFor(t, fake.New(), shop(), images)
	golden(t, "fresh", p.String())
	if p.Changes() != len(p.Operations) {
		t.Errorf("fresh plan: %d changes of %d ops", p.Changes(), len(p.Operations))
	}
}

func TestPlanUnchanged(t *testing.T) {
	eng := deployed(t)
	eng.ResetCalls()
	p := planFor(t, eng, shop(), images)
	golden(t, "unchanged", p.String())
	if p.Changes() != 0 {
		t.Errorf("unchanged plan has %d changes", p.Changes())
	}
	for _, m := range []string{"Containers", "Networks", "Volumes"} {
		if n := eng.Calls(m); n != 1 {
			t.Errorf("%s called %d times, want 1", m, n)
		}
	}
	if n := len(eng.AllCalls()); n != 3 {
		t.Errorf("observe made calls beyond the three lists: %v", eng.AllCalls())
	}
}

// TestPlanServiceChanged changes one field kind of one service at a time;
// only that service is recreated and the cause names the field.
func TestPlanServiceChanged(t *testing.T) {
	cases := []struct {
		name   string
		change func(env *config.Environment, imgs map[string]string)
	}{
		{"image", func(_ *config.Environment, imgs map[string]string) { imgs["db"] = "sha256:db2" }},
		{"image-ref", func(env *config.Environment, imgs map[string]string) {
			env.Service("web").Image = "nginx:1.28"
			imgs["web"] = "sha256:nginx2"
		}},
		// A new tag of the very same image changes nothing that runs.
		{"image-ref-same-id", func(env *config.Environment, _ map[string]string) { env.Service("web").Image = "nginx:latest" }},
		{"env", func(env *config.Environment, _ map[string]string) { env.Service("db").Env["TZ"] = "UTC" }},
		{"sensitive-env", func(env *config.Environment, _ map[string]string) {
			env.Service("db").Env["MARIADB_ROOT_PASSWORD"] = "n3w-s3cret"
		}},
		{"command", func(env *config.Environment, _ map[string]string) {
			env.Service("api").Command = []string{"api", "--debug"}
		}},
		{"entrypoint", func(env *config.Environment, _ map[string]string) {
			env.Service("api").Entrypoint = []string{"/bin/sh", "-c"}
		}},
		{"ports", func(env *config.Environment, _ map[string]string) { env.Service("web").Ports[0].Host = 8081 }},
		{"files-content", func(env *config.Environment, _ map[string]string) {
			env.Service("web").Files[0].Content = []byte("server { listen 81; }\n")
		}},
		{"files-mode", func(env *config.Environment, _ map[string]string) { env.Service("web").Files[0].Mode = 0o600 }},
		{"mounts", func(env *config.Environment, _ map[string]string) {
			env.Service("db").Mounts[0].ReadOnly = true
		}},
		{"networks", func(env *config.Environment, _ map[string]string) {
			env.Service("api").Networks[1].Aliases = []string{"backend-api"}
		}},
		{"healthcheck", func(env *config.Environment, _ map[string]string) {
			env.Service("web").Healthcheck.Retries = 5
		}},
		{"resources", func(env *config.Environment, _ map[string]string) {
			env.Service("api").Resources = &config.Resources{MemoryBytes: 256 << 20}
		}},
		{"several", func(env *config.Environment, _ map[string]string) {
			s := env.Service("api")
			s.User = "1000"
			s.WorkingDir = "/srv"
			s.Env["DEBUG"] = "1"
		}},
		{"depends-on-and-ready-ignored", func(env *config.Environment, _ map[string]string) {
			env.Service("web").DependsOn = nil
			env.Service("web").Ready = nil
		}},
		{"cache-follows-api", func(env *config.Environment, _ map[string]string) { env.Service("api").Env["X"] = "1" }},
	}
	var out strings.Builder
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			eng := deployed(t)
			env, imgs := shop(), copyImages()
			tc.change(env, imgs)
			p := planFor(t, eng, env, imgs)
			s := p.String()
			if strings.Contains(s, "s3cret") {
				t.Errorf("plan leaks a secret:\n%s", s)
			}
			out.WriteString("== " + tc.name + " ==\n" + s)
		})
	}
	golden(t, "changed", out.String())
}

func TestPlanServiceRemoved(t *testing.T) {
	eng := deployed(t)
	env := shop()
	env.Services = env.Services[:3] // drop web
	env.Volumes = nil               // and the volume, with db's mount of it
	env.Service("db").Mounts = nil
	golden(t, "removed", planFor(t, eng, env, images).String())
}

func TestPlanStopped(t *testing.T) {
	eng := deployed(t)
	eng.SetState(inst+"-api", engine.StateExited, 137)
	eng.SetState(inst+"-web", "created", 0)
	golden(t, "stopped", planFor(t, eng, shop(), images).String())
}

func TestPlanNetworkChanged(t *testing.T) {
	eng := deployed(t)
	env := shop()
	env.Network("frontend").Internal = true
	env.Network("backend").Subnet = "10.201.7.0/24"
	golden(t, "network-changed", planFor(t, eng, env, images).String())
}

func TestPlanAutoSubnetUnknownKeeps(t *testing.T) {
	// A plan before allocation (subnet "") keeps an existing auto network.
	eng := deployed(t)
	env := shop()
	env.Network("backend").Subnet = ""
	p := planFor(t, eng, env, images)
	if op, _ := p.Find(ResNetwork, "backend"); op.Kind != Keep {
		t.Errorf("backend: %v", op)
	}
}

func TestPlanUnknownImageIDUsesRef(t *testing.T) {
	// Without image IDs the hash differs from the deployed one, and the
	// cause says it is the image.
	eng := deployed(t)
	p := planFor(t, eng, shop(), nil)
	op, _ := p.Find(ResService, "web")
	if op.Kind != Recreate || op.Cause != "image changed" {
		t.Errorf("web: %v", op)
	}
}

func TestDesireSpec(t *testing.T) {
	d, err := Desire(shop(), inst, images)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]*DesiredService{}
	for _, s := range d.Services {
		by[s.Name] = s
	}
	db, web, cache := by["db"].Spec, by["web"].Spec, by["cache"].Spec
	if db.Name != "lab-db" || db.Image != "proeftuin/webshop-db:latest" || db.Hostname != "db" {
		t.Errorf("db: name %s image %s hostname %s", db.Name, db.Image, db.Hostname)
	}
	if got := strings.Join(db.Env, " "); got != "MARIADB_ROOT_PASSWORD=s3cret-pw TZ=Europe/Amsterdam" {
		t.Errorf("db env %q", got)
	}
	if a := db.Networks[0]; a.Network != "lab-backend" || a.IPv4Address != "10.201.0.10" || strings.Join(a.Aliases, ",") != "db,database" {
		t.Errorf("db network %+v", a)
	}
	if m := db.Mounts[0]; m.Type != "volume" || m.Source != "lab-dbdata" {
		t.Errorf("db mount %+v", m)
	}
	if *db.StopTimeout != 30 || *web.StopTimeout != 0 {
		t.Errorf("stop timeouts %d %d", *db.StopTimeout, *web.StopTimeout)
	}
	if p := web.Ports[0]; p.HostIP != "127.0.0.1" || p.Protocol != "tcp" || p.HostPort != 8080 {
		t.Errorf("web port %+v", p)
	}
	if cache.NetworkMode != "container:lab-api" || cache.Hostname != "" || len(cache.Networks) != 0 {
		t.Errorf("cache %+v", cache)
	}
	for _, key := range []string{engine.LabelInstance, engine.LabelService, engine.LabelConfigHash, engine.LabelVersion, engine.LabelEnv, LabelConfigFields} {
		if web.Labels[key] == "" {
			t.Errorf("web lacks label %s", key)
		}
	}
	if d.Networks[1].Labels[engine.LabelSubnet] != "auto" || d.Networks[0].Labels[engine.LabelSubnet] != "" {
		t.Errorf("subnet labels %v %v", d.Networks[0].Labels, d.Networks[1].Labels)
	}
	if got := strings.Join(by["cache"].DependsOn, ","); got != "api" {
		t.Errorf("cache depends on %q", got)
	}
}

// TestHashDeterministic builds the same environment with maps filled in
// different orders, many times, and pins the hash so an accidental change
// of the encoding (which would recreate every container after an upgrade)
// is noticed.
func TestHashDeterministic(t *testing.T) {
	first := ""
	for i := 0; i < 50; i++ {
		env := shop()
		db := env.Service("db")
		m := map[string]string{}
		keys := []string{"TZ", "MARIADB_ROOT_PASSWORD", "A", "Z", "M"}
		for j := range keys {
			k := keys[(i+j)%len(keys)]
			m[k] = strings.ToLower(k)
		}
		db.Env = m
		db.Labels = map[string]string{"b": "2", "a": "1", "c": "3"}
		db.Sysctls = map[string]string{"net.ipv4.ip_forward": "1", "net.core.somaxconn": "1024"}
		d, err := Desire(env, inst, images)
		if err != nil {
			t.Fatal(err)
		}
		h := d.Services[0].Hash + " " + d.Services[0].Spec.Labels[LabelConfigFields]
		if first == "" {
			first = h
		} else if h != first {
			t.Fatalf("hash differs between runs:\n%s\n%s", first, h)
		}
	}
	golden(t, "hash", first+"\n")
}

func TestChangeCause(t *testing.T) {
	for _, tc := range []struct{ old, new, want string }{
		{"", "env=1", "configuration changed"},
		{"env=1", "env=2", "env changed"},
		{"env=1,image=1", "env=2,image=2", "image and env changed"},
		{"env=1,image=1,ports=1", "env=2,image=2,ports=2", "image, env and ports changed"},
		{"env=1", "", "env changed"},
		{"env=1", "env=1,user=3", "user changed"},
		{"env=1", "env=1", "configuration changed"},
	} {
		if got := changeCause(tc.old, tc.new); got != tc.want {
			t.Errorf("changeCause(%q, %q) = %q, want %q", tc.old, tc.new, got, tc.want)
		}
	}
}

func TestGraph(t *testing.T) {
	g := NewGraph()
	g.Add("web", "api")
	g.Add("api", "db", "cache")
	g.Add("db")
	g.Add("cache")
	g.Add("worker", "db")
	levels, err := g.Levels()
	if err != nil {
		t.Fatal(err)
	}
	got := ""
	for _, l := range levels {
		got += "[" + strings.Join(l, " ") + "]"
	}
	if want := "[cache db][api worker][web]"; got != want {
		t.Errorf("levels %s, want %s", got, want)
	}
	if d := strings.Join(g.Dependents("db"), ","); d != "api,worker" {
		t.Errorf("dependents of db: %s", d)
	}

	g.Add("db", "web")
	_, err = g.Levels()
	ce, ok := err.(*CycleError)
	if !ok {
		t.Fatalf("want CycleError, got %v", err)
	}
	if got := ce.Error(); got != "dependency cycle: api -> db -> web -> api" {
		t.Errorf("cycle: %s", got)
	}

	g2 := NewGraph()
	g2.Add("a", "a")
	if c := g2.Cycle(); strings.Join(c, " -> ") != "a -> a" {
		t.Errorf("self cycle: %v", c)
	}
	g3 := NewGraph()
	g3.Add("a", "ghost")
	if _, err := g3.Levels(); err == nil || !strings.Contains(err.Error(), "ghost") {
		t.Errorf("unknown dep: %v", err)
	}
}

func TestDesireRejectsCycle(t *testing.T) {
	env := shop()
	env.Service("db").DependsOn = []string{"web"}
	_, err := Desire(env, inst, images)
	if err == nil || !strings.Contains(err.Error(), "->") {
		t.Fatalf("want a cycle error with its path, got %v", err)
	}
}

// TestPlanNetworkDisconnected: a container disconnected by hand from a
// declared network is recreated, with a cause that names the network;
// a listing that does not name networks (nil) concludes nothing.
func TestPlanNetworkDisconnected(t *testing.T) {
	d, err := Desire(shop(), inst, images)
	if err != nil {
		t.Fatal(err)
	}
	a, err := Observe(context.Background(), deployed(t), inst)
	if err != nil {
		t.Fatal(err)
	}
	var web *DesiredService
	for _, s := range d.Services {
		if s.Name == "web" {
			web = s
		}
	}
	if web == nil || len(web.Spec.Networks) == 0 {
		t.Fatal("web has no networks in shop()")
	}
	if op, _ := Compute(d, a).Find(ResService, "web"); op.Kind != Keep {
		t.Fatalf("web without network information: %v", op)
	}
	c := a.Containers["web"]
	for _, n := range web.Spec.Networks {
		c.Networks = append(c.Networks, n.Network)
	}
	a.Containers["web"] = c
	if op, _ := Compute(d, a).Find(ResService, "web"); op.Kind != Keep {
		t.Fatalf("web on all its networks: %v", op)
	}
	c.Networks = c.Networks[1:]
	a.Containers["web"] = c
	op, _ := Compute(d, a).Find(ResService, "web")
	want := "network " + strings.TrimPrefix(web.Spec.Networks[0].Network, inst+"-") + " disconnected"
	if op.Kind != Recreate || op.Cause != want {
		t.Errorf("web disconnected: %v, want recreate (%s)", op, want)
	}
}

func TestBuildTag(t *testing.T) {
	env := &config.Environment{Name: "WebShop"}
	s := &config.Service{Name: "db", Build: &config.Build{Hash: "0123456789abcdef0123"}}
	if got := BuildTag(env, s); got != "proeftuin/webshop-db:0123456789ab" {
		t.Errorf("BuildTag = %q: want the environment (lower case), the service and 12 characters of the content hash", got)
	}
	s.Build.Hash = ""
	if got := BuildTag(env, s); got != "proeftuin/webshop-db:latest" {
		t.Errorf("BuildTag without a hash = %q", got)
	}
}
