// Package interrupt turns Ctrl-C into a cancelled context, so a command
// can clean up (apply rolls back what it created) before it exits.
package interrupt

import (
	"context"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
)

// Notify returns a context that the first SIGINT or SIGTERM cancels,
// after calling first (may be nil); a second one calls again, which is
// meant to exit at once. stop restores default signal handling;
// interrupted reports whether a signal arrived.
func Notify(parent context.Context, first, again func()) (ctx context.Context, stop func(), interrupted func() bool) {
	ctx, cancel := context.WithCancel(parent)
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	var got atomic.Bool
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case <-ch:
				if got.Swap(true) {
					again()
					continue
				}
				if first != nil {
					first()
				}
				cancel()
			}
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel()
	}, got.Load
}
