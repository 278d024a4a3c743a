package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// TestGuardStopsLaughs loads a chain of locals that double each other (a
// "billion laughs"): with a memory limit, Load stops evaluating and reports
// the local it was in, instead of growing to 2^40 × 16 bytes.
func TestGuardStopsLaughs(t *testing.T) {
	var b strings.Builder
	b.WriteString("environment \"t\" {}\nlocals {\n  l0 = \"xxxxxxxxxxxxxxxx\"\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "  l%d = \"${local.l%d}${local.l%d}\"\n", i, i-1, i-1)
	}
	b.WriteString("}\nservice \"web\" {\n  image   = \"busybox\"\n  command = [local.l40]\n}\n")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	stuck := make(chan hcl.Diagnostics, 1)
	_, diags := Load(Options{Dir: dir, MemoryLimit: 64 << 20, OnStuck: func(d hcl.Diagnostics) { stuck <- d }})
	var found *hcl.Diagnostic
	for _, d := range diags {
		if d.Summary == "Value too large" {
			found = d
		}
	}
	if found == nil {
		t.Fatalf("no \"Value too large\":\n%s", diagList(diags))
	}
	// 16 bytes doubled past 64 MiB: the limit trips at l22 or soon after,
	// never at the last line.
	if found.Subject == nil || found.Subject.Start.Line < 20 || found.Subject.Start.Line > 43 {
		t.Errorf("reported at %v, want a local near the limit", found.Subject)
	}
	if !strings.Contains(found.Detail, "64 MiB") {
		t.Errorf("detail does not name the limit: %s", found.Detail)
	}
	// One doubling can take longer than the guard's grace on a loaded
	// machine; then OnStuck is called too, with the same diagnostic.
	select {
	case d := <-stuck:
		if len(d) != 1 || d[0].Summary != "Value too large" {
			t.Errorf("OnStuck got %v", d)
		}
	default:
	}
}

// TestGuardQuiet: a normal load under the limits reports nothing.
func TestGuardQuiet(t *testing.T) {
	dir := t.TempDir()
	writeLargeEnvironment(t, dir, 50, 5, 50, true)
	_, diags := Load(Options{Dir: dir, MemoryLimit: 512 << 20, TimeLimit: time.Minute})
	for _, d := range diags {
		if d.Summary == "Value too large" {
			t.Fatalf("tripped on a normal lab: %s", d.Detail)
		}
	}
}
