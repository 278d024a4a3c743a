//go:build unix

package main

import (
	"os"
	"runtime"
	"syscall"
	"time"
)

// usage is the peak memory (bytes) and CPU time of an ended process.
func usage(ps *os.ProcessState) (int64, time.Duration) {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, 0
	}
	rss := ru.Maxrss * 1024 // kilobytes on Linux
	if runtime.GOOS == "darwin" {
		rss = ru.Maxrss // bytes on macOS
	}
	return rss, time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
