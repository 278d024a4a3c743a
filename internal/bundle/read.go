package bundle

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/proeftuin/proeftuin/internal/config"
)

// Unpack reads a bundle (gzip-compressed or plain tar) from r, checks it
// against its manifest and writes its entries under stage, which must be
// an empty folder private to the caller: lab files to stage/lab/..., the
// image archive to stage/images/images.tar. Nothing is written outside
// stage. An error wrapping ErrRefused names the entry at fault; on any
// error stage may hold part of the bundle and the caller removes it.
//
// Every entry is checked before a byte of it is written: its name (no
// absolute path, no "..", nothing outside lab/ and images/), its type
// (regular files and folders only: no symbolic or hard links, devices or
// fifos), that the manifest lists it once, and its size against the
// manifest and lim. Its SHA-256 is compared once it has been streamed
// into stage; after the last entry, every entry the manifest lists must
// have been seen.
func Unpack(ctx context.Context, r io.Reader, stage string, lim Limits) (*Manifest, error) {
	lim = lim.withDefaults()
	tr, err := openArchive(&ctxReader{ctx: ctx, r: r})
	if err != nil {
		return nil, err
	}

	m, err := readManifest(ctx, tr, lim)
	if err != nil {
		return nil, err
	}

	byPath := make(map[string]*Entry, len(m.Entries))
	for i := range m.Entries {
		byPath[m.Entries[i].Path] = &m.Entries[i]
	}
	seen := make(map[string]bool, len(m.Entries))
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, readError(ctx, "", err)
		}
		name := h.Name
		if h.Typeflag == tar.TypeDir {
			name = strings.TrimSuffix(name, "/")
		}
		if err := checkName(name); err != nil {
			return nil, refuse(h.Name, "%v", err)
		}
		if err := checkType(h, name); err != nil {
			return nil, err
		}
		e := byPath[name]
		switch {
		case name == ManifestName:
			return nil, refuse(name, "appears twice")
		case e == nil:
			return nil, refuse(name, "is not listed in the manifest")
		case seen[name]:
			return nil, refuse(name, "appears twice")
		}
		seen[name] = true
		dest := filepath.Join(stage, filepath.FromSlash(name))
		if h.Typeflag == tar.TypeDir {
			if e.Type != TypeDir {
				return nil, refuse(name, "is a folder, the manifest says %s", e.Type)
			}
			if err := os.MkdirAll(dest, 0o755); err != nil {
				return nil, err
			}
			continue
		}
		if e.Type != TypeFile {
			return nil, refuse(name, "is a file, the manifest says %s", e.Type)
		}
		if h.Size != e.Size {
			return nil, refuse(name, "is %d bytes, the manifest says %d", h.Size, e.Size)
		}
		if err := writeEntry(ctx, tr, dest, e); err != nil {
			return nil, err
		}
	}
	for _, e := range m.Entries {
		if !seen[e.Path] {
			return nil, refuse(e.Path, "is listed in the manifest but missing from the archive")
		}
	}
	return m, nil
}

// ReadManifest reads only the manifest of the bundle in r (its first
// entry) and checks it on its own; Unpack checks the rest.
func ReadManifest(r io.Reader, lim Limits) (*Manifest, error) {
	lim = lim.withDefaults()
	tr, err := openArchive(r)
	if err != nil {
		return nil, err
	}
	return readManifest(context.Background(), tr, lim)
}

// readManifest reads the first entry of tr, which must be the manifest.
func readManifest(ctx context.Context, tr *tar.Reader, lim Limits) (*Manifest, error) {
	h, err := tr.Next()
	if errors.Is(err, io.EOF) {
		return nil, refuse("", "the archive is empty: a bundle starts with %s", ManifestName)
	}
	if err != nil {
		return nil, readError(ctx, "", err)
	}
	if h.Name != ManifestName {
		return nil, refuse(h.Name, "the first entry must be %s; is this a bundle made by 'proeftuin bundle export'?", ManifestName)
	}
	if h.Typeflag != tar.TypeReg {
		return nil, refuse(h.Name, "the manifest is not a regular file")
	}
	if h.Size > lim.Manifest {
		return nil, refuse(h.Name, "the manifest is %s, over the limit of %s", FormatSize(h.Size), FormatSize(lim.Manifest))
	}
	data, err := io.ReadAll(io.LimitReader(tr, lim.Manifest))
	if err != nil {
		return nil, readError(ctx, ManifestName, err)
	}
	return parseManifest(data, lim)
}

