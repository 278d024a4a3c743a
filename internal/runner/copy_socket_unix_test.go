//go:build unix

package runner

import (
	"archive/tar"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
)

// TestCopyLeavesSocketsOut: a socket inside a copied folder used to fail
// the step, although docs/runner.md says sockets are left out.
func TestCopyLeavesSocketsOut(t *testing.T) {
	dir, err := os.MkdirTemp("", "pt-copy-") // short: socket paths are limited
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte("a"), 0o644); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("unix", filepath.Join(dir, "s.sock"))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	buf, err := copyTar(dir, "/srv", 0, 0, 0)
	if err != nil {
		t.Fatalf("copy of a folder with a socket: %v", err)
	}
	var names []string
	tr := tar.NewReader(buf)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, h.Name)
	}
	for _, n := range names {
		if filepath.Base(n) == "s.sock" {
			t.Errorf("socket copied: %v", names)
		}
	}
	if len(names) == 0 || names[len(names)-1] != "srv/a.txt" {
		t.Errorf("entries %v, want srv/a.txt among them", names)
	}
}
