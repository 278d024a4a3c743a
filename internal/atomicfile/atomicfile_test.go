package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestWriteReplaces(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "report.json")
	if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Write(p, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(p)
	if err != nil || string(got) != "new" {
		t.Fatalf("after Write: %q, %v", got, err)
	}
	if runtime.GOOS != "windows" {
		if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o644 {
			t.Errorf("mode %v, want 0644", fi.Mode().Perm())
		}
	}
	assertOnly(t, dir, "report.json")
}

// A write that fails halfway leaves the old file and no temporary file,
// and the error names the file.
func TestWriteFuncFailureKeepsOld(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "state.json")
	if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	err := WriteFunc(p, 0o644, func(w io.Writer) error {
		_, _ = w.Write([]byte("half"))
		return boom
	})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), p) {
		t.Errorf("error = %v, want %v naming %s", err, boom, p)
	}
	got, _ := os.ReadFile(p)
	if string(got) != "old" {
		t.Errorf("the old file became %q", got)
	}
	assertOnly(t, dir, "state.json")
}

func TestWriteMissingFolder(t *testing.T) {
	p := filepath.Join(t.TempDir(), "gone", "x.json")
	if err := Write(p, []byte("x"), 0o644); err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("error = %v, want one naming %s", err, p)
	}
}

// Sweep removes what a killed writer of one of the names left, but not
// another program's files nor a file this process is writing;
// RemovePending removes the latter.
func TestSweepAndRemovePending(t *testing.T) {
	dir := t.TempDir()
	left := filepath.Join(dir, ".report.html.123456.tmp")
	other := filepath.Join(dir, ".notes.tmp")
	busy := filepath.Join(dir, ".junit.xml.99.tmp")
	for _, p := range []string{left, other, busy} {
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	done := Track(busy)
	defer done()
	if err := Sweep(dir, "report.html", "junit.xml"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(left); !os.IsNotExist(err) {
		t.Errorf("leftover %s not removed: %v", left, err)
	}
	for _, p := range []string{other, busy} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed: %v", p, err)
		}
	}
	RemovePending()
	if _, err := os.Stat(busy); !os.IsNotExist(err) {
		t.Errorf("a file being written survived RemovePending: %v", err)
	}
	if err := Sweep(filepath.Join(dir, "none")); err != nil {
		t.Errorf("Sweep of a missing folder: %v", err)
	}
}

func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Errorf("folder holds %v, want %v", got, names)
	}
}
