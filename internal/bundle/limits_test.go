package bundle

import (
	"strings"
	"testing"
)

func TestParseLimits(t *testing.T) {
	flags := map[string]string{"max-image-size": "2GiB", "max-images-total": "8GiB", "max-file-size": "64MiB", "max-lab-size": "256MiB"}
	lim, err := ParseLimits(func(name string) string { return flags[name] })
	if err != nil {
		t.Fatal(err)
	}
	want := Limits{ImageEntry: 2 * GiB, ImagesTotal: 8 * GiB, LabFile: 64 * MiB, LabTotal: 256 * MiB}
	if lim != want {
		t.Errorf("ParseLimits = %+v, want %+v", lim, want)
	}
	flags["max-file-size"] = "lots"
	if _, err := ParseLimits(func(name string) string { return flags[name] }); err == nil || !strings.HasPrefix(err.Error(), "--max-file-size: ") {
		t.Errorf("a bad size: error %v, want one naming --max-file-size", err)
	}
}
