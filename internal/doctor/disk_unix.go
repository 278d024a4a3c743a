//go:build linux || darwin || freebsd

package doctor

import "syscall"

func diskFree(path string) (uint64, string, bool) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(path, &st); err != nil {
		return 0, "", false
	}
	return uint64(st.Bavail) * uint64(st.Bsize), path, true
}
