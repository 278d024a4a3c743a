package bundle

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/proeftuin/proeftuin/internal/engine/fake"
)

// maliciousCase is a hand-made bundle Import must refuse.
type maliciousCase struct {
	name   string
	data   func(t testing.TB) []byte
	limits Limits
	entry  string // the entry the message must name
	reason string // a phrase the message must contain
}

func maliciousCases() []maliciousCase {
	withPart := func(p part, listed bool) func(t testing.TB) []byte {
		return func(t testing.TB) []byte {
			m, parts := validParts()
			parts = append(parts[:3:3], p, parts[3])
			if listed {
				m.Entries = append(m.Entries, entryOf(p))
			}
			return archive(t, m, parts)
		}
	}
	return []maliciousCase{
		{
			name:   "path traversal",
			data:   withPart(file("lab/../../evil.sh", "#!/bin/sh\n"), false),
			entry:  "lab/../../evil.sh",
			reason: `contains ".."`,
		},
		{
			name:   "path traversal listed in manifest",
			data:   withPart(file("lab/files/../../../evil.sh", "x"), true),
			entry:  "lab/files/../../../evil.sh",
			reason: `contains ".."`,
		},
		{
			name:   "absolute path",
			data:   withPart(file("/tmp/proeftuin-evil", "x"), false),
			entry:  "/tmp/proeftuin-evil",
			reason: "absolute path",
		},
		{
			name:   "windows absolute path",
			data:   withPart(file(`C:\evil.bat`, "x"), false),
			entry:  `C:\\evil.bat`, // as %q writes it
			reason: "absolute path",
		},
		{
			name:   "symlink escape",
			data:   withPart(part{hdr: tar.Header{Name: "lab/files/passwd", Typeflag: tar.TypeSymlink, Linkname: "../../../etc/passwd", Mode: 0o777}}, false),
			entry:  "lab/files/passwd",
			reason: "symbolic link to \"../../../etc/passwd\", which leaves the lab folder",
		},
		{
			name:   "absolute symlink",
			data:   withPart(part{hdr: tar.Header{Name: "lab/root", Typeflag: tar.TypeSymlink, Linkname: "/", Mode: 0o777}}, true),
			entry:  "lab/root",
			reason: "leaves the lab folder",
		},
		{
			name:   "hardlink escape",
			data:   withPart(part{hdr: tar.Header{Name: "lab/shadow", Typeflag: tar.TypeLink, Linkname: "/etc/shadow"}}, false),
			entry:  "lab/shadow",
			reason: "hard link to \"/etc/shadow\", which leaves the lab folder",
		},
		{
			name:   "relative hardlink escape",
			data:   withPart(part{hdr: tar.Header{Name: "lab/x", Typeflag: tar.TypeLink, Linkname: "lab/../../x"}}, false),
			entry:  "lab/x",
			reason: "leaves the lab folder",
		},
		{
			name:   "device file",
			data:   withPart(part{hdr: tar.Header{Name: "lab/sda", Typeflag: tar.TypeBlock, Devmajor: 8, Mode: 0o600}}, false),
			entry:  "lab/sda",
			reason: "device file",
		},
		{
			name:   "character device",
			data:   withPart(part{hdr: tar.Header{Name: "lab/null", Typeflag: tar.TypeChar, Devmajor: 1, Devminor: 3, Mode: 0o666}}, true),
			entry:  "lab/null",
			reason: "device file",
		},
		{
			name:   "fifo",
			data:   withPart(part{hdr: tar.Header{Name: "lab/pipe", Typeflag: tar.TypeFifo, Mode: 0o600}}, false),
			entry:  "lab/pipe",
			reason: "fifo",
		},
		{
			name: "tampered checksum",
			data: func(t testing.TB) []byte {
				m, parts := validParts()
				parts[2].body = []byte("<h1>HACKED</h1>\n")[:len(parts[2].body)]
				return archive(t, m, parts)
			},
			entry:  "lab/files/index.html",
			reason: "does not match the manifest",
		},
		{
			name: "tampered image archive",
			data: func(t testing.TB) []byte {
				m, parts := validParts()
				parts[3].body = []byte("NOT really images")
				return archive(t, m, parts)
			},
			entry:  ImagesEntry,
			reason: "does not match the manifest",
		},
		{
			name: "oversized lab file",
			data: func(t testing.TB) []byte {
				m, parts := validParts()
				big := file("lab/files/big.bin", strings.Repeat("x", 2048))
				parts = append(parts, big)
				m.Entries = append(m.Entries, entryOf(big))
				return archive(t, m, parts)
			},
			limits: Limits{LabFile: 1024},
			entry:  "lab/files/big.bin",
			reason: "over the limit of 1 KiB per lab file",
		},
		{
			name: "oversized image archive",
			data: func(t testing.TB) []byte {
				m, parts := validParts()
				return archive(t, m, parts)
			},
			limits: Limits{ImageEntry: 4},
			entry:  ImagesEntry,
			reason: "over the limit",
		},
		{
			name: "entry larger than the manifest says",
			data: func(t testing.TB) []byte {
				m, parts := validParts()
				parts[2].body = append(parts[2].body, strings.Repeat("A", 1<<16)...)
				parts[2].hdr.Size = int64(len(parts[2].body))
				return archive(t, m, parts)
			},
			entry:  "lab/files/index.html",
			reason: "the manifest says 15",
		},
		{
			name: "lab total over the limit",
			data: func(t testing.TB) []byte {
				m, parts := validParts()
				return archive(t, m, parts)
			},
			limits: Limits{LabTotal: int64(len(labHCL)) + 5},
			entry:  "lab/files/index.html",
			reason: "add up to more than the limit",
		},
		{
			name: "missing manifest entry",
			data: func(t testing.TB) []byte {
				m, parts := validParts()
				m.Entries = append(m.Entries, entryOf(file("lab/files/about.html", "about")))
				return archive(t, m, parts)
			},
			entry:  "lab/files/about.html",
			reason: "missing from the archive",
		},
		{
			name:   "extra entry",
			data:   withPart(file("lab/files/extra.sh", "rm -rf ~\n"), false),
			entry:  "lab/files/extra.sh",
			reason: "not listed in the manifest",
		},
		{
			name:   "entry outside lab",
			data:   withPart(file("etc/cron.d/evil", "x"), false),
			entry:  "etc/cron.d/evil",
			reason: "outside lab/",
		},
		{
			name: "duplicate entry",
			data: func(t testing.TB) []byte {
				m, parts := validParts()
				parts = append(parts, file("lab/main.hcl", labHCL))
				return archive(t, m, parts)
			},
			entry:  "lab/main.hcl",
			reason: "appears twice",
		},
		{
			name: "no manifest",
			data: func(t testing.TB) []byte {
				_, parts := validParts()
				return archive(t, nil, parts)
			},
			entry:  "lab/main.hcl",
			reason: "first entry must be manifest.json",
		},
		{
			name: "file inside a file",
			data: func(t testing.TB) []byte {
				m, parts := validParts()
				p := file("lab/main.hcl/x", "x")
				m.Entries = append(m.Entries, entryOf(p))
				return archive(t, m, append(parts, p))
			},
			entry:  "lab/main.hcl/x",
			reason: "lists as a file",
		},
		{
			name: "truncated archive",
			data: func(t testing.TB) []byte {
				m, parts := validParts()
				data := archive(t, m, parts)
				return data[:len(data)*2/3]
			},
			reason: "damaged or truncated",
		},
	}
}

