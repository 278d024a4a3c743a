package config

import (
	"slices"
	"testing"
)

func TestSecretBlocks(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"main.hcl": envHeader + `
variable "pw" {
  type      = string
  default   = "geheim-1"
  sensitive = true
}
secret "pw" {
  source = var.pw
}
secret "key" {
  file = "key.txt"
  mode = "0440"
}
service "web" {
  image   = "proeftuin/busybox:1"
  secrets = [secret.pw, "key"]
}
`,
		"key.txt": "sleutel-2\n",
	})
	env, diags := Load(Options{Dir: dir})
	if diags.HasErrors() {
		t.Fatalf("errors: %s", diagList(diags))
	}
	s := env.Service("web")
	if !slices.Equal(s.Secrets, []string{"pw", "key"}) || len(s.Files) != 2 {
		t.Fatalf("secrets %v files %d", s.Secrets, len(s.Files))
	}
	if f := s.Files[1]; f.Path != "/run/secrets/key" || string(f.Content) != "sleutel-2\n" || f.Mode != 0o440 || f.Owner != "0:0" {
		t.Errorf("key file = %+v", f)
	}
	if s.Files[0].Mode != 0o400 {
		t.Errorf("default mode %o, want 400", s.Files[0].Mode)
	}
	for _, v := range []string{"geheim-1", "sleutel-2\n", "sleutel-2"} {
		if !slices.Contains(env.Secrets, v) {
			t.Errorf("%q is not registered for redaction: %q", v, env.Secrets)
		}
	}
	if _, ok := s.Env["pw"]; ok || len(s.Env) != 0 {
		t.Errorf("a secret reached the environment: %v", s.Env)
	}
}

func TestSecretErrors(t *testing.T) {
	_, diags := loadSourceDiags(t, `
secret "a" {}
secret "b" {
  source = "plain"
  file   = "x"
}
secret "c" {
  source = "written-in-the-lab"
}
service "web" {
  image   = "proeftuin/busybox:1"
  secrets = ["nope"]
}
`)
	wantError(t, diags, "Missing secret value", `"a"`)
	wantError(t, diags, "Both source and file", `"b"`)
	wantError(t, diags, "Unknown secret", `"nope"`)
	found := false
	for _, d := range diags {
		found = found || d.Summary == "Secret from a value that is not sensitive"
	}
	if !found {
		t.Errorf("no warning for a secret written in the lab:\n%s", diagList(diags))
	}
}
