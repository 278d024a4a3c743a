//go:build unix

package interrupt

import (
	"context"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func TestNotify(t *testing.T) {
	var firsts, agains atomic.Int32
	ctx, stop, interrupted := Notify(context.Background(), func() { firsts.Add(1) }, func() { agains.Add(1) })
	defer stop()
	if interrupted() {
		t.Fatal("interrupted before any signal")
	}
	syscall.Kill(syscall.Getpid(), syscall.SIGINT)
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the context was not cancelled by SIGINT")
	}
	syscall.Kill(syscall.Getpid(), syscall.SIGINT)
	deadline := time.Now().Add(5 * time.Second)
	for agains.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !interrupted() || firsts.Load() != 1 || agains.Load() != 1 {
		t.Errorf("interrupted %v, first called %d times, again %d; want true, 1, 1", interrupted(), firsts.Load(), agains.Load())
	}
}
