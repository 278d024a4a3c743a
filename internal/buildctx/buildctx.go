// Package buildctx knows what an image build sends to the engine: the files
// of the context folder that .dockerignore keeps. Hash fingerprints that
// content so an image built once is found again by its tag — by another
// instance of the same lab, and after an offline bundle import, where a
// rebuild could not reach a package mirror.
package buildctx

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// Excludes returns the exclude patterns of dir's .dockerignore (nil when
// there is none), with the Dockerfile and .dockerignore kept as the docker
// CLI keeps them: the daemon needs both.
func Excludes(dir, dockerfile string) ([]string, error) {
	f, err := os.Open(filepath.Join(dir, ".dockerignore"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read .dockerignore: %w", err)
	}
	defer f.Close()
	patterns, err := ignorefile.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", f.Name(), err)
	}
	if len(patterns) > 0 {
		patterns = append(patterns, "!"+path.Clean(filepath.ToSlash(dockerfile)), "!.dockerignore")
	}
	return patterns, nil
}

// Hash is a SHA-256 (hex) over everything that decides a build's result
// apart from base images: the Dockerfile's name, the build args and target,
// and every file the context sends — its path, type, permission bits and
// content (or link target). Modification times are left out on purpose: a
// fresh checkout or an unpacked bundle must hash the same.
func Hash(dir, dockerfile string, args map[string]string, target string) (string, error) {
	excludes, err := Excludes(dir, dockerfile)
	if err != nil {
		return "", err
	}
	pm, err := patternmatcher.New(excludes)
	if err != nil {
		return "", fmt.Errorf("read .dockerignore: %w", err)
	}
	h := sha256.New()
	fmt.Fprintf(h, "dockerfile %q\ntarget %q\n", filepath.ToSlash(dockerfile), target)
	keys := make([]string, 0, len(args))
	for k := range args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(h, "arg %q=%q\n", k, args[k])
	}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil || rel == "." {
			return err
		}
		rel = filepath.ToSlash(rel)
		if skip, err := pm.MatchesOrParentMatches(rel); err != nil {
			return err
		} else if skip {
			if d.IsDir() && !pm.Exclusions() {
				return filepath.SkipDir
			}
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s %q %o\n", typeOf(info.Mode()), rel, info.Mode().Perm())
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "-> %q\n", target)
		case info.Mode().IsRegular():
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "%d\n", info.Size())
			_, err = io.Copy(h, f)
			f.Close()
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("build context %s: %w", dir, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func typeOf(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "dir"
	case m&fs.ModeSymlink != 0:
		return "link"
	case m.IsRegular():
		return "file"
	}
	return "other"
}
