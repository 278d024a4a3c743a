package bundle

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

// part is one hand-made archive entry.
type part struct {
	hdr  tar.Header
	body []byte
}

func file(name, body string) part {
	return part{hdr: tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(body))}, body: []byte(body)}
}

func dir(name string) part {
	return part{hdr: tar.Header{Name: name + "/", Typeflag: tar.TypeDir, Mode: 0o755}}
}

func entryOf(p part) Entry {
	name := p.hdr.Name
	if p.hdr.Typeflag == tar.TypeDir {
		return Entry{Path: name[:len(name)-1], Kind: KindLab, Type: TypeDir}
	}
	sum := sha256.Sum256(p.body)
	kind := KindLab
	if name == ImagesEntry {
		kind = KindImages
	}
	return Entry{Path: name, Kind: kind, Type: TypeFile, Size: int64(len(p.body)), SHA256: hex.EncodeToString(sum[:]), Mode: "0644"}
}

const labHCL = `environment "lab" {}
service "web" {
  image = "proeftuin/busybox:1"
}
`

// validParts is a small valid bundle: two lab files in a folder and an
// images archive.
func validParts() (*Manifest, []part) {
	parts := []part{
		file("lab/main.hcl", labHCL),
		dir("lab/files"),
		file("lab/files/index.html", "<h1>hello</h1>\n"),
		file(ImagesEntry, "not really images"),
	}
	return manifestFor(parts), parts
}

func manifestFor(parts []part) *Manifest {
	m := &Manifest{Format: Format, ToolVersion: "test", Environment: "lab", LabHash: "x", ImagesIncluded: true,
		Images: []Image{{Ref: "proeftuin/busybox:1", Kind: "pulled"}}}
	for _, p := range parts {
		m.Entries = append(m.Entries, entryOf(p))
	}
	return m
}

// archive writes m (when not nil) and parts as a gzip-compressed tar.
func archive(t testing.TB, m *Manifest, parts []part) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	if m != nil {
		data, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		if err := tw.WriteHeader(&tar.Header{Name: ManifestName, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(data)), ModTime: time.Unix(0, 0)}); err != nil {
			t.Fatal(err)
		}
		tw.Write(data)
	}
	for _, p := range parts {
		h := p.hdr
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		if len(p.body) > 0 {
			if _, err := tw.Write(p.body); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	return buf.Bytes()
}

// tree lists every path under root, relative, sorted.
func tree(t testing.TB, root string) []string {
	t.Helper()
	var out []string
	filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil || p == root {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	sort.Strings(out)
	return out
}

// gzipReader decompresses data, for tests of plain tar input.
func gzipReader(data []byte) (*bytes.Reader, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if _, err := out.ReadFrom(zr); err != nil {
		return nil, err
	}
	return bytes.NewReader(out.Bytes()), nil
}
