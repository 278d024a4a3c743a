// Package gctune sets the garbage collector for a short-lived CLI process.
//
// proeftuin runs for a fraction of a second to a few minutes and keeps
// little memory alive, but loading a large environment makes a lot of
// short-lived garbage (HCL's lexer grows one token slice per file). With
// Go's default GOGC=100 the collector runs many times during one load and
// doubles its time (see BenchmarkLoad). A higher target trades a few MB of
// peak heap for that time; a soft memory limit keeps the trade bounded.
package gctune

import (
	"os"
	"runtime/debug"
)

// Percent is the GOGC value proeftuin runs with unless GOGC is set.
const Percent = 400

// MemoryLimit is the soft heap limit (bytes) unless GOMEMLIMIT is set; the
// collector works harder as the heap nears it.
const MemoryLimit = 256 << 20

// Apply sets the collector for a CLI process. The user's GOGC and
// GOMEMLIMIT, when set, win.
func Apply() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(Percent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(MemoryLimit)
	}
}
