package config

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/proeftuin/proeftuin/internal/gctune"
)

// writeLargeEnvironment writes an environment of services services spread
// over networks networks, with checks acceptance checks. A rich service
// uses nearly every attribute (about 35 lines); a typical one has what the
// example labs have (image, command, env, network, port, ready: 20 lines).
func writeLargeEnvironment(tb testing.TB, dir string, services, networks, checks int, rich bool) {
	tb.Helper()
	var b strings.Builder
	b.WriteString(`environment "large" {
  title = "Generated"
}

variable "image" {
  default = "proeftuin/busybox:1"
}

variable "secret" {
  default   = "s3cret"
  sensitive = true
}

requirement "FR-01" {
  title    = "Everything answers"
  priority = "must"
}

`)
	for n := 0; n < networks; n++ {
		fmt.Fprintf(&b, "network \"net%d\" {\n  subnet = \"10.%d.0.0/16\"\n}\n\n", n, n+1)
	}
	for s := 0; s < services; s++ {
		n := s % networks
		if !rich {
			fmt.Fprintf(&b, `service "svc%d" {
  image   = var.image
  command = ["sh", "-c", "sleep 3600"]
  env = {
    SECRET = var.secret
  }
  network "net%d" {
    ipv4_address = cidrhost(network.net%d.subnet, %d)
  }
  port {
    host      = %d
    container = 8080
  }
  ready {
    port {
      port = 8080
    }
  }
`, s, n, n, s+10, 20000+s)
			if s > 0 {
				fmt.Fprintf(&b, "  depends_on = [service.svc%d]\n", s-1)
			}
			b.WriteString("  satisfies = [requirement.FR-01]\n}\n\n")
			continue
		}
		fmt.Fprintf(&b, `service "svc%d" {
  image   = var.image
  command = ["sh", "-c", "sleep 3600"]
  env = {
    INDEX  = "%d"
    SECRET = "pw-${var.secret}"
    ADDR   = cidrhost(network.net%d.subnet, %d)
  }
  network "net%d" {
    ipv4_address = cidrhost(network.net%d.subnet, %d)
    aliases      = ["alias%d"]
  }
  port {
    host      = %d
    container = 8080
  }
  mount {
    tmpfs  = true
    target = "/tmp"
  }
  file "/etc/app.conf" {
    content = "name = svc%d\n"
    mode    = "0600"
  }
  ready {
    http {
      port = 8080
      path = "/health"
    }
    timeout = "30s"
  }
  resources {
    memory = "64m"
    cpus   = 0.25
  }
`, s, s, n, s+10, n, n, s+10, s, 20000+s, s)
		if s > 0 {
			fmt.Fprintf(&b, "  depends_on = [service.svc%d]\n", s-1)
		}
		b.WriteString("  satisfies = [requirement.FR-01]\n}\n\n")
	}
	for c := 0; c < checks; c++ {
		fmt.Fprintf(&b, `check "check%d" {
  verifies = [requirement.FR-01]
  exec {
    service        = service.svc%d
    command        = ["cat", "/etc/app.conf"]
    stdout_matches = "svc[0-9]+"
  }
}

`, c, c%services)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkLoad loads 200 typical services on 20 networks with 200 checks,
// with the collector set as the proeftuin binary sets it (gctune.Apply);
// the target is under 50 ms and 30 MB per load.
func BenchmarkLoad(b *testing.B) {
	defer debug.SetGCPercent(debug.SetGCPercent(gctune.Percent))
	benchmarkLoad(b, false)
}

// BenchmarkLoadDefaultGC is BenchmarkLoad with Go's default collector
// settings, to show what gctune buys.
func BenchmarkLoadDefaultGC(b *testing.B) { benchmarkLoad(b, false) }

// BenchmarkLoadRich does the same with services that use nearly every
// attribute; most of its time and memory goes to HCL's lexer and parser.
func BenchmarkLoadRich(b *testing.B) { benchmarkLoad(b, true) }

func benchmarkLoad(b *testing.B, rich bool) {
	dir := b.TempDir()
	writeLargeEnvironment(b, dir, 200, 20, 200, rich)
	env, diags := Load(Options{Dir: dir})
	if diags.HasErrors() {
		b.Fatal(diags.Error())
	}
	if len(env.Services) != 200 || len(env.Checks) != 200 || len(env.Networks) != 20 {
		b.Fatalf("loaded %d services, %d checks, %d networks", len(env.Services), len(env.Checks), len(env.Networks))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, diags := Load(Options{Dir: dir}); diags.HasErrors() {
			b.Fatal(diags.Error())
		}
	}
}
