package docker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// sshArgs turns an ssh://[user@]host[:port] daemon address into the
// arguments of an ssh command that bridges to the remote daemon with
// `docker system dial-stdio`, as the docker CLI does.
func sshArgs(host string) ([]string, error) {
	u, err := url.Parse(host)
	if err != nil {
		return nil, fmt.Errorf("parse ssh host %q: %w", host, err)
	}
	if u.Scheme != "ssh" {
		return nil, fmt.Errorf("parse ssh host %q: scheme is not ssh", host)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("parse ssh host %q: no host name", host)
	}
	if u.Path != "" && u.Path != "/" {
		return nil, fmt.Errorf("parse ssh host %q: a path is not supported", host)
	}
	if _, hasPassword := u.User.Password(); hasPassword {
		return nil, fmt.Errorf("parse ssh host %q: a password in the URL is not supported; use an ssh key or agent", host)
	}
	var args []string
	if user := u.User.Username(); user != "" {
		args = append(args, "-l", user)
	}
	if port := u.Port(); port != "" {
		args = append(args, "-p", port)
	}
	args = append(args, "--", u.Hostname(), "docker", "system", "dial-stdio")
	return args, nil
}

// sshDialer returns a dial function that starts one ssh process per
// connection; the process lives as long as the connection.
func sshDialer(host string) (func(ctx context.Context, network, addr string) (net.Conn, error), error) {
	args, err := sshArgs(host)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, _, _ string) (net.Conn, error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		// Not CommandContext: the connection outlives the dial's context.
		cmd := exec.Command("ssh", args...)
		return newCommandConn(cmd, host)
	}, nil
}

// commandConn is a net.Conn over a child process's stdin and stdout.
type commandConn struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout io.ReadCloser
	stderr *tailBuffer
	host   string

	closeOnce sync.Once
	closeErr  error
	waitOnce  sync.Once
	exited    chan struct{} // closed once cmd.Wait returned
}

func newCommandConn(cmd *exec.Cmd, host string) (*commandConn, error) {
	c := &commandConn{cmd: cmd, host: host, stderr: newTailBuffer(4096), exited: make(chan struct{})}
	var err error
	if c.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, err
	}
	if c.stdout, err = cmd.StdoutPipe(); err != nil {
		return nil, err
	}
	cmd.Stderr = c.stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start ssh to %s: %w", host, err)
	}
	return c, nil
}

func (c *commandConn) Read(p []byte) (int, error) {
	n, err := c.stdout.Read(p)
	if errors.Is(err, io.EOF) && n == 0 {
		// ssh's stderr is copied by a goroutine of os/exec that may not
		// have caught up with its last words yet: wait (briefly) for the
		// process to end, which waits for that copy too.
		select {
		case <-c.wait():
		case <-time.After(2 * time.Second):
		}
		if msg := strings.TrimSpace(string(c.stderr.Bytes())); msg != "" {
			return 0, fmt.Errorf("ssh to %s: %s: %w", c.host, msg, io.EOF)
		}
	}
	return n, err
}

func (c *commandConn) Write(p []byte) (int, error) { return c.stdin.Write(p) }

// CloseWrite closes the child's stdin, half-closing the connection.
func (c *commandConn) CloseWrite() error { return c.stdin.Close() }

func (c *commandConn) Close() error {
	c.closeOnce.Do(func() {
		_ = c.stdin.Close()
		if c.cmd.Process != nil {
			_ = c.cmd.Process.Kill()
		}
		<-c.wait()
	})
	return c.closeErr
}

// wait starts waiting for the child, once, after its stdout is no longer
// read (os/exec closes the pipes when Wait returns); the channel is
// closed when it has ended.
func (c *commandConn) wait() <-chan struct{} {
	c.waitOnce.Do(func() {
		go func() { _ = c.cmd.Wait(); close(c.exited) }()
	})
	return c.exited
}

func (c *commandConn) LocalAddr() net.Addr              { return dummyAddr("ssh-client") }
func (c *commandConn) RemoteAddr() net.Addr             { return dummyAddr(c.host) }
func (c *commandConn) SetDeadline(time.Time) error      { return nil }
func (c *commandConn) SetReadDeadline(time.Time) error  { return nil }
func (c *commandConn) SetWriteDeadline(time.Time) error { return nil }

type dummyAddr string

func (a dummyAddr) Network() string { return "ssh" }
func (a dummyAddr) String() string  { return string(a) }
