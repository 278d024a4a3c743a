package labs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/proeftuin/proeftuin/internal/config"
)

func TestStarter(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "Mijn Lab!")
	if err := Starter(dest); err != nil {
		t.Fatal(err)
	}
	env, diags := config.Load(config.Options{Dir: dest})
	if len(diags) > 0 {
		t.Fatalf("the starter lab does not validate cleanly: %v", diags)
	}
	if env.Name != "mijn-lab" {
		t.Errorf("name %q, want mijn-lab", env.Name)
	}
	if problems, _ := Lint(env); len(problems) > 0 {
		t.Errorf("starter lab: %v", problems)
	}
	for _, f := range []string{"environment.hcl", "plan.hcl", "files/index.html", "images/web/Dockerfile"} {
		if _, err := os.Stat(filepath.Join(dest, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	data, _ := os.ReadFile(filepath.Join(dest, "environment.hcl"))
	if !strings.Contains(string(data), "# ") {
		t.Error("the starter has no comments")
	}
	if err := Starter(dest); err == nil {
		t.Fatal("starter into a non-empty folder: no error")
	}
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, []byte("x"), 0o644)
	if err := Starter(file); err == nil {
		t.Fatal("starter onto a file: no error")
	}
}

func TestEnvName(t *testing.T) {
	for in, want := range map[string]string{
		"mijn-lab":       "mijn-lab",
		"Mijn Lab!":      "mijn-lab",
		"__x__y":         "x-y",
		"!!!":            "mijn-lab",
		"":               "mijn-lab",
		"Proeftuin_2026": "proeftuin-2026",
		"ééé":            "mijn-lab",
	} {
		if got := EnvName(in); got != want {
			t.Errorf("EnvName(%q) = %q, want %q", in, got, want)
		}
	}
}
