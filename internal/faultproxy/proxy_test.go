package faultproxy

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// upstream is an HTTP server on a unix socket: /ping answers, /stream
// writes a line and then holds the connection open.
func upstream(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "up.sock")
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/ping", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "OK") })
	mux.HandleFunc("/stream", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello\n")
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return path
}

func client(sock string) *http.Client {
	return &http.Client{
		Timeout: 5 * time.Second,
		Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", sock)
		}},
	}
}

func get(c *http.Client, path string) (string, error) {
	res, err := c.Get("http://engine" + path)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return string(b), err
}

func TestForwardCutRestore(t *testing.T) {
	p, err := New(t.TempDir(), upstream(t))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if !strings.HasPrefix(p.Host(), "unix://") {
		t.Errorf("Host %q", p.Host())
	}
	c := client(p.Socket())
	if body, err := get(c, "/ping"); err != nil || body != "OK" {
		t.Fatalf("through the proxy: %q, %v", body, err)
	}

	// A streaming response in flight is cut off.
	res, err := client(p.Socket()).Get("http://engine/stream")
	if err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(res.Body)
	if line, _ := br.ReadString('\n'); line != "hello\n" {
		t.Fatalf("stream: %q", line)
	}
	ended := make(chan error, 1)
	go func() { _, err := io.ReadAll(br); ended <- err }()
	p.Cut()
	select {
	case <-ended:
	case <-time.After(3 * time.Second):
		t.Fatal("Cut did not end a connection in flight")
	}
	res.Body.Close()

	// New connections are refused, as by a stopped daemon.
	_, err = net.Dial("unix", p.Socket())
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("dial while cut: %v, want connection refused", err)
	}
	if !p.IsCut() {
		t.Error("IsCut false after Cut")
	}

	if err := p.Restore(); err != nil {
		t.Fatal(err)
	}
	if body, err := get(client(p.Socket()), "/ping"); err != nil || body != "OK" {
		t.Fatalf("after Restore: %q, %v", body, err)
	}
	reqs := p.Requests()
	if len(reqs) < 3 || reqs[0].Line != "GET /ping HTTP/1.1" {
		t.Errorf("requests: %+v", reqs)
	}
	if s := p.Stats(); s.Cuts != 1 || s.Accepted < 3 {
		t.Errorf("stats: %+v", s)
	}
}

func TestRecordsNothingWithoutClients(t *testing.T) {
	p, err := New(t.TempDir(), upstream(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if n := len(p.Requests()); n != 0 {
		t.Errorf("%d requests", n)
	}
	if err := p.Restore(); err == nil {
		t.Error("Restore after Close did not fail")
	}
}
