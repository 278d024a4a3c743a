package probebin

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
)

func TestGOARCH(t *testing.T) {
	for in, want := range map[string]string{
		"x86_64": "amd64", "aarch64": "arm64", "arm64": "arm64", "armv7l": "arm",
		"s390x": "s390x", "": runtime.GOARCH,
	} {
		if got := GOARCH(in); got != want {
			t.Errorf("GOARCH(%q) = %q, want %q", in, got, want)
		}
	}
}

// buildProbe builds cmd/proeftuin-probe for linux/goarch with cgo as asked.
func buildProbe(t *testing.T, goarch string, cgo bool) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "probe-"+goarch)
	cmd := exec.Command("go", "build", "-o", out, "../../cmd/proeftuin-probe")
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+goarch, "CGO_ENABLED=0")
	if cgo {
		cmd.Env = append(cmd.Env, "CGO_ENABLED=1")
	}
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	return out
}

func TestCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the probe")
	}
	static := buildProbe(t, "arm64", false)
	if err := Check(static, "arm64"); err != nil {
		t.Errorf("static arm64 probe refused: %v", err)
	}
	if err := Check(static, "amd64"); err == nil || !strings.Contains(err.Error(), "not amd64") {
		t.Errorf("arm64 probe for an amd64 engine: %v", err)
	}
	text := filepath.Join(t.TempDir(), "probe.exe")
	os.WriteFile(text, []byte("MZ not an ELF file"), 0o755)
	if err := Check(text, "amd64"); err == nil || !strings.Contains(err.Error(), "not a Linux executable") {
		t.Errorf("non-ELF file: %v", err)
	}
	if runtime.GOOS == "linux" && runtime.GOARCH == "amd64" {
		if _, err := exec.LookPath("gcc"); err == nil {
			dyn := buildProbe(t, "amd64", true)
			// net with cgo links the C resolver dynamically.
			if err := Check(dyn, "amd64"); err == nil || !strings.Contains(err.Error(), "dynamically linked") {
				t.Errorf("cgo build: %v", err)
			}
		}
	}
}

func TestCommand(t *testing.T) {
	lin := Command("darwin", "arm64")
	if lin != `CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -trimpath -o proeftuin-probe ./cmd/proeftuin-probe && export PROEFTUIN_PROBE_BINARY="$PWD/proeftuin-probe"` {
		t.Errorf("unix command: %s", lin)
	}
	win := Command("windows", "amd64")
	for _, want := range []string{`$env:GOOS="linux"`, `$env:GOARCH="amd64"`, `$env:PROEFTUIN_PROBE_BINARY="$PWD\proeftuin-probe"`} {
		if !strings.Contains(win, want) {
			t.Errorf("PowerShell command lacks %s: %s", want, win)
		}
	}
}

func TestFindEmbedded(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	payload := []byte("\x7fELF pretend probe for arm64")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(payload)
	zw.Close()
	old := embedded
	t.Cleanup(func() { embedded = old })
	embedded = fstest.MapFS{"assets/probe-linux-arm64.gz": {Data: gz.Bytes()}}

	p, err := fromEmbedded("arm64")
	if err != nil || p == "" {
		t.Fatalf("fromEmbedded: %q, %v", p, err)
	}
	if got, _ := os.ReadFile(p); !bytes.Equal(got, payload) {
		t.Errorf("unpacked %q, want %q", got, payload)
	}
	if p, err := fromEmbedded("amd64"); p != "" || err != nil {
		t.Errorf("no amd64 probe carried, got %q, %v", p, err)
	}
}

// TestFindNothing: a foreign-looking build with no toolchain gives one
// error that holds the command to run.
func TestFindNothing(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("PATH", t.TempDir())
	old := selfForeign
	selfForeign = "1"
	t.Cleanup(func() { selfForeign = old })
	_, err := Find(context.Background(), "aarch64", nil)
	var me *MissingError
	if !errors.As(err, &me) {
		t.Fatalf("Find = %v, want a MissingError", err)
	}
	msg := err.Error()
	for _, want := range []string{"linux/arm64", "not a Linux build", "no Go toolchain", "GOARCH=arm64 go build", EnvBinary} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
}

// TestFindBuilds: a foreign-looking build with the Go toolchain builds a
// static probe for the engine's architecture.
func TestFindBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the probe")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no Go toolchain")
	}
	gocache, err := exec.Command("go", "env", "GOCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOCACHE", strings.TrimSpace(string(gocache)))
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	old := selfForeign
	selfForeign = "1"
	t.Cleanup(func() { selfForeign = old })
	var said []string
	p, err := Find(context.Background(), "aarch64", func(s string) { said = append(said, s) })
	if err != nil {
		t.Fatal(err)
	}
	if err := Check(p, "arm64"); err != nil {
		t.Errorf("built probe: %v", err)
	}
	if len(said) != 1 || !strings.Contains(said[0], "linux/arm64") {
		t.Errorf("progress %q", said)
	}
}
