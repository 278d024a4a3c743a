//go:build reliability

package reliability

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/report"
)

// maxRSSBound is the generous bound on the CLI's peak resident set while
// a container floods it (docs/reliability.md has the measured values).
const maxRSSBound = 150 << 10 // KiB

// TestCrashingService: a service that exits at once fails `up` (exit 1)
// fast, with its last log line, and leaves nothing behind.
func TestCrashingService(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := labDir(t, "crash")
	inst := newInstance(t, "")
	start := time.Now()
	r := run(t, dir, "--name", inst, "up")
	took := time.Since(start)
	if r.Code != 1 || !strings.Contains(r.Stderr, "fatal: no config") {
		t.Errorf("up of a crashing service: want exit 1 and its log line\n%s", r)
	}
	if took > 50*time.Second {
		t.Errorf("up of a crashing service took %s; its ready timeout is 60s, it should fail fast", took)
	}
	if left := leftovers(t, inst); len(left) > 0 {
		t.Errorf("a failed first up left %s", strings.Join(left, ", "))
	}
	t.Logf("crash: up failed after %s, peak RSS %d KiB", took.Round(time.Millisecond), r.MaxRSS)
}

// TestHangingReadiness: readiness that never comes ends `up` after the
// configured timeout, and --wait-timeout overrides it.
func TestHangingReadiness(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := labDir(t, "hang")
	inst := newInstance(t, "")
	for _, c := range []struct {
		args  []string
		limit time.Duration
	}{
		{nil, 5 * time.Second},
		{[]string{"--wait-timeout", "2s"}, 2 * time.Second},
	} {
		start := time.Now()
		r := run(t, dir, append([]string{"--name", inst, "up"}, c.args...)...)
		took := time.Since(start)
		if r.Code != 1 || !strings.Contains(r.Stderr, "hanger") {
			t.Errorf("up %v of a service that never gets ready: want exit 1 naming it\n%s", c.args, r)
		}
		// Creating and starting on a loaded machine takes its time; the
		// wait itself must end at the timeout, not run on.
		if took < c.limit || took > c.limit+90*time.Second {
			t.Errorf("up %v took %s with a ready timeout of %s", c.args, took, c.limit)
		}
		t.Logf("hang: up %v failed after %s (timeout %s)", c.args, took.Round(time.Millisecond), c.limit)
	}
}

// TestFloodingService: a container writing megabytes per second to its
// log while up waits for a line that never comes: up times out, and its
// memory stays bounded.
func TestFloodingService(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := labDir(t, "flood")
	inst := newInstance(t, "")
	r := run(t, dir, "--name", inst, "up")
	if r.Code != 1 || !strings.Contains(r.Stderr, "flooder") {
		t.Errorf("up with a flooding service that never logs its ready line: want exit 1\n%s", trim(r.String()))
	}
	if r.MaxRSS > maxRSSBound {
		t.Errorf("up's peak RSS was %d KiB while the container flooded its log, bound %d KiB", r.MaxRSS, maxRSSBound)
	}
	t.Logf("flood: up peak RSS %d KiB", r.MaxRSS)
}

// TestFloodingStep: a plan step whose exec writes 64 MiB to stdout: the
// report keeps a tail of at most 64 KiB, marked truncated, and the CLI's
// memory stays bounded.
func TestFloodingStep(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := labDir(t, "flood")
	inst := newInstance(t, "")
	rdir := filepath.Join(t.TempDir(), "run")
	r := do(t, invocation{dir: dir, args: []string{"--name", inst, "--var", "flood_ready=true", "run", "--report-dir", rdir}, limit: 10 * time.Minute})
	if r.Code != 0 {
		t.Fatalf("run of a flooding step:\n%s", trim(r.String()))
	}
	res, err := report.Load(filepath.Join(rdir, "result.json"))
	if err != nil {
		t.Fatal(err)
	}
	a := res.Steps[0].Actions[0]
	if len(a.Stdout) > 64<<10 || !a.Truncated || !strings.Contains(a.Stdout, "END-OF-FLOOD") {
		t.Errorf("flooded action: %d bytes of stdout kept, truncated %v, ends with the last line %v", len(a.Stdout), a.Truncated, strings.Contains(a.Stdout, "END-OF-FLOOD"))
	}
	for _, f := range []string{"result.json", "report.md", "report.html", "junit.xml"} {
		if fi, err := os.Stat(filepath.Join(rdir, f)); err != nil || fi.Size() > 1<<20 {
			t.Errorf("%s: %v, %d bytes", f, err, fi.Size())
		}
	}
	if r.MaxRSS > maxRSSBound {
		t.Errorf("run's peak RSS was %d KiB while a step wrote 64 MiB, bound %d KiB", r.MaxRSS, maxRSSBound)
	}
	t.Logf("flood step: %d bytes of stdout kept of 64 MiB; run peak RSS %d KiB", len(a.Stdout), r.MaxRSS)
}
