//go:build !unix

package main

import (
	"os"
	"time"
)

// usage reports CPU time only: peak memory needs getrusage.
func usage(ps *os.ProcessState) (int64, time.Duration) {
	return 0, ps.UserTime() + ps.SystemTime()
}
