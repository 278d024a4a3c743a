package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeRubric(t *testing.T, src string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "grading.hcl")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadRubric(t *testing.T) {
	p := writeRubric(t, `
rubric "web" {
  title = "Webserver"
  due   = "2026-12-20T17:00:00+01:00"
}
requires {
  services     = ["web"]
  requirements = ["FR-01", "SEC-01"]
}
points {
  FR-01  = 3
  SEC-01 = 2
}
limits {
  memory = "512m"
  cpus   = 1
  pids   = 256
  disk   = "1g"
}
check "index" {
  points     = 4
  visibility = "after_due"
  exec {
    service         = service.web
    command         = ["cat", "/www/index.html"]
    stdout_contains = "hello"
  }
}
check "secret" {
  http { url = "http://127.0.0.1:8080/" }
}
`)
	r, diags := LoadRubric(p)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if r.Name != "web" || r.Title != "Webserver" || r.Due.IsZero() {
		t.Errorf("head: %+v", r)
	}
	if r.Points["FR-01"] != 3 || r.Points["SEC-01"] != 2 {
		t.Errorf("points: %v", r.Points)
	}
	if r.Limits.MemoryBytes != 512<<20 || r.Limits.CPUs != 1 || r.Limits.Pids != 256 || r.Limits.DiskBytes != 1<<30 {
		t.Errorf("limits: %+v", r.Limits)
	}
	if len(r.Checks) != 2 {
		t.Fatalf("checks: %d", len(r.Checks))
	}
	c := r.Checks[0]
	if c.Points != 4 || c.Visibility != "after_due" || c.Probe.Exec == nil || c.Probe.Exec.Service != "web" {
		t.Errorf("check 0: %+v %+v", c, c.Probe.Exec)
	}
	if r.Checks[1].Points != 1 || r.Checks[1].Visibility != "hidden" || r.Checks[1].Probe.HTTP == nil {
		t.Errorf("check 1 defaults: %+v", r.Checks[1])
	}
}

func TestLoadRubricInvalid(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"no rubric", `requires {}`, "Missing rubric block"},
		{"bad due", `rubric "r" { due = "friday" }`, "grading.hcl:1:20: Invalid due date"},
		{"bad visibility", "rubric \"r\" {}\ncheck \"c\" {\n  visibility = \"later\"\n  tcp { address = \"127.0.0.1:1\" }\n}", "grading.hcl:3:16: Invalid visibility"},
		{"unknown service", "rubric \"r\" {}\nrequires { services = [\"web\"] }\ncheck \"c\" {\n  file {\n    service = service.db\n    path = \"/x\"\n  }\n}", "grading.hcl:5:"},
		{"unknown points id", "rubric \"r\" {}\npoints {\n  FR-09 = 1\n}", "grading.hcl:3:3: Unknown requirement"},
		{"bad limit", "rubric \"r\" {}\nlimits { memory = \"lots\" }", "grading.hcl:2:19: Invalid size"},
		{"no kind", "rubric \"r\" {}\ncheck \"c\" { points = 1 }", "Missing check kind"},
		{"duplicate", "rubric \"r\" {}\ncheck \"c\" {\n tcp { address = \"127.0.0.1:1\" }\n}\ncheck \"c\" {\n tcp { address = \"127.0.0.1:1\" }\n}", "Duplicate check"},
		{"unknown block", "rubric \"r\" {}\nservice \"x\" {}", "grading.hcl:2:"},
		{"syntax", "rubric \"r\" {", "grading.hcl:1:"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, diags := LoadRubric(writeRubric(t, tc.src))
			if !diags.HasErrors() {
				t.Fatal("no error")
			}
			var all []string
			for _, d := range diags {
				s := d.Summary
				if d.Subject != nil {
					s = fmt.Sprintf("%s:%d:%d: %s", filepath.Base(d.Subject.Filename), d.Subject.Start.Line, d.Subject.Start.Column, s)
				}
				all = append(all, s)
			}
			if !strings.Contains(strings.Join(all, "\n"), tc.want) {
				t.Errorf("want %q in\n%s", tc.want, strings.Join(all, "\n"))
			}
		})
	}
}

// The example rubric in examples/grading loads without errors.
func TestExampleRubrics(t *testing.T) {
	files, _ := filepath.Glob("../../examples/grading/*.hcl")
	if len(files) == 0 {
		t.Fatal("no example rubric in examples/grading")
	}
	for _, f := range files {
		r, diags := LoadRubric(f)
		if diags.HasErrors() {
			t.Errorf("%s: %s", f, diags.Error())
			continue
		}
		if len(r.Checks) == 0 || len(r.Points) == 0 {
			t.Errorf("%s: no checks or points", f)
		}
	}
}
