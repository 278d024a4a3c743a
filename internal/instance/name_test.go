package instance

import "testing"

func TestValidName(t *testing.T) {
	for name, want := range map[string]bool{"lab": true, "lab-2.b_c": true, "9lab": true, "": false, "-lab": false, "lab x": false, "lab/x": false} {
		if got := ValidName(name); got != want {
			t.Errorf("ValidName(%q) = %v, want %v", name, got, want)
		}
	}
}
