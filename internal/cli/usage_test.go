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

// TestInterruptedAgainSaysWhatIsLeft: a second Ctrl-C during up, run or
// down quits without rolling back; the message says how to find and
// remove what is left of the instance. Commands that change no instance
// say only that they quit.
func TestInterruptedAgainSaysWhatIsLeft(t *testing.T) {
	msg := interruptedAgain("xs-lab")
	for _, want := range []string{"interrupted again", "'proeftuin --name xs-lab status'", "'proeftuin --name xs-lab down'"} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q lacks %q", msg, want)
		}
	}
	if msg := interruptedAgain(""); msg != "proeftuin: interrupted again, exiting at once" {
		t.Errorf("without an instance: %q", msg)
	}
}
