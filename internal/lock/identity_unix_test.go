//go:build unix

package lock

import (
	"bufio"
	"context"
	"errors"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/testenv"
)

// TestEngineKeySameSocketTwoSpellings: DOCKER_HOST=unix:///run/docker.sock
// and unix:///var/run/docker.sock are one engine; they used to get two
// locks, so `down` removed an instance in the middle of its `run`.
func TestEngineKeySameSocketTwoSpellings(t *testing.T) {
	dir := t.TempDir()
	sock := filepath.Join(dir, "docker.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	link := filepath.Join(dir, "alias.sock")
	if err := os.Symlink(sock, link); err != nil {
		t.Fatal(err)
	}
	a := EngineKey("unix://"+sock, nil)
	for _, spelling := range []string{"unix://" + link, "unix://" + dir + "//./docker.sock"} {
		if b := EngineKey(spelling, nil); b != a {
			t.Errorf("%s: key %s, want %s", spelling, b, a)
		}
	}
	if !strings.HasPrefix(a, "unix-socket:") {
		t.Errorf("key %s is not the socket's identity", a)
	}
	other := filepath.Join(dir, "other.sock")
	ln2, err := net.Listen("unix", other)
	if err != nil {
		t.Fatal(err)
	}
	defer ln2.Close()
	if EngineKey("unix://"+other, nil) == a {
		t.Error("two sockets share a key")
	}
	// Other addresses: the engine's ID, asked only then.
	if k := EngineKey("tcp://127.0.0.1:2375", func() string { return "ABCD" }); k != "engine-id:ABCD" {
		t.Errorf("tcp key %s", k)
	}
	if k := EngineKey("unix://"+sock, func() string { t.Error("ID asked for a socket"); return "" }); k != a {
		t.Error(k)
	}

	// And the lock holds across the spellings.
	ldir := t.TempDir()
	l, err := Acquire(t.Context(), EngineKey("unix://"+sock, nil), "lab", Options{Dir: ldir})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	if _, err := Acquire(t.Context(), EngineKey("unix://"+link, nil), "lab", Options{Dir: ldir, Timeout: -1}); !errors.Is(err, ErrTimeout) {
		t.Fatalf("second spelling: %v, want ErrTimeout", err)
	}
}

// TestPlantedLinkIsNotFollowed: a symbolic link at the lock file's name
// used to make `up` truncate its target to 0 bytes.
func TestPlantedLinkIsNotFollowed(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victim, Path(dir, "k", "lab")); err != nil {
		t.Fatal(err)
	}
	if _, err := Acquire(t.Context(), "k", "lab", Options{Dir: dir, Timeout: -1}); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("err = %v, want a refusal naming the link", err)
	}
	// A hard link (fs.protected_hardlinks=0) is refused too.
	if err := os.Link(victim, Path(dir, "k", "other")); err != nil {
		t.Fatal(err)
	}
	if _, err := Acquire(t.Context(), "k", "other", Options{Dir: dir, Timeout: -1}); err == nil || !strings.Contains(err.Error(), "one name") {
		t.Fatalf("hard link: err = %v", err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "precious" {
		t.Fatalf("the link's target was changed to %q", b)
	}
	// A link in place of the folder is refused.
	linkDir := filepath.Join(t.TempDir(), "locks")
	if err := os.Symlink(t.TempDir(), linkDir); err != nil {
		t.Fatal(err)
	}
	if _, err := Acquire(t.Context(), "k", "lab", Options{Dir: linkDir, Timeout: -1}); err == nil {
		t.Fatal("a linked lock folder was used")
	}
}

func TestDirModes(t *testing.T) {
	dir := t.TempDir()
	if _, err := Acquire(t.Context(), "k", "lab", Options{Dir: dir, Timeout: -1}); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(dir)
	if fi.Mode()&fs.ModeSticky == 0 || fi.Mode().Perm() != 0o777 {
		t.Errorf("own lock folder mode %s, want sticky 0777", fi.Mode())
	}
	lf, _ := os.Stat(Path(dir, "k", "lab"))
	if lf.Mode().Perm() != 0o666 {
		t.Errorf("lock file mode %s, want 0666 (another user must be able to lock it)", lf.Mode().Perm())
	}
	me := os.Geteuid()
	if err := checkDirMode(dir, 0o777|fs.ModeDir, me+1, me); err == nil {
		t.Error("another user's world-writable folder without sticky bit accepted")
	}
	if err := checkDirMode(dir, 0o777|fs.ModeDir|fs.ModeSticky, me+1, me); err != nil {
		t.Errorf("another user's sticky folder refused: %v", err)
	}
	if err := checkDirMode(dir, 0o755|fs.ModeDir, me+1, me); err != nil {
		t.Errorf("a folder only its owner writes: %v", err)
	}
}

// secondUserEnv makes the test binary take the lock as another user.
const secondUserEnv = "PROEFTUIN_LOCK_SECOND_USER_DIR"

func init() {
	if dir := os.Getenv(secondUserEnv); dir != "" {
		l, err := Acquire(contextBackground(), "shared-engine", "lab", Options{Dir: dir, Command: "second user", Timeout: 5 * time.Second})
		if err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		os.Stdout.WriteString("locked\n")
		_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
		_ = l.Release()
		os.Exit(0)
	}
}

// TestSecondUserSharesLock: a lock file the first user created used to be
// 0644 in the shared folder, so a second user's `down` failed for ever
// with "permission denied". Run as root, the second user is nobody.
func TestSecondUserSharesLock(t *testing.T) {
	if os.Geteuid() != 0 {
		testenv.Unavailable(t, "needs root to act as a second user (CI runs as root)")
	}
	base, err := os.MkdirTemp("/tmp", "proeftuin-locktest-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	os.Chmod(base, 0o755)
	dir := filepath.Join(base, "locks")
	// The first user takes and releases the lock: the folder and the file
	// are root's.
	l, err := Acquire(t.Context(), "shared-engine", "lab", Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	l.Release()

	exe, _ := os.Executable()
	bin := filepath.Join(base, "lock.test")
	data, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run=^$")
	cmd.Env = append(os.Environ(), secondUserEnv+"="+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	cmd.Dir = base
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if strings.TrimSpace(line) != "locked" {
		cmd.Wait()
		t.Fatalf("second user could not take the lock: %q %v\n%s", line, err, stderr.String())
	}
	// While the second user holds it, the first one waits.
	if _, err := Acquire(t.Context(), "shared-engine", "lab", Options{Dir: dir, Timeout: -1}); !errors.Is(err, ErrTimeout) {
		t.Fatalf("first user while the second holds the lock: %v, want ErrTimeout", err)
	}
}

func contextBackground() context.Context { return context.Background() }

// TestDirIgnoresEnvironment: setting XDG_RUNTIME_DIR (or TMPDIR) for one
// command used to give it another lock folder, and so another lock.
func TestDirIgnoresEnvironment(t *testing.T) {
	a := Dir()
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	t.Setenv("TMPDIR", t.TempDir())
	if b := Dir(); b != a {
		t.Fatalf("Dir() %s with XDG_RUNTIME_DIR and TMPDIR set, %s without", b, a)
	}
}
