// Package atomicfile replaces a file whole or not at all: the new content
// goes to a temporary file next to it, which is synced, given its mode and
// renamed over the old one. A reader (another command, a browser, a
// --resume after a crash) sees the old file or the new one, never half.
//
// The temporary files being written are tracked, so a command that must
// exit at once (a second Ctrl-C) removes them first (RemovePending), and
// Sweep removes the ones a killed process left.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// Write replaces path with data, with mode perm.
func Write(path string, data []byte, perm fs.FileMode) error {
	return WriteFunc(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteFunc replaces path with what write writes, with mode perm. When
// write or any step after it fails, path is unchanged and no temporary
// file is left. Errors name path.
func WriteFunc(path string, perm fs.FileMode, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), tempPrefix(path)+"*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer Track(tmp.Name())()
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
			err = fmt.Errorf("write %s: %w", path, err)
		}
	}()
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	// Windows knows only the read-only bit; a refusal there is no reason
	// to lose the file.
	if err = tmp.Chmod(perm); err != nil && runtime.GOOS != "windows" {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// tempPrefix is the start of the names of path's temporary files:
// ".<name>." in the same folder, hidden, and recognisable by Sweep.
func tempPrefix(path string) string { return "." + filepath.Base(path) + "." }

// pending holds the temporary files being written.
var pending sync.Map

// Track records a temporary file being written; the returned function
// forgets it again once it was renamed or removed. WriteFunc tracks its
// own; Track is for writers that rename a file of their own making.
func Track(path string) (done func()) {
	pending.Store(path, struct{}{})
	return func() { pending.Delete(path) }
}

// RemovePending removes every temporary file still being written. The
// CLI calls it before exiting at once on a second interrupt.
func RemovePending() {
	pending.Range(func(k, _ any) bool {
		_ = os.Remove(k.(string))
		pending.Delete(k)
		return true
	})
}

// Sweep removes from dir the temporary files an earlier Write of one of
// names left (a process killed between creating and renaming it), except
// those this process is writing now. Other processes' writes in flight
// are not protected: callers sweep a folder only they write (under the
// instance's lock).
func Sweep(dir string, names ...string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	for _, e := range entries {
		n := e.Name()
		if !e.Type().IsRegular() || !strings.HasSuffix(n, ".tmp") {
			continue
		}
		for _, name := range names {
			if strings.HasPrefix(n, tempPrefix(name)) {
				p := filepath.Join(dir, n)
				if _, busy := pending.Load(p); !busy {
					_ = os.Remove(p)
				}
				break
			}
		}
	}
	return nil
}
