// Package lock makes sure only one proeftuin command changes an instance at
// a time. The lock is an flock(2)-style advisory lock on a file keyed by the
// engine's identity (see EngineKey: not the address as spelled) and the
// instance name; the operating system releases it when the holder exits,
// so a crashed or killed command never leaves a stale lock.
//
// Every user of one engine must find the same file, so the folder does not
// depend on environment variables (see Dir). On unix it is shared: sticky
// and world-writable like /tmp, lock files 0666 so a second user can take
// a lock the first one created, opened with O_NOFOLLOW and checked to be
// a plain file with one link, so a planted link cannot make proeftuin
// write into another file.
package lock

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// DefaultTimeout is how long Acquire waits when Options.Timeout is 0.
const DefaultTimeout = 5 * time.Minute

// pollInterval is how often a waiting Acquire retries the lock.
const pollInterval = 100 * time.Millisecond

// ErrTimeout is returned (wrapped) when the lock stayed taken for the
// whole timeout.
var ErrTimeout = errors.New("timed out waiting for the instance lock")

// Holder describes the process holding a lock, as it wrote into the file.
type Holder struct {
	PID      int       `json:"pid"`
	Command  string    `json:"command"`
	Instance string    `json:"instance"`
	Engine   string    `json:"engine"`
	Since    time.Time `json:"since"`
}

// Options control Acquire.
type Options struct {
	// Dir holds the lock files; "" means Dir().
	Dir string
	// Timeout bounds the wait; 0 means DefaultTimeout, a negative value
	// means "do not wait at all".
	Timeout time.Duration
	// Command is written into the lock file for whoever waits on it.
	Command string
	// Waiting is called once, when the lock is found taken, with what the
	// holder wrote (zero when unreadable).
	Waiting func(Holder)
}

// Lock is a held lock; Release gives it back.
type Lock struct {
	f        *os.File
	path     string
	readOnly bool
}

// Dir is where lock files live: a fixed folder, so every command on an
// engine finds the same lock whatever its XDG_RUNTIME_DIR or TMPDIR (see
// sharedDir: /tmp/proeftuin-locks on unix; the user's temporary folder
// on Windows, where an engine is one user's).
func Dir() string { return sharedDir() }

// Path returns the lock file for an instance on an engine; engineKey is
// EngineKey's result.
func Path(dir, engineKey, instance string) string {
	sum := sha256.Sum256([]byte(engineKey))
	return filepath.Join(dir, hex.EncodeToString(sum[:6])+"-"+sanitize(instance)+".lock")
}

// EngineKey identifies an engine for locking, whatever the spelling of its
// address: for a unix socket (unix:///run/docker.sock and
// unix:///var/run/docker.sock may be one socket) the device and inode of
// the socket the path resolves to; otherwise the engine's own ID, which
// engineID returns ("" when unknown; it is called only then, as it costs a
// round trip); failing both, the address as spelled.
func EngineKey(host string, engineID func() string) string {
	if path, ok := strings.CutPrefix(host, "unix://"); ok {
		if key := socketKey(path); key != "" {
			return key
		}
	}
	if engineID != nil {
		if id := engineID(); id != "" {
			return "engine-id:" + id
		}
	}
	return "host:" + host
}

// sanitize keeps a file name readable and safe; the instance name is
// already restricted by the CLI, this is a second line of defence.
func sanitize(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "_"
	}
	return b.String()
}

// Acquire takes the lock for (engineHost, instance) — engineHost is
// EngineKey's result — waiting while another
// process (or another Acquire in this process) holds it, until ctx ends or
// the timeout passes.
func Acquire(ctx context.Context, engineHost, instance string, opts Options) (*Lock, error) {
	dir := opts.Dir
	if dir == "" {
		dir = Dir()
	}
	if err := makeDir(dir); err != nil {
		return nil, fmt.Errorf("lock folder %s: %w", dir, err)
	}
	path := Path(dir, engineHost, instance)
	f, writable, err := openLockFile(path)
	if err != nil {
		return nil, err
	}
	timeout := opts.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	var deadline <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		deadline = t.C
	}
	var tick *time.Ticker
	warned := false
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if ok {
			break
		}
		if !warned {
			warned = true
			if opts.Waiting != nil {
				h, _ := readHolder(path)
				opts.Waiting(h)
			}
		}
		if timeout < 0 {
			f.Close()
			return nil, fmt.Errorf("instance %s: %w", instance, ErrTimeout)
		}
		if tick == nil {
			tick = time.NewTicker(pollInterval)
			defer tick.Stop()
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-deadline:
			f.Close()
			return nil, fmt.Errorf("instance %s after %s: %w", instance, timeout, ErrTimeout)
		case <-tick.C:
		}
	}
	l := &Lock{f: f, path: path, readOnly: !writable}
	h := Holder{PID: os.Getpid(), Command: opts.Command, Instance: instance, Engine: engineHost, Since: time.Now().UTC()}
	if !writable {
		return l, nil // locked; the holder's description cannot be written
	}
	if err := l.write(h); err != nil {
		l.Release()
		return nil, err
	}
	return l, nil
}

func (l *Lock) write(h Holder) error {
	b, err := json.Marshal(h)
	if err != nil {
		return err
	}
	if err := l.f.Truncate(0); err != nil {
		return fmt.Errorf("write lock file: %w", err)
	}
	if _, err := l.f.WriteAt(append(b, '\n'), 0); err != nil {
		return fmt.Errorf("write lock file: %w", err)
	}
	return nil
}

// Path is the lock file's path.
func (l *Lock) Path() string { return l.path }

// Release gives the lock back. The file stays: removing it would race with
// a waiter that already opened it.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	if !l.readOnly {
		_ = l.f.Truncate(0)
	}
	err := unlock(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}

func readHolder(path string) (Holder, error) {
	var h Holder
	b, err := os.ReadFile(path)
	if err != nil {
		return h, err
	}
	err = json.Unmarshal(b, &h)
	return h, err
}

// makeDir creates the lock folder and makes sure it is safe (see
// checkDir): created world-writable and sticky like /tmp itself, so
// several users of one engine share the locks.
func makeDir(dir string) error {
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	return checkDir(dir)
}
