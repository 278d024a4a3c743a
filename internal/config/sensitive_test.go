package config

import (
	"slices"
	"testing"
)

// TestDiagnosticSecrets: a load that fails on a sensitive variable's
// default has not recorded the value as a secret yet; DiagnosticSecrets
// finds it in the syntax, and the --var value of a sensitive variable,
// but not the values of other variables.
func TestDiagnosticSecrets(t *testing.T) {
	env, diags := loadSourceDiags(t, `
variable "pin" {
  type      = number
  sensitive = true
  default   = "hunter2"
}

variable "port" {
  type    = string
  default = "8080"
}
`)
	if !diags.HasErrors() || len(diags) != 1 {
		t.Fatalf("want one load error, for the default that is not a number; got %v", diags)
	}
	got := DiagnosticSecrets(env, []string{"pin=1234", "port=9090", "other=x"})
	for _, want := range []string{"hunter2", "1234"} {
		if !slices.Contains(got, want) {
			t.Errorf("secrets %q lack %q", got, want)
		}
	}
	for _, not := range []string{"8080", "9090", "x"} {
		if slices.Contains(got, not) {
			t.Errorf("secrets %q hold %q, which is not sensitive", got, not)
		}
	}
	if DiagnosticSecrets(nil, []string{"pin=1"}) != nil {
		t.Error("no environment, yet secrets")
	}
}
