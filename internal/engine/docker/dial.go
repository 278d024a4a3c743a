package docker

import (
	"context"
	"errors"
	"net"
	"syscall"
	"time"
)

// dialRetry is how long a connection to the engine's unix socket is tried
// again while the socket's backlog is full.
const dialRetry = 3 * time.Second

// unixDialer dials the engine's unix socket at path. When many clients
// connect at once (ten students' labs, CI running suites side by side) the
// kernel refuses a connect with EAGAIN while the daemon's accept backlog
// is full; that is a busy engine, not a stopped one, so it is tried again
// with a short backoff instead of being reported as "does not answer".
func unixDialer(path string, dial func(ctx context.Context, network, addr string) (net.Conn, error)) func(ctx context.Context, _, _ string) (net.Conn, error) {
	return func(ctx context.Context, _, _ string) (net.Conn, error) {
		deadline := time.Now().Add(dialRetry)
		wait := 2 * time.Millisecond
		for {
			conn, err := dial(ctx, "unix", path)
			if err == nil || !errors.Is(err, syscall.EAGAIN) || time.Now().After(deadline) {
				return conn, err
			}
			select {
			case <-ctx.Done():
				return nil, err
			case <-time.After(wait):
			}
			wait = min(2*wait, 100*time.Millisecond)
		}
	}
}
