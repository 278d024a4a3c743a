package config

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
)

func TestExampleHello(t *testing.T) {
	env, diags := Load(Options{Dir: "../../examples/hello"})
	if len(diags) > 0 {
		t.Fatalf("diagnostics:\n%s", diagList(diags))
	}
	if env.Name != "hello" || env.Title != "Hello, proeftuin" || env.Version != "1.0" {
		t.Errorf("environment = %q %q %q", env.Name, env.Title, env.Version)
	}
	if got := len(env.Services); got != 2 {
		t.Fatalf("services = %d, want 2", got)
	}
	web := env.Service("web")
	if web.Image != "proeftuin/busybox:1" {
		t.Errorf("web image = %q", web.Image)
	}
	if want := []string{"httpd", "-f", "-p", "8080", "-h", "/www"}; !reflect.DeepEqual(web.Command, want) {
		t.Errorf("web command = %q", web.Command)
	}
	if len(web.Ports) != 1 || *web.Ports[0] != (Port{Host: 8080, Container: 8080, Protocol: "tcp", HostIP: "127.0.0.1", DeclRange: web.Ports[0].DeclRange}) {
		t.Errorf("web ports = %+v", web.Ports[0])
	}
	if len(web.Files) != 1 || web.Files[0].Path != "/www/index.html" || !strings.Contains(string(web.Files[0].Content), "Hello from proeftuin") || web.Files[0].Mode != 0o644 || web.Files[0].Owner != "0:0" {
		t.Errorf("web files = %+v", web.Files)
	}
	if web.Ready == nil || web.Ready.Port == nil || web.Ready.Port.Port != 8080 || web.Ready.Timeout != 20*time.Second || web.Ready.Interval != 100*time.Millisecond {
		t.Errorf("web ready = %+v", web.Ready)
	}
	if sn := web.Networks[0]; sn.Network != "lab" || sn.IPv4Address != "" || !sn.IPv4Unknown {
		t.Errorf("web network without allocation = %+v", sn)
	}
	worker := env.Service("worker")
	if !reflect.DeepEqual(worker.DependsOn, []string{"web"}) || worker.StopTimeout == nil || *worker.StopTimeout != 2*time.Second {
		t.Errorf("worker = %+v", worker)
	}
	if worker.Env["WEB_URL"] != knownAfterUp {
		t.Errorf("WEB_URL without allocation = %q, want %q", worker.Env["WEB_URL"], knownAfterUp)
	}
	if len(env.Checks) != 2 || env.Checks[0].Probe.Kind != "http" || env.Checks[1].Probe.Exec.Service != "worker" {
		t.Errorf("checks = %+v", env.Checks)
	}
	if env.Checks[0].Probe.HTTP.URL != "http://127.0.0.1:8080/" {
		t.Errorf("check URL = %q", env.Checks[0].Probe.HTTP.URL)
	}
	if env.Plan == nil || env.Plan.Name != "first-changes" || len(env.Steps) != 3 {
		t.Fatalf("plan = %+v, %d steps", env.Plan, len(env.Steps))
	}
	var kinds []string
	for _, s := range env.Steps {
		for _, a := range s.Actions {
			kinds = append(kinds, a.Kind)
		}
	}
	if want := []string{"exec", "copy", "restart", "wait"}; !reflect.DeepEqual(kinds, want) {
		t.Errorf("action kinds = %v, want %v", kinds, want)
	}
	cp := env.Steps[1].Actions[0].Copy
	if cp.Source != filepath.Join(env.Dir, "files", "about.html") || cp.Target != "/www/about.html" || cp.Mode != 0o644 {
		t.Errorf("copy = %+v", cp)
	}
	if env.Steps[1].Retry != (Retry{Attempts: 3, Delay: time.Second}) {
		t.Errorf("retry = %+v", env.Steps[1].Retry)
	}
	if len(env.Hash) != 64 {
		t.Errorf("hash = %q", env.Hash)
	}

	// With the subnet allocated, addresses and everything built from them
	// become known.
	env, diags = Load(Options{Dir: "../../examples/hello", Subnets: map[string]string{"lab": "10.77.3.0/24"}, Vars: []string{"web_port=9090"}})
	if diags.HasErrors() {
		t.Fatalf("diagnostics:\n%s", diagList(diags))
	}
	if sn := env.Service("web").Networks[0]; sn.IPv4Address != "10.77.3.10" || sn.IPv4Unknown {
		t.Errorf("web network with allocation = %+v", sn)
	}
	if got := env.Service("worker").Env["WEB_URL"]; got != "http://10.77.3.10:8080/" {
		t.Errorf("WEB_URL = %q", got)
	}
	if env.Network("lab").Subnet != "10.77.3.0/24" || !env.Network("lab").AutoSubnet {
		t.Errorf("network = %+v", env.Network("lab"))
	}
	if env.Service("web").Ports[0].Host != 9090 || env.Checks[0].Probe.HTTP.URL != "http://127.0.0.1:9090/" {
		t.Errorf("--var web_port not applied: %+v", env.Service("web").Ports[0])
	}
}