func TestImportRefusesMaliciousBundles(t *testing.T) {
	for _, tc := range maliciousCases() {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			archivePath := filepath.Join(root, "lab.tar.gz")
			if err := os.WriteFile(archivePath, tc.data(t), 0o644); err != nil {
				t.Fatal(err)
			}
			eng := fake.New()
			_, err := Import(context.Background(), eng, archivePath, ImportOptions{Target: filepath.Join(root, "class", "lab"), Limits: tc.limits})
			if err == nil {
				t.Fatal("import succeeded, want a refusal")
			}
			if !errors.Is(err, ErrRefused) {
				t.Fatalf("error %v does not wrap ErrRefused", err)
			}
			msg := err.Error()
			if tc.entry != "" && !strings.Contains(msg, `"`+tc.entry+`"`) && !strings.Contains(msg, tc.entry) {
				t.Errorf("message %q does not name entry %q", msg, tc.entry)
			}
			if !strings.Contains(msg, tc.reason) {
				t.Errorf("message %q does not say %q", msg, tc.reason)
			}
			if got := tree(t, root); !slices.Equal(got, []string{"lab.tar.gz"}) {
				t.Errorf("left behind: %v", got)
			}
			if n := eng.Calls("LoadImages"); n != 0 {
				t.Errorf("LoadImages called %d times before the bundle was verified", n)
			}
		})
	}
}

func TestUnpackValid(t *testing.T) {
	m, parts := validParts()
	stage := t.TempDir()
	got, err := Unpack(context.Background(), bytes.NewReader(archive(t, m, parts)), stage, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Environment != "lab" || len(got.Entries) != 4 {
		t.Errorf("manifest = %+v", got)
	}
	want := []string{"images", "images/images.tar", "lab", "lab/files", "lab/files/index.html", "lab/main.hcl"}
	if tr := tree(t, stage); !slices.Equal(tr, want) {
		t.Errorf("stage holds %v, want %v", tr, want)
	}
}

func TestUnpackPlainTar(t *testing.T) {
	// Bundles are gzip-compressed, but a plain tar (e.g. after gunzip)
	// reads the same.
	m, parts := validParts()
	zr, err := gzipReader(archive(t, m, parts))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Unpack(context.Background(), zr, t.TempDir(), Limits{}); err != nil {
		t.Fatal(err)
	}
}

func TestUnpackCancelled(t *testing.T) {
	m, parts := validParts()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Unpack(ctx, bytes.NewReader(archive(t, m, parts)), t.TempDir(), Limits{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"64MiB": 64 * MiB, "2GiB": 2 * GiB, "500m": 500 * MiB, "1g": GiB, "1024": 1024, "3 KB": 3 * KiB} {
		got, err := ParseSize(in)
		if err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "-1", "0", "lots", "1.5G", "99999999999T"} {
		if _, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) succeeded", bad)
		}
	}
}