// openArchive returns a tar reader over r, decompressing gzip.
func openArchive(r io.Reader) (*tar.Reader, error) {
	br := bufio.NewReader(r)
	magic, err := br.Peek(2)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, refuse("", "not a readable gzip file: %v", err)
		}
		return tar.NewReader(zr), nil
	}
	return tar.NewReader(br), nil
}

// readError explains an error reading the archive itself.
func readError(ctx context.Context, entry string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var re *RefusedError
	if errors.As(err, &re) {
		return err
	}
	return refuse(entry, "the archive is damaged or truncated: %v", err)
}

// writeEntry streams one file of e.Size bytes into dest and checks its
// checksum.
func writeEntry(ctx context.Context, r io.Reader, dest string, e *Entry) error {
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return err
	}
	perm := os.FileMode(0o644)
	if m, _ := strconv.ParseUint(e.Mode, 8, 32); m&0o111 != 0 {
		perm = 0o755
	}
	f, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(r, e.Size))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return err // writing to disk failed
		}
		return readError(ctx, e.Path, err)
	}
	if n != e.Size {
		return refuse(e.Path, "the archive ends after %d of its %d bytes", n, e.Size)
	}
	if sum := hex.EncodeToString(h.Sum(nil)); sum != e.SHA256 {
		return refuse(e.Path, "SHA-256 %s does not match the manifest's %s: the bundle was changed or damaged after export", sum, e.SHA256)
	}
	return nil
}

// parseManifest decodes manifest.json and checks it on its own: known
// format, safe names, sizes within lim, no duplicates.
func parseManifest(data []byte, lim Limits) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, refuse(ManifestName, "not valid JSON: %v", err)
	}
	if m.Format != Format {
		return nil, refuse(ManifestName, "format %q is not %q: made by another version of proeftuin?", m.Format, Format)
	}
	if !ValidEnvironmentName(m.Environment) {
		return nil, refuse(ManifestName, "environment name %q cannot name a folder", m.Environment)
	}
	if len(m.Entries) > lim.Entries {
		return nil, refuse(ManifestName, "lists %d entries, over the limit of %d", len(m.Entries), lim.Entries)
	}
	for _, img := range m.Images {
		if img.Ref == "" || strings.ContainsAny(img.Ref, " \t\r\n\x00") {
			return nil, refuse(ManifestName, "invalid image reference %q", img.Ref)
		}
	}
	var labTotal, imagesTotal int64
	files := map[string]bool{}
	paths := map[string]bool{}
	hasHCL := false
	for _, e := range m.Entries {
		if err := checkName(e.Path); err != nil {
			return nil, refuse(e.Path, "(in the manifest) %v", err)
		}
		if paths[e.Path] {
			return nil, refuse(e.Path, "is listed twice in the manifest")
		}
		paths[e.Path] = true
		wantKind := KindLab
		if e.Path == ImagesEntry {
			wantKind = KindImages
		}
		if e.Kind != wantKind {
			return nil, refuse(e.Path, "the manifest gives kind %q, want %q", e.Kind, wantKind)
		}
		if e.Mode != "" {
			if _, err := strconv.ParseUint(e.Mode, 8, 32); err != nil {
				return nil, refuse(e.Path, "invalid mode %q in the manifest", e.Mode)
			}
		}
		switch e.Type {
		case TypeDir:
			if e.Kind != KindLab || e.Size != 0 || e.SHA256 != "" {
				return nil, refuse(e.Path, "a folder entry must be in lab/ with no size or checksum")
			}
			continue
		case TypeFile:
		default:
			return nil, refuse(e.Path, "unknown type %q in the manifest", e.Type)
		}
		if len(e.SHA256) != 64 || strings.Trim(e.SHA256, "0123456789abcdef") != "" {
			return nil, refuse(e.Path, "the manifest gives no valid SHA-256 (64 lowercase hex digits)")
		}
		if e.Size < 0 {
			return nil, refuse(e.Path, "negative size in the manifest")
		}
		files[e.Path] = true
		if e.Kind == KindImages {
			if e.Size > lim.ImageEntry {
				return nil, refuse(e.Path, "is %s, over the limit of %s per image archive (--max-image-size)", FormatSize(e.Size), FormatSize(lim.ImageEntry))
			}
			imagesTotal += e.Size
			if imagesTotal > lim.ImagesTotal {
				return nil, refuse(e.Path, "the images add up to more than the limit of %s (--max-images-total)", FormatSize(lim.ImagesTotal))
			}
			continue
		}
		if e.Size > lim.LabFile {
			return nil, refuse(e.Path, "is %s, over the limit of %s per lab file (--max-file-size)", FormatSize(e.Size), FormatSize(lim.LabFile))
		}
		labTotal += e.Size
		if labTotal > lim.LabTotal {
			return nil, refuse(e.Path, "the lab files add up to more than the limit of %s (--max-lab-size)", FormatSize(lim.LabTotal))
		}
		if rel := strings.TrimPrefix(e.Path, LabPrefix); !strings.Contains(rel, "/") && strings.HasSuffix(rel, ".hcl") {
			hasHCL = true
		}
	}
	// A file cannot also be a folder: "lab/a" and "lab/a/b".
	for p := range paths {
		for dir := path.Dir(p); dir != "." && dir != "lab" && dir != "images"; dir = path.Dir(dir) {
			if files[dir] {
				return nil, refuse(p, "is inside %q, which the manifest lists as a file", dir)
			}
		}
	}
	if !hasHCL {
		return nil, refuse(ManifestName, "lists no *.hcl file in lab/: there is no lab in this bundle")
	}
	if m.ImagesIncluded != paths[ImagesEntry] {
		if m.ImagesIncluded {
			return nil, refuse(ManifestName, "says images are included but lists no %s", ImagesEntry)
		}
		return nil, refuse(ImagesEntry, "is listed but the manifest says images are not included")
	}
	return &m, nil
}

