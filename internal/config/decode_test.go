package config

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestDecodeService(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		check func(t *testing.T, s *Service)
	}{
		{"defaults", `service "web" {
  image = "busybox"
}`, func(t *testing.T, s *Service) {
			if s.Pull != "missing" || s.Restart != "no" || s.Hostname != "web" || s.Ready != nil || s.StopTimeout != nil || s.Privileged {
				t.Errorf("defaults = %+v", s)
			}
		}},
		{"shell form command", `service "web" {
  image      = "busybox"
  command    = "echo hi && sleep 1"
  entrypoint = ["/bin/sh", "-c"]
}`, func(t *testing.T, s *Service) {
			if !reflect.DeepEqual(s.Command, []string{"/bin/sh", "-c", "echo hi && sleep 1"}) || !reflect.DeepEqual(s.Entrypoint, []string{"/bin/sh", "-c"}) {
				t.Errorf("command = %q entrypoint = %q", s.Command, s.Entrypoint)
			}
		}},
		{"every scalar", `service "web" {
  image        = "busybox:1"
  pull         = "never"
  working_dir  = "/srv"
  user         = "1000:1000"
  hostname     = "www"
  restart      = "on-failure"
  privileged   = true
  cap_add      = ["NET_ADMIN"]
  devices      = ["/dev/fuse"]
  sysctls      = { "net.ipv4.ip_forward" = "1" }
  labels       = { team = "blue" }
  stop_timeout = "10s"
  env          = { A = "1", B = 2 }
}`, func(t *testing.T, s *Service) {
			if s.Pull != "never" || s.WorkingDir != "/srv" || s.User != "1000:1000" || s.Hostname != "www" || s.Restart != "on-failure" || !s.Privileged {
				t.Errorf("scalars = %+v", s)
			}
			if !reflect.DeepEqual(s.CapAdd, []string{"NET_ADMIN"}) || !reflect.DeepEqual(s.Devices, []string{"/dev/fuse"}) {
				t.Errorf("cap_add/devices = %v %v", s.CapAdd, s.Devices)
			}
			if s.Sysctls["net.ipv4.ip_forward"] != "1" || s.Labels["team"] != "blue" || s.Env["B"] != "2" {
				t.Errorf("maps = %v %v %v", s.Sysctls, s.Labels, s.Env)
			}
			if *s.StopTimeout != 10*time.Second {
				t.Errorf("stop_timeout = %v", *s.StopTimeout)
			}
			for _, k := range []string{"image", "privileged", "cap_add", "devices"} {
				if r, ok := s.AttrRanges[k]; !ok || r.Start.Line == 0 {
					t.Errorf("AttrRanges[%q] missing", k)
				}
			}
		}},
		{"network mode", `service "db" {
  image = "busybox"
}
service "web" {
  image        = "busybox"
  network_mode = "service:db"
}`, func(t *testing.T, s *Service) {
			if s.NetworkMode != "service:db" || s.AttrRanges["network_mode"].Start.Line != 9 {
				t.Errorf("network_mode = %q at %v", s.NetworkMode, s.AttrRanges["network_mode"])
			}
		}},
		{"networks and ports", `network "front" {}
network "back" {
  subnet  = "172.30.5.0/24"
  gateway = "172.30.5.1"
}
service "web" {
  image = "busybox"
  network "front" {
    aliases = ["www", "shop"]
  }
  network "back" {
    ipv4_address = cidrhost(network.back.subnet, 20)
  }
  port {
    host      = 8081
    container = 80
  }
  port {
    container = 53
    protocol  = "udp"
    host_ip   = "0.0.0.0"
  }
}`, func(t *testing.T, s *Service) {
			if len(s.Networks) != 2 || !reflect.DeepEqual(s.Networks[0].Aliases, []string{"www", "shop"}) || s.Networks[1].IPv4Address != "172.30.5.20" {
				t.Errorf("networks = %+v %+v", s.Networks[0], s.Networks[1])
			}
			p := s.Ports[1]
			if s.Ports[0].Host != 8081 || p.Host != 0 || p.Container != 53 || p.Protocol != "udp" || p.HostIP != "0.0.0.0" {
				t.Errorf("ports = %+v %+v", s.Ports[0], p)
			}
		}},
		{"mounts", `volume "data" {}
service "web" {
  image = "busybox"
  mount {
    volume    = volume.data
    target    = "/data"
    read_only = true
  }
  mount {
    bind   = "/srv/shared"
    target = "/shared"
  }
  mount {
    tmpfs  = true
    target = "/tmp"
  }
}`, func(t *testing.T, s *Service) {
			m := s.Mounts
			if m[0].Volume != "data" || !m[0].ReadOnly || m[1].Bind != "/srv/shared" || !m[2].Tmpfs || m[2].Target != "/tmp" {
				t.Errorf("mounts = %+v %+v %+v", m[0], m[1], m[2])
			}
			if r := s.AttrRanges["mount.bind.1"]; r.Start.Line != 13 {
				t.Errorf("AttrRanges[mount.bind.1] = %v", r)
			}
		}},
		{"files", `service "web" {
  image = "busybox"
  file "/etc/a" {
    content = "a"
    mode    = 755
    owner   = "nobody"
  }
  file "/etc/b" {
    content = jsonencode({ x = 1 })
    mode    = "0600"
  }
}`, func(t *testing.T, s *Service) {
			a, b := s.Files[0], s.Files[1]
			if a.Mode != 0o755 || a.Owner != "nobody" || string(a.Content) != "a" {
				t.Errorf("file a = %+v", a)
			}
			if b.Mode != 0o600 || string(b.Content) != `{"x":1}` || b.Owner != "0:0" {
				t.Errorf("file b = %+v", b)
			}
		}},
		{"ready probes", `service "web" {
  image = "busybox"
  ready {
    log {
      pattern     = "listening on [0-9]+"
      occurrences = 2
    }
    interval = "250ms"
  }
}`, func(t *testing.T, s *Service) {
			r := s.Ready
			if r.Log == nil || r.Log.Occurrences != 2 || r.Interval != 250*time.Millisecond || r.Timeout != time.Minute {
				t.Errorf("ready = %+v %+v", r, r.Log)
			}
		}},
		{"ready healthcheck", `service "web" {
  image = "busybox"
  healthcheck {
    test           = "wget -q -O- http://127.0.0.1/"
    start_period   = "5s"
    start_interval = "1s"
    timeout        = "3s"
  }
  ready {
    healthcheck = true
    timeout     = "2m"
  }
}`, func(t *testing.T, s *Service) {
			h := s.Healthcheck
			if !reflect.DeepEqual(h.Test, []string{"CMD-SHELL", "wget -q -O- http://127.0.0.1/"}) || h.StartPeriod != 5*time.Second || h.StartInterval != time.Second || h.Timeout != 3*time.Second {
				t.Errorf("healthcheck = %+v", h)
			}
			if !s.Ready.Healthcheck || s.Ready.Timeout != 2*time.Minute {
				t.Errorf("ready = %+v", s.Ready)
			}
		}},
		{"resources", `service "web" {
  image = "busybox"
  resources {
    memory = "1.5g"
    cpus   = 0.5
  }
}`, func(t *testing.T, s *Service) {
			if s.Resources.MemoryBytes != 3<<29 || s.Resources.CPUs != 0.5 {
				t.Errorf("resources = %+v", s.Resources)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := loadSource(t, tt.src)
			tt.check(t, env.Services[len(env.Services)-1])
		})
	}
}

