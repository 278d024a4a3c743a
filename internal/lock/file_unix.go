//go:build unix

package lock

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// sharedDir is one fixed folder for every user and shell of the machine.
func sharedDir() string { return "/tmp/proeftuin-locks" }

// socketKey is "unix-socket:<device>:<inode>" of the socket path resolves
// to (following links), or "" when path is not a socket here.
func socketKey(path string) string {
	fi, err := os.Stat(path)
	if err != nil || fi.Mode()&fs.ModeSocket == 0 {
		return ""
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	return fmt.Sprintf("unix-socket:%d:%d", uint64(st.Dev), uint64(st.Ino))
}

// checkDir makes sure the lock folder cannot be used to trick proeftuin:
// it must be a folder, not a link to one. Our own folder is made sticky
// and world-writable (like /tmp), so another user of the engine can
// create locks in it but not remove or replace ours. Another user's
// folder that others may write into is accepted only when sticky.
func checkDir(dir string) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("lock folder %s is not a folder (a symbolic link?); remove it and try again", dir)
	}
	return checkDirMode(dir, fi.Mode(), ownerOf(fi), os.Geteuid())
}

// checkDirMode is checkDir's decision on a folder's mode and owner, apart
// so tests can try other users' folders.
func checkDirMode(dir string, mode fs.FileMode, owner, me int) error {
	if owner == me {
		if mode&fs.ModeSticky == 0 || mode.Perm() != 0o777 {
			_ = os.Chmod(dir, 0o777|fs.ModeSticky) // best effort
		}
		return nil
	}
	if mode.Perm()&0o022 != 0 && mode&fs.ModeSticky == 0 {
		return fmt.Errorf("lock folder %s belongs to user %d and others may replace files in it (mode %s, not sticky); "+
			"ask its owner to run 'chmod 1777 %s', or remove it", dir, owner, mode.Perm(), dir)
	}
	return nil
}

func ownerOf(fi fs.FileInfo) int {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return int(st.Uid)
	}
	return -1
}

// openLockFile opens (creating) a lock file without following a link at
// its name, and makes sure it is a plain file with one name: a planted
// symbolic or hard link must not let proeftuin truncate another file. A
// file proeftuin creates is made 0666 so another user of the engine can
// take the lock too; a lock file it may only read (made 0644 by an older
// version) still locks, without the holder's description (writable
// false).
func openLockFile(path string) (f *os.File, writable bool, err error) {
	flags := os.O_CREATE | syscall.O_NOFOLLOW | syscall.O_NONBLOCK
	f, err = os.OpenFile(path, os.O_RDWR|flags, 0o666)
	writable = err == nil
	if errors.Is(err, fs.ErrPermission) {
		f, err = os.OpenFile(path, os.O_RDONLY|flags, 0)
	}
	if errors.Is(err, syscall.ELOOP) || errors.Is(err, syscall.EMLINK) {
		return nil, false, fmt.Errorf("lock file %s is a symbolic link, which proeftuin never follows; remove it and try again", path)
	}
	if err != nil {
		return nil, false, fmt.Errorf("open lock file: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, false, fmt.Errorf("lock file %s: %w", path, err)
	}
	st, _ := fi.Sys().(*syscall.Stat_t)
	if !fi.Mode().IsRegular() || st == nil || st.Nlink != 1 {
		f.Close()
		return nil, false, fmt.Errorf("lock file %s is not a plain file with one name (a planted link?); remove it and try again", path)
	}
	if int(st.Uid) == os.Geteuid() && fi.Mode().Perm() != 0o666 {
		_ = f.Chmod(0o666)
	}
	return f, writable, nil
}
