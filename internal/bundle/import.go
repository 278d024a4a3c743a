package bundle

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// ErrNoEngine is returned when a bundle with images is imported without
// an engine.
var ErrNoEngine = errors.New("loading the bundle's images needs a container engine")

// ErrNotEmpty is returned when the target folder has files and Force is
// not set.
var ErrNotEmpty = errors.New("target folder is not empty")

// ImportOptions configure Import.
type ImportOptions struct {
	// Target is the folder to write the lab to; "" means a folder named
	// after the environment in the current folder.
	Target string
	// Force writes the lab into a folder that already has files: the
	// bundle's files replace files of the same name, other files stay.
	Force bool
	// Limits cap the bundle's entries; zero fields take DefaultLimits.
	Limits Limits
	// Progress receives one line per thing done (may be nil).
	Progress func(string)
}

// ImportResult describes an imported bundle.
type ImportResult struct {
	Manifest *Manifest
	Dir      string   // absolute path of the lab folder
	Files    int      // lab files written
	Loaded   []string // image references loaded into the engine
	// Missing are images the lab uses that the engine lacks after the
	// import (bundles made with --without-images).
	Missing []string
}

// Import verifies the bundle at archive and only then loads its images
// into eng and writes its lab folder. The bundle is unpacked into a
// staging folder inside the target's parent (so the final move is a
// rename on one file system); on any error the staging folder, and any
// parent folder Import created, is removed and the target is untouched.
func Import(ctx context.Context, eng engine.Engine, archive string, opts ImportOptions) (res *ImportResult, err error) {
	progress := opts.Progress
	if progress == nil {
		progress = func(string) {}
	}
	f, err := os.Open(archive)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err := f.Stat(); err != nil {
		return nil, err
	} else if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a file", archive)
	}

	parent := "."
	if opts.Target == "" {
		// The folder is named after the environment: read the manifest
		// first, to refuse a folder in the way before unpacking.
		m, err := ReadManifest(f, opts.Limits)
		if err != nil {
			return nil, err
		}
		if err := checkTarget(filepath.Join(parent, m.Environment), opts.Force); err != nil {
			return nil, err
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
	} else {
		target, err := filepath.Abs(opts.Target)
		if err != nil {
			return nil, err
		}
		if err := checkTarget(target, opts.Force); err != nil {
			return nil, err
		}
		parent = filepath.Dir(target)
	}
	parent, err = filepath.Abs(parent)
	if err != nil {
		return nil, err
	}
	created, err := mkdirParents(parent)
	if err != nil {
		return nil, err
	}
	stage, err := os.MkdirTemp(parent, ".proeftuin-import-")
	if err != nil {
		if created != "" {
			os.RemoveAll(created)
		}
		return nil, err
	}
	defer func() {
		os.RemoveAll(stage)
		if err != nil && created != "" {
			os.RemoveAll(created)
		}
	}()

	progress("verifying " + archive)
	m, err := Unpack(ctx, f, stage, opts.Limits)
	if err != nil {
		return nil, err
	}
	target := opts.Target
	if target == "" {
		target = filepath.Join(parent, m.Environment)
	}
	if target, err = filepath.Abs(target); err != nil {
		return nil, err
	}
	if opts.Target == "" {
		if err := checkTarget(target, opts.Force); err != nil {
			return nil, err
		}
	}
	res = &ImportResult{Manifest: m, Dir: target}

	if m.ImagesIncluded {
		if eng == nil {
			return nil, ErrNoEngine
		}
		progress("loading images into the engine")
		img, err := os.Open(filepath.Join(stage, filepath.FromSlash(ImagesEntry)))
		if err != nil {
			return nil, err
		}
		err = eng.LoadImages(ctx, img, progress)
		img.Close()
		if err != nil {
			return nil, err
		}
		for _, im := range m.Images {
			if _, err := eng.ImageID(ctx, im.Ref); err != nil {
				return nil, fmt.Errorf("image %s is not in the engine after loading the bundle: %w", im.Ref, err)
			}
			res.Loaded = append(res.Loaded, im.Ref)
		}
	} else if eng != nil {
		for _, im := range m.Images {
			if im.Kind == "built" {
				continue // up builds it
			}
			if _, err := eng.ImageID(ctx, im.Ref); err != nil {
				res.Missing = append(res.Missing, im.Ref)
			}
		}
	}

	n, err := place(filepath.Join(stage, "lab"), target, opts.Force)
	if err != nil {
		return nil, err
	}
	res.Files = n
	return res, nil
}

// checkTarget refuses a target that is not a folder, or that has files
// when force is false.
func checkTarget(target string, force bool) error {
	info, err := os.Lstat(target)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("%s exists and is not a folder", target)
	}
	if force {
		return nil
	}
	entries, err := os.ReadDir(target)
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("%w: %s has %d entries; choose another folder or use --force to write the lab into it", ErrNotEmpty, target, len(entries))
	}
	return nil
}

// mkdirParents creates dir and its missing parents, returning the topmost
// folder it created ("" when dir existed).
func mkdirParents(dir string) (string, error) {
	top := ""
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil {
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		top = d
		if filepath.Dir(d) == d {
			break
		}
	}
	if top == "" {
		return "", nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	return top, nil
}

// place moves the verified lab from stage into target: one rename when
// target is absent or empty, file by file with force.
func place(stage, target string, force bool) (int, error) {
	files := 0
	if err := filepath.WalkDir(stage, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files++
		}
		return err
	}); err != nil {
		return 0, err
	}
	entries, err := os.ReadDir(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return files, os.Rename(stage, target)
	case err != nil:
		return 0, err
	case len(entries) == 0:
		if err := os.Remove(target); err != nil {
			return 0, err
		}
		return files, os.Rename(stage, target)
	case !force:
		return 0, fmt.Errorf("%w: %s", ErrNotEmpty, target)
	}
	// Merge. Nothing is followed: an existing link or file where the lab
	// has a folder (or a folder where it has a file) is an error.
	err = filepath.WalkDir(stage, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(stage, p)
		if err != nil || rel == "." {
			return err
		}
		dest := filepath.Join(target, rel)
		info, lerr := os.Lstat(dest)
		exists := lerr == nil
		if lerr != nil && !errors.Is(lerr, fs.ErrNotExist) {
			return lerr
		}
		if d.IsDir() {
			if exists && !info.IsDir() {
				return fmt.Errorf("%s exists and is not a folder; the lab has a folder there", dest)
			}
			if !exists {
				return os.Mkdir(dest, 0o755)
			}
			return nil
		}
		if exists {
			if info.IsDir() {
				return fmt.Errorf("%s is a folder; the lab has a file there", dest)
			}
			if err := os.Remove(dest); err != nil {
				return err
			}
		}
		return os.Rename(p, dest)
	})
	if err != nil {
		return 0, fmt.Errorf("write the lab into %s: %w", target, err)
	}
	return files, nil
}