func TestDecodeBuild(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"main.hcl": envHeader + `service "app" {
  build {
    context    = "images/app"
    dockerfile = "Containerfile"
    target     = "runtime"
    args       = { VERSION = "1.2" }
  }
}`,
		"images/app/Containerfile": "FROM scratch\n",
	})
	env, diags := Load(Options{Dir: dir})
	if diags.HasErrors() {
		t.Fatal(diagList(diags))
	}
	b := env.Services[0].Build
	if !strings.HasSuffix(b.Context, "/images/app") || b.Dockerfile != "Containerfile" || b.Target != "runtime" || b.Args["VERSION"] != "1.2" {
		t.Errorf("build = %+v", b)
	}
}

func TestDecodeNetworkAndRequirement(t *testing.T) {
	env := loadSource(t, `
network "a" {
  internal = true
  subnet   = "auto"
}
network "b" {
  subnet = "192.168.50.0/24"
}
volume "v" {}
requirement "NFR-1" {
  title       = "Fast"
  kind        = "performance"
  priority    = "could"
  source      = "interview"
  description = "Pages load quickly."
}
`, func(o *Options) { o.Subnets = map[string]string{"a": "10.200.0.0/24"} })
	a, b := env.Network("a"), env.Network("b")
	if !a.Internal || !a.AutoSubnet || a.Subnet != "10.200.0.0/24" || b.AutoSubnet || b.Subnet != "192.168.50.0/24" {
		t.Errorf("networks = %+v %+v", a, b)
	}
	if len(env.Volumes) != 1 || env.Volumes[0].Name != "v" {
		t.Errorf("volumes = %+v", env.Volumes)
	}
	r := env.Requirement("NFR-1")
	if r.Kind != "performance" || r.Priority != Could || r.Source != "interview" || r.Description != "Pages load quickly." || r.Title != "Fast" {
		t.Errorf("requirement = %+v", r)
	}
}