func TestExampleWebshop(t *testing.T) {
	env, diags := Load(Options{Dir: "../../examples/webshop", Subnets: map[string]string{"backend": "10.9.8.0/24"}})
	if len(diags) > 0 {
		t.Fatalf("diagnostics:\n%s", diagList(diags))
	}
	db := env.Service("db")
	if db.Build == nil || db.Build.Context != filepath.Join(env.Dir, "images", "db") || db.Build.Dockerfile != "Dockerfile" || db.Build.Args["BASE_IMAGE"] != "debian:bookworm-slim" {
		t.Fatalf("db build = %+v", db.Build)
	}
	if !reflect.DeepEqual(db.SensitiveEnv, []string{"MARIADB_ROOT_PASSWORD"}) {
		t.Errorf("SensitiveEnv = %v", db.SensitiveEnv)
	}
	if !reflect.DeepEqual(env.Secrets, []string{"oefenen"}) {
		t.Errorf("Secrets = %v", env.Secrets)
	}
	if db.Networks[0].IPv4Address != "10.9.8.10" || !reflect.DeepEqual(db.Networks[0].Aliases, []string{"database"}) {
		t.Errorf("db network = %+v", db.Networks[0])
	}
	if len(db.Mounts) != 1 || db.Mounts[0].Volume != "dbdata" || db.Mounts[0].Target != "/var/lib/mysql" {
		t.Errorf("db mounts = %+v", db.Mounts)
	}
	if db.Files[0].Source != filepath.Join(env.Dir, "files", "schema.sql") || !strings.Contains(string(db.Files[0].Content), "CREATE TABLE") {
		t.Errorf("db file = %+v", db.Files[0])
	}
	if db.Resources == nil || db.Resources.MemoryBytes != 512<<20 || db.Resources.CPUs != 1 {
		t.Errorf("db resources = %+v", db.Resources)
	}
	if db.Restart != "unless-stopped" || db.Ready.Exec == nil || db.Ready.Timeout != time.Minute {
		t.Errorf("db restart/ready = %q %+v", db.Restart, db.Ready)
	}
	web := env.Service("web")
	conf := string(web.Files[0].Content)
	if !strings.Contains(conf, "server 10.9.8.10:3306;") || !strings.Contains(conf, "# Bakkerij Jansen: generated") {
		t.Errorf("templated shop.conf:\n%s", conf)
	}
	if web.Healthcheck == nil || web.Healthcheck.Test[0] != "CMD-SHELL" || web.Healthcheck.Retries != 3 || web.Healthcheck.Interval != 5*time.Second {
		t.Errorf("healthcheck = %+v", web.Healthcheck)
	}
	if !reflect.DeepEqual(web.Satisfies, []string{"FR-01", "NFR-01"}) || !reflect.DeepEqual(web.DependsOn, []string{"db"}) {
		t.Errorf("web satisfies/depends_on = %v %v", web.Satisfies, web.DependsOn)
	}
	if env.Checks[2].Probe.TCP == nil || env.Checks[2].Probe.TCP.From != "client" || env.Checks[2].Probe.TCP.Reachable {
		t.Errorf("db-isolated = %+v", env.Checks[2].Probe.TCP)
	}
	if e := env.Checks[1].Probe.Exec; e.StdoutMatches != "(?m)^orders$" || env.Checks[1].Timeout != 20*time.Second {
		t.Errorf("orders-table = %+v", e)
	}
	schema := env.Steps[0]
	if schema.OnFailure != "rollback" || len(schema.Rollback) != 1 || schema.Timeout != 2*time.Minute || schema.Checks[0].Probe.Exec.StdoutMatches != "orders" {
		t.Errorf("schema step = %+v", schema)
	}
	if len(schema.Checks[0].Verifies) != 0 {
		t.Errorf("a step check has no verifies: %v", schema.Checks[0].Verifies)
	}
	wait := env.Steps[1].Actions[2]
	if wait.Kind != "wait" || wait.Wait.Service != "web" || wait.Wait.Ready.HTTP.Port != 80 || wait.Timeout != 30*time.Second {
		t.Errorf("wait action = %+v", wait)
	}
	if env.Locals["shop_name"] != `"Bakkerij Jansen"` || env.Locals["db_address"] != `"10.9.8.10"` {
		t.Errorf("locals = %v", env.Locals)
	}
	for _, v := range env.Variables {
		if v.Name == "db_password" && (!v.Sensitive || v.Source != "default" || v.Value != `"oefenen"`) {
			t.Errorf("db_password = %+v", v)
		}
	}
}

// HCL identifiers may contain '-', so requirement.FR-01 is one traversal,
// not requirement.FR minus 1. The language depends on this.
func TestRequirementReferenceWithDash(t *testing.T) {
	f, diags := newParser().parseSource([]byte("x = requirement.FR-01\n"), "t.hcl")
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	attrs, _ := f.Body.JustAttributes()
	tr, diags := hcl.AbsTraversalForExpr(attrs["x"].Expr)
	if diags.HasErrors() {
		t.Fatalf("requirement.FR-01 is not a traversal: %s", diags.Error())
	}
	if len(tr) != 2 || tr.RootName() != "requirement" || tr[1].(hcl.TraverseAttr).Name != "FR-01" {
		t.Fatalf("traversal = %#v", tr)
	}
	env := loadSource(t, `
requirement "FR-01" {
  title    = "a"
  priority = "must"
}
requirement "SEC-2" {
  title    = "b"
  priority = "could"
}
service "web" {
  image     = "busybox"
  satisfies = [requirement.FR-01, "SEC-2", requirement["SEC-2"]]
}
check "c" {
  verifies = [requirement.FR-01]
  http {
    url = "http://127.0.0.1/"
  }
}
`)
	if want := []string{"FR-01", "SEC-2", "SEC-2"}; !reflect.DeepEqual(env.Services[0].Satisfies, want) {
		t.Errorf("satisfies = %v, want %v", env.Services[0].Satisfies, want)
	}
}
