package lock

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// When the test binary runs with this variable set it acts as a second
// process: it takes the lock, says so on stdout and holds it until stdin
// closes.
const helperEnv = "PROEFTUIN_LOCK_HELPER_DIR"

func TestMain(m *testing.M) {
	if dir := os.Getenv(helperEnv); dir != "" {
		l, err := Acquire(context.Background(), "unix:///test.sock", "lab", Options{Dir: dir, Command: "helper up"})
		if err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		os.Stdout.WriteString("locked\n")
		_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
		_ = l.Release()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestGoroutinesTakeTurns(t *testing.T) {
	dir := t.TempDir()
	var inside, maxInside atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l, err := Acquire(t.Context(), "h", "lab", Options{Dir: dir, Timeout: 10 * time.Second})
			if err != nil {
				t.Error(err)
				return
			}
			n := inside.Add(1)
			for {
				m := maxInside.Load()
				if n <= m || maxInside.CompareAndSwap(m, n) {
					break
				}
			}
			time.Sleep(20 * time.Millisecond)
			inside.Add(-1)
			if err := l.Release(); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := maxInside.Load(); got != 1 {
		t.Fatalf("%d holders at once, want 1", got)
	}
}

func TestKeyedByEngineAndInstance(t *testing.T) {
	dir := t.TempDir()
	a, err := Acquire(t.Context(), "h1", "lab", Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Release()
	for _, k := range [][2]string{{"h2", "lab"}, {"h1", "other"}} {
		l, err := Acquire(t.Context(), k[0], k[1], Options{Dir: dir, Timeout: -1})
		if err != nil {
			t.Fatalf("%v: %v", k, err)
		}
		l.Release()
	}
	if _, err := Acquire(t.Context(), "h1", "lab", Options{Dir: dir, Timeout: -1}); !errors.Is(err, ErrTimeout) {
		t.Fatalf("same key: err = %v, want ErrTimeout", err)
	}
}

func TestOtherProcessHoldsLock(t *testing.T) {
	dir := t.TempDir()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), helperEnv+"="+dir)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "locked" {
		t.Fatalf("helper: %q, %v", line, err)
	}

	// A short timeout fails and reports the holder once.
	var seen []Holder
	_, err = Acquire(t.Context(), "unix:///test.sock", "lab", Options{
		Dir: dir, Timeout: 300 * time.Millisecond,
		Waiting: func(h Holder) { seen = append(seen, h) },
	})
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	if len(seen) != 1 || seen[0].PID != cmd.Process.Pid || seen[0].Command != "helper up" {
		t.Fatalf("waiting callback got %+v, want one call with pid %d", seen, cmd.Process.Pid)
	}

	// Once the helper lets go, a waiting Acquire gets the lock.
	done := make(chan error, 1)
	waiting := make(chan struct{})
	go func() {
		l, err := Acquire(t.Context(), "unix:///test.sock", "lab", Options{Dir: dir, Timeout: 10 * time.Second,
			Waiting: func(Holder) { close(waiting) }})
		if err == nil {
			l.Release()
		}
		done <- err
	}()
	select {
	case <-waiting:
	case err := <-done:
		t.Fatalf("Acquire ended (%v) while the helper held the lock", err)
	}
	stdin.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestKilledHolderReleases(t *testing.T) {
	dir := t.TempDir()
	exe, _ := os.Executable()
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), helperEnv+"="+dir)
	stdin, _ := cmd.StdinPipe()
	defer stdin.Close()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if _, err := bufio.NewReader(stdout).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	cmd.Process.Kill()
	cmd.Wait()
	l, err := Acquire(t.Context(), "unix:///test.sock", "lab", Options{Dir: dir, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("lock of a killed holder not released: %v", err)
	}
	l.Release()
}

func TestContextCancelStopsWaiting(t *testing.T) {
	dir := t.TempDir()
	a, err := Acquire(t.Context(), "h", "lab", Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Release()
	ctx, cancel := context.WithTimeout(t.Context(), 150*time.Millisecond)
	defer cancel()
	if _, err := Acquire(ctx, "h", "lab", Options{Dir: dir}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
}
