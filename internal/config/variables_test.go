package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

const portVar = `variable "port" {
  type    = number
  default = 1
  validation {
    condition     = var.port < 60000
    error_message = "Keep the port below 60000."
  }
}
variable "name" {
  default = "default-name"
}
service "web" {
  image    = "busybox"
  env      = { NAME = "busybox:${var.name}" }
  port {
    host      = var.port
    container = 80
  }
}
`

func TestVariablePrecedence(t *testing.T) {
	varFile := func(t *testing.T, content string) string {
		p := filepath.Join(t.TempDir(), "vars.hcl")
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name       string
		environ    []string
		files      []string
		vars       []string
		wantPort   int
		wantSource string
		wantName   string
	}{
		{"default", nil, nil, nil, 1, "default", "default-name"},
		{"environment beats default", []string{"PROEFTUIN_VAR_port=2", "PROEFTUIN_VAR_name=env"}, nil, nil, 2, "environment PROEFTUIN_VAR_port", "env"},
		{"var file beats environment", []string{"PROEFTUIN_VAR_port=2"}, []string{"port = 3\nname = \"file\""}, nil, 3, "file", "file"},
		{"later var file wins", nil, []string{"port = 3", "port = 4"}, nil, 4, "file", "default-name"},
		{"--var beats everything", []string{"PROEFTUIN_VAR_port=2"}, []string{"port = 3"}, []string{"port=5", "name=cli"}, 5, "--var", "cli"},
		{"last --var wins", nil, nil, []string{"port=5", "port=6"}, 6, "--var", "default-name"},
		{"string taken literally", nil, nil, []string{`name=${file("/etc/passwd")}`}, 1, "default", `${file("/etc/passwd")}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var files []string
			for _, c := range tt.files {
				files = append(files, varFile(t, c))
			}
			env := loadSource(t, portVar, func(o *Options) {
				o.Environ = append([]string{"OTHER=1", "PROEFTUIN_VAR_undeclared=1"}, tt.environ...)
				o.VarFiles = files
				o.Vars = tt.vars
			})
			if got := env.Services[0].Ports[0].Host; got != tt.wantPort {
				t.Errorf("port = %d, want %d", got, tt.wantPort)
			}
			if got := env.Services[0].Env["NAME"]; got != "busybox:"+tt.wantName {
				t.Errorf("env NAME = %q, want name %q", got, tt.wantName)
			}
			v := env.Variables[0]
			if !strings.HasPrefix(v.Source, tt.wantSource) || v.Type != "number" {
				t.Errorf("source = %q, want %q", v.Source, tt.wantSource)
			}
			if v.Value != strings.TrimSpace(strings.Split(v.Value, "\n")[0]) || v.Value == "" {
				t.Errorf("value text = %q", v.Value)
			}
		})
	}
}

func TestVariableErrors(t *testing.T) {
	dir := t.TempDir()
	badFile := filepath.Join(dir, "bad.hcl")
	if err := os.WriteFile(badFile, []byte("port = \"eighty\"\nprot = 8\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		opts    func(*Options)
		summary string
		detail  string
		file    string // "" when the diagnostic must have no subject
		line    int
	}{
		{"env not a number", func(o *Options) { o.Environ = []string{"PROEFTUIN_VAR_port=abc"} },
			"Invalid value for var.port from PROEFTUIN_VAR_port", "number", "", 0},
		{"--var wrong type", func(o *Options) { o.Vars = []string{`port="x"`} },
			"Invalid value for var.port from --var", "a number is required", "", 0},
		{"--var fails validation", func(o *Options) { o.Vars = []string{"port=61000"} },
			"Invalid value for var.port from --var", "Keep the port below 60000.", "", 0},
		{"env fails validation", func(o *Options) { o.Environ = []string{"PROEFTUIN_VAR_port=65000"} },
			"Invalid value for var.port from PROEFTUIN_VAR_port", "Keep the port below 60000.", "", 0},
		{"unknown --var", func(o *Options) { o.Vars = []string{"prot=1"} },
			`Unknown variable "prot" in --var`, `Did you mean "port"?`, "", 0},
		{"malformed --var", func(o *Options) { o.Vars = []string{"port"} },
			"Invalid --var option", "name=value", "", 0},
		{"var file wrong type", func(o *Options) { o.VarFiles = []string{badFile} },
			"Invalid value for variable", "a number is required", badFile, 1},
		{"var file unknown name", func(o *Options) { o.VarFiles = []string{badFile} },
			`Unknown variable "prot"`, `Did you mean "port"?`, badFile, 2},
		{"missing var file", func(o *Options) { o.VarFiles = []string{filepath.Join(dir, "nope.hcl")} },
			"Cannot read variable file", "nope.hcl", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := loadSourceDiags(t, portVar, tt.opts)
			d := wantError(t, diags, tt.summary, tt.detail)
			switch {
			case tt.file == "" && d.Subject != nil:
				t.Errorf("subject = %v, want none", d.Subject)
			case tt.file != "" && (d.Subject == nil || d.Subject.Filename != tt.file || d.Subject.Start.Line != tt.line):
				t.Errorf("subject = %v, want %s:%d", d.Subject, tt.file, tt.line)
			}
		})
	}
}

func TestVariableTypes(t *testing.T) {
	env := loadSource(t, `
variable "ports" {
  type    = list(number)
  default = ["80", 81]
}
variable "opts" {
  type = map(string)
}
variable "flag" {
  type    = bool
  default = false
}
service "web" {
  image = "busybox"
  env   = merge(var.opts, { FLAG = tostring(var.flag), FIRST = var.ports[0] })
}
`, func(o *Options) {
		o.Vars = []string{`opts={ A = "x", B = 2 }`, "flag=true"}
	})
	if got := env.Services[0].Env; !reflect.DeepEqual(got, map[string]string{"A": "x", "B": "2", "FLAG": "true", "FIRST": "80"}) {
		t.Errorf("env = %v", got)
	}
	if env.Variables[0].Type != "list(number)" || env.Variables[0].Value != "[80, 81]" {
		t.Errorf("ports = %+v", env.Variables[0])
	}
	if env.Variables[1].Value != `{
  A = "x"
  B = "2"
}` {
		t.Errorf("opts value = %q", env.Variables[1].Value)
	}
}

func TestSensitive(t *testing.T) {
	env := loadSource(t, `
variable "pw" {
  default   = "hunter2"
  sensitive = true
}
variable "user" {
  default = "admin"
}
locals {
  dsn = "mysql://${var.user}:${var.pw}@db/shop"
}
service "web" {
  image = "busybox"
  env = {
    PLAIN    = var.user
    DIRECT   = var.pw
    TEMPLATE = "pw=${var.pw}"
    FUNCTION = upper(var.pw)
    LOCAL    = local.dsn
  }
}
`, func(o *Options) { o.Vars = []string{"pw=s3cret"} })
	if !reflect.DeepEqual(env.Secrets, []string{"s3cret"}) {
		t.Errorf("Secrets = %v", env.Secrets)
	}
	s := env.Services[0]
	if want := []string{"DIRECT", "FUNCTION", "LOCAL", "TEMPLATE"}; !reflect.DeepEqual(s.SensitiveEnv, want) {
		t.Errorf("SensitiveEnv = %v, want %v", s.SensitiveEnv, want)
	}
	if s.Env["TEMPLATE"] != "pw=s3cret" || s.Env["FUNCTION"] != "S3CRET" || s.Env["LOCAL"] != "mysql://admin:s3cret@db/shop" {
		t.Errorf("env = %v", s.Env)
	}
	if env.Locals["dsn"] != "(sensitive)" {
		t.Errorf("sensitive local rendered as %q", env.Locals["dsn"])
	}
}

func TestLocals(t *testing.T) {
	env := loadSource(t, `
locals {
  url  = "http://${local.host}:${local.port}/"
  host = lower(local.name)
}
locals {
  name = "WEB"
  port = 8000 + 80
  all  = [for s in [service.web] : s.name]
}
service "web" {
  image = "busybox"
  env   = { URL = local.url, ALL = join(",", local.all) }
}
`)
	if got := env.Services[0].Env["URL"]; got != "http://web:8080/" {
		t.Errorf("URL = %q", got)
	}
	if env.Services[0].Env["ALL"] != "web" || env.Locals["port"] != "8080" || env.Locals["host"] != `"web"` {
		t.Errorf("locals = %v, env = %v", env.Locals, env.Services[0].Env)
	}
}

func TestDiagnosticsAreSortedAndComplete(t *testing.T) {
	src := `service "a" {
  imag  = "x"
  pul   = "y"
  resart = "z"
}
service "b" {
  image   = "busybox"
  restart = "never"
}
`
	var first []string
	for i := 0; i < 5; i++ {
		_, diags := loadSourceDiags(t, src)
		var got []string
		for _, d := range diags {
			got = append(got, d.Subject.String())
		}
		if first == nil {
			first = got
			continue
		}
		if !reflect.DeepEqual(got, first) {
			t.Fatalf("order changed between runs:\n%v\n%v", first, got)
		}
	}
	// Every error is reported, not only the first: three unsupported
	// arguments in a, the bad restart in b.
	if len(first) != 4 {
		t.Fatalf("got %d diagnostics, want 4: %v", len(first), first)
	}
	for i := 1; i < len(first); i++ {
		if first[i] < first[i-1] && len(first[i]) == len(first[i-1]) {
			t.Errorf("diagnostics out of order: %v", first)
		}
	}
	_, diags := loadSourceDiags(t, src)
	if d := diags[0]; d.Summary != "Unsupported argument" || !strings.Contains(d.Detail, `Did you mean "image"?`) {
		t.Errorf("first = %s: %s", d.Summary, d.Detail)
	}
	var _ hcl.Diagnostics = diags
}
