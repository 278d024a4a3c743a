package bundle

import (
	"archive/tar"
	"archive/zip"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// UnpackArchive writes the files of a plain .zip, .tar.gz or .tar of a
// lab folder (a student's hand-in, not a bundle) under dest, with the
// rules of Unpack: every name is checked before a byte is written (no
// absolute path, no ".."), only regular files and folders (no links,
// devices or fifos), and lim's LabFile, LabTotal and Entries bound what
// it may hold. An error wrapping ErrRefused names the entry at fault;
// dest may then hold part of the archive and the caller removes it.
func UnpackArchive(ctx context.Context, archive, dest string, lim Limits) error {
	lim = lim.withDefaults()
	u := &unpacker{ctx: ctx, dest: dest, lim: lim}
	if strings.HasSuffix(strings.ToLower(archive), ".zip") {
		return u.zip(archive)
	}
	f, err := os.Open(archive)
	if err != nil {
		return err
	}
	defer f.Close()
	tr, err := openArchive(&ctxReader{ctx: ctx, r: f})
	if err != nil {
		return err
	}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return readError(ctx, "", err)
		}
		name := strings.TrimSuffix(h.Name, "/")
		if err := u.check(h.Name, name); err != nil {
			return err
		}
		if err := checkType(h, LabPrefix+name); err != nil {
			return err
		}
		if err := u.write(name, h.Typeflag == tar.TypeDir, h.Size, h.FileInfo().Mode(), tr); err != nil {
			return err
		}
	}
}

type unpacker struct {
	ctx     context.Context
	dest    string
	lim     Limits
	entries int
	total   int64
}

func (u *unpacker) zip(archive string) error {
	zr, err := zip.OpenReader(archive)
	if err != nil {
		return refuse("", "not a readable zip file: %v", err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if err := u.ctx.Err(); err != nil {
			return err
		}
		name := strings.TrimSuffix(f.Name, "/")
		if err := u.check(f.Name, name); err != nil {
			return err
		}
		mode := f.Mode()
		if !mode.IsRegular() && !mode.IsDir() {
			return refuse(name, "is not a regular file or folder (%s); a hand-in holds only files and folders", mode.Type())
		}
		if f.UncompressedSize64 > uint64(u.lim.LabFile) {
			return refuse(name, "is %s, more than the %s a lab file may hold", FormatSize(int64(f.UncompressedSize64)), FormatSize(u.lim.LabFile))
		}
		rc, err := f.Open()
		if err != nil {
			return refuse(name, "cannot be read: %v", err)
		}
		err = u.write(name, mode.IsDir(), int64(f.UncompressedSize64), mode, rc)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// check applies the name rules and the count limit.
func (u *unpacker) check(raw, name string) error {
	u.entries++
	if u.entries > u.lim.Entries {
		return refuse("", "holds more than %d entries", u.lim.Entries)
	}
	if err := checkName(LabPrefix + name); err != nil || name == "" {
		if err == nil {
			err = errors.New("empty name")
		}
		return refuse(raw, "%v", err)
	}
	return nil
}

// write creates a folder or streams a file of at most size bytes (and the
// limits) to its place under dest.
func (u *unpacker) write(name string, dir bool, size int64, mode os.FileMode, r io.Reader) error {
	dest := filepath.Join(u.dest, filepath.FromSlash(name))
	if dir {
		return os.MkdirAll(dest, 0o755)
	}
	if size > u.lim.LabFile {
		return refuse(name, "is %s, more than the %s a lab file may hold", FormatSize(size), FormatSize(u.lim.LabFile))
	}
	if u.total+size > u.lim.LabTotal {
		return refuse(name, "brings the hand-in past the %s a lab may hold", FormatSize(u.lim.LabTotal))
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return err
	}
	perm := os.FileMode(0o644)
	if mode&0o111 != 0 {
		perm = 0o755
	}
	f, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		if os.IsExist(err) {
			return refuse(name, "appears twice")
		}
		return err
	}
	// Copy one byte more than declared: an entry longer than its header
	// says is refused rather than trusted.
	n, err := io.Copy(f, io.LimitReader(r, size+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return readError(u.ctx, name, err)
	}
	if n != size {
		return refuse(name, "holds %d bytes, its header says %d", n, size)
	}
	u.total += n
	return nil
}

// IsBundle reports whether the archive at p is a proeftuin bundle (its
// first entry is the manifest).
func IsBundle(p string) bool {
	if strings.HasSuffix(strings.ToLower(p), ".zip") {
		return false
	}
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	tr, err := openArchive(f)
	if err != nil {
		return false
	}
	h, err := tr.Next()
	return err == nil && h.Name == ManifestName
}
