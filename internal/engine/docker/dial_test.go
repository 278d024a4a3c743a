package docker

import (
	"context"
	"errors"
	"net"
	"os"
	"syscall"
	"testing"
)

func TestUnixDialerRetriesBusySocket(t *testing.T) {
	calls := 0
	busy := &net.OpError{Op: "dial", Net: "unix", Err: os.NewSyscallError("connect", syscall.EAGAIN)}
	dial := unixDialer("/run/x.sock", func(ctx context.Context, network, addr string) (net.Conn, error) {
		calls++
		if network != "unix" || addr != "/run/x.sock" {
			t.Errorf("dialled %s %s", network, addr)
		}
		if calls < 3 {
			return nil, busy
		}
		c, _ := net.Pipe()
		return c, nil
	})
	conn, err := dial(t.Context(), "tcp", "ignored:80")
	if err != nil || conn == nil {
		t.Fatalf("dial: %v", err)
	}
	conn.Close()
	if calls != 3 {
		t.Errorf("%d dials, want 3", calls)
	}
}

func TestUnixDialerDoesNotRetryRefused(t *testing.T) {
	calls := 0
	refused := &net.OpError{Op: "dial", Net: "unix", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	dial := unixDialer("/run/x.sock", func(context.Context, string, string) (net.Conn, error) {
		calls++
		return nil, refused
	})
	if _, err := dial(t.Context(), "", ""); !errors.Is(err, syscall.ECONNREFUSED) || calls != 1 {
		t.Errorf("err %v after %d dials, want ECONNREFUSED after 1", err, calls)
	}
}
