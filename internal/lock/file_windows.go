//go:build windows

package lock

import (
	"fmt"
	"os"
	"path/filepath"
)

// sharedDir is the user's temporary folder: on Windows an engine (Docker
// Desktop) serves one user, so the lock need not be shared between users.
func sharedDir() string { return filepath.Join(os.TempDir(), "proeftuin-locks") }

// socketKey: Windows engines listen on named pipes, which have no inode;
// EngineKey falls back to the engine's ID.
func socketKey(string) string { return "" }

// checkDir refuses a lock folder that is a link.
func checkDir(dir string) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() || fi.Mode()&os.ModeSymlink != 0 {
		return fmt.Errorf("lock folder %s is not a folder (a link?); remove it and try again", dir)
	}
	return nil
}

// openLockFile refuses a lock file that is a link. Windows has no
// O_NOFOLLOW; the check before the open is the documented fallback (the
// folder is the user's own, so nobody else can plant a link between).
func openLockFile(path string) (*os.File, bool, error) {
	if fi, err := os.Lstat(path); err == nil && (fi.Mode()&os.ModeSymlink != 0 || !fi.Mode().IsRegular()) {
		return nil, false, fmt.Errorf("lock file %s is not a plain file (a link?); remove it and try again", path)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o666)
	if err != nil {
		return nil, false, fmt.Errorf("open lock file: %w", err)
	}
	return f, true, nil
}
