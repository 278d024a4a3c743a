package cli

import (
	"bytes"
	"strings"
	"testing"
)

// TestDurationFlagWithoutUnit: "--wait-timeout 5" is a student's mistake;
// the flag package says only "parse error", so the message says what a
// duration looks like, and the exit code is 2.
func TestDurationFlagWithoutUnit(t *testing.T) {
	for _, args := range [][]string{
		{"up", "--wait-timeout", "5"},
		{"run", "--lock-timeout=10"},
		{"lab", "verify", "--before-timeout", "3"},
	} {
		var out, errb bytes.Buffer
		code := Main(append([]string{"proeftuin", "--dir", t.TempDir()}, args...), strings.NewReader(""), &out, &errb)
		if code != ExitInvalid {
			t.Errorf("%v: exit %d, want %d", args, code, ExitInvalid)
		}
		if msg := errb.String(); !strings.Contains(msg, "write a duration with a unit, like 30s") || strings.Contains(msg, "parse error") {
			t.Errorf("%v: %s", args, msg)
		}
	}
}
