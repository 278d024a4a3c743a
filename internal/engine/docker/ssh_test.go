package docker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// The ssh tests put a fake ssh on PATH: the test binary itself, which
// bridges stdin/stdout to the local daemon's socket the way
// `ssh host docker system dial-stdio` bridges to a remote one.
const (
	fakeSSHSocketEnv = "PROEFTUIN_FAKE_SSH_SOCKET"
	fakeSSHLogEnv    = "PROEFTUIN_FAKE_SSH_LOG"
	fakeSSHFailEnv   = "PROEFTUIN_FAKE_SSH_FAIL"
)

// fakeSSH is main() of the fake ssh.
func fakeSSH(sock string) int {
	args := os.Args[1:]
	if log := os.Getenv(fakeSSHLogEnv); log != "" {
		f, err := os.OpenFile(log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err == nil {
			fmt.Fprintln(f, strings.Join(args, " "))
			f.Close()
		}
	}
	if msg := os.Getenv(fakeSSHFailEnv); msg != "" {
		fmt.Fprintln(os.Stderr, msg)
		return 255
	}
	if len(args) < 3 || strings.Join(args[len(args)-3:], " ") != "docker system dial-stdio" {
		fmt.Fprintf(os.Stderr, "fake ssh: unexpected command %q\n", args)
		return 2
	}
	conn, err := net.Dial("unix", sock)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fake ssh:", err)
		return 1
	}
	done := make(chan struct{})
	go func() {
		_, _ = io.Copy(os.Stdout, conn)
		close(done)
	}()
	_, _ = io.Copy(conn, os.Stdin)
	_ = conn.(*net.UnixConn).CloseWrite()
	<-done
	return 0
}

// installFakeSSH puts the fake ssh first on PATH for this test.
func installFakeSSH(t *testing.T, d *Docker) (logFile string) {
	t.Helper()
	sock, ok := strings.CutPrefix(d.host, "unix://")
	if !ok {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the fake ssh needs a local unix socket daemon, not %s; CI's engine must be one", d.host)
		}
		t.Skipf("the fake ssh needs a local unix socket daemon, not %s", d.host)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	script := "#!/bin/sh\nexec '" + self + "' \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "ssh"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	logFile = filepath.Join(bin, "ssh.log")
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv(fakeSSHSocketEnv, sock)
	t.Setenv(fakeSSHLogEnv, logFile)
	return logFile
}

func TestSSHEngine(t *testing.T) {
	local := requireEngine(t)
	logFile := installFakeSSH(t, local)
	ctx := testContext(t)

	d, err := newDocker(ctx, Options{Host: "ssh://student@lab.example:2222"}, osEnviron())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	info, err := d.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.Host != "ssh://student@lab.example:2222" || info.ServerVersion == "" {
		t.Errorf("Info over ssh = %+v", info)
	}
	if host := d.Capabilities().PortHost; host != "lab.example" {
		t.Errorf("PortHost = %q, want lab.example", host)
	}

	// Exec uses a hijacked connection: it must work through ssh too.
	id := runContainer(t, d, engine.ContainerSpec{Name: testName(t, "c"), Command: []string{"sleep", "300"}})
	res, err := d.Exec(ctx, id, engine.ExecSpec{Command: []string{"sh", "-c", "cat; echo err >&2"}, Stdin: strings.NewReader("via ssh\n")})
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Stdout) != "via ssh\n" || string(res.Stderr) != "err\n" {
		t.Errorf("Exec over ssh = %q %q", res.Stdout, res.Stderr)
	}

	log, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(log), "-l student -p 2222 -- lab.example docker system dial-stdio") {
		t.Errorf("ssh was called as:\n%s", log)
	}
}

func TestSSHEngineUnreachable(t *testing.T) {
	local := requireEngine(t)
	installFakeSSH(t, local)
	t.Setenv(fakeSSHFailEnv, "student@lab.example: Permission denied (publickey).")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err := newDocker(ctx, Options{Host: "ssh://student@lab.example"}, osEnviron())
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("error = %v, want ErrUnreachable", err)
	}
	t.Log(err)
	for _, want := range []string{"does not answer at ssh://student@lab.example", "Permission denied", "ssh"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}
