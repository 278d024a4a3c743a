package config

import (
	"path/filepath"
	"reflect"
	"testing"
)

func TestEnvFileFormatAndPrecedence(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"main.hcl": envHeader + `
service "web" {
  image    = "proeftuin/busybox:1"
  env_file = ["common.env", "web.env"]
  env      = { PORT = "9090" }
  expose   = [8080, "53/udp"]
}
`,
		"common.env": "# shared\n\nPORT=80\nNAME=common\nexport GREETING = 'hallo  # wereld'\n",
		"web.env":    "NAME=\"web\\nserver\" # comment\nPLAIN=  spaced value   # tail\nEMPTY=\nURL=http://x/#frag\r\n",
	})
	env, diags := Load(Options{Dir: dir})
	if diags.HasErrors() {
		t.Fatalf("errors: %s", diagList(diags))
	}
	s := env.Service("web")
	want := map[string]string{
		"PORT": "9090", "NAME": "web\nserver", "GREETING": "hallo  # wereld",
		"PLAIN": "spaced value", "EMPTY": "", "URL": "http://x/#frag",
	}
	if !reflect.DeepEqual(s.Env, want) {
		t.Errorf("env = %#v, want %#v", s.Env, want)
	}
	if !reflect.DeepEqual(s.Expose, []string{"8080/tcp", "53/udp"}) {
		t.Errorf("expose = %v", s.Expose)
	}
}

func TestEnvFileErrorsNameFileLineColumn(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"main.hcl": envHeader + `
service "web" {
  image    = "proeftuin/busybox:1"
  env_file = "bad.env"
}
`,
		"bad.env": "OK=1\n  FROM_HOST\n1BAD=x\nQ=\"open\n",
	})
	_, diags := Load(Options{Dir: dir})
	d := wantError(t, diags, "Invalid env file line", "FROM_HOST")
	if filepath.Base(d.Subject.Filename) != "bad.env" || d.Subject.Start.Line != 2 || d.Subject.Start.Column != 3 {
		t.Errorf("subject = %s:%d:%d, want bad.env:2:3", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column)
	}
	d = wantError(t, diags, "Invalid environment variable", "1BAD")
	if d.Subject.Start.Line != 3 {
		t.Errorf("line = %d, want 3", d.Subject.Start.Line)
	}
	d = wantError(t, diags, "Invalid env file value", "closing")
	if d.Subject.Start.Line != 4 || d.Subject.Start.Column != 3 {
		t.Errorf("at %d:%d, want 4:3", d.Subject.Start.Line, d.Subject.Start.Column)
	}
	_, diags = loadSourceDiags(t, `
service "web" {
  image    = "proeftuin/busybox:1"
  env_file = "missing.env"
  expose   = ["http"]
}
`)
	wantError(t, diags, "Invalid env_file", "missing.env")
	wantError(t, diags, "Invalid expose", "http")
}
