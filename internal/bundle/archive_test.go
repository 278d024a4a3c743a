package bundle

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

type entry struct {
	name, body, link string
	typ              byte
}

func writeTarGz(t *testing.T, entries []entry) string {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, e := range entries {
		typ := e.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		h := &tar.Header{Name: e.name, Typeflag: typ, Mode: 0o644, Size: int64(len(e.body)), Linkname: e.link}
		if typ != tar.TypeReg {
			h.Size = 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(e.body))
	}
	tw.Close()
	zw.Close()
	p := filepath.Join(t.TempDir(), "hand-in.tar.gz")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func writeZip(t *testing.T, entries []entry) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e.body))
	}
	zw.Close()
	p := filepath.Join(t.TempDir(), "hand-in.zip")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestUnpackArchive(t *testing.T) {
	ok := []entry{{name: "alice/", typ: tar.TypeDir}, {name: "alice/environment.hcl", body: "environment \"x\" {}\n"}, {name: "alice/files/index.html", body: "hi"}}
	for _, p := range []string{writeTarGz(t, ok), writeZip(t, ok[1:])} {
		dest := t.TempDir()
		if err := UnpackArchive(context.Background(), p, dest, Limits{}); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		b, err := os.ReadFile(filepath.Join(dest, "alice", "files", "index.html"))
		if err != nil || string(b) != "hi" {
			t.Errorf("%s: index.html = %q, %v", p, b, err)
		}
	}
}

func TestUnpackArchiveRefuses(t *testing.T) {
	cases := map[string]string{
		"traversal tar": writeTarGz(t, []entry{{name: "../../evil.hcl", body: "x"}}),
		"traversal zip": writeZip(t, []entry{{name: "lab/../../evil.hcl", body: "x"}}),
		"absolute":      writeTarGz(t, []entry{{name: "/etc/evil", body: "x"}}),
		"symlink out":   writeTarGz(t, []entry{{name: "files", typ: tar.TypeSymlink, link: "/etc"}}),
		"hard link":     writeTarGz(t, []entry{{name: "a", typ: tar.TypeLink, link: "../x"}}),
		"too big":       writeTarGz(t, []entry{{name: "big", body: string(make([]byte, 2048))}}),
	}
	for name, p := range cases {
		t.Run(name, func(t *testing.T) {
			parent := t.TempDir()
			dest := filepath.Join(parent, "dest")
			os.Mkdir(dest, 0o755)
			err := UnpackArchive(context.Background(), p, dest, Limits{LabFile: 1024})
			if !errors.Is(err, ErrRefused) {
				t.Fatalf("err = %v, want a refusal", err)
			}
			left, _ := os.ReadDir(parent)
			if len(left) != 1 {
				t.Errorf("something was written beside dest: %v", left)
			}
		})
	}
	t.Run("too many", func(t *testing.T) {
		p := writeTarGz(t, []entry{{name: "a", body: "1"}, {name: "b", body: "2"}, {name: "c", body: "3"}})
		if err := UnpackArchive(context.Background(), p, t.TempDir(), Limits{Entries: 2}); !errors.Is(err, ErrRefused) {
			t.Fatalf("err = %v", err)
		}
	})
}
