// Package faultproxy is a test helper: a unix-socket proxy in front of a
// container engine's socket that a test can cut and restore, to see what
// proeftuin does when the engine goes away in the middle of its work, and
// that records what it was asked, to prove that a command did not touch the
// engine at all.
//
//	p, err := faultproxy.New(t.TempDir(), "/var/run/docker.sock")
//	cmd.Env = append(cmd.Env, "DOCKER_HOST="+p.Host())
//	...
//	p.Cut()     // every open connection is closed, new ones are refused
//	p.Restore() // connections are accepted and forwarded again
//
// The proxy forwards bytes; it does not parse HTTP beyond noting the first
// line of every connection (Requests), which is enough to name the request
// that opened it. Hijacked streams (exec, attach, logs) pass through as
// they are.
package faultproxy

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Request is what the proxy saw of one connection.
type Request struct {
	Time time.Time
	// Line is the connection's first line, e.g. "GET /_ping HTTP/1.1",
	// or empty when the client sent nothing.
	Line string
}

// Proxy forwards connections on a unix socket to an upstream socket.
type Proxy struct {
	path     string
	upstream string

	mu       sync.Mutex
	ln       *net.UnixListener
	cut      bool
	closed   bool
	conns    map[net.Conn]struct{}
	requests []Request
	wg       sync.WaitGroup

	accepted atomic.Int64
	refused  atomic.Int64
	cuts     atomic.Int64
}

// DefaultUpstream is the local Docker socket.
const DefaultUpstream = "/var/run/docker.sock"

// New listens on a new socket in dir (a short path: unix socket paths are
// limited to about 100 bytes) and forwards to upstream, the path of the
// engine's socket ("" means DefaultUpstream, or DOCKER_HOST when that
// names a unix socket).
func New(dir, upstream string) (*Proxy, error) {
	if upstream == "" {
		upstream = DefaultUpstream
		if h := os.Getenv("DOCKER_HOST"); strings.HasPrefix(h, "unix://") {
			upstream = strings.TrimPrefix(h, "unix://")
		}
	}
	path := filepath.Join(dir, "engine.sock")
	if len(path) > 100 {
		d, err := os.MkdirTemp("", "fp")
		if err != nil {
			return nil, err
		}
		path = filepath.Join(d, "engine.sock")
	}
	p := &Proxy{path: path, upstream: upstream, conns: map[net.Conn]struct{}{}}
	if err := p.listen(); err != nil {
		return nil, err
	}
	return p, nil
}

// Socket is the path of the proxy's socket.
func (p *Proxy) Socket() string { return p.path }

// Host is the proxy's address for DOCKER_HOST.
func (p *Proxy) Host() string { return "unix://" + p.path }

func (p *Proxy) listen() error {
	_ = os.Remove(p.path)
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: p.path, Net: "unix"})
	if err != nil {
		return fmt.Errorf("faultproxy: listen on %s: %w", p.path, err)
	}
	// A cut leaves the socket file in place, so clients get "connection
	// refused", as from a daemon that stopped, rather than "no such file".
	ln.SetUnlinkOnClose(false)
	p.ln = ln
	p.wg.Add(1)
	go p.serve(ln)
	return nil
}

func (p *Proxy) serve(ln *net.UnixListener) {
	defer p.wg.Done()
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.cut || p.closed {
			p.mu.Unlock()
			p.refused.Add(1)
			c.Close()
			continue
		}
		p.conns[c] = struct{}{}
		p.mu.Unlock()
		p.accepted.Add(1)
		p.wg.Add(1)
		go p.forward(c)
	}
}

func (p *Proxy) forward(c net.Conn) {
	defer p.wg.Done()
	defer p.drop(c)
	up, err := net.Dial("unix", p.upstream)
	if err != nil {
		p.record(Request{Time: time.Now(), Line: "(upstream unreachable: " + err.Error() + ")"})
		return
	}
	p.mu.Lock()
	if p.cut || p.closed {
		p.mu.Unlock()
		up.Close()
		return
	}
	p.conns[up] = struct{}{}
	p.mu.Unlock()
	defer p.drop(up)

	br := bufio.NewReader(c)
	line, _ := br.ReadString('\n')
	p.record(Request{Time: time.Now(), Line: strings.TrimRight(line, "\r\n")})
	if line != "" {
		if _, err := io.WriteString(up, line); err != nil {
			return
		}
	}
	done := make(chan struct{}, 2)
	go func() {
		_, _ = io.Copy(up, br)
		if cw, ok := up.(interface{ CloseWrite() error }); ok {
			_ = cw.CloseWrite()
		}
		done <- struct{}{}
	}()
	go func() {
		_, _ = io.Copy(c, up)
		if cw, ok := c.(interface{ CloseWrite() error }); ok {
			_ = cw.CloseWrite()
		}
		done <- struct{}{}
	}()
	<-done
	<-done
}

func (p *Proxy) drop(c net.Conn) {
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
	c.Close()
}

func (p *Proxy) record(r Request) {
	p.mu.Lock()
	p.requests = append(p.requests, r)
	p.mu.Unlock()
}

// Cut makes the engine go away: every open connection (both sides) is
// closed at once and new connections are refused until Restore.
func (p *Proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cut || p.closed {
		return
	}
	p.cut = true
	p.cuts.Add(1)
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
}

// Restore accepts and forwards connections again after Cut.
func (p *Proxy) Restore() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return errors.New("faultproxy: closed")
	}
	if !p.cut {
		return nil
	}
	p.cut = false
	return p.listen()
}

// IsCut reports whether the proxy is cut.
func (p *Proxy) IsCut() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cut
}

// Requests is the first line of every connection forwarded so far.
func (p *Proxy) Requests() []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Request(nil), p.requests...)
}

// Stats counts connections: accepted and forwarded, refused while cut, and
// the number of cuts.
type Stats struct {
	Accepted, Refused, Cuts int64
}

// Stats returns the proxy's counters.
func (p *Proxy) Stats() Stats {
	return Stats{Accepted: p.accepted.Load(), Refused: p.refused.Load(), Cuts: p.cuts.Load()}
}

// Close stops the proxy, closes every connection and removes the socket.
func (p *Proxy) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
	_ = os.Remove(p.path)
	return nil
}
