package grade

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/proeftuin/proeftuin/internal/bundle"
)

// Submission is one student's hand-in: a folder, a .zip or .tar.gz of
// one, or a proeftuin bundle, named after the student.
type Submission struct {
	Student string
	// Source is the entry of the submissions folder.
	Source string
	Kind   string // "folder" | "zip" | "tar.gz" | "bundle"
	// Hash is a SHA-256 over what was handed in (the folder's file names
	// and contents, or the archive's bytes); --resume compares it.
	Hash string
	// Dir is the lab folder, once prepared.
	Dir string
	// Images is the images.tar a bundle brought ("" for none), and
	// BundleImages what its manifest says is in it.
	Images       string
	BundleImages []bundle.Image
}

var studentName = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// Collect lists the submissions in dir, sorted by student. Entries that
// are neither a folder nor an archive are skipped, as are hidden ones.
func Collect(dir string) ([]*Submission, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read the submissions: %w", err)
	}
	var subs []*Submission
	seen := map[string]string{}
	for _, e := range entries {
		name := e.Name()
		// Hidden entries, links and special files are no hand-in: a
		// link could lead anywhere (/dev/zero, the teacher's home).
		if strings.HasPrefix(name, ".") || !e.IsDir() && !e.Type().IsRegular() {
			continue
		}
		s := &Submission{Source: filepath.Join(dir, name)}
		lower := strings.ToLower(name)
		switch {
		case e.IsDir():
			s.Kind, s.Student = "folder", name
		case strings.HasSuffix(lower, ".zip"):
			s.Kind, s.Student = "zip", name[:len(name)-4]
		case strings.HasSuffix(lower, ".tar.gz"):
			s.Kind, s.Student = "tar.gz", name[:len(name)-7]
		case strings.HasSuffix(lower, ".tgz"):
			s.Kind, s.Student = "tar.gz", name[:len(name)-4]
		default:
			continue
		}
		if s.Kind == "tar.gz" && bundle.IsBundle(s.Source) {
			s.Kind = "bundle"
		}
		// The student's name becomes an instance name and a folder name.
		s.Student = strings.Trim(studentName.ReplaceAllString(s.Student, "-"), "-.")
		if s.Student == "" {
			s.Student = "student"
		}
		if first, dup := seen[s.Student]; dup {
			return nil, fmt.Errorf("%s and %s are both handed in by %s; keep one", first, name, s.Student)
		}
		seen[s.Student] = name
		subs = append(subs, s)
	}
	sort.Slice(subs, func(i, j int) bool { return subs[i].Student < subs[j].Student })
	for _, s := range subs {
		h, err := contentHash(s.Source, s.Kind == "folder")
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", s.Source, err)
		}
		s.Hash = h
	}
	return subs, nil
}

// contentHash hashes a folder's file names and contents (links by their
// target, never followed) or an archive's bytes.
func contentHash(p string, folder bool) (string, error) {
	h := sha256.New()
	if !folder {
		f, err := os.Open(p)
		if err != nil {
			return "", err
		}
		defer f.Close()
		if _, err := io.Copy(h, f); err != nil {
			return "", err
		}
		return hex.EncodeToString(h.Sum(nil)), nil
	}
	err := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(p, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() && (d.Name() == ".proeftuin") {
			return filepath.SkipDir
		}
		fmt.Fprintf(h, "%s\x00%s\x00", rel, d.Type())
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			t, _ := os.Readlink(path)
			fmt.Fprintf(h, "%s\x00", t)
		case d.Type().IsRegular():
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			_, err = io.Copy(h, f)
			f.Close()
			return err
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil)), err
}

// prepare makes the lab folder of s under work: archives are unpacked
// with the bundle reader's safety rules; a folder is copied, so the
// runner's files (.proeftuin) never land in the student's hand-in.
func (s *Submission) prepare(ctx context.Context, work string) error {
	dest := filepath.Join(work, s.Student)
	if err := os.RemoveAll(dest); err != nil {
		return err
	}
	if err := os.MkdirAll(dest, 0o755); err != nil {
		return err
	}
	var err error
	switch s.Kind {
	case "folder":
		err = copyLab(ctx, s.Source, dest)
	case "bundle":
		var f *os.File
		if f, err = os.Open(s.Source); err == nil {
			var m *bundle.Manifest
			m, err = bundle.Unpack(ctx, f, dest, bundle.Limits{})
			f.Close()
			s.bundleImages(m, dest)
		}
		dest = filepath.Join(dest, "lab")
	default:
		err = bundle.UnpackArchive(ctx, s.Source, dest, bundle.Limits{})
		// A zip or tar is a hand-in, not a bundle: say so in a refusal.
		var refused *bundle.RefusedError
		if errors.As(err, &refused) && refused.What == "" {
			refused.What = "hand-in"
		}
	}
	if err != nil {
		return err
	}
	s.Dir = labRoot(dest)
	return nil
}

// labRoot is dir, or its only subfolder when dir holds no *.hcl file and
// one folder (a zip made of the folder rather than its contents). What
// macOS adds to a zip or a copy (the __MACOSX folder, ._ files) and
// other hidden entries do not count.
func labRoot(dir string) string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return dir
	}
	var sub string
	for _, e := range entries {
		if e.Name() == "__MACOSX" || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if strings.HasSuffix(e.Name(), ".hcl") {
			return dir
		}
		if e.IsDir() {
			if sub != "" {
				return dir
			}
			sub = e.Name()
		}
	}
	if sub == "" {
		return dir
	}
	return labRoot(filepath.Join(dir, sub))
}

// copyLab copies the regular files and folders of src to dest. Links are
// refused: one could point outside the hand-in.
func copyLab(ctx context.Context, src, dest string) error {
	lim := bundle.DefaultLimits()
	var total int64
	count := 0
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() && d.Name() == ".proeftuin" {
			return filepath.SkipDir
		}
		if count++; count > lim.Entries {
			return &bundle.RefusedError{What: "hand-in", Reason: fmt.Sprintf("holds more than %d entries", lim.Entries)}
		}
		target := filepath.Join(dest, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case !d.Type().IsRegular():
			return &bundle.RefusedError{What: "hand-in", Entry: filepath.ToSlash(rel), Reason: "is a link or special file; a hand-in holds only files and folders"}
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if total += info.Size(); info.Size() > lim.LabFile || total > lim.LabTotal {
			return &bundle.RefusedError{What: "hand-in", Entry: filepath.ToSlash(rel), Reason: "is larger than a lab may hold"}
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, info.Mode().Perm()|0o600)
		if err != nil {
			return err
		}
		_, err = io.Copy(out, in)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		return err
	})
}
