package bundle

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzBundleRead feeds arbitrary bytes to the reader. It must never panic,
// never write outside its staging folder, and whatever it accepts must
// match its manifest.
func FuzzBundleRead(f *testing.F) {
	m, parts := validParts()
	f.Add(archive(f, m, parts))
	if data, err := gzipReader(archive(f, m, parts)); err == nil {
		var b bytes.Buffer
		b.ReadFrom(data)
		f.Add(b.Bytes()) // plain tar
	}
	for _, tc := range maliciousCases() {
		f.Add(tc.data(f))
	}
	f.Add([]byte{})
	f.Add([]byte{0x1f, 0x8b})
	lim := Limits{ImageEntry: 1 << 20, ImagesTotal: 2 << 20, LabFile: 1 << 20, LabTotal: 4 << 20, Entries: 200, Manifest: 64 << 10}
	f.Fuzz(func(t *testing.T, data []byte) {
		parent := t.TempDir()
		stage := filepath.Join(parent, "stage")
		if err := os.Mkdir(stage, 0o700); err != nil {
			t.Fatal(err)
		}
		m, err := Unpack(context.Background(), bytes.NewReader(data), stage, lim)
		if entries, _ := os.ReadDir(parent); len(entries) != 1 {
			t.Fatalf("wrote outside the staging folder: %v", entries)
		}
		if err != nil {
			var re *RefusedError
			if !errors.As(err, &re) && !errors.Is(err, ErrRefused) {
				t.Logf("non-refusal error: %v", err) // e.g. disk errors; allowed
			}
			return
		}
		// Accepted: every listed file is there with its size, and
		// nothing else is.
		listed := map[string]bool{}
		for _, e := range m.Entries {
			listed[e.Path] = true
			info, err := os.Lstat(filepath.Join(stage, filepath.FromSlash(e.Path)))
			if err != nil {
				t.Fatalf("accepted %s but it is not in the stage: %v", e.Path, err)
			}
			if e.Type == TypeFile && (!info.Mode().IsRegular() || info.Size() != e.Size) {
				t.Fatalf("accepted %s: %v, %d bytes; manifest says %d", e.Path, info.Mode(), info.Size(), e.Size)
			}
		}
		for _, p := range tree(t, stage) {
			if p != "lab" && p != "images" && !listed[p] && !strings.HasPrefix(p, "lab/") {
				t.Fatalf("stage holds %s, not in the manifest", p)
			}
			info, _ := os.Lstat(filepath.Join(stage, p))
			if info != nil && info.Mode()&os.ModeSymlink != 0 {
				t.Fatalf("stage holds a link: %s", p)
			}
		}
	})
}
