package report

import (
	"os"
	"path/filepath"
	"testing"
)

// TestTempsNotLeft: a double Ctrl-C (exit at once while a report file is
// being written) could leave .report.html.<n>.tmp in the run's folder.
// The next Write removes any left by a process that was killed (the
// exit path's removal is atomicfile's test).
func TestTempsNotLeft(t *testing.T) {
	dir := t.TempDir()
	left := filepath.Join(dir, ".report.html.123456.tmp")
	if err := os.WriteFile(left, []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, ".notes.tmp")
	os.WriteFile(other, nil, 0o644)
	if _, err := Write(dir, &Result{Schema: SchemaVersion, Kind: "check", RunID: "r"}, []string{"json"}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(left); !os.IsNotExist(err) {
		t.Errorf("leftover %s not removed: %v", left, err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("a file that is not ours was removed: %v", err)
	}

}
