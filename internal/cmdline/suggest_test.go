package cmdline

import "testing"

func TestClosest(t *testing.T) {
	cands := []string{"validate", "design", "up", "down", "status"}
	for in, want := range map[string]string{"valdate": "validate", "desgin": "design", "xyzzy": "", "stauts": "status"} {
		if got := Closest(in, cands); got != want {
			t.Errorf("Closest(%q) = %q, want %q", in, got, want)
		}
	}
}