func TestDecodeChecks(t *testing.T) {
	const head = `requirement "R" {
  title    = "r"
  priority = "should"
}
service "web" {
  image = "busybox"
}
`
	tests := []struct {
		name  string
		block string
		check func(t *testing.T, c *Check)
	}{
		{"exec", `exec {
    service         = service.web
    command         = ["cat", "/etc/hostname"]
    user            = "nobody"
    workdir         = "/tmp"
    env             = { X = "1" }
    exit_code       = 3
    stdout_contains = "web"
    stdout_matches  = "^w"
    stderr_contains = "warn"
    stderr_matches  = "w+"
  }`, func(t *testing.T, c *Check) {
			e := c.Probe.Exec
			if c.Probe.Kind != "exec" || e.Service != "web" || e.User != "nobody" || e.WorkDir != "/tmp" || e.Env["X"] != "1" || *e.ExitCode != 3 ||
				e.StdoutContains != "web" || e.StdoutMatches != "^w" || e.StderrContains != "warn" || e.StderrMatches != "w+" {
				t.Errorf("exec = %+v", e)
			}
		}},
		{"http", `http {
    from          = service.web
    url           = "http://web:80/api"
    method        = "post"
    headers       = { Accept = "application/json" }
    body          = "{}"
    status        = 201
    body_contains = "ok"
    body_matches  = "o+k"
    header        = { "Content-Type" = "json" }
    json_path     = "items.0.name"
    json_equals   = "bread"
  }`, func(t *testing.T, c *Check) {
			h := c.Probe.HTTP
			if h.From != "web" || h.Method != "POST" || h.Status != 201 || h.Headers["Accept"] != "application/json" || h.Header["Content-Type"] != "json" ||
				h.JSONPath != "items.0.name" || h.JSONEquals != "bread" || h.BodyMatches != "o+k" || h.Body != "{}" {
				t.Errorf("http = %+v", h)
			}
		}},
		{"http defaults", `http {
    url = "http://127.0.0.1/"
  }`, func(t *testing.T, c *Check) {
			if h := c.Probe.HTTP; h.From != "" || h.Method != "GET" || h.Status != 200 {
				t.Errorf("http = %+v", h)
			}
		}},
		{"tcp", `tcp {
    from      = "web"
    address   = "db:3306"
    reachable = false
  }`, func(t *testing.T, c *Check) {
			if p := c.Probe.TCP; p.From != "web" || p.Address != "db:3306" || p.Reachable {
				t.Errorf("tcp = %+v", p)
			}
		}},
		{"dns", `dns {
    from    = service.web
    name    = "db"
    address = "10.0.0.5"
  }`, func(t *testing.T, c *Check) {
			if p := c.Probe.DNS; p.From != "web" || p.Name != "db" || p.Address != "10.0.0.5" || !p.Resolves {
				t.Errorf("dns = %+v", p)
			}
		}},
		{"file", `file {
    service  = service.web
    path     = "/etc/app.conf"
    contains = "port"
    mode     = 640
  }`, func(t *testing.T, c *Check) {
			if p := c.Probe.File; p.Service != "web" || !p.Exists || p.Contains != "port" || p.Mode != "0640" {
				t.Errorf("file = %+v", p)
			}
		}},
		{"process", `process {
    service = service.web
    name    = "httpd"
    running = false
  }`, func(t *testing.T, c *Check) {
			if p := c.Probe.Process; p.Service != "web" || p.Name != "httpd" || p.Running {
				t.Errorf("process = %+v", p)
			}
		}},
		{"service", `service {
    service = service.web
    state   = "healthy"
  }`, func(t *testing.T, c *Check) {
			if p := c.Probe.Service; p.Service != "web" || p.State != "healthy" {
				t.Errorf("service = %+v", p)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := loadSource(t, head+"check \"c\" {\n  title    = \"T\"\n  verifies = [requirement.R]\n  timeout  = \"45s\"\n  "+tt.block+"\n}\n")
			c := env.Checks[0]
			if c.Name != "c" || c.Title != "T" || !reflect.DeepEqual(c.Verifies, []string{"R"}) || c.Probe.Kind != tt.name && !strings.HasPrefix(tt.name, c.Probe.Kind) {
				t.Errorf("check = %+v", c)
			}
			if c.Timeout != 45*time.Second {
				t.Errorf("timeout = %v", c.Timeout)
			}
			tt.check(t, c)
		})
	}
}

func TestDecodeStep(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"main.hcl": envHeader + `
requirement "R" {
  title    = "r"
  priority = "should"
}
service "web" {
  image = "busybox"
}
plan "p" {
  title       = "Plan"
  description = "Does things."
}
step "all" {
  title      = "Every action"
  implements = [requirement.R]
  timeout    = "10m"
  on_failure = "continue"
  planned    = "7m30s"
  retry {
    attempts = 2
    delay    = "3s"
  }
  exec {
    service    = service.web
    command    = ["sh"]
    user       = "root"
    workdir    = "/"
    env        = { A = "b" }
    stdin_file = "files/in.txt"
    exit_code  = 1
    timeout    = "5s"
  }
  copy {
    service = service.web
    source  = "files"
    target  = "/srv"
    owner   = "1:1"
  }
  stop {
    service = service.web
  }
  start {
    service = "web"
  }
  restart {
    service = service.web
  }
  wait {
    service = service.web
    exec {
      command   = ["true"]
      exit_code = 0
    }
  }
  http {
    url    = "http://127.0.0.1/"
    method = "DELETE"
    status = 204
  }
  check "after" {
    timeout = "1s"
    service {
      service = service.web
    }
  }
  rollback {
    stop {
      service = service.web
    }
    exec {
      service = service.web
      command = ["rm", "-rf", "/srv"]
    }
  }
}
`,
		"files/in.txt": "input\n",
	})
	env, diags := Load(Options{Dir: dir})
	if len(diags) > 0 {
		t.Fatal(diagList(diags))
	}
	if env.Plan.Title != "Plan" || env.Plan.Description != "Does things." {
		t.Errorf("plan = %+v", env.Plan)
	}
	s := env.Steps[0]
	if s.Title != "Every action" || !reflect.DeepEqual(s.Implements, []string{"R"}) || s.Timeout != 10*time.Minute || s.OnFailure != "continue" || s.Planned != 7*time.Minute+30*time.Second || s.Retry != (Retry{Attempts: 2, Delay: 3 * time.Second}) {
		t.Errorf("step = %+v", s)
	}
	var kinds []string
	for _, a := range s.Actions {
		kinds = append(kinds, a.Kind)
	}
	if want := []string{"exec", "copy", "stop", "start", "restart", "wait", "http"}; !reflect.DeepEqual(kinds, want) {
		t.Errorf("actions = %v, want %v", kinds, want)
	}
	e := s.Actions[0]
	if e.Exec.StdinFile != dir+"/files/in.txt" && !strings.HasSuffix(e.Exec.StdinFile, "/files/in.txt") || e.Exec.ExitCode != 1 || e.Timeout != 5*time.Second || e.Exec.Env["A"] != "b" || e.Exec.User != "root" {
		t.Errorf("exec = %+v %+v", e, e.Exec)
	}
	if c := s.Actions[1].Copy; !strings.HasSuffix(c.Source, "/files") || c.Target != "/srv" || c.Owner != "1:1" || c.Mode != 0 || s.Actions[1].Timeout != 2*time.Minute {
		t.Errorf("copy = %+v", c)
	}
	if s.Actions[2].Service != "web" || s.Actions[3].Service != "web" || s.Actions[4].Service != "web" {
		t.Errorf("stop/start/restart services = %q %q %q", s.Actions[2].Service, s.Actions[3].Service, s.Actions[4].Service)
	}
	if w := s.Actions[5].Wait; w.Service != "web" || w.Ready.Exec == nil || w.Ready.Timeout != time.Minute {
		t.Errorf("wait = %+v", w)
	}
	if h := s.Actions[6].HTTP; h.Method != "DELETE" || h.Status != 204 {
		t.Errorf("http = %+v", h)
	}
	if len(s.Checks) != 1 || s.Checks[0].Probe.Service.State != "running" || s.Checks[0].Timeout != time.Second {
		t.Errorf("checks = %+v", s.Checks)
	}
	if len(s.Rollback) != 2 || s.Rollback[0].Kind != "stop" || s.Rollback[1].Exec.Command[0] != "rm" {
		t.Errorf("rollback = %+v", s.Rollback)
	}
}

func TestWarnings(t *testing.T) {
	_, diags := loadSourceDiags(t, `
requirement "FR-01" {
  title    = "Must"
  priority = "must"
}
plan "empty" {}
`)
	if diags.HasErrors() {
		t.Fatal(diagList(diags))
	}
	var got []string
	for _, d := range diags {
		got = append(got, d.Summary)
	}
	if want := []string{"Requirement not verified", "Empty plan"}; !reflect.DeepEqual(got, want) {
		t.Errorf("warnings = %v, want %v", got, want)
	}
}
