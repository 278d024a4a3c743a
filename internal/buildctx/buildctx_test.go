package buildctx

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func hash(t *testing.T, dir string, args map[string]string, target string) string {
	t.Helper()
	h, err := Hash(dir, "Dockerfile", args, target)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestHash(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "Dockerfile", "FROM scratch\nCOPY . /\n")
	write(t, dir, "app/index.html", "hello")
	write(t, dir, "notes/draft.txt", "not sent")
	write(t, dir, ".dockerignore", "notes\n")
	base := hash(t, dir, nil, "")

	// Touching a file (a fresh checkout, an unpacked bundle) changes nothing.
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(filepath.Join(dir, "app/index.html"), later, later); err != nil {
		t.Fatal(err)
	}
	if got := hash(t, dir, nil, ""); got != base {
		t.Error("modification time changed the hash")
	}
	// An ignored file changes nothing.
	write(t, dir, "notes/draft.txt", "still not sent")
	if got := hash(t, dir, nil, ""); got != base {
		t.Error("a file .dockerignore excludes changed the hash")
	}

	for name, change := range map[string]func(){
		"content":  func() { write(t, dir, "app/index.html", "hello!") },
		"new file": func() { write(t, dir, "app/extra.css", "") },
		"mode": func() {
			if err := os.Chmod(filepath.Join(dir, "app/index.html"), 0o600); err != nil {
				t.Fatal(err)
			}
		},
	} {
		before := hash(t, dir, nil, "")
		change()
		if hash(t, dir, nil, "") == before {
			t.Errorf("%s: hash did not change", name)
		}
	}
	now := hash(t, dir, nil, "")
	if hash(t, dir, map[string]string{"BASE": "x"}, "") == now {
		t.Error("build args did not change the hash")
	}
	if hash(t, dir, nil, "final") == now {
		t.Error("target did not change the hash")
	}
	if a, b := hash(t, dir, map[string]string{"A": "1", "B": "2"}, ""), hash(t, dir, map[string]string{"B": "2", "A": "1"}, ""); a != b {
		t.Error("the order of build args changed the hash")
	}
}

func TestExcludesKeepsDockerfile(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, ".dockerignore", "*\n")
	got, err := Excludes(dir, "build/Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"*", "!build/Dockerfile", "!.dockerignore"}
	if len(got) != len(want) {
		t.Fatalf("Excludes = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Excludes = %q, want %q", got, want)
		}
	}
	if ex, err := Excludes(t.TempDir(), "Dockerfile"); err != nil || ex != nil {
		t.Fatalf("no .dockerignore: %q, %v", ex, err)
	}
}
