package redact

import (
	"strings"
	"testing"
)

func TestString(t *testing.T) {
	secrets := []string{"oefenen", "", `a"b`}
	got := String(`password = "oefenen", other = "a\"b"`, secrets)
	want := `password = "(sensitive)", other = "(sensitive)"`
	if got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got := String("nothing here", nil); got != "nothing here" {
		t.Errorf("String() without secrets = %q", got)
	}
}

func TestWriterSplitsAcrossWrites(t *testing.T) {
	var sb strings.Builder
	w := Writer(&sb, []string{"geheim123"})
	for _, chunk := range []string{"the pass is gehe", "im123 and ge", "heim12", "3", " end ge"} {
		if _, err := w.Write([]byte(chunk)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	want := "the pass is (sensitive) and (sensitive) end ge"
	if sb.String() != want {
		t.Errorf("got %q, want %q", sb.String(), want)
	}
}

// TestTailMasksSecretCutAtEveryPosition: output capped to its tail can
// begin with the end of a secret; Tail masks it wherever the cut is.
func TestTailMasksSecretCutAtEveryPosition(t *testing.T) {
	const secret = "s3cr3t-V4lue!"
	full := "header line\n" + secret + "\nafter " + secret + " end"
	for cut := 0; cut <= len(full); cut++ {
		got := Tail(full[cut:], []string{secret})
		for k := 2; k <= len(secret); k++ {
			for i := 0; i+k <= len(secret); i++ {
				if frag := secret[i : i+k]; k >= 4 && strings.Contains(got, frag) {
					t.Fatalf("cut at %d: %q holds fragment %q", cut, got, frag)
				}
			}
		}
	}
	// Head: an excerpt cut inside a secret.
	for cut := 0; cut <= len(full); cut++ {
		got := Head(full[:cut], []string{secret})
		if strings.Contains(got, "s3cr") {
			t.Fatalf("head cut at %d: %q", cut, got)
		}
	}
	if got := Tail("plain text", []string{secret}); got != "plain text" {
		t.Errorf("text without secrets changed: %q", got)
	}
}
