package config

import (
	"slices"
	"testing"
)

func TestDependsOnConditions(t *testing.T) {
	env := loadSource(t, `
service "db" {
  image = "proeftuin/busybox:1"
}
service "migrate" {
  image      = "proeftuin/busybox:1"
  depends_on = [service.db]
}
service "web" {
  image      = "proeftuin/busybox:1"
  depends_on = { db = "started", migrate = "completed", "cache" = "ready" }
}
service "cache" {
  image = "proeftuin/busybox:1"
}
`)
	web := env.Service("web")
	if !slices.Equal(web.DependsOn, []string{"db", "migrate", "cache"}) {
		t.Errorf("depends_on = %v", web.DependsOn)
	}
	for dep, want := range map[string]string{"db": "started", "migrate": "completed", "cache": "ready"} {
		if got := web.Condition(dep); got != want {
			t.Errorf("condition of %s = %q, want %q", dep, got, want)
		}
	}
	if env.Service("migrate").Condition("db") != DependReady {
		t.Errorf("the list form is not \"ready\"")
	}
	_, diags := loadSourceDiags(t, `
service "db" {
  image = "proeftuin/busybox:1"
}
service "web" {
  image      = "proeftuin/busybox:1"
  depends_on = { db = "healthy", nope = "ready" }
}
`)
	wantError(t, diags, "Invalid value for depends_on", `"healthy"`)
	wantError(t, diags, "Unknown service", `"nope"`)
	_, diags = loadSourceDiags(t, `
service "a" {
  image      = "proeftuin/busybox:1"
  depends_on = { b = "started" }
}
service "b" {
  image      = "proeftuin/busybox:1"
  depends_on = { a = "completed" }
}
`)
	wantError(t, diags, "", "circle")
	_, diags = loadSourceDiags(t, `
service "job" {
  image   = "proeftuin/busybox:1"
  restart = "always"
}
service "web" {
  image      = "proeftuin/busybox:1"
  depends_on = { job = "completed" }
}
`)
	d := wantError(t, diags, "Dependency that never completes", `restart = "always"`)
	if d.Subject.Start.Line != 11 {
		t.Errorf("reported at line %d, want 11 (the depends_on entry)", d.Subject.Start.Line)
	}
}
