package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func TestCIDRFunctions(t *testing.T) {
	tests := []struct {
		fn      string
		args    []cty.Value
		want    string
		wantErr bool
	}{
		{"cidrhost", []cty.Value{cty.StringVal("10.0.0.0/24"), cty.NumberIntVal(10)}, "10.0.0.10", false},
		{"cidrhost", []cty.Value{cty.StringVal("10.0.0.0/24"), cty.NumberIntVal(-2)}, "10.0.0.254", false},
		{"cidrhost", []cty.Value{cty.StringVal("10.0.1.7/16"), cty.NumberIntVal(258)}, "10.0.1.2", false},
		{"cidrhost", []cty.Value{cty.StringVal("fd00::/64"), cty.NumberIntVal(17)}, "fd00::11", false},
		{"cidrhost", []cty.Value{cty.StringVal("10.0.0.0/24"), cty.NumberIntVal(256)}, "", true},
		{"cidrhost", []cty.Value{cty.StringVal("10.0.0.0/24"), cty.NumberFloatVal(1.5)}, "", true},
		{"cidrhost", []cty.Value{cty.StringVal("not a cidr"), cty.NumberIntVal(1)}, "", true},
		{"cidrsubnet", []cty.Value{cty.StringVal("10.0.0.0/16"), cty.NumberIntVal(8), cty.NumberIntVal(3)}, "10.0.3.0/24", false},
		{"cidrsubnet", []cty.Value{cty.StringVal("172.16.0.0/12"), cty.NumberIntVal(4), cty.NumberIntVal(15)}, "172.31.0.0/16", false},
		{"cidrsubnet", []cty.Value{cty.StringVal("10.0.0.0/16"), cty.NumberIntVal(8), cty.NumberIntVal(256)}, "", true},
		{"cidrsubnet", []cty.Value{cty.StringVal("10.0.0.0/30"), cty.NumberIntVal(3), cty.NumberIntVal(0)}, "", true},
		{"cidrsubnet", []cty.Value{cty.StringVal("10.0.0.0/16"), cty.NumberIntVal(-1), cty.NumberIntVal(0)}, "", true},
	}
	for _, tt := range tests {
		got, err := pureFuncs[tt.fn].Call(tt.args)
		if tt.wantErr {
			if err == nil {
				t.Errorf("%s%v = %v, want an error", tt.fn, tt.args, got)
			}
			continue
		}
		if err != nil || got.AsString() != tt.want {
			t.Errorf("%s%v = %v, %v; want %s", tt.fn, tt.args, got, err, tt.want)
		}
	}
	// An unknown subnet (auto, not allocated) gives an unknown address.
	got, err := pureFuncs["cidrhost"].Call([]cty.Value{cty.UnknownVal(cty.String), cty.NumberIntVal(10)})
	if err != nil || got.IsKnown() {
		t.Errorf("cidrhost(unknown) = %#v, %v; want unknown", got, err)
	}
}

func TestFunctionsAvailable(t *testing.T) {
	env := loadSource(t, `
service "web" {
  image = "busybox"
  env = {
    JSON   = jsonencode({ a = [1, 2] })
    B64    = base64encode("hi")
    UNB64  = base64decode("aGk=")
    SHA    = substr(sha256("x"), 0, 8)
    FMT    = format("%03d-%s", 7, upper("x"))
    REGEX  = regex("[0-9]+", "ab123")
    TRY    = try(jsondecode("{"), "fallback")
    CAN    = tostring(can(regex("(", "x")))
    MAX    = max(3, 9, 4)
    JOIN   = join(",", sort(distinct(["b", "a", "b"])))
    LOOKUP = lookup({ a = "1" }, "b", "dflt")
  }
}
`)
	want := map[string]string{
		"JSON": `{"a":[1,2]}`, "B64": "aGk=", "UNB64": "hi", "SHA": "2d711642", "FMT": "007-X",
		"REGEX": "123", "TRY": "fallback", "CAN": "false", "MAX": "9", "JOIN": "a,b", "LOOKUP": "dflt",
	}
	for k, v := range want {
		if got := env.Services[0].Env[k]; got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	// Nothing that differs between runs or machines.
	for _, fn := range []string{"env", "timestamp", "uuid"} {
		_, diags := loadSourceDiags(t, "locals {\n  x = "+fn+"()\n}\n")
		wantError(t, diags, "Call to unknown function", fn)
	}
}

func TestFileFunctions(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := writeFiles(t, map[string]string{
		"main.hcl":       envHeader,
		"files/a.txt":    "alpha\n",
		"files/page.tpl": "Hello ${name}! %{ for i in items }[${i}]%{ endfor }",
	})
	if err := os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(dir, "files", "link.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a.txt", filepath.Join(dir, "files", "inside.txt")); err != nil {
		t.Fatal(err)
	}
	load := func(src string) (*Environment, string) {
		if err := os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(envHeader+src), 0o644); err != nil {
			t.Fatal(err)
		}
		env, diags := Load(Options{Dir: dir})
		if diags.HasErrors() {
			return env, diags[0].Detail
		}
		return env, ""
	}
	env, errText := load(`locals {
  a       = file("files/a.txt")
  linked  = file("./files/../files/inside.txt")
  exists  = fileexists("files/a.txt")
  missing = fileexists("files/none.txt")
  page    = templatefile("files/page.tpl", { name = "${file("files/a.txt")}x", items = ["$${1}", "%%{ if true }"] })
}`)
	if errText != "" {
		t.Fatal(errText)
	}
	want := map[string]string{
		"a": `"alpha\n"`, "exists": "true", "missing": "false",
		// Values passed to a template are data: "${...}" and "%{...}" in
		// them are not evaluated again (Locals shows HCL literal syntax,
		// where a literal "${" is written "$${").
		"page": `"Hello alpha\nx! [$${1}][%%{ if true }]"`,
	}
	for k, v := range want {
		if got := env.Locals[k]; got != v {
			t.Errorf("local.%s = %q, want %q", k, got, v)
		}
	}
	hash := env.Hash

	for _, tt := range []struct{ src, detail string }{
		{`locals { x = file("/etc/passwd") }`, "absolute path"},
		{`locals { x = file("../outside") }`, "leaves the environment folder"},
		{`locals { x = file("files/../../x") }`, "leaves the environment folder"},
		{`locals { x = file("files/link.txt") }`, "symbolic link"},
		{`locals { x = fileexists("files/link.txt") }`, "symbolic link"},
		{`locals { x = templatefile("files/link.txt", {}) }`, "symbolic link"},
		{`locals { x = file("files/none.txt") }`, "does not exist"},
		{`locals { x = templatefile("files/page.tpl", { name = "x" }) }`, `uses "items"`},
	} {
		if _, got := load(tt.src); got == "" || !strings.Contains(got, tt.detail) {
			t.Errorf("%s: error %q, want one containing %q", tt.src, got, tt.detail)
		}
	}

	// Files read through functions feed the hash.
	load(`locals {
  a = file("files/a.txt")
}`)
	env1, _ := load(`locals {
  a = file("files/a.txt")
}`)
	if err := os.WriteFile(filepath.Join(dir, "files", "a.txt"), []byte("changed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env2, _ := load(`locals {
  a = file("files/a.txt")
}`)
	if env1.Hash == env2.Hash || env1.Hash == hash || len(env2.Hash) != 64 {
		t.Errorf("hash did not follow the file read: %s %s", env1.Hash, env2.Hash)
	}
}
