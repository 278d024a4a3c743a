package e2e

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestEngineRefusalNamesTheHolder: a second instance of a lab that needs
// what the first holds (a literal subnet, a fixed host port) is refused
// by the engine; up exits 3 and names the first instance, and doctor
// --dir says so before up.
func TestEngineRefusalNamesTheHolder(t *testing.T) {
	needEngine(t)
	t.Parallel()
	for _, tc := range []struct {
		name, src, want string
	}{
		{"subnet", `
environment "refusal-subnet" {}
network "lan" { subnet = "10.231.77.0/24" }
service "web" {
  image   = "` + testImage + `"
  command = ["sleep", "600"]
  network "lan" {}
}
requirement "FR-01" {
  title    = "web runs"
  priority = "must"
}
plan "p" { title = "one step" }
step "one" {
  title = "touch a file"
  exec {
    service = service.web
    command = ["touch", "/tmp/x"]
  }
}
check "web-runs" {
  title    = "web runs"
  verifies = [requirement.FR-01]
  exec {
    service = service.web
    command = ["test", "-e", "/tmp/x"]
  }
}
`, "network 10.231.77.0/24 is held by instance %s (lab refusal-subnet)"},
		{"port", `
environment "refusal-port" {}
service "web" {
  image   = "` + testImage + `"
  command = ["httpd", "-f", "-p", "80"]
  port {
    host      = 38977
    container = 80
  }
}
`, "port 127.0.0.1:38977/tcp is held by instance %s (lab refusal-port)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "lab")
			writeLab(t, dir, tc.src)
			first, second := newInstance(t, "a"), newInstance(t, "b")
			mustRun(t, dir, "--name", first, "up")
			want := strings.Replace(tc.want, "%s", first, 1)

			doc := run(t, t.TempDir(), "--name", second, "doctor", "--dir", dir)
			if doc.Code == 0 || !strings.Contains(doc.Stdout, want) {
				t.Errorf("doctor --dir does not name the holder (want %q):\n%s", want, doc)
			}
			up := run(t, dir, "--name", second, "up")
			if up.Code != 3 || !strings.Contains(up.Stderr, want) {
				t.Errorf("second up: want exit 3 naming the holder (%q):\n%s", want, up)
			}
			if tc.name == "subnet" {
				// lab verify brings up an instance of its own: refused too.
				v := run(t, dir, "--name", newInstance(t, "v"), "lab", "verify", "--dir", dir)
				if v.Code != 3 || !strings.Contains(v.Stdout, want) {
					t.Errorf("lab verify: want exit 3 naming the holder (%q):\n%s", want, v)
				}
			}
			if left := containers(t, second); len(left) != 0 {
				t.Errorf("the refused up left %d containers", len(left))
			}
		})
	}
}