// checkName accepts the archive names a bundle may use.
func checkName(name string) error {
	switch {
	case name == "":
		return errors.New("empty name")
	case strings.ContainsRune(name, 0):
		return errors.New("the name contains a NUL byte")
	case strings.HasPrefix(name, "/") || len(name) >= 2 && name[1] == ':':
		return errors.New("absolute path")
	case strings.Contains(name, `\`):
		return errors.New(`the name contains a backslash, which Windows reads as a folder separator`)
	}
	for _, el := range strings.Split(name, "/") {
		if el == ".." {
			return errors.New(`the path contains "..", which would leave the target folder`)
		}
	}
	if path.Clean(name) != name {
		return errors.New("the path is not in clean form (\".\", \"//\" or a trailing \"/\")")
	}
	if name == ManifestName || name == ImagesEntry {
		return nil
	}
	if !strings.HasPrefix(name, LabPrefix) || len(name) == len(LabPrefix) {
		return fmt.Errorf("outside lab/ and %s", ImagesEntry)
	}
	return nil
}

// checkType refuses every entry that is not a regular file or a folder,
// saying where a link points and whether that leaves the lab.
func checkType(h *tar.Header, name string) error {
	switch h.Typeflag {
	case tar.TypeReg, tar.TypeDir:
		return nil
	case tar.TypeSymlink:
		target := h.Linkname
		if path.IsAbs(target) || len(target) >= 2 && target[1] == ':' || !within(path.Join(path.Dir(name), target), "lab") {
			return refuse(name, "is a symbolic link to %q, which leaves the lab folder", target)
		}
		return refuse(name, "is a symbolic link to %q; bundles hold no links (export stores the file itself)", target)
	case tar.TypeLink:
		target := h.Linkname
		if path.IsAbs(target) || !within(path.Clean(target), "lab") || strings.Contains(target, "..") {
			return refuse(name, "is a hard link to %q, which leaves the lab folder", target)
		}
		return refuse(name, "is a hard link to %q; bundles hold no links (export stores the file itself)", target)
	case tar.TypeChar, tar.TypeBlock:
		return refuse(name, "is a device file; a bundle holds only files and folders")
	case tar.TypeFifo:
		return refuse(name, "is a fifo (named pipe); a bundle holds only files and folders")
	default:
		return refuse(name, "has unsupported tar type %q; a bundle holds only files and folders", string(h.Typeflag))
	}
}

// within reports whether the clean slash path p is dir or below it.
func within(p, dir string) bool {
	p = path.Clean(p)
	return p == dir || strings.HasPrefix(p, dir+"/")
}

// ValidEnvironmentName reports whether name can be used as a folder name
// on every platform.
func ValidEnvironmentName(name string) bool {
	return len(name) <= 128 && config.PlainName(name)
}

// ctxReader stops reading when ctx is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
