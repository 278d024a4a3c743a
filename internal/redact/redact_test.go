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
